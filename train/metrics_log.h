#pragma once
// metrics.jsonl: one JSON object per logged training step, appended and flushed as it goes, so
// a crashed run keeps its history and `tail -f` shows it live.
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace hashrl {

class MetricsLog {
 public:
  // Opens the log of a run that stands at `kept_through_step`: records of later steps (written
  // after the checkpoint being resumed, so about to be trained again) and a line torn by a kill
  // are dropped; 0 starts an empty log.
  MetricsLog(const std::string& path, int64_t kept_through_step);
  void write(const nlohmann::json& record);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace hashrl
