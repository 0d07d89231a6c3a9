#include "hashrl/retrieval/report.h"

#include <fmt/format.h>

namespace hashrl {

nlohmann::json to_json(const RetrievalMetrics& m) {
  nlohmann::json j;
  j["num_queries"] = m.num_queries;
  j["num_database"] = m.num_database;
  j["code_length"] = m.code_length;
  j["evaluated_queries"] = m.evaluated_queries;
  j["queries_without_relevant"] = m.queries_without_relevant;
  j["note"] = "queries without any relevant database item are left out of every mean";
  j["map"] = m.map;
  j["map_tie_aware"] = m.map_tie_aware;
  j["tie_order"] = "distance, then database index";
  // The figure to quote: one the database's order cannot move. "map" (ties by database index) is
  // kept for comparison with papers that rank that way.
  j["headline"] = "map_tie_aware";
  if (m.topk > 0) {
    j["topk"] = m.topk;
    j["map_at_k"] = m.map_at_k;
  }
  for (const auto& [k, p] : m.precision_at_k) j["precision_at_k"][std::to_string(k)] = p;
  for (const auto& [k, p] : m.precision_at_k_tie_aware) j["precision_at_k_tie_aware"][std::to_string(k)] = p;
  j["radius"] = m.radius;
  j["precision_within_radius"] = m.precision_within_radius;
  j["recall_within_radius"] = m.recall_within_radius;
  j["queries_empty_within_radius"] = m.queries_empty_within_radius;
  for (const auto& point : m.pr_curve)
    j["pr_curve"].push_back({{"radius", point.radius}, {"precision", point.precision}, {"recall", point.recall}});
  return j;
}

std::string to_text(const RetrievalMetrics& m) {
  std::string out = fmt::format("{} queries x {} database items, {} bits\n", m.num_queries, m.num_database,
                                m.code_length);
  if (m.queries_without_relevant > 0)
    out += fmt::format("  {} queries have no relevant item and are left out of the means\n",
                       m.queries_without_relevant);
  out += fmt::format("  MAP, tie-aware           {:.4f}  (the headline: the database's order cannot move it)\n",
                     m.map_tie_aware);
  out += fmt::format("  MAP                      {:.4f}  (ties by database index, as many papers rank)\n", m.map);
  if (m.topk > 0) out += fmt::format("  MAP@{:<20} {:.4f}\n", m.topk, m.map_at_k);
  out += fmt::format("  precision, radius {}      {:.4f}  ({} queries found nothing within it)\n", m.radius,
                     m.precision_within_radius, m.queries_empty_within_radius);
  for (size_t i = 0; i < m.precision_at_k.size(); ++i)
    out += fmt::format("  precision@{:<14} {:.4f}  (tie-aware {:.4f})\n", m.precision_at_k[i].first,
                       m.precision_at_k[i].second, m.precision_at_k_tie_aware[i].second);
  return out;
}

}  // namespace hashrl
