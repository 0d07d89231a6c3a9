// A random agent in HashEnv: the smallest loop against the environment (docs/mdp.md shows it).
// Usage: hashrl_random_agent [CONFIG.ini]   (default: synthetic data, identity encoder)
#include <iostream>

#include "hashrl/hashrl.h"

int main(int argc, char** argv) {
  const auto config = argc > 1 ? hashrl::Config::from_file(argv[1])
                               : hashrl::Config::from_string(
                                     "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
                                     "[encoder]\nkind = identity\n[env]\ndevice = cpu\n");
  auto env = hashrl::make_env("HashEnv-v0", config);
  const hashrl::EnvSpec& spec = env->spec();
  auto [obs, info] = env->reset(/*seed=*/0);
  auto total = torch::zeros({spec.batch_size});
  while (true) {
    const auto probs = torch::rand({spec.num_rows(), spec.group_size});  // a random policy
    auto result = env->step(hashrl::Action{torch::bernoulli(probs), probs});
    total += result.reward;
    if (result.done()) break;  // no autoreset: the next episode starts with env->reset()
    obs = result.observation;
  }
  std::cout << "episode of " << spec.num_steps() << " steps, mean reward per triplet "
            << total.mean().item<double>() << "\n";
}
