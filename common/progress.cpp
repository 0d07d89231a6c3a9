#include "hashrl/common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

namespace hashrl {
namespace {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const auto s = static_cast<int64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

Progress::Progress(std::string label, int64_t total, std::string unit, std::FILE* out, int64_t first)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      first_(first),
      out_(out),
      // HASHRL_PROGRESS=plain forces plain lines, e.g. under a terminal recorder.
      interactive_(isatty(fileno(out)) && !std::getenv("HASHRL_PROGRESS")),
      last_done_(first),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_) finish();
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(int64_t done, const std::string& note) {
  last_done_ = done;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  // A terminal redraws up to 10 times a second; a log gets a line every 10 s.
  if (since < (interactive_ ? 0.1 : 10.0)) return;
  last_draw_ = now;
  draw(done, note, false);
}

void Progress::finish(const std::string& note) {
  if (finished_) return;
  finished_ = true;
  draw(last_done_, note, true);
}

std::string progress_line(const std::string& label, const std::string& unit, int64_t first, int64_t done,
                          int64_t total, double elapsed, bool final, const std::string& note) {
  const double rate = elapsed > 0 ? (done - first) / elapsed : 0.0;
  const double eta = rate > 0 && total > done ? (total - done) / rate : 0.0;
  std::string line = fmt::format("{} {}/{} {}", label, done, total, unit);
  if (total > 0) line += fmt::format(" ({:3.0f}%)", 100.0 * done / total);
  line += fmt::format(" | {:.1f} {}/s | {} elapsed", rate, unit, format_duration(elapsed));
  if (!final) line += fmt::format(", ETA {}", format_duration(eta));
  if (!note.empty()) line += " | " + note;
  return line;
}

void Progress::draw(int64_t done, const std::string& note, bool final) {
  const std::string line = progress_line(label_, unit_, first_, done, total_, elapsed_seconds(), final, note);
  if (interactive_)
    fmt::print(out_, "\r\033[K{}{}", line, final ? "\n" : "");
  else
    fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

}  // namespace hashrl
