#include "hashrl/train/stop_on_signal.h"

namespace hashrl {

namespace {

Trainer* g_training = nullptr;

extern "C" void stop_training(int signal) {
  std::signal(signal, SIG_DFL);
  if (g_training) g_training->request_stop();
}

}  // namespace

StopOnSignal::StopOnSignal(Trainer& trainer) {
  g_training = &trainer;
  previous_int_ = std::signal(SIGINT, stop_training);
  previous_term_ = std::signal(SIGTERM, stop_training);
}

StopOnSignal::~StopOnSignal() {
  std::signal(SIGINT, previous_int_ == SIG_ERR ? SIG_DFL : previous_int_);
  std::signal(SIGTERM, previous_term_ == SIG_ERR ? SIG_DFL : previous_term_);
  g_training = nullptr;
}

}  // namespace hashrl
