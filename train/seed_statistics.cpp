#include "hashrl/train/seed_statistics.h"

#include <algorithm>
#include <random>

#include "hashrl/common/error.h"

namespace hashrl {

double interquartile_mean(std::vector<double> values) {
  if (values.empty()) fail("interquartile_mean of no values");
  std::sort(values.begin(), values.end());
  const size_t cut = values.size() / 4;
  double sum = 0;
  for (size_t i = cut; i < values.size() - cut; ++i) sum += values[i];
  return sum / static_cast<double>(values.size() - 2 * cut);
}

double probability_of_improvement(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) fail("probability_of_improvement needs runs on both sides");
  double wins = 0;
  for (const double a : x)
    for (const double b : y) wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
  return wins / static_cast<double>(x.size() * y.size());
}

Interval bootstrap_interval(const std::vector<std::vector<double>>& samples,
                            const std::function<double(const std::vector<std::vector<double>>&)>& statistic,
                            int64_t resamples, uint64_t seed) {
  if (resamples < 1) fail("bootstrap_interval needs at least one resample, got {}", resamples);
  std::mt19937_64 rng(seed);
  std::vector<double> stats;
  std::vector<std::vector<double>> drawn(samples.size());
  for (int64_t r = 0; r < resamples; ++r) {
    for (size_t g = 0; g < samples.size(); ++g) {
      if (samples[g].empty()) fail("bootstrap_interval: group {} has no values", g);
      std::uniform_int_distribution<size_t> pick(0, samples[g].size() - 1);
      drawn[g].resize(samples[g].size());
      for (auto& v : drawn[g]) v = samples[g][pick(rng)];
    }
    stats.push_back(statistic(drawn));
  }
  std::sort(stats.begin(), stats.end());
  const auto at = [&](double q) {
    return stats[static_cast<size_t>(std::clamp(q * static_cast<double>(stats.size() - 1), 0.0,
                                                static_cast<double>(stats.size() - 1)))];
  };
  return {at(0.025), at(0.975)};
}

}  // namespace hashrl
