#pragma once
// The optimiser and its learning-rate schedule, from the [optim] section. The paper's settings
// are the defaults: SGD, lr 1e-3, x0.1 every 10,000 steps, weight decay 5e-4.
//   kind         = sgd      sgd | adam
//   lr           = 0.001
//   momentum     = 0        sgd only (the authors' code uses 0.9)
//   weight_decay = 0.0005
//   lr_step      = 10000    the schedule multiplies lr by lr_gamma every lr_step steps (0: never)
//   lr_gamma     = 0.1
//   clip_grad_norm = 0      clip the global gradient norm to this (0: off)
//   encoder_lr_scale = 1    the env's parameters (a trainable encoder's) learn at lr x this
#include <torch/optim/optimizer.h>

#include <memory>

#include "hashrl/common/choices.h"
#include "hashrl/common/config.h"

namespace hashrl {

/// Which torch::optim optimiser.
enum class OptimizerKind { kSgd, kAdam };
inline const Choices<OptimizerKind> kOptimizerKinds = {{"sgd", OptimizerKind::kSgd}, {"adam", OptimizerKind::kAdam}};

struct OptimizerSettings {
  static OptimizerSettings from_config(const ConfigSection& section);

  OptimizerKind kind = OptimizerKind::kSgd;
  double lr = 1e-3, momentum = 0.0, weight_decay = 5e-4, lr_gamma = 0.1, clip_grad_norm = 0.0;
  double encoder_lr_scale = 1.0;
  int64_t lr_step = 10000;

  // The learning rate after `step` optimiser steps.
  double lr_at(int64_t step) const;
};

// What a trainer optimises, by the learning rate each part takes.
struct TrainableParameters {
  std::vector<torch::Tensor> agent;    // the agent's and the learner's own: lr
  std::vector<torch::Tensor> encoder;  // the env's (a trainable encoder's): lr x encoder_lr_scale

  std::vector<torch::Tensor> all() const;
};

// One parameter group for the agent's parameters and, when there are any, one for the encoder's.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const OptimizerSettings& settings,
                                                        const TrainableParameters& parameters);

// Sets each group's learning rate to the schedule's value after `step` steps (and its scale).
void set_learning_rate(torch::optim::Optimizer& optimizer, const OptimizerSettings& settings, int64_t step);

}  // namespace hashrl
