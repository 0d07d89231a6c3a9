#pragma once
// The optimiser and its learning-rate schedule, from the [optim] section (keys: optimizer_keys()
// and each kind's own, docs/config.md). The defaults are the CPU configs' optimiser, Adam at lr
// 1e-4, which trains a fresh policy where the paper's SGD at 1e-3 barely moves it in a CPU budget
// (docs/results.md); the paper's settings (SGD, lr 1e-3, x0.1 every 10,000 steps, weight decay
// 5e-4) are configs/drlih.ini's.
#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"

namespace hashrl {

struct OptimizerSettings {
  static OptimizerSettings from_config(const ConfigSection& section);
  /// Throws naming the setting when a value is not allowed (code-built settings too).
  void validate() const;

  /// A name in optimizer_registry(): adam, sgd (the paper's), or a registered one.
  std::string kind = "adam";
  /// The learning rate before the schedule.
  double lr = 1e-4;
  /// SGD's momentum, 0 to 1 (the authors' code uses 0.9); read from a config only for sgd.
  double momentum = 0.0;
  /// L2 penalty.
  double weight_decay = 5e-4;
  /// The schedule multiplies lr by lr_gamma every lr_step steps (0: never).
  double lr_gamma = 0.1;
  int64_t lr_step = 10000;
  /// Clip the global gradient norm to this (0: off).
  double clip_grad_norm = 0.0;
  /// The env's parameters (a trainable encoder's) learn at lr x this, scheduled alike.
  double encoder_lr_scale = 1.0;

  // The learning rate after `step` optimiser steps.
  double lr_at(int64_t step) const;
};

// The [optim] keys every optimiser shares; each kind's own are in the registry.
const KeyTable& optimizer_keys();

// Optimisers by name, built from their parameter groups (the agent's, then the encoder's when
// there are any) and the settings. Built in: sgd and adam (torch::optim).
using OptimizerRegistry = Registry<std::unique_ptr<torch::optim::Optimizer>,
                                   const std::vector<torch::optim::OptimizerParamGroup>&, const OptimizerSettings&>;
OptimizerRegistry& optimizer_registry();

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
