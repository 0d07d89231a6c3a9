#include "hashrl/train/optimizer.h"

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <cmath>

#include <fmt/ranges.h>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

const OptimizerSettings kDefaults;
KeyTable keys;
const auto kKind = keys.name_of("kind", kDefaults.kind, "an optimiser (below)", "the torch::optim optimiser");
const auto kLr = keys.real("lr", kDefaults.lr, 0, 1e308, "learning rate");
const auto kWeightDecay = keys.real("weight_decay", kDefaults.weight_decay, 0, 1e308, "L2 penalty");
const auto kLrStep = keys.integer("lr_step", kDefaults.lr_step, 0, INT64_MAX,
                                  "multiply lr by lr_gamma every lr_step steps (0: never)");
const auto kLrGamma = keys.real("lr_gamma", kDefaults.lr_gamma, 0, 1e308, "the schedule's factor");
const auto kClipGradNorm = keys.real("clip_grad_norm", kDefaults.clip_grad_norm, 0, 1e308,
                                     "clip the global gradient norm (0: off)");
const auto kEncoderLrScale = keys.real("encoder_lr_scale", kDefaults.encoder_lr_scale, 0, 1e308,
                                       "the env's parameters (a trainable encoder's) learn at lr x this; scheduled alike");

KeyTable sgd_keys;
const auto kMomentum = sgd_keys.real("momentum", kDefaults.momentum, 0, 1, "momentum (the authors' code: 0.9)");

}  // namespace

const KeyTable& optimizer_keys() { return keys; }

OptimizerRegistry& optimizer_registry() {
  static OptimizerRegistry registry = [] {
    OptimizerRegistry r("optimizer");
    r.add("sgd",
          [](const std::vector<torch::optim::OptimizerParamGroup>& groups, const OptimizerSettings& s)
              -> std::unique_ptr<torch::optim::Optimizer> {
            return std::make_unique<torch::optim::SGD>(
                groups, torch::optim::SGDOptions(s.lr).momentum(s.momentum).weight_decay(s.weight_decay));
          },
          "stochastic gradient descent (the paper's)", &sgd_keys);
    r.add("adam",
          [](const std::vector<torch::optim::OptimizerParamGroup>& groups, const OptimizerSettings& s)
              -> std::unique_ptr<torch::optim::Optimizer> {
            return std::make_unique<torch::optim::Adam>(groups,
                                                        torch::optim::AdamOptions(s.lr).weight_decay(s.weight_decay));
          },
          "Adam (drlih-cpu's choice, docs/results.md)");
    return r;
  }();
  return registry;
}

OptimizerSettings OptimizerSettings::from_config(const ConfigSection& s) {
  OptimizerSettings o;
  o.kind = optimizer_registry().name_in(kKind, s);
  o.lr = kLr(s);
  // momentum is read for the kinds that declare it (sgd, or a registered one that takes it): set
  // beside another optimiser it stays unread, and is reported as unused.
  const KeyTable* own = optimizer_registry().keys(o.kind);
  if (own && own->find(kMomentum.name())) o.momentum = kMomentum(s);
  o.weight_decay = kWeightDecay(s);
  o.lr_step = kLrStep(s);
  o.lr_gamma = kLrGamma(s);
  o.clip_grad_norm = kClipGradNorm(s);
  o.encoder_lr_scale = kEncoderLrScale(s);
  o.validate();
  return o;
}

void OptimizerSettings::validate() const {
  if (!optimizer_registry().contains(kind))
    fail("optimizer setting kind: unknown optimizer '{}'; known: {}", kind, fmt::join(optimizer_registry().names(), ", "));
  if (!(momentum >= 0 && momentum <= 1)) fail("optimizer setting momentum must be in [0, 1], got {}", momentum);
  if (lr_step < 0) fail("optimizer setting lr_step must be >= 0, got {}", lr_step);
  for (const auto& [name, value] : {std::pair{"lr", lr}, std::pair{"weight_decay", weight_decay},
                                    std::pair{"lr_gamma", lr_gamma}, std::pair{"clip_grad_norm", clip_grad_norm},
                                    std::pair{"encoder_lr_scale", encoder_lr_scale}})
    if (!(value >= 0 && std::isfinite(value))) fail("optimizer setting {} must be a finite number >= 0, got {}", name, value);
}

double OptimizerSettings::lr_at(int64_t step) const {
  return lr_step > 0 ? lr * std::pow(lr_gamma, static_cast<double>(step / lr_step)) : lr;
}

std::vector<torch::Tensor> TrainableParameters::all() const {
  auto out = agent;
  out.insert(out.end(), encoder.begin(), encoder.end());
  return out;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const OptimizerSettings& s,
                                                        const TrainableParameters& parameters) {
  std::vector<torch::optim::OptimizerParamGroup> groups{torch::optim::OptimizerParamGroup(parameters.agent)};
  if (!parameters.encoder.empty()) groups.emplace_back(parameters.encoder);
  s.validate();
  return optimizer_registry().create(s.kind, groups, s);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, const OptimizerSettings& settings, int64_t step) {
  auto& groups = optimizer.param_groups();
  const double lr = settings.lr_at(step);
  for (size_t g = 0; g < groups.size(); ++g) groups[g].options().set_lr(g == 0 ? lr : lr * settings.encoder_lr_scale);
}

}  // namespace hashrl
