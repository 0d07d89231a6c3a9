#include "hashrl/serve/item_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/files.h"

namespace hashrl {
namespace {

constexpr char kMagic[8] = {'H', 'A', 'S', 'H', 'R', 'L', 'I', 'L'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = sizeof(kMagic) + sizeof(uint32_t) + 3 * sizeof(int64_t);
constexpr size_t kIdBytes = sizeof(int64_t), kCrcBytes = sizeof(uint32_t);

size_t packed_bytes(int64_t bits) { return static_cast<size_t>((bits + 7) / 8); }

// Row i of a 0/1 uint8 matrix, packed into `out` (bit j in byte j / 8 at position j % 8).
void pack_row(const uint8_t* row, int64_t bits, char* out) {
  std::memset(out, 0, packed_bytes(bits));
  for (int64_t j = 0; j < bits; ++j)
    if (row[j]) out[j / 8] = static_cast<char>(out[j / 8] | (1 << (j % 8)));
}

void unpack_row(const char* packed, int64_t bits, uint8_t* row) {
  for (int64_t j = 0; j < bits; ++j) row[j] = static_cast<uint8_t>((packed[j / 8] >> (j % 8)) & 1);
}

int64_t int64_at(const std::string& bytes, size_t offset) {
  int64_t value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}

}  // namespace

ItemLog::ItemLog(std::string dir, int64_t base, int64_t bits, int64_t label_columns, ItemLogOptions options)
    : dir_(std::move(dir)),
      base_(base),
      bits_(bits),
      label_columns_(label_columns),
      options_(options),
      code_bytes_(packed_bytes(bits)),
      label_bytes_(packed_bytes(label_columns)),
      record_bytes_(kIdBytes + code_bytes_ + label_bytes_ + kCrcBytes) {
  if (options_.fold_every < 1) fail("items are folded every {} items: give 1 or more", options_.fold_every);
  if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST)
    fail_file("cannot create the items folder '{}': {}", dir_, std::strerror(errno));
  const std::string lock = dir_ + "/lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) fail_file("cannot open '{}': {}", lock, std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    fail("the items folder '{}' is in use: another server holds '{}'; give each server its own items folder", dir_,
         lock);
  }
  try {
    recover();
  } catch (...) {
    ::close(lock_fd_);  // the destructor does not run for a constructor that throws
    throw;
  }
}

void ItemLog::recover() {
  struct stat st {};
  if (::stat(snapshot_path().c_str(), &st) == 0) replay(snapshot_path(), /*may_be_torn=*/false);
  if (::stat(log_path().c_str(), &st) == 0) {
    const int64_t before = count_;
    const size_t whole = replay(log_path(), /*may_be_torn=*/true);
    logged_since_fold_ = count_ - before;
    dropped_bytes_ = static_cast<int64_t>(st.st_size) - static_cast<int64_t>(whole);
    if (dropped_bytes_ > 0 && ::truncate(log_path().c_str(), static_cast<off_t>(whole)) != 0)
      fail("cannot cut the torn record off '{}': {}", log_path(), std::strerror(errno));
  } else {
    write_file_atomic(log_path(), header());
  }
  open_log_for_append();
}

ItemLog::~ItemLog() {
  try {
    if (logged_since_fold_ > 0) fold();
  } catch (const std::exception&) {
    // The log still holds every item: the next open replays it.
  }
  if (log_fd_ >= 0) ::close(log_fd_);
  ::close(lock_fd_);  // releases the flock
}

std::string ItemLog::header() const {
  std::string out(kMagic, sizeof(kMagic));
  out.append(reinterpret_cast<const char*>(&kVersion), sizeof(kVersion));
  for (const int64_t value : {base_, bits_, label_columns_})
    out.append(reinterpret_cast<const char*>(&value), sizeof(value));
  return out;
}

size_t ItemLog::replay(const std::string& path, bool may_be_torn) {
  const std::string bytes = read_file(path);
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    fail("'{}' is not a hashrl items file", path);
  if (bytes.compare(0, kHeaderBytes, header()) != 0) {
    const size_t at = sizeof(kMagic) + sizeof(uint32_t);
    fail("'{}' holds items added to a database of {} items with {}-bit codes and {} labels; this one has {}, {} and "
         "{} (a new index or run needs its own items folder)",
         path, int64_at(bytes, at), int64_at(bytes, at + 8), int64_at(bytes, at + 16), base_, bits_, label_columns_);
  }
  size_t offset = kHeaderBytes;
  for (; offset + record_bytes_ <= bytes.size(); offset += record_bytes_) {
    const char* record = bytes.data() + offset;
    if (!record_checks_out(record)) {
      if (!may_be_torn) fail("'{}' is damaged at byte {}: its checksum does not match", path, offset);
      // A torn write leaves nothing whole after it; a record that checks out after the damage was
      // acknowledged after it (appends are synced in order), so the damage hit acknowledged items.
      int64_t intact_after = 0;
      for (size_t next = offset + record_bytes_; next + record_bytes_ <= bytes.size(); next += record_bytes_)
        if (record_checks_out(bytes.data() + next)) ++intact_after;
      if (intact_after > 0) damaged_log(bytes, offset, intact_after);
      return offset;  // the write a kill interrupted (or a salvage): nothing after it is kept
    }
    const int64_t id = int64_at(bytes, offset);
    if (id >= base_ && id < base_ + count_) continue;  // folded into the snapshot already
    if (id != base_ + count_) fail("'{}' holds item {} where item {} was due", path, id, base_ + count_);
    records_.append(record, record_bytes_);
    ++count_;
  }
  if (offset != bytes.size() && !may_be_torn)
    fail("'{}' ends inside a record: it was not written whole", path);
  return offset;
}

