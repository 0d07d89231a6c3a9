#pragma once
// A progress display for long work (training, encoding a database, experiments).
// On a terminal it redraws one line in place (done/total, rate, ETA, a note such as the recent
// reward); when the output is a file or a pipe it prints a plain line now and then instead, so
// logs stay readable.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace hashrl {

class Progress {
 public:
  // `unit` names what is counted ("step", "img"). Writes to `out` (stderr by default).
  Progress(std::string label, int64_t total, std::string unit = "it", std::FILE* out = stderr);
  ~Progress();

  // Reports that `done` of `total` are finished; `note` is shown after the rate.
  void update(int64_t done, const std::string& note = "");
  // Draws the final state and ends the line. Called by the destructor if not called before.
  void finish(const std::string& note = "");

  double elapsed_seconds() const;

 private:
  void draw(int64_t done, const std::string& note, bool final);

  std::string label_, unit_;
  int64_t total_;
  std::FILE* out_;
  bool interactive_;
  bool finished_ = false;
  int64_t last_done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace hashrl
