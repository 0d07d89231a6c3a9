#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/env/check_env.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/envs/hash_env.h"
#include "support.h"
#include "tiny_image_env.h"

using namespace hashrl;

// Every registered env on one synthetic config (feature vectors): an env added to env_registry()
// is checked here without an edit, and one that cannot be built from this config fails naming it.
TEST_CASE("every registered env passes check_env, and check_action_dependence where its reward reads the bits") {
  int checked = 0;
  for (const auto& name : env_registry().names()) {
    INFO(name);
    Config config = test::synthetic_config(8, 4, 3);
    config.set("env.kind", name);
    config.set("reward.codes", "bits");  // HashEnv's reward then reads the action
    auto env = make_env(env_kind(config), config);
    const auto report = check_env(*env, 5);
    INFO(report.summary());
    CHECK(report.ok());
    if (env->spec().reward_dependence.on_action) CHECK(check_action_dependence(*env, 3).ok());
    ++checked;
  }
  CHECK(checked >= 2);  // HashEnv-v0 and TargetCode-v0 at least
}

TEST_CASE("HashEnv passes check_env with every built-in reward on synthetic data") {
  for (const std::string reward : {"triplet", "contrastive", "quantization", "sum", "center"}) {
    Config config = test::synthetic_config();
    config.set("reward.kind", reward);
    if (reward == "sum") config.set("reward.terms", "triplet, quantization");
    auto env = make_env("HashEnv-v0", config);
    const auto report = check_env(*env, 5);
    INFO(reward << "\n" << report.summary());
    CHECK(report.ok());
    CHECK(report.passed.size() > 20);
  }
}

TEST_CASE("HashEnv passes check_env with every built-in reward on Fashion-MNIST", "[fashion]") {
  const LoadedData data = load_data(ConfigSection(Config::from_string("[data]\nkind = fashion-mnist\n"), "data"));
  for (const std::string reward : {"triplet", "contrastive", "quantization", "sum", "center"}) {
    Config config = Config::from_string(
        "[env]\ndevice = cpu\ncode_length = 12\ngroup_size = 4\nbatch_size = 4\n[encoder]\nkind = identity\n");
    config.set("reward.kind", reward);
    if (reward == "sum") config.set("reward.terms", "triplet, quantization");
    auto env = make_env("HashEnv-v0", config, data);
    CHECK(env->spec().feature_dim == 784);
    const auto report = check_env(*env);
    INFO(reward << "\n" << report.summary());
    CHECK(report.ok());
  }
}

TEST_CASE("an episode is q/k steps, rewards keep their terms apart, and there is no autoreset") {
  auto env = make_env("HashEnv-v0", test::synthetic_config(8, 4, 3));
  const auto& spec = env->spec();
  CHECK(spec.num_steps() == 2);
  auto [obs, info] = env->reset(1);
  CHECK(obs.features.sizes() == std::vector<int64_t>{9, 16});
  const Action action{torch::ones({9, 4}), torch::full({9, 4}, 0.7)};
  auto first = env->step(action);
  CHECK(!first.done());
  CHECK(first.global_reward.abs().sum().item<double>() == 0.0);
  auto last = env->step(action);
  CHECK(last.done());
  CHECK(torch::allclose(last.reward, last.group_reward + last.global_reward));
  CHECK_THROWS_WITH(env->step(action), Catch::Contains("reset()"));
  env->reset();
  CHECK_NOTHROW(env->step(action));
}

TEST_CASE("a malformed action is an error naming the field and the space") {
  auto env = make_env("HashEnv-v0", test::synthetic_config(8, 4, 3));
  env->reset(0);
  CHECK_THROWS_WITH(env->step({torch::ones({9, 3}), torch::ones({9, 3})}), Catch::Contains("action.bits"));
  CHECK_THROWS_WITH(env->step({torch::ones({9, 4}), torch::ones({9, 4}, torch::kFloat64)}),
                    Catch::Contains("action.probs") && Catch::Contains("dtype"));
}

TEST_CASE("observe_features refuses items that are not shaped like the data's, or not finite") {
  auto env = make_env("HashEnv-v0", test::synthetic_config(8, 4, 3));
  const auto width = env->spec().feature_dim;  // synthetic data are features, passed through
  CHECK(env->observe_features(torch::zeros({2, width})).size(0) == 2);
  CHECK_THROWS_WITH(env->observe_features(torch::tensor({-1, 1000000000})), Catch::Contains("observe_features"));
  CHECK_THROWS_WITH(env->observe_features(torch::zeros({2, width + 1})), Catch::Contains("shaped like the data"));
  CHECK_THROWS_WITH(env->observe_features(torch::full({1, width}, NAN)), Catch::Contains("not finite"));
}

