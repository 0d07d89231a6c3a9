#pragma once
// The items added to a served database, kept so that nothing acknowledged is lost: each batch is
// appended to DIR/items.log and flushed to disk (fdatasync) before append() returns, and the log is
// folded into DIR/items.snapshot (written whole, then renamed: atomic) every `fold_every` items and
// when the log is closed.
//
// Records are fixed-size — the item's id, its code and label set packed to bits, a CRC-32 — so a
// record cut short by a kill at any moment is recognised at the next open and dropped (it was never
// acknowledged). Only the tail can be torn: a damaged record followed by one that checks out is
// corruption of acknowledged items, and opening refuses it, leaving the log untouched, unless
// `salvage` is set, which copies the log aside and keeps the records before the damage. Ids are the database's: the log of a database of
// `base` items holds ids base, base + 1, ... Snapshot and log may overlap after a crash between
// folding and starting a new log; ids already in the snapshot are skipped.
//
// One writer per directory at a time (an flock on DIR/lock; a second is refused with a
// message naming the directory). Not thread-safe: ItemDatabase serialises its calls.
#include <torch/types.h>

#include <cstdint>
#include <string>

namespace hashrl {

struct ItemLogOptions {
  int64_t fold_every = 10000;  // items logged before the log is folded into the snapshot
  // A log damaged before its last record is copied to items.log.damaged[.N] and cut at the damage
  // (the records after it would leave a gap in the ids); false refuses to open it.
  bool salvage = false;
};

class ItemLog {
 public:
  // Opens DIR (created if missing) for a database of `base` items with codes of `bits` bits and
  // `label_columns` labels, and reads back what earlier processes added. Throws naming the file
  // when it belongs to another database (other sizes) or is damaged where it cannot be torn.
  ItemLog(std::string dir, int64_t base, int64_t bits, int64_t label_columns, ItemLogOptions options = {});
  // Folds the log into the snapshot (a failure leaves the log, which the next open replays).
  ~ItemLog();
  ItemLog(const ItemLog&) = delete;
  ItemLog& operator=(const ItemLog&) = delete;

  // The items added so far, ids base .. base + count() - 1: uint8 0/1 codes [count, bits] and
  // labels [count, label_columns].
  int64_t count() const { return count_; }
  torch::Tensor codes() const;
  torch::Tensor labels() const;
  // Bytes of a torn last record that opening dropped (0 after a clean stop).
  int64_t dropped_bytes() const { return dropped_bytes_; }
  // After a salvage: where the damaged log was copied, and the records after the damage that
  // checked out but were not kept (empty and 0 otherwise).
  const std::string& salvaged_copy() const { return salvaged_copy_; }
  int64_t salvage_lost() const { return salvage_lost_; }

  // Logs items (uint8 0/1 codes [n, bits], labels [n, label_columns]) as ids base + count() ...;
  // returns once they are on disk. On a failure nothing of the batch is kept, and it throws.
  void append(const torch::Tensor& codes, const torch::Tensor& labels);
  // Writes every item into a new snapshot and starts an empty log.
  void fold();

 private:
  std::string log_path() const { return dir_ + "/items.log"; }
  std::string snapshot_path() const { return dir_ + "/items.snapshot"; }
  std::string header() const;
  // Reads the snapshot and the log back, cuts a torn record off the log, and opens it to append.
  void recover();
  // Reads one file's records into records_; returns the byte offset after the last whole record.
  size_t replay(const std::string& path, bool may_be_torn);
  // The log's first damaged record is at `offset` and `intact_after` records after it check out:
  // refuses to go on, or with `salvage` copies the log aside.
  bool record_checks_out(const char* record) const;
  void damaged_log(const std::string& bytes, size_t offset, int64_t intact_after);
  void open_log_for_append();

  std::string dir_;
  int64_t base_, bits_, label_columns_;
  ItemLogOptions options_;
  size_t code_bytes_, label_bytes_, record_bytes_;
  std::string records_;  // every item's record, in id order: the next snapshot
  int64_t count_ = 0, logged_since_fold_ = 0, dropped_bytes_ = 0, salvage_lost_ = 0;
  std::string salvaged_copy_;
  int log_fd_ = -1, lock_fd_ = -1;
  bool broken_ = false;  // a failed batch could not be cut off the log
};

}  // namespace hashrl
