#include "hashrl/train/metrics_log.h"

#include <filesystem>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/files.h"

namespace hashrl {
namespace {

// The lines of `path` whose record's step is at most `last_step`, in order.
std::string records_through(const std::string& path, int64_t last_step) {
  std::istringstream in(read_file(path));
  std::string kept, line;
  while (std::getline(in, line)) {
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool whole = record.is_object() && record.contains("step") && record["step"].is_number_integer();
    if (whole && record["step"].get<int64_t>() <= last_step) kept += line + '\n';
  }
  return kept;
}

}  // namespace

MetricsLog::MetricsLog(const std::string& path, int64_t kept_through_step) : path_(path) {
  const bool resuming = kept_through_step > 0 && std::filesystem::exists(path);
  if (resuming) write_file_atomic(path, records_through(path, kept_through_step));
  out_.open(path, resuming ? std::ios::app : std::ios::trunc);
  if (!out_) fail_file("cannot write '{}'", path);
}

void MetricsLog::write(const nlohmann::json& record) {
  out_ << record.dump() << '\n';
  out_.flush();
  if (!out_) fail_file("cannot write '{}'", path_);
}

}  // namespace hashrl
