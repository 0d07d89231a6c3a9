#include "hashrl/serve/item_database.h"

#include <sys/stat.h>
#include <torch/torch.h>

#include <filesystem>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/retrieval/index_file.h"

namespace hashrl {
namespace {

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

ItemDatabase::ItemDatabase(const torch::Tensor& codes, const torch::Tensor& labels, DatabaseOptions options) {
  torch::Tensor base_labels;
  if (options.loaded_index || is_file(options.index)) {
    auto file = options.loaded_index ? std::move(*options.loaded_index) : load_index_file(options.index);
    index_ = std::move(file.index);
    base_labels = file.labels;
    if (index_->bits() != codes.size(1) || base_labels.size(1) != labels.size(1))
      fail("index file '{}' holds {}-bit codes with {} labels; the run has {}-bit codes with {}", options.index,
           index_->bits(), base_labels.size(1), codes.size(1), labels.size(1));
  } else {
    if (std::filesystem::is_directory(options.index))
      fail("--index '{}' is a folder: give an index file that `hashrl index build` wrote, or a description such as "
           "flat or BHNSW32",
           options.index);
    if (options.index.find('/') != std::string::npos || options.index.find(".hidx") != std::string::npos)
      fail_file("index file '{}' does not exist (`hashrl index build` writes one)", options.index);
    index_ = make_binary_index(options.index, codes.size(1));
    index_->add(codes);
    base_labels = labels;
  }
  base_size_ = index_->size();
  bits_ = index_->bits();
  label_columns_ = base_labels.size(1);
  const auto flat_labels = base_labels.to(torch::kUInt8).contiguous();
  labels_.assign(flat_labels.data_ptr<uint8_t>(), flat_labels.data_ptr<uint8_t>() + flat_labels.numel());
  if (!options.items_dir.empty()) {
    log_ = std::make_unique<ItemLog>(options.items_dir, base_size_, bits_, label_columns_, options.log);
    recovered_ = log_->count();
    if (recovered_ > 0) index_items(log_->codes(), log_->labels());
  }
}

ItemDatabase::~ItemDatabase() = default;

int64_t ItemDatabase::size() const {
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  return index_->size();
}

std::vector<Match> ItemDatabase::search(const torch::Tensor& code, int64_t k) const {
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  std::vector<Match> out;
  for (const auto& hit : index_->search(code, k)) {
    Match match{hit.id, hit.distance, {}};
    const uint8_t* row = labels_.data() + hit.id * label_columns_;
    for (int64_t l = 0; l < label_columns_; ++l)
      if (row[l]) match.labels.push_back(l);
    out.push_back(std::move(match));
  }
  return out;
}

std::optional<StoredItem> ItemDatabase::item(int64_t id) const {
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  if (id < 0 || id >= index_->size()) return std::nullopt;
  StoredItem item{index_->code(id), {}, id >= base_size_};
  const uint8_t* row = labels_.data() + id * label_columns_;
  for (int64_t l = 0; l < label_columns_; ++l)
    if (row[l]) item.labels.push_back(l);
  return item;
}

std::vector<int64_t> ItemDatabase::add(const torch::Tensor& codes, const torch::Tensor& labels) {
  if (!log_) fail("this database is read-only: it was opened without an items folder");
  std::lock_guard<std::mutex> one_at_a_time(add_mutex_);
  const int64_t first = base_size_ + log_->count();
  log_->append(codes, labels);  // checks the shapes; durable from here on
  {
    std::unique_lock<std::shared_mutex> lock(index_mutex_);
    index_items(codes, labels);
  }
  std::vector<int64_t> ids(static_cast<size_t>(codes.size(0)));
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = first + static_cast<int64_t>(i);
  return ids;
}

void ItemDatabase::index_items(const torch::Tensor& codes, const torch::Tensor& labels) {
  index_->add(codes);
  const auto flat = labels.to(torch::kUInt8).contiguous();
  labels_.insert(labels_.end(), flat.data_ptr<uint8_t>(), flat.data_ptr<uint8_t>() + flat.numel());
}

}  // namespace hashrl
