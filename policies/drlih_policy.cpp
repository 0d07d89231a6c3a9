#include "hashrl/policies/drlih_policy.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/policies/elman_group.h"

namespace hashrl {
namespace {

// The boolean options spelled as what they choose.
const Choices<bool> kInit = {{"zeros", false}, {"features", true}};
const Choices<bool> kFirstInput = {{"features", true}, {"hidden", false}};
const Choices<bool> kHead = {{"shared", false}, {"per-bit", true}};
const Choices<bool> kInputNorm = {{"layer", true}, {"none", false}};

const DrlihPolicyOptions kDefaults;
KeyTable keys;
// 16384: a 1 GiB weight matrix.
const auto kHidden = keys.integer("hidden", kDefaults.hidden(), 1, 16384, "hidden width");
const auto kInitKey = keys.choice("init", kDefaults.init_from_features(), kInit,
                                  "c0 of the first group: zeros, or features (a learned projection; identity when "
                                  "widths agree)");
const auto kFirstInputKey = keys.choice("first_input", kDefaults.features_as_first_input(), kFirstInput,
                                        "x0 of every group: features (the paper) or hidden (the authors' code)");
const auto kHeadKey = keys.choice("head", kDefaults.per_bit_head(), kHead,
                                  "the sigmoid policy layer: shared by all bits (eq. 6) or per-bit");
const auto kInputNormKey = keys.choice("input_norm", kDefaults.layer_norm_input(), kInputNorm,
                                       "LayerNorm on the features before the RNN, or none");

}  // namespace

DrlihPolicyOptions DrlihPolicyOptions::from_config(const ConfigSection& s, RecurrentCell cell) {
  auto o = DrlihPolicyOptions()
               .cell(cell)
               .hidden(kHidden(s))
               .init_from_features(kInitKey(s))
               .features_as_first_input(kFirstInputKey(s))
               .per_bit_head(kHeadKey(s))
               .layer_norm_input(kInputNormKey(s));
  o.validate();
  return o;
}

void DrlihPolicyOptions::validate() const {
  choice_name(cell(), kRecurrentCells);  // throws on a value cast from a stray integer
  if (hidden() < 1 || hidden() > 16384) fail("policy option hidden must be 1 to 16384, got {}", hidden());
  if (!features_as_first_input() && !init_from_features())
    fail("policy.first_input = hidden needs policy.init = features, or the features never reach the policy");
}

DrlihPolicy::DrlihPolicy(DrlihPolicyOptions options, PolicyShape shape)
    : Policy(shape), options_(std::move(options)) {
  namespace nn = torch::nn;
  const int64_t d = shape.feature_dim, h = options_.hidden();
  if (d < 1 || shape.group_size < 1 || shape.code_length % shape.group_size != 0)
    fail("DrlihPolicy: bad shape (D = {}, q = {}, k = {})", d, shape.code_length, shape.group_size);
  options_.validate();
  if (options_.layer_norm_input())
    norm_ = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({d}).elementwise_affine(false)));
  if (options_.features_as_first_input()) input_ = register_module("input", nn::Linear(d, h));
  if (options_.init_from_features() && d != h) init_ = register_module("init", nn::Linear(d, h));
  switch (options_.cell()) {
    case RecurrentCell::kRnn:
      rnn_ = register_module("cell", nn::RNNCell(nn::RNNCellOptions(h, h).nonlinearity(torch::kTanh)));
      break;
    case RecurrentCell::kGru:
      gru_ = register_module("cell", nn::GRUCell(h, h));
      break;
    case RecurrentCell::kLstm:
      lstm_ = register_module("cell", nn::LSTMCell(h, h));
      break;
  }
  head_ = register_module("head", nn::Linear(h, options_.per_bit_head() ? shape.code_length : 1));
}

torch::Tensor DrlihPolicy::normalized(const torch::Tensor& features) {
  check_features(features);
  return norm_ ? norm_->forward(features) : features;
}

RecurrentState DrlihPolicy::initial_state(const torch::Tensor& raw_features) {
  const auto features = normalized(raw_features);
  torch::Tensor c;
  if (!options_.init_from_features())
    c = torch::zeros({features.size(0), options_.hidden()}, features.options());
  else
    c = init_ ? torch::tanh(init_->forward(features)) : features;
  if (lstm_) return {c, torch::zeros_like(c)};
  return {c};
}

RecurrentState DrlihPolicy::cell_step(const torch::Tensor& input, const RecurrentState& state) {
  if (gru_) return {gru_->forward(input, state[0])};
  auto [h, c] = lstm_->forward(input, std::make_tuple(state[0], state[1]));
  return {h, c};
}

std::pair<torch::Tensor, RecurrentState> DrlihPolicy::forward(const torch::Tensor& raw_features, int64_t group,
                                                              const RecurrentState& state) {
  const auto features = normalized(raw_features);
  const int64_t k = shape().group_size;
  RecurrentState s = state;
  // x_0 = i (through W_xi), then x_t = c_{t-1} (eq. 5 and the text after it).
  torch::Tensor x = options_.features_as_first_input() ? input_->forward(features) : s[0];
  torch::Tensor c;  // [N, k, H]
  if (rnn_) {       // the paper's cell: the whole group as one node (elman_group.h says why)
    c = elman_group(x, s[0], rnn_->weight_ih, rnn_->weight_hh, rnn_->bias_ih, rnn_->bias_hh, k);
    s = {c.select(1, k - 1)};
  } else {
    std::vector<torch::Tensor> hidden;
    for (int64_t j = 0; j < k; ++j) {
      s = cell_step(x, s);
      hidden.push_back(s[0]);
      x = s[0];
    }
    c = torch::stack(hidden, 1);
  }
  torch::Tensor logits;
  if (options_.per_bit_head()) {
    const auto w = head_->weight.narrow(0, group * k, k);  // [k, H]
    const auto b = head_->bias.narrow(0, group * k, k);
    logits = (c * w.unsqueeze(0)).sum(2) + b;
  } else {
    logits = head_->forward(c).squeeze(2);
  }
  return {torch::sigmoid(logits), s};  // eq. 6
}

// One entry per recurrent cell: kind = rnn | gru | lstm.
void register_drlih_policies(PolicyRegistry& registry) {
  for (const auto& [name, cell] : kRecurrentCells)
    registry.add(name, [cell = cell](const ConfigSection& s, const PolicyShape& shape) -> std::shared_ptr<Policy> {
      return std::make_shared<DrlihPolicy>(DrlihPolicyOptions::from_config(s, cell), shape);
    }, "the DRLIH recurrent policy (eq. 5-7) with this cell", &keys);
}

}  // namespace hashrl
