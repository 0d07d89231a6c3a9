#pragma once
// Policies: torch modules that map the image features (and their own recurrent state) to the
// per-bit probabilities P(bit = 1) of one action group (the paper's eq. 1 and 6). They know
// nothing of environments or learners; agents (agents/) wrap them.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"

namespace hashrl {

// A policy's recurrent state (an RNN's hidden vector; an LSTM's hidden and cell); empty for
// policies without one.
using RecurrentState = std::vector<torch::Tensor>;

struct PolicyShape {
  int64_t feature_dim = 0;  // D, the width of the image features
  int64_t code_length = 0;  // q
  int64_t group_size = 0;   // k
};

class Policy : public torch::nn::Module {
 public:
  explicit Policy(PolicyShape shape) : shape_(shape) {}

  // The state before the first action group of images with these features [N, D].
  virtual RecurrentState initial_state(const torch::Tensor& features) = 0;

  // P(bit = 1) for action group `group` (0-based) of every image, [N, k], and the next state.
  virtual std::pair<torch::Tensor, RecurrentState> forward(const torch::Tensor& features, int64_t group,
                                                           const RecurrentState& state) = 0;

  const PolicyShape& shape() const { return shape_; }

 protected:
  // Throws when features are not [N, D] with the D this policy was built for.
  void check_features(const torch::Tensor& features) const;

 private:
  PolicyShape shape_;
};

using PolicyRegistry = Registry<std::shared_ptr<Policy>, const ConfigSection&, const PolicyShape&>;
// Built in: rnn, gru, lstm (DrlihPolicy with that cell) and hashing-layer (the noseq baseline).
PolicyRegistry& policy_registry();

// The [policy] keys every policy shares (kind); each kind's own are in the registry.
const KeyTable& policy_keys();

// Builds the policy `section.kind` names, `default_kind` when unset (an agent's own choice).
std::shared_ptr<Policy> make_policy(const ConfigSection& section, const PolicyShape& shape,
                                    const std::string& default_kind = "rnn");

}  // namespace hashrl
