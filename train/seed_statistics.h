#pragma once
// Statistics over a handful of seeds that researchers can trust (Agarwal et al., "Deep RL at the
// Edge of the Statistical Precipice", NeurIPS 2021, and their rliable library): the interquartile
// mean, which neither the mean's outliers nor the median's coarseness move much; percentile
// bootstrap confidence intervals over the seeds; and the probability that one method's run beats
// another's. `hashrl experiment` reports them beside mean ± std.
#include <cstdint>
#include <functional>
#include <vector>

namespace hashrl {

// The mean of the middle half: the lowest and highest floor(n / 4) values trimmed (as
// scipy.stats.trim_mean(x, 0.25), which rliable uses). Throws on no values.
double interquartile_mean(std::vector<double> values);

// P(X > Y) for a run X of `x` and a run Y of `y` drawn at random, ties counted half: the
// Mann-Whitney U statistic over n m.
double probability_of_improvement(const std::vector<double>& x, const std::vector<double>& y);

struct Interval {
  double low = 0, high = 0;
};

// The 95% percentile bootstrap interval of `statistic` over `resamples` resamplings, each of
// `samples`' groups resampled with replacement within itself (stratified: a method's seeds, and
// for a comparison the baseline's apart), from a fixed seed so that a table is reproducible.
Interval bootstrap_interval(const std::vector<std::vector<double>>& samples,
                            const std::function<double(const std::vector<std::vector<double>>&)>& statistic,
                            int64_t resamples = 2000, uint64_t seed = 0);

}  // namespace hashrl
