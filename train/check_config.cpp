#include "hashrl/train/check_config.h"

#include "hashrl/data/check_dataset.h"
#include "hashrl/data/data_source.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/rewards/check_reward.h"
#include "hashrl/testing/conformance.h"

namespace hashrl {

CheckReport check_config(const Config& config, uint64_t seed) {
  CheckReport report;
  report.name = "check_config";
  Checker check(report);
  check.guarded("building what the config describes", [&] {
    const auto data = load_data(ConfigSection(config, "data"));
    report.merge(check_dataset(data.data), "data");
    auto env = make_env(env_kind(config), config, data);
    auto agent = make_agent(config, env->spec());
    auto learner = make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec());
    const auto reward = make_reward(ConfigSection(config, "reward"));
    config.check_all_used();
    report.merge(check_env(*env, seed), "env");
    if (learner->reward_use().score_function) report.merge(check_action_dependence(*env, seed), "env");
    report.merge(check_reward(*reward, env->spec().batch_size, env->spec().group_size, seed), "reward");
    report.merge(check_agent(*agent, *env, seed), "agent");
    report.merge(check_learner(*learner, *agent, *env, seed), "learner");
  });
  return report;
}

}  // namespace hashrl
