#pragma once
// Agents act in an Env: from an observation and their own recurrent state to an action group.
// An agent is a policy plus how it acts (sampled or greedy bits) and which learner trains it by
// default. Write your own by deriving from Agent (see docs/agents.md) and registering it:
//
//   hashrl::agent_registry().add("mine", [](const Config& c, const EnvSpec& s) {
//     return std::make_shared<MyAgent>(c, s);
//   });
#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"
#include "hashrl/env/env.h"
#include "hashrl/policies/policy.h"

namespace hashrl {

// kSample draws each bit from Bernoulli(p) (training, as REINFORCE needs); kGreedy thresholds
// at 0.5 (eq. 7: retrieval codes).
enum class ActMode { kSample, kGreedy };

struct AgentStep {
  Action action;           // bits and probs [N, k]
  torch::Tensor log_prob;  // [N]: log P(bits), summed over the group's k bits (eq. 2)
  torch::Tensor entropy;   // [N]: entropy of the group's k Bernoulli bits
};

class Agent {
 public:
  virtual ~Agent() = default;

  virtual RecurrentState initial_state(const Observation& obs) = 0;
  virtual std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState& state,
                                                   ActMode mode) = 0;

  // Scores stored actions under the current parameters: for each step t, the log-probability and
  // entropy of `actions[t].bits` taken at `observations[t]` (as a rollout recorded them), from
  // `state` (initial_state(observations[0]) for a whole episode). Teacher-forced: the agent steps
  // through the episode on the stored bits, never on draws of its own, so a learner that updates
  // several times on one rollout (PPO's ratio) gets exact figures. Returns one AgentStep per step,
  // its action the stored bits with the current probabilities.
  //
  // The default runs act() greedily on each stored observation, whose `bits` already hold the
  // stored bits emitted before it, and scores the stored bits under the probabilities it returns:
  // exact for every agent whose recurrent state does not carry bits it drew itself (all the
  // built-ins). An agent whose state does must override it; check_agent compares the two.
  virtual std::vector<AgentStep> evaluate(const std::vector<Observation>& observations,
                                          const std::vector<Action>& actions, RecurrentState state);

  // The module that holds the agent's parameters: trained, checkpointed, moved to a device.
  virtual torch::nn::Module& module() = 0;

  // The learner ([learner] kind) that trains this agent unless the config names another.
  virtual std::string default_learner() const { return "reinforce"; }
  // How the agent acts while it trains.
  virtual ActMode training_mode() const { return ActMode::kSample; }

  // Agents fitted in closed form (the classic hashers) return true, and the trainer calls fit()
  // once with the training split's features [N, D] and multi-hot labels [N, L] instead of taking
  // gradient steps.
  virtual bool fitted_in_closed_form() const { return false; }
  virtual void fit(const torch::Tensor& features, const torch::Tensor& labels);
};

using AgentRegistry = Registry<std::shared_ptr<Agent>, const Config&, const EnvSpec&>;
// Built in: drlih, noseq, drlih-authors. The classic hashers (lsh, itq, sh, sdh and any registered
// in hasher_registry()) are agents too, through HasherAgent: agent.kind names either.
// (ng is drlih with env.group_size = 1: configs/ng.ini.)
AgentRegistry& agent_registry();

// The [agent] kind when a config names none: the paper's agent.
inline constexpr const char* kDefaultAgent = "drlih";

// The [agent] keys every agent shares (kind); a classic hasher's own are in its registry entry.
const KeyTable& agent_keys();

// The agent a config's [agent] kind names: kDefaultAgent unless told otherwise; an agent or a
// hasher (hasher_registry(), whenever it was registered); anything else is an error naming the key.
std::string agent_kind(const Config& config);

// Builds the agent that [agent] kind names (default drlih) for an env of this spec, on its device.
std::shared_ptr<Agent> make_agent(const Config& config, const EnvSpec& spec);

}  // namespace hashrl
