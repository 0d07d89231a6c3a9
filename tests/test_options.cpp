// The component model: keys declared once in a KeyTable (read with their declared default and
// range, printed by the docs), options structs whose validate() catches what a code-built
// component gets wrong, and registries that name the key at fault.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/agents/classic/hasher_options.h"
#include "hashrl/common/keys.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/readers.h"
#include "hashrl/encoders/vgg.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/envs/hash_env.h"
#include "hashrl/policies/drlih_policy.h"
#include "hashrl/rewards/code_reward.h"
#include "hashrl/rewards/triplet_reward.h"
#include "hashrl/train/optimizer.h"
#include "support.h"

using namespace hashrl;

namespace {

enum class Colour { kRed, kGreen };
const Choices<Colour> kColours = {{"red", Colour::kRed}, {"green", Colour::kGreen}};

}  // namespace

TEST_CASE("a declared key reads with its default and range, and documents both") {
  KeyTable keys;
  const auto size = keys.integer("size", 8, 1, 64, "how big");
  const auto scale = keys.real("scale", 0.5, 0, 1e308, "how much");
  const auto colour = keys.choice("colour", Colour::kGreen, kColours, "which");
  const auto names = keys.list("names", {"a", "b"}, "who");

  const Config empty;
  const ConfigSection none(empty, "thing");
  CHECK(size(none) == 8);
  CHECK(scale(none) == 0.5);
  CHECK(colour(none) == Colour::kGreen);
  CHECK(names(none) == std::vector<std::string>{"a", "b"});
  CHECK(empty.to_ini().find("size = 8") != std::string::npos);  // the resolved config holds the default

  const Config set = Config::from_string("[thing]\nsize = 65\ncolour = blue\n", "thing.ini");
  CHECK_THROWS_WITH(size(ConfigSection(set, "thing")), Catch::Contains("thing.size") && Catch::Contains("thing.ini") &&
                                                           Catch::Contains("[1, 64]"));
  CHECK_THROWS_WITH(colour(ConfigSection(set, "thing")), Catch::Contains("thing.colour") && Catch::Contains("red, green"));

  const auto md = keys.markdown();
  CHECK(md.find("| size | 8 | 1 to 64 | how big |") != std::string::npos);
  CHECK(md.find("| scale | 0.5 | at least 0 | how much |") != std::string::npos);
  CHECK(md.find("| colour | green | red, green | which |") != std::string::npos);
  CHECK(md.find("| names | a, b |  | who |") != std::string::npos);
  CHECK_THROWS_WITH(keys.flag("size", true, "again"), Catch::Contains("'size' is declared twice"));
}

TEST_CASE("a '|' in a key's doc does not break its table row") {
  KeyTable keys;
  keys.document({"fit", "1", "", "|B - XP|"});
  CHECK(keys.markdown().find("| fit | 1 |  | \\|B - XP\\| |") != std::string::npos);
}

TEST_CASE("an unknown kind is an error naming the key, its file and the known names") {
  const Config config = Config::from_string("[data]\nkind = imagenet\n", "run.ini");
  CHECK_THROWS_WITH(load_data(ConfigSection(config, "data")),
                    Catch::Contains("data.kind") && Catch::Contains("run.ini") && Catch::Contains("'imagenet'") &&
                        Catch::Contains("fashion-mnist, image-folder, image-list"));
  const Config optim = Config::from_string("[optim]\nkind = adamw\n", "run.ini");
  CHECK_THROWS_WITH(OptimizerSettings::from_config(ConfigSection(optim, "optim")),
                    Catch::Contains("optim.kind") && Catch::Contains("adam, sgd"));
}

TEST_CASE("[optim] momentum is read for every optimiser that declares it, not for sgd by name") {
  // A registered optimiser that takes momentum declares the key, as sgd does.
  static KeyTable nesterov_keys;
  static const auto kDeclared = nesterov_keys.real("momentum", 0.0, 0, 1, "momentum");
  (void)kDeclared;
  optimizer_registry().add("nesterov", [](const std::vector<torch::optim::OptimizerParamGroup>& groups,
                                          const OptimizerSettings& s) -> std::unique_ptr<torch::optim::Optimizer> {
    return std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(s.lr).momentum(s.momentum).nesterov(true));
  }, "for this test", &nesterov_keys);
  // Unregistered whatever happens below: other tests list the built-in optimisers.
  const std::shared_ptr<void> unregister(nullptr, [](void*) { optimizer_registry().remove("nesterov"); });
  const auto read = [](const std::string& kind) {
    const Config c = Config::from_string("[optim]\nkind = " + kind + "\nmomentum = 0.9\n", "run.ini");
    return OptimizerSettings::from_config(ConfigSection(c, "optim")).momentum;
  };
  CHECK(read("sgd") == 0.9);
  CHECK(read("nesterov") == 0.9);
  CHECK(read("adam") == OptimizerSettings().momentum);  // adam declares no momentum: left unread
}

TEST_CASE("a reader or protocol registered at any time is read by its name") {
  if (!data_reader_registry().contains("two-points"))
    data_reader_registry().add("two-points", [](const ConfigSection&) {
      return make_synthetic(2, 20, 4, 0.1, 0);
    }, "two clusters, for this test");
  const Config config = Config::from_string(
      "[data]\nkind = two-points\nprotocol = random\nqueries = 4\ntrain = 10\n", "run.ini");
  const auto loaded = load_data(ConfigSection(config, "data"));
  CHECK(loaded.data.size() == 40);
  CHECK(loaded.split.query.numel() == 4);
  CHECK(loaded.split.train.numel() == 10);
}

