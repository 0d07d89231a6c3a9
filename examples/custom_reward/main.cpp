// The custom reward of reward.cpp in a program of its own: checked by the conformance checks, then
// trained with by the stock trainer. (The same reward.cpp builds as a plugin for the stock hashrl
// tool: CMakeLists.txt.)
#include <iostream>

#include "hashrl/hashrl.h"
#include "hashrl/rewards/check_reward.h"

int main(int argc, char** argv) {
  auto config = hashrl::Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
      "[encoder]\nkind = identity\n[env]\ndevice = cpu\ncode_length = 16\ngroup_size = 4\n"
      "[reward]\nkind = cosine-margin\nmargin = 0.5\n"
      "[policy]\nhidden = 32\n[optim]\nkind = adam\nlr = 0.003\n[train]\nsteps = 200\n");
  for (int i = 1; i < argc; ++i) config.apply_override(argv[i]);  // e.g. train.steps=10

  // The conformance checks every reward must pass (rewards/check_reward.h), on this one, before training.
  const auto checks = hashrl::check_reward(*hashrl::make_reward(hashrl::ConfigSection(config, "reward")));
  std::cout << checks.summary();
  if (!checks.ok()) return 1;

  hashrl::Trainer trainer(config, "custom_reward_run");
  trainer.train();
  const auto report = trainer.evaluate();
  std::cout << "cosine-margin reward: MAP " << report["metrics"]["map"].get<double>() << "\n";
}
