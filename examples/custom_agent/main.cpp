// The custom agent of agent.cpp in a program of its own: checked by the conformance checks, then
// trained and evaluated by the stock trainer. (The same agent.cpp builds as a plugin for the stock
// hashrl tool: CMakeLists.txt.)
#include <iostream>

#include "hashrl/hashrl.h"
#include "hashrl/testing/conformance.h"

int main(int argc, char** argv) {
  auto config = hashrl::Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
      "[encoder]\nkind = identity\n[env]\ndevice = cpu\ncode_length = 16\ngroup_size = 4\n"
      "[agent]\nkind = per-group-linear\n[optim]\nkind = adam\nlr = 0.01\n[train]\nsteps = 100\n");
  for (int i = 1; i < argc; ++i) config.apply_override(argv[i]);  // e.g. train.steps=10

  // The conformance checks every agent must pass (hashrl::testing), on this one, before training.
  auto env = hashrl::make_env("HashEnv-v0", config);
  auto agent = hashrl::make_agent(config, env->spec());
  const auto checks = hashrl::check_agent(*agent, *env);
  std::cout << checks.summary();
  if (!checks.ok()) return 1;

  hashrl::Trainer trainer(config, "custom_agent_run");
  trainer.train();
  const auto report = trainer.evaluate();
  std::cout << "per-group-linear agent: MAP " << report["metrics"]["map"].get<double>() << "\n";
}