bool ItemLog::record_checks_out(const char* record) const {
  uint32_t crc;
  std::memcpy(&crc, record + record_bytes_ - kCrcBytes, kCrcBytes);
  return crc == crc32_of(record, record_bytes_ - kCrcBytes);
}

void ItemLog::damaged_log(const std::string& bytes, size_t offset, int64_t intact_after) {
  const int64_t before = static_cast<int64_t>((offset - kHeaderBytes) / record_bytes_);
  if (!options_.salvage)
    fail("'{}' is damaged at byte {} (record {} of the log), and {} record(s) after it check out: acknowledged "
         "items were damaged after they were written (a torn write leaves nothing whole after it). The log is left untouched; start "
         "with --salvage to copy it to '{}.damaged' and keep the {} records before the damage (the {} after it stay "
         "only in the copy)",
         log_path(), offset, before + 1, intact_after, log_path(), before, intact_after);
  std::string copy = log_path() + ".damaged";
  for (int n = 1; ::access(copy.c_str(), F_OK) == 0; ++n) copy = fmt::format("{}.damaged.{}", log_path(), n);
  write_file_atomic(copy, bytes);
  salvaged_copy_ = copy;
  salvage_lost_ = intact_after;
}

void ItemLog::open_log_for_append() {
  log_fd_ = ::open(log_path().c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (log_fd_ < 0) fail_file("cannot open '{}' to append: {}", log_path(), std::strerror(errno));
}

void ItemLog::append(const torch::Tensor& codes, const torch::Tensor& labels) {
  const auto c = codes.to(torch::kUInt8).contiguous(), l = labels.to(torch::kUInt8).contiguous();
  if (c.dim() != 2 || c.size(1) != bits_ || l.dim() != 2 || l.size(0) != c.size(0) || l.size(1) != label_columns_)
    fail("items logged with codes {} and labels {}; the log holds {}-bit codes and {} labels", c.sizes(), l.sizes(),
         bits_, label_columns_);
  const int64_t n = c.size(0);
  std::string batch(static_cast<size_t>(n) * record_bytes_, '\0');
  for (int64_t i = 0; i < n; ++i) {
    char* record = batch.data() + i * record_bytes_;
    const int64_t id = base_ + count_ + i;
    std::memcpy(record, &id, kIdBytes);
    pack_row(c.data_ptr<uint8_t>() + i * bits_, bits_, record + kIdBytes);
    pack_row(l.data_ptr<uint8_t>() + i * label_columns_, label_columns_, record + kIdBytes + code_bytes_);
    const uint32_t crc = crc32_of(record, record_bytes_ - kCrcBytes);
    std::memcpy(record + record_bytes_ - kCrcBytes, &crc, kCrcBytes);
  }
  if (broken_) fail("'{}' could not be restored after a failed write; restart the server to recover it", log_path());
  const off_t before = ::lseek(log_fd_, 0, SEEK_END);
  // A failed batch is cut off again, so that the next batch's records follow whole ones; if even
  // that fails, later ids could follow records of the failed batch, so the log takes no more.
  auto undo = [&](const char* what) {
    const int err = errno;
    broken_ = ::ftruncate(log_fd_, before) != 0;
    fail("cannot {} {} items to '{}': {}", what, n, log_path(), std::strerror(err));
  };
  size_t written = 0;
  while (written < batch.size()) {
    const ssize_t w = ::write(log_fd_, batch.data() + written, batch.size() - written);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) undo("append");
    written += static_cast<size_t>(w);
  }
  if (::fdatasync(log_fd_) != 0) undo("flush");
  records_ += batch;
  count_ += n;
  logged_since_fold_ += n;
  if (logged_since_fold_ >= options_.fold_every) fold();
}

void ItemLog::fold() {
  write_file_atomic(snapshot_path(), header() + records_);
  // The old log's items are all in the snapshot now; a crash before the next line leaves them in
  // both, and replay skips the copies.
  write_file_atomic(log_path(), header());
  ::close(log_fd_);
  log_fd_ = -1;
  open_log_for_append();
  logged_since_fold_ = 0;
}

torch::Tensor ItemLog::codes() const {
  auto out = torch::empty({count_, bits_}, torch::kUInt8);
  for (int64_t i = 0; i < count_; ++i)
    unpack_row(records_.data() + i * record_bytes_ + kIdBytes, bits_, out.data_ptr<uint8_t>() + i * bits_);
  return out;
}

torch::Tensor ItemLog::labels() const {
  auto out = torch::empty({count_, label_columns_}, torch::kUInt8);
  for (int64_t i = 0; i < count_; ++i)
    unpack_row(records_.data() + i * record_bytes_ + kIdBytes + code_bytes_, label_columns_,
               out.data_ptr<uint8_t>() + i * label_columns_);
  return out;
}

}  // namespace hashrl