TEST_CASE("HashEnv construction errors name the value") {
  auto with = [](const std::string& key, const std::string& value) {
    Config c = test::synthetic_config();
    c.set(key, value);
    return make_env("HashEnv-v0", c);
  };
  CHECK_THROWS_WITH(with("env.code_length", "10"), Catch::Contains("multiple of env.group_size"));
  CHECK_THROWS_WITH(with("env.group_size", "0"), Catch::Contains("env.group_size") && Catch::Contains("got '0'"));
  CHECK_THROWS_WITH(with("env.code_length", "0"), Catch::Contains("env.code_length") && Catch::Contains("got '0'"));
  CHECK_THROWS_WITH(with("env.batch_size", "0"), Catch::Contains("env.batch_size"));
  CHECK_THROWS_WITH(with("env.device", "tpu"), Catch::Contains("tpu"));
  CHECK_THROWS_WITH(make_env("HashEnv-v9", test::synthetic_config()), Catch::Contains("HashEnv-v0"));
  Dataset empty;
  empty.name = "empty";
  empty.features = torch::zeros({0, 4});
  empty.labels = torch::zeros({0, 2}, torch::kUInt8);
  CHECK_THROWS_WITH(HashEnv(HashEnvOptions(), empty, nullptr, nullptr, nullptr), Catch::Contains("empty"));
}

TEST_CASE("the spec is known before any episode and describes every tensor") {
  auto env = make_env("HashEnv-v0", test::synthetic_config(12, 3, 2));
  const auto& spec = env->spec();
  CHECK(spec.action_space().shape == std::vector<int64_t>{6, 3});
  CHECK(spec.observation_space().at("bits").shape == std::vector<int64_t>{6, 12});
  CHECK(spec.describe().find("4 steps of k = 3") != std::string::npos);
}

TEST_CASE("samples_per_state runs K episodes from each triplet on the same features") {
  Config config = test::synthetic_config(8, 4, 3);
  config.set("env.samples_per_state", "2");
  auto env = make_env("HashEnv-v0", config);
  const auto& spec = env->spec();
  CHECK(spec.batch_size == 6);
  CHECK(spec.samples_per_state == 2);
  CHECK(spec.describe().find("groups of 2") != std::string::npos);
  auto [obs, info] = env->reset(4);
  REQUIRE(obs.features.size(0) == 18);
  // Rows r * 6 + 2 i and r * 6 + 2 i + 1 are one image's two copies, in each of the three blocks.
  for (int64_t row = 0; row < 18; row += 2) CHECK(obs.features[row].equal(obs.features[row + 1]));
  CHECK_FALSE(obs.features[0].equal(obs.features[2]));
  CHECK(info.at("anchor").size(0) == 6);
  CHECK(info.at("anchor")[0].item<int64_t>() == info.at("anchor")[1].item<int64_t>());
  CHECK(check_env(*env, 2).ok());
  config.set("env.samples_per_state", "4096");
  CHECK_THROWS_WITH(make_env("HashEnv-v0", config), Catch::Contains("env.samples_per_state"));
}

TEST_CASE("check_action_dependence passes a reward of the bits and fails one of the relaxed codes") {
  for (const std::string reward : {"triplet", "center", "contrastive"}) {
    for (const std::string codes : {"bits", "both", "probs"}) {
      Config config = test::synthetic_config(8, 4, 4);
      config.set("reward.kind", reward);
      config.set("reward.codes", codes);
      auto env = make_env("HashEnv-v0", config);
      const auto report = check_action_dependence(*env, 3);
      INFO(reward << ", codes = " << codes << "\n" << report.summary());
      CHECK(report.ok() == (codes != "probs"));
      CHECK(env->spec().reward_dependence.on_action == (codes != "probs"));
      CHECK(env->spec().reward_dependence.differentiable == (codes != "bits"));
      if (codes == "probs") CHECK(report.summary().find("reward.codes = probs") != std::string::npos);
    }
  }
}

TEST_CASE("reset(seed) fixes the episode with a training encoder, and leaves torch's generator alone") {
  // The encoder's dropout draws from LibTorch's global generator: before, reset(5) twice drew the
  // same triplets and augmentation but other dropout masks (features apart by up to 17).
  const auto config = test::tiny_image_config(true);
  torch::manual_seed(0);
  auto env = test::tiny_image_env(config);
  REQUIRE(env->encoder().is_training());
  const auto first = env->reset(5).first.features.detach().clone();
  torch::rand({100});  // whatever else draws between the two
  CHECK(env->reset(5).first.features.equal(first));
  CHECK_FALSE(env->reset(6).first.features.equal(first));

  torch::manual_seed(1);
  const auto expected = torch::rand({4});
  torch::manual_seed(1);
  env->reset(5);
  CHECK(torch::rand({4}).equal(expected));  // the agent's next draws are what they would have been
}
