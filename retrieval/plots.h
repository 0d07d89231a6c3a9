#pragma once
// Figures like the paper's 3-5, drawn by gnuplot (Debian's gnuplot-nox) as PNG or SVG: the
// precision-recall curve over Hamming radii, precision@k, and precision within radius 2 against
// code length. Each figure's data is also written as a .dat text file beside it, to plot elsewhere.
#include <string>
#include <utility>
#include <vector>

#include "hashrl/common/choices.h"
#include "hashrl/retrieval/ranking_metrics.h"

namespace hashrl {

enum class PlotFormat { kPng, kSvg };
// The spellings are the images' file extensions.
inline const Choices<PlotFormat> kPlotFormats = {{"png", PlotFormat::kPng}, {"svg", PlotFormat::kSvg}};

struct PlotOptions {
  PlotFormat format = PlotFormat::kPng;
  std::string title;
};

// Writes pr_curve.{dat,<format>} and precision_at_k.{dat,<format>} to `dir`. Returns the image
// paths written; throws when gnuplot is missing or fails (the .dat files are written first).
std::vector<std::string> plot_metrics(const RetrievalMetrics& metrics, const std::string& dir,
                                      const PlotOptions& options = {});

// One curve per method of (x, a metric) points: writes `path_stem`.dat and `path_stem`.<format>;
// returns the image.
std::string plot_curves(const std::vector<std::pair<std::string, std::vector<std::pair<int64_t, double>>>>& methods,
                        const std::string& x_label, const std::string& metric, const std::string& path_stem,
                        const PlotOptions& options = {});

// A point of a curve over several seeds: where it is, the seeds' mean, and the band drawn around
// the mean (their lowest and highest, say).
struct BandPoint {
  double x = 0, mean = 0, low = 0, high = 0;
};
using BandCurve = std::pair<std::string, std::vector<BandPoint>>;

// plot_curves with each curve's band shaded: writes `path_stem`.dat (x, mean, low, high per line)
// and `path_stem`.<format>; returns the image.
std::string plot_bands(const std::vector<BandCurve>& methods, const std::string& x_label, const std::string& metric,
                       const std::string& path_stem, const PlotOptions& options = {});

// One curve per method: (code length, a metric) — the paper's Figure 3 with metric = "precision
// within Hamming radius 2". Writes `path_stem`.dat and `path_stem`.<format>; returns the image.
std::string plot_metric_vs_code_length(
    const std::vector<std::pair<std::string, std::vector<std::pair<int64_t, double>>>>& methods,
    const std::string& metric, const std::string& path_stem, const PlotOptions& options = {});

}  // namespace hashrl
