#pragma once
// Ctrl-C or a TERM from a scheduler while a Trainer trains: it checkpoints after the step in
// progress and stops (train() throws "interrupted at step N"), so that nothing is lost. A second
// signal takes the default action at once. Used by `hashrl train` and by hashrl.train in Python,
// whose own SIGINT handler is put back afterwards.
#include <csignal>

#include "hashrl/train/trainer.h"

namespace hashrl {

// Routes SIGINT and SIGTERM to `trainer` for its lifetime, and only then.
class StopOnSignal {
 public:
  explicit StopOnSignal(Trainer& trainer);
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  using Handler = void (*)(int);
  Handler previous_int_, previous_term_;
};

}  // namespace hashrl
