#pragma once
// Gym-style spaces: what shape, dtype and device each tensor of an environment's interface has.
// A spec is known from the configuration alone, before any data is read or encoded.
#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace hashrl {

// The longest code an env may emit, checked before anything is allocated: far past the paper's
// q <= 64, short of what would exhaust memory before the first step.
inline constexpr int64_t kMaxCodeLength = 4096;

// A tensor of fixed shape with values in [low, high].
struct Box {
  std::vector<int64_t> shape;
  torch::Dtype dtype = torch::kFloat32;
  torch::Device device = torch::kCPU;
  double low = -1e308, high = 1e308;

  // Empty when `t` matches shape, dtype and device; otherwise what is wrong. Values are not read
  // (that would cost a device-to-host copy); see `check_values`.
  std::string mismatch(const torch::Tensor& t) const;
  // Also checks that every value is finite and lies in [low, high].
  std::string check_values(const torch::Tensor& t) const;
  std::string describe() const;
};

// k binary decisions for each of the rows: float values in {0, 1}.
struct MultiBinary : Box {
  MultiBinary() = default;
  MultiBinary(int64_t rows, int64_t n, torch::Device device);
  // check_values, and every value 0 or 1: what the bits of an action must be (probs need only
  // check_values). Reads the values (a host sync): for callers outside the rollout's hot loop.
  std::string check_bits(const torch::Tensor& t) const;
};

// The two terms of every step's reward, after the paper's eq. 4: the reward of this step's action
// group, and the reward of the whole code, paid on the last step. An env declares which it pays
// (EnvSpec::reward_terms); a term it does not pay is zero. Learners state the terms they need and
// refuse, naming term and env, an env that does not pay them.
enum class RewardTerm {
  kGroup,   // StepResult::group_reward: this step's action group (the paper's Rg_t)
  kGlobal,  // StepResult::global_reward: the whole code, on the last step (the paper's R_G)
};
std::string to_string(RewardTerm term);  // "group" | "global"

// What an env's reward responds to, declared before any episode so that a learner can refuse a
// reward it cannot learn from (learners/learner.h, require_reward_use): a score-function learner
// needs a reward that changes with the sampled action; a pathwise one, a reward that carries the
// autograd history of Action::probs. check_action_dependence tests the first claim. An env that
// does not say is taken to pay both.
struct RewardDependence {
  bool on_action = true;       // the sampled bits change the reward
  bool differentiable = true;  // the reward carries Action::probs' gradient
  std::string setting;          // what decides both, for errors: "reward.codes = probs"
};

// What an env looks like before any episode runs. B episodes run side by side; each has
// rows_per_episode rows (images, codes) that act, laid out as rows_per_episode blocks of B rows,
// so that row r * B + i belongs to episode i. Rewards, terminated and truncated are [B].
struct EnvSpec {
  std::string name;             // the env's registered name, for errors ("HashEnv-v0")
  int64_t code_length = 0;      // q
  int64_t group_size = 0;       // k, the bits of one action group (one step)
  int64_t batch_size = 0;       // B episodes side by side (HashEnv: B triplets)
  int64_t rows_per_episode = 1; // HashEnv: 3 (anchor, positive, negative)
  int64_t feature_dim = 0;      // D
  torch::Device device = torch::kCPU;
  std::vector<RewardTerm> reward_terms = {RewardTerm::kGroup, RewardTerm::kGlobal};
  RewardDependence reward_dependence;
  // Episodes come in groups of this many consecutive indices (i * K to i * K + K - 1) that start
  // from the same state: the same rows, the same features. Their returns differ only by the
  // actions sampled, which a group-relative learner compares. 1: every episode its own state.
  int64_t samples_per_state = 1;

  int64_t num_steps() const { return group_size ? code_length / group_size : 0; }
  int64_t num_rows() const { return rows_per_episode * batch_size; }
  bool pays(RewardTerm term) const;

  MultiBinary action_space() const;                    // bits and probs, [rows, k]
  // "features" [rows, D], "bits" [rows, q], "step" a scalar in [0, num_steps]
  std::map<std::string, Box> observation_space() const;
  std::string describe() const;
};

}  // namespace hashrl
