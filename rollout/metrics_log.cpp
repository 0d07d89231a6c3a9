#include "hashrl/rollout/metrics_log.h"

#include "hashrl/common/error.h"

namespace hashrl {

MetricsLog::MetricsLog(const std::string& path, bool append)
    : path_(path), out_(path, append ? std::ios::app : std::ios::trunc) {
  if (!out_) fail("cannot write '{}'", path);
}

void MetricsLog::write(const nlohmann::json& record) {
  out_ << record.dump() << '\n';
  out_.flush();
  if (!out_) fail("cannot write '{}'", path_);
}

}  // namespace hashrl
