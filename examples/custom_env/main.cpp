// The custom env of env.cpp in a program of its own: checked by the env conformance checks, then
// trained on by the stock agent, learner and trainer. (The same env.cpp builds as a plugin for the
// stock hashrl tool: CMakeLists.txt.)
#include <iostream>

#include "hashrl/env/check_env.h"
#include "hashrl/hashrl.h"

int main(int argc, char** argv) {
  // The reward reads only the sampled bits, so the learner learns through log pi alone
  // (pathwise = none) from the group rewards and, on the last step, the global one.
  auto config = hashrl::Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
      "[env]\nkind = ClassCode-v0\ncode_length = 16\ngroup_size = 4\nbatch_size = 32\n"
      "[policy]\nhidden = 32\n"
      "[learner]\nkind = reinforce\npathwise = none\nsignal = reward-to-go\n"
      "[optim]\nkind = adam\nlr = 0.003\n[train]\nsteps = 300\n");
  for (int i = 1; i < argc; ++i) config.apply_override(argv[i]);  // e.g. train.steps=10

  // The checks every env must pass (env/check_env.h), and the claim that its reward reads the bits.
  auto env = hashrl::make_env(hashrl::env_kind(config), config);
  const auto checks = hashrl::check_env(*env), dependence = hashrl::check_action_dependence(*env);
  std::cout << checks.summary() << dependence.summary();
  if (!checks.ok() || !dependence.ok()) return 1;

  hashrl::Trainer trainer(config, "custom_env_run");
  trainer.train();
  const auto report = trainer.evaluate();
  std::cout << "ClassCode-v0 env: MAP " << report["metrics"]["map"].get<double>() << "\n";
}
