#include "hashrl/train/optimizer.h"

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <cmath>

#include "hashrl/common/error.h"

namespace hashrl {

OptimizerSettings OptimizerSettings::from_config(const ConfigSection& s) {
  OptimizerSettings o;
  o.kind = get_enum(s, "kind", o.kind, kOptimizerKinds);
  o.lr = s.get_double("lr", o.lr, 0.0);
  if (o.kind == OptimizerKind::kSgd) o.momentum = s.get_double("momentum", o.momentum, 0.0, 1.0);
  o.weight_decay = s.get_double("weight_decay", o.weight_decay, 0.0);
  o.lr_step = s.get_int("lr_step", o.lr_step, 0);
  o.lr_gamma = s.get_double("lr_gamma", o.lr_gamma, 0.0);
  o.clip_grad_norm = s.get_double("clip_grad_norm", o.clip_grad_norm, 0.0);
  o.encoder_lr_scale = s.get_double("encoder_lr_scale", o.encoder_lr_scale, 0.0);
  return o;
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
  switch (s.kind) {
    case OptimizerKind::kAdam:
      return std::make_unique<torch::optim::Adam>(groups, torch::optim::AdamOptions(s.lr).weight_decay(s.weight_decay));
    case OptimizerKind::kSgd:
      return std::make_unique<torch::optim::SGD>(
          groups, torch::optim::SGDOptions(s.lr).momentum(s.momentum).weight_decay(s.weight_decay));
  }
  fail("optimizer kind {} is not one of {}", static_cast<int>(s.kind), fmt::join(choice_names(kOptimizerKinds), ", "));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, const OptimizerSettings& settings, int64_t step) {
  auto& groups = optimizer.param_groups();
  const double lr = settings.lr_at(step);
  for (size_t g = 0; g < groups.size(); ++g) groups[g].options().set_lr(g == 0 ? lr : lr * settings.encoder_lr_scale);
}

}  // namespace hashrl
