#include "catalog.h"

#include <fmt/format.h>

#include <cctype>
#include <map>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/plugins.h"
#include "hashrl/data/data_source.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/envs/triplet_sampler.h"
#include "hashrl/policies/policy.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/triplet_miner.h"
#include "hashrl/learners/learner.h"
#include "hashrl/train/experiment.h"
#include "hashrl/train/optimizer.h"
#include "hashrl/train/trainer.h"

namespace hashrl::cli {
namespace {

constexpr const char* kIntro = R"(# Configuration

Generated from the code's key tables by `hashrl train --help-config` (which prints this page):
do not edit by hand; a test fails when it differs.

A run is one INI file (Boost.Program_options syntax: `[section]`, `key = value`, `#` comments)
plus `--set section.key=value` overrides. `hashrl train` writes the resolved config — every key
read, defaults included — to `RUN/config.ini`, which reproduces the run. A key that nothing reads
(a typo, a key of another kind) is an error naming the key and the file; so is a value of the
wrong type or out of range, an unknown kind, and a key set twice in one file. Every value is
checked when it is read, before any data is loaded or step taken; sizes have upper bounds (the
allowed column) so that a wrong value is an error naming the key, not an allocation of 128 GB.

Each section has the keys every kind of it shares, then each kind's own (`hashrl list` prints the
kinds; docs/extending.md registers new ones, whose keys then appear here too).
)";

std::string table(const KeyTable& keys) { return keys.empty() ? "" : "\n" + keys.markdown(); }

std::string sentence(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text + ".";
}

// One "### key = NAME" block per registered name, with its summary and its own keys (once, where
// several names share one table: the recurrent policies, the two VGGs).
template <class R>
std::string kinds(const R& registry, const std::string& key = "kind") {
  std::string out;
  std::map<const KeyTable*, std::string> shown;
  for (const auto& name : registry.names()) {
    out += fmt::format("\n### {} = {}\n{}\n", key, name, sentence(registry.summary(name)));
    const KeyTable* own = registry.keys(name);
    if (!own || own->empty()) continue;
    if (shown.count(own)) {
      out += fmt::format("Its keys are those of `{} = {}`.\n", key, shown[own]);
      continue;
    }
    shown[own] = name;
    out += table(*own);
  }
  return out;
}

// A registry whose entries read no keys of their own: one list.
template <class R>
std::string names(const R& registry) {
  std::string out;
  for (const auto& name : registry.names()) out += fmt::format("\n- `{}`: {}", name, registry.summary(name));
  return out;
}

std::string section(const std::string& name, const std::string& prose, const KeyTable& shared) {
  return fmt::format("\n## [{}]\n{}\n{}", name, prose, table(shared));
}

}  // namespace

std::string config_doc() {
  std::string out = kIntro;
  out += section("data", "Which data set to read (`kind`, a reader) and how to split it (`protocol`).", data_keys());
  out += kinds(data_reader_registry());
  out += kinds(split_protocol_registry(), "protocol");
  out += section("env", "The MDP: docs/mdp.md.", env_keys()) + kinds(env_registry());
  out += section("encoder", "How items become the state's features: docs/encoder.md.", encoder_keys()) +
         kinds(encoder_registry());
  out += section("reward", "What the env pays: docs/rewards.md. Triplet miners (`miner`):\n\n" +
                               names(miner_registry()),
                 reward_keys()) +
         kinds(reward_registry());
  out += section("sampler", "How each episode's triplets are drawn.", sampler_keys()) + kinds(sampler_registry());
  out += section("agent",
                 "Who emits the codes: docs/agents.md. `kind` names an agent or a classic hasher, whose keys "
                 "are in [agent] too. (ng is drlih with env.group_size = 1: configs/ng.ini.)",
                 agent_keys()) +
         kinds(agent_registry()) + kinds(hasher_registry());
  out += section("policy", "The network of a policy agent (drlih, noseq, drlih-authors).", policy_keys()) +
         kinds(policy_registry());
  out += section("learner", "How the agent learns; each agent names its own default.", learner_keys()) +
         kinds(learner_registry());
  out += section("optim", "The optimiser and its learning-rate schedule. The defaults are the CPU configs' Adam at "
                          "lr 1e-4; the paper's (SGD, lr 1e-3, x0.1 every 10,000 steps, weight decay 5e-4) are "
                          "configs/drlih.ini's.",
                 optimizer_keys()) +
         kinds(optimizer_registry());
  out += section("train", "A run resumes exactly from its last checkpoint (docs/robustness.md).", train_keys());
  out += section("eval", "The retrieval evaluation at the end of a run (docs/metrics.md).", eval_keys());
  out += section("plugins",
                 "Shared libraries that add components (`hashrl --plugin LIB.so` does the same; "
                 "docs/extending.md, \"Plugins\"). A run records every plugin it loaded here.",
                 plugin_keys());
  out += R"(
## Experiment files (`hashrl experiment`)

Not a run config but a list of them: `[experiment]` and one `[method.NAME]` per method
(`experiments/fashion-mnist.ini` is the paper's table on Fashion-MNIST).

### [experiment]
)" + experiment_keys().markdown() +
         R"(
### [method.NAME]
)" + method_keys().markdown() +
         R"(
`--run-set section.key=value` adds an override for every run from the command line (e.g. a
smaller `train.steps`); `--only a,b` runs some of the methods. A run whose config is unchanged
and finished is reused; one with a checkpoint and no report resumes. A method's `set` that
switches a kind over its file (`agent.kind=noseq` over a drlih config) drops the file's keys of
the replaced kind, with a notice, as `--set` does.
)";
  return out;
}

std::string registry_listing() {
  std::string out;
  auto list = [&](const auto& registry, const std::string& section) {
    out += fmt::format("{} ({}):\n", registry.what(), section);
    for (const auto& name : registry.names()) out += fmt::format("  {:<16} {}\n", name, registry.summary(name));
    out += "\n";
  };
  list(data_reader_registry(), "data.kind");
  list(split_protocol_registry(), "data.protocol");
  list(env_registry(), "env.kind");
  list(encoder_registry(), "encoder.kind");
  list(reward_registry(), "reward.kind");
  list(miner_registry(), "reward.miner");
  list(sampler_registry(), "sampler.kind");
  list(agent_registry(), "agent.kind");
  list(hasher_registry(), "agent.kind too");
  list(policy_registry(), "policy.kind");
  list(learner_registry(), "learner.kind");
  list(optimizer_registry(), "optim.kind");
  out += "Each kind's keys: hashrl train --help-config (docs/config.md).\n";
  return out;
}

}  // namespace hashrl::cli
