#include "checker.h"
#include "hashrl/data/data_source.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/testing/conformance.h"

namespace hashrl {

CheckReport check_config(const Config& config, uint64_t seed) {
  CheckReport report;
  report.name = "check_config";
  testing_detail::Checker check(report, "");
  check.guarded("building what the config describes", [&] {
    const auto data = load_data(ConfigSection(config, "data"));
    testing_detail::merge(report, check_dataset(data.data), "data");
    auto env = make_env(env_kind(config), config, data);
    auto agent = make_agent(config, env->spec());
    auto learner = make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec());
    const auto reward = make_reward(ConfigSection(config, "reward"));
    config.check_all_used();
    testing_detail::merge(report, check_env(*env, seed), "env");
    if (learner->reward_use().score_function)
      testing_detail::merge(report, check_action_dependence(*env, seed), "env");
    testing_detail::merge(report, check_reward(*reward, env->spec().batch_size, env->spec().group_size, seed),
                          "reward");
    testing_detail::merge(report, check_agent(*agent, *env, seed), "agent");
    testing_detail::merge(report, check_learner(*learner, *agent, *env, seed), "learner");
  });
  return report;
}

}  // namespace hashrl
