#pragma once
// metrics.jsonl: one JSON object per logged training step, appended and flushed as it goes, so
// a crashed run keeps its history and `tail -f` shows it live.
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace hashrl {

class MetricsLog {
 public:
  // `append` keeps what an earlier run (one being resumed) wrote.
  MetricsLog(const std::string& path, bool append);
  void write(const nlohmann::json& record);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace hashrl
