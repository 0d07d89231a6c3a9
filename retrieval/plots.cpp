#include "hashrl/retrieval/plots.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"

namespace hashrl {
namespace {

// noenhanced: enhanced text reads '@' and '_' as markup, which turned "Precision@k" into
// "Precisionk" and would set a method named drlih_cpu as a subscript.
std::string terminal(const PlotOptions& o) {
  switch (o.format) {
    case PlotFormat::kPng:
      return "pngcairo size 800,600 noenhanced";
    case PlotFormat::kSvg:
      return "svg size 800,600 noenhanced";
  }
  fail("plot format {} is not one of png, svg", static_cast<int>(o.format));
}

// Runs gnuplot on `script`; the script is kept beside the image so a user can restyle it.
void run_gnuplot(const std::string& script_path, const std::string& script) {
  write_file_atomic(script_path, script);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    fail("gnuplot is not installed (apt-get install gnuplot-nox); the data is in the .dat files");
  const std::string command = fmt::format("gnuplot '{}' 2>&1", script_path);
  if (std::system(command.c_str()) != 0) fail("gnuplot failed on '{}'", script_path);
}

std::string header(const PlotOptions& o, const std::string& image, const std::string& title,
                   const std::string& xlabel, const std::string& ylabel) {
  const std::string term = terminal(o);
  return fmt::format(
      "set terminal {}\nset output '{}'\nset title '{}'\nset xlabel '{}'\nset ylabel '{}'\n"
      "set grid\nset key bottom left\nset yrange [0:1]\n",
      term, image, title, xlabel, ylabel);
}

}  // namespace

std::vector<std::string> plot_metrics(const RetrievalMetrics& m, const std::string& dir, const PlotOptions& o) {
  std::filesystem::create_directories(dir);
  const std::string title = o.title.empty() ? fmt::format("{} bits", m.code_length) : o.title;
  std::string pr = "# radius precision recall\n";
  for (const auto& p : m.pr_curve) pr += fmt::format("{} {} {}\n", p.radius, p.precision, p.recall);
  std::string pk = "# k precision precision_tie_aware\n";
  for (size_t i = 0; i < m.precision_at_k.size(); ++i)
    pk += fmt::format("{} {} {}\n", m.precision_at_k[i].first, m.precision_at_k[i].second,
                      m.precision_at_k_tie_aware[i].second);
  write_file_atomic(dir + "/pr_curve.dat", pr);
  write_file_atomic(dir + "/precision_at_k.dat", pk);

  const auto extension = choice_name(o.format, kPlotFormats);
  const std::string pr_image = dir + "/pr_curve." + extension, pk_image = dir + "/precision_at_k." + extension;
  run_gnuplot(dir + "/pr_curve.gp",
              header(o, pr_image, "Precision-recall over Hamming radii, " + title, "recall", "precision") +
                  "set xrange [0:1]\nplot '" + dir + "/pr_curve.dat' using 3:2 with linespoints title 'hashrl'\n");
  run_gnuplot(dir + "/precision_at_k.gp",
              header(o, pk_image, "Precision@k, " + title, "k (top retrieved)", "precision") +
                  "plot '" + dir + "/precision_at_k.dat' using 1:3 with linespoints title 'tie-aware', '" + dir +
                  "/precision_at_k.dat' using 1:2 with linespoints title 'ties by database index'\n");
  return {pr_image, pk_image};
}

namespace {

// Writes a figure of curves: its data as `stem`.dat, its gnuplot script (`plot`, the plot command
// over that data) as `stem`.gp, and the image; returns the image.
std::string write_curves_plot(const std::string& data, const std::string& plot, const std::string& x_label,
                              const std::string& metric, const std::string& stem, const PlotOptions& o) {
  write_file_atomic(stem + ".dat", data);
  const std::string image = stem + "." + choice_name(o.format, kPlotFormats);
  // The legend outside, at the right: one method's curve may run anywhere in the plot.
  run_gnuplot(stem + ".gp", header(o, image, o.title.empty() ? metric : o.title, x_label, metric) +
                                "set key outside right top\n" + plot + "\n");
  return image;
}

}  // namespace

std::string plot_curves(const std::vector<std::pair<std::string, std::vector<std::pair<int64_t, double>>>>& methods,
                        const std::string& x_label, const std::string& metric, const std::string& stem,
                        const PlotOptions& o) {
  std::string data, plot;
  for (size_t i = 0; i < methods.size(); ++i) {
    data += "# " + methods[i].first + "\n";
    for (const auto& [bits, p] : methods[i].second) data += fmt::format("{} {}\n", bits, p);
    data += "\n\n";
    plot += fmt::format("{}'{}.dat' index {} using 1:2 with linespoints title '{}'", i ? ", " : "plot ", stem, i,
                        methods[i].first);
  }
  return write_curves_plot(data, plot, x_label, metric, stem, o);
}

std::string plot_bands(const std::vector<BandCurve>& methods, const std::string& x_label, const std::string& metric,
                       const std::string& stem, const PlotOptions& o) {
  std::string data, plot;
  for (size_t i = 0; i < methods.size(); ++i) {
    data += "# " + methods[i].first + ": x mean low high\n";
    for (const auto& p : methods[i].second) data += fmt::format("{} {} {} {}\n", p.x, p.mean, p.low, p.high);
    data += "\n\n";
    // The band first, so that the lines are drawn over every band.
    plot += fmt::format("{}'{}.dat' index {} using 1:3:4 with filledcurves fs transparent solid 0.2 lc {} notitle",
                        i ? ", " : "plot ", stem, i, i + 1);
  }
  for (size_t i = 0; i < methods.size(); ++i)
    plot += fmt::format(", '{}.dat' index {} using 1:2 with linespoints lc {} title '{}'", stem, i, i + 1,
                        methods[i].first);
  return write_curves_plot(data, plot, x_label, metric, stem, o);
}

std::string plot_metric_vs_code_length(
    const std::vector<std::pair<std::string, std::vector<std::pair<int64_t, double>>>>& methods,
    const std::string& metric, const std::string& stem, const PlotOptions& o) {
  return plot_curves(methods, "code length (bits)", metric, stem, o);
}

}  // namespace hashrl