TEST_CASE("options built in code are validated as config-built ones are, naming the option and the choices") {
  CHECK_THROWS_WITH(VggOptions().width(0).validate(), Catch::Contains("width"));
  CHECK_THROWS_WITH(VggOptions().output(static_cast<VggOutput>(7)).validate(), Catch::Contains("fc7, pool"));
  CHECK_THROWS_WITH(CodeRewardOptions().miner("easy").validate(),
                    Catch::Contains("'easy'") && Catch::Contains("hard, none, semihard"));
  CHECK_THROWS_WITH(CodeRewardOptions().scoring(ScoringOptions().codes(static_cast<ScoredCodes>(5))).validate(), Catch::Contains("probs, bits"));
  CHECK_THROWS_WITH(TripletReward(CodeRewardOptions(), -1.0), Catch::Contains("margin"));
  CHECK_THROWS_WITH(DrlihPolicyOptions().cell(static_cast<RecurrentCell>(9)).validate(),
                    Catch::Contains("rnn, gru, lstm"));
  CHECK_THROWS_WITH(DrlihPolicyOptions().hidden(0).validate(), Catch::Contains("hidden"));
  CHECK_THROWS_WITH(HashEnvOptions().code_length(50).validate(), Catch::Contains("multiple"));
  OptimizerSettings settings;
  settings.kind = "adamw";
  CHECK_THROWS_WITH(settings.validate(), Catch::Contains("'adamw'") && Catch::Contains("adam, sgd"));
  settings.kind = "sgd";
  settings.momentum = 1.5;
  CHECK_THROWS_WITH(settings.validate(), Catch::Contains("momentum"));
  CHECK_THROWS_WITH(SplitOptions().train_per_label(0).validate(), Catch::Contains("train_per_label"));
  CHECK_THROWS_WITH(split_per_label(make_synthetic(2, 10, 4, 0.3, 0), SplitOptions().queries_per_label(-1)),
                    Catch::Contains("queries_per_label"));
  CHECK_THROWS_WITH(ItqOptions().iterations(-1).validate(), Catch::Contains("iterations"));
  CHECK_THROWS_WITH(make_sdh_hasher({16, 8}, SdhOptions().anchors(0)), Catch::Contains("anchors"));
  CHECK_THROWS_WITH(SdhOptions().nu(-1).validate(), Catch::Contains("nu"));
  CHECK_THROWS_WITH(SdhOptions().delta(0).validate(), Catch::Contains("delta"));
}

TEST_CASE("a hasher built in code from its options is the one a config builds") {
  const auto data = make_synthetic(4, 40, 16, 0.3, 0);
  const auto features = data.features.to(torch::kFloat32);
  const HasherShape shape{features.size(1), 8};
  Config config;
  config.set("agent.anchors", "30");
  config.set("agent.seed", "4");
  const auto from_config = hasher_registry().create("sdh", ConfigSection(config, "agent"), shape);
  const auto from_code = make_sdh_hasher(shape, SdhOptions().anchors(30).seed(4));
  from_config->fit(features, data.labels);
  from_code->fit(features, data.labels);
  CHECK(torch::equal(from_config->project(features), from_code->project(features)));
}

TEST_CASE("a config-built component starts from its options struct's defaults") {
  const Config empty;
  CHECK(VggOptions().width() == 1.0);
  CHECK(vgg_keys().docs()[0].fallback == "1");  // width: the key table shows VggOptions' own default
  const auto reward = CodeRewardOptions::from_config(ConfigSection(empty, "reward"));
  CHECK(reward.scoring().codes() == CodeRewardOptions().scoring().codes());
  CHECK(reward.miner() == CodeRewardOptions().miner());
  const auto policy = DrlihPolicyOptions::from_config(ConfigSection(empty, "policy"), RecurrentCell::kGru);
  CHECK(policy.hidden() == DrlihPolicyOptions().hidden());
  CHECK(policy.layer_norm_input() == DrlihPolicyOptions().layer_norm_input());
  const auto env = HashEnvOptions::from_config(ConfigSection(empty, "env"));
  CHECK(env.code_length() == HashEnvOptions().code_length());
  CHECK(env.group_size() == HashEnvOptions().group_size());
  const auto optim = OptimizerSettings::from_config(ConfigSection(empty, "optim"));
  CHECK(optim.kind == OptimizerSettings().kind);
  CHECK(optim.lr == OptimizerSettings().lr);
  const auto split = SplitOptions::from_config(ConfigSection(empty, "data"));
  CHECK(split.queries_per_label() == SplitOptions().queries_per_label());
  CHECK(split.train_per_label() == SplitOptions().train_per_label());
  CHECK(split.train_in_database() == SplitOptions().train_in_database());
  const auto sdh = SdhOptions::from_config(ConfigSection(empty, "agent"));
  CHECK(sdh.anchors() == SdhOptions().anchors());
  CHECK(sdh.lambda() == SdhOptions().lambda());
  CHECK(ItqOptions::from_config(ConfigSection(empty, "agent")).iterations() == ItqOptions().iterations());
}

TEST_CASE("a hasher registered after the agents were built is an agent by its name") {
  if (!hasher_registry().contains("late-lsh"))
    hasher_registry().add("late-lsh", [](const ConfigSection& s, const HasherShape& shape) {
      return hasher_registry().create("lsh", s, shape);
    }, "lsh under another name, for this test");
  Config config = test::synthetic_config();
  auto env = make_env("HashEnv-v0", config);
  config.set("agent.kind", "late-lsh");
  CHECK(agent_kind(config) == "late-lsh");
  CHECK(make_agent(config, env->spec())->fitted_in_closed_form());
  config.set("agent.kind", "lsh2");
  CHECK_THROWS_WITH(agent_kind(config), Catch::Contains("agent.kind") && Catch::Contains("drlih") &&
                                            Catch::Contains("late-lsh"));
}
