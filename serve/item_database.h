#pragma once
// The database a service searches: the base items (a run's database codes, or an index file's)
// and the items added while serving, each with its code and labels, behind one BinaryIndex.
// Searches run concurrently; an add is logged to disk first (ItemLog: acknowledged means durable)
// and then holds searches off only while the index takes the new codes.
//
//   ItemDatabase db(run.db_codes(), run.db_labels(), {"BHash4x12", "run/items"});
//   auto ids = db.add(codes, labels);           // on disk when it returns
//   auto matches = db.search(query_code, 10);
#include <torch/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/index_file.h"
#include "hashrl/serve/item_log.h"

namespace hashrl {

struct DatabaseOptions {
  // How the database is searched: a make_binary_index description ("flat", "BHash4x12", ...), or
  // the path of an index file (`hashrl index build`), which then holds the base items instead.
  std::string index = "flat";
  // Where added items are logged; "" makes the database read-only (add() throws).
  std::string items_dir;
  ItemLogOptions log;
  // The index file `index` names, when the caller has loaded it already (`serve` does, so that a
  // damaged file is refused before the run's data set is read): it is read and checked once.
  std::shared_ptr<IndexFile> loaded_index;
};

struct Match {
  int64_t id;
  int distance;
  std::vector<int64_t> labels;  // the class ids the item carries
};

struct StoredItem {
  torch::Tensor code;  // uint8 0/1 [bits]
  std::vector<int64_t> labels;
  bool added;  // added while serving, not one of the base items
};

class ItemDatabase {
 public:
  // `codes` uint8 0/1 [N, q] and `labels` multi-hot [N, L] are the base unless options.index is a
  // file. Throws naming the file or the description when it cannot be loaded or built, or when
  // the items folder belongs to another database.
  ItemDatabase(const torch::Tensor& codes, const torch::Tensor& labels, DatabaseOptions options);
  ~ItemDatabase();

  int64_t size() const;
  int64_t base_size() const { return base_size_; }
  int64_t bits() const { return bits_; }
  int64_t label_columns() const { return label_columns_; }
  bool exact() const { return index_->exact(); }
  std::string description() const { return index_->description(); }
  bool writable() const { return log_ != nullptr; }
  // Added items read back from the items folder at start, and the bytes of a torn record dropped.
  int64_t recovered() const { return recovered_; }
  int64_t dropped_bytes() const { return log_ ? log_->dropped_bytes() : 0; }
  // After `serve --salvage` opened a damaged log: its copy, and the items after the damage.
  std::string salvaged_copy() const { return log_ ? log_->salvaged_copy() : std::string(); }
  int64_t salvage_lost() const { return log_ ? log_->salvage_lost() : 0; }

  std::vector<Match> search(const torch::Tensor& code, int64_t k) const;
  std::optional<StoredItem> item(int64_t id) const;
  // Adds items (uint8 0/1 codes [n, q], multi-hot labels [n, L]); returns their ids once they are
  // on disk and searchable. Throws when the database is read-only or the shapes differ.
  std::vector<int64_t> add(const torch::Tensor& codes, const torch::Tensor& labels);

 private:
  void index_items(const torch::Tensor& codes, const torch::Tensor& labels);  // under the exclusive lock

  std::unique_ptr<BinaryIndex> index_;
  std::vector<uint8_t> labels_;  // [size(), label_columns_], row-major
  int64_t base_size_ = 0, bits_ = 0, label_columns_ = 0, recovered_ = 0;
  std::unique_ptr<ItemLog> log_;
  mutable std::shared_mutex index_mutex_;  // searches share it; indexing new items takes it alone
  std::mutex add_mutex_;                   // one add at a time: ids are handed out in log order
};

}  // namespace hashrl
