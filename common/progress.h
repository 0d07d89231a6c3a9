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
  // `unit` names what is counted ("step", "img"). Writes to `out` (stderr by default). `first` is
  // how many were done before this display began (a resumed run): they count towards done/total,
  // not towards the rate, which would otherwise start inflated and the ETA too short.
  Progress(std::string label, int64_t total, std::string unit = "it", std::FILE* out = stderr, int64_t first = 0);
  ~Progress();

  // Reports that `done` of `total` are finished; `note` is shown after the rate.
  void update(int64_t done, const std::string& note = "");
  // Draws the last reported state and ends the line. Called by the destructor if not called
  // before, so work that ends by an exception (an interrupted training) shows how far it got.
  void finish(const std::string& note = "");

  double elapsed_seconds() const;

 private:
  void draw(int64_t done, const std::string& note, bool final);

  std::string label_, unit_;
  int64_t total_, first_;
  std::FILE* out_;
  bool interactive_;
  bool finished_ = false;
  int64_t last_done_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// The line a Progress draws: `done` of `total` after `elapsed` seconds, `first` of them done before
// (see Progress); `final` leaves the ETA out.
std::string progress_line(const std::string& label, const std::string& unit, int64_t first, int64_t done,
                          int64_t total, double elapsed, bool final, const std::string& note);

}  // namespace hashrl
