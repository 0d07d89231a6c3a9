#pragma once
// Retrieval metrics as JSON (for --json, report.json and scripts) and as text (for people).
#include <nlohmann/json.hpp>

#include <string>

#include "hashrl/retrieval/ranking_metrics.h"

namespace hashrl {

nlohmann::json to_json(const RetrievalMetrics& metrics);
std::string to_text(const RetrievalMetrics& metrics);

}  // namespace hashrl
