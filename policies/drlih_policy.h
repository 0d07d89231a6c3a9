#pragma once
// The DRLIH policy network (section III-C, eq. 5-7): an RNN layer and a sigmoid policy layer.
// One RNN step emits one bit; an action group is k steps. Within a group the input is the image
// features at the first step (x_0 = i) and the previous hidden vector after it (x_t = c_{t-1});
// across groups the hidden vector carries the history (c_0 of a group = the last c of the one
// before), which is how later bits can correct the ranking errors of earlier ones.
//
// Its [policy] keys (kind = rnn | gru | lstm) are in docs/config.md.
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/rnn.h>

#include "hashrl/common/choices.h"
#include "hashrl/policies/policy.h"

namespace hashrl {

/// The recurrent cell; each is a policy kind of the same name.
enum class RecurrentCell {
  kRnn,   ///< Elman, tanh: the paper's eq. 5
  kGru,
  kLstm,
};
inline const Choices<RecurrentCell> kRecurrentCells = {
    {"rnn", RecurrentCell::kRnn}, {"gru", RecurrentCell::kGru}, {"lstm", RecurrentCell::kLstm}};


struct DrlihPolicyOptions {
  static DrlihPolicyOptions from_config(const ConfigSection& section, RecurrentCell cell);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  TORCH_ARG(RecurrentCell, cell) = RecurrentCell::kRnn;
  /// Hidden width, 1 to 16384. 256 as the CPU configs use, so that a new env or agent trains at
  /// tens of steps a second on a laptop; the paper's 4096 is configs/drlih.ini's.
  TORCH_ARG(int64_t, hidden) = 256;
  /// c_0 of the first group: zeros (false), or a learned projection of the features (the identity
  /// when the widths agree).
  TORCH_ARG(bool, init_from_features) = false;
  /// x_0 of each group: the features (the paper), or the hidden vector (the authors' code, whose
  /// RNNCell is fed its own hidden state; needs init_from_features).
  TORCH_ARG(bool, features_as_first_input) = true;
  /// The policy layer: shared by every bit (eq. 6, one W_h) or one per bit.
  TORCH_ARG(bool, per_bit_head) = false;
  /// LayerNorm on the features before W_xi (the paper has none).
  TORCH_ARG(bool, layer_norm_input) = true;
};

class DrlihPolicy : public Policy {
 public:
  DrlihPolicy(DrlihPolicyOptions options, PolicyShape shape);

  RecurrentState initial_state(const torch::Tensor& features) override;
  std::pair<torch::Tensor, RecurrentState> forward(const torch::Tensor& features, int64_t group,
                                                   const RecurrentState& state) override;

  const DrlihPolicyOptions& options() const { return options_; }

 private:
  // One GRU or LSTM step: input [N, H], state -> new state; state[0] is the hidden vector c_t.
  RecurrentState cell_step(const torch::Tensor& input, const RecurrentState& state);

  DrlihPolicyOptions options_;
  // Features in whatever scale the encoder gives them -> per-image zero mean, unit variance.
  // Why: the triplet reward's gradient is proportional to the differences between codes, so a
  // policy whose first outputs barely differ between images (saturated by one large input)
  // learns almost nothing; normalised inputs start it with codes that differ.
  torch::Tensor normalized(const torch::Tensor& features);

  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Linear input_{nullptr};  // W_xi for x_0 = i: D -> H
  torch::nn::Linear init_{nullptr};   // c_0 from the features, when init = features and D != H
  torch::nn::RNNCell rnn_{nullptr};
  torch::nn::GRUCell gru_{nullptr};
  torch::nn::LSTMCell lstm_{nullptr};
  torch::nn::Linear head_{nullptr};   // W_h, v of eq. 6: H -> 1 (shared) or H -> q (per bit)
};

}  // namespace hashrl
