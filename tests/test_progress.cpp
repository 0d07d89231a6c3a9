// The progress display: the rate and ETA of a resumed run count only the work since it resumed,
// and work that stops early (an interrupted training) ends on how far it got, not on 100%.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "hashrl/common/progress.h"

using namespace hashrl;

namespace {

// What a Progress wrote to a file (a non-terminal: plain lines).
template <typename Use>
std::string drawn(Use&& use) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  use(file);
  std::string text(static_cast<size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  text.resize(std::fread(text.data(), 1, text.size(), file));
  std::fclose(file);
  return text;
}

}  // namespace

TEST_CASE("a progress line's rate and ETA count the work since the display began") {
  // 1,000 steps of 3,000 were done before a resume; 1,000 more in 100 s: 10 steps/s, 100 s left.
  const auto resumed = progress_line("train", "step", 1000, 2000, 3000, 100.0, false, "reward 0.5");
  CHECK(resumed == "train 2000/3000 step ( 67%) | 10.0 step/s | 1:40 elapsed, ETA 1:40 | reward 0.5");
  // Counting the resumed steps would read 20 steps/s and 50 s left.
  CHECK(progress_line("train", "step", 0, 2000, 3000, 100.0, false, "") ==
        "train 2000/3000 step ( 67%) | 20.0 step/s | 1:40 elapsed, ETA 0:50");
  CHECK(progress_line("encode", "img", 0, 3000, 3000, 100.0, true, "") ==
        "encode 3000/3000 img (100%) | 30.0 img/s | 1:40 elapsed");
}

TEST_CASE("a progress display ends on the last count reported, which starts at the resumed count") {
  const auto stopped = drawn([](std::FILE* out) {
    Progress progress("train", 3000, "step", out, 1000);
    progress.update(1200);
  });  // destroyed without finish(), as when an exception leaves the training loop
  CHECK(stopped.find("train 1200/3000 step") != std::string::npos);
  CHECK(stopped.find("3000/3000") == std::string::npos);

  const auto untouched = drawn([](std::FILE* out) { Progress("train", 3000, "step", out, 3000).finish(); });
  CHECK(untouched.find("train 3000/3000 step (100%) | 0.0 step/s") != std::string::npos);
}
