// The fused Elman group (policies/elman_group.h) against torch::nn::RNNCell stepped k times.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/policies/elman_group.h"

using namespace hashrl;

TEST_CASE("the fused Elman group equals RNNCell stepped k times, values and gradients") {
  torch::manual_seed(0);
  const int64_t n = 5, h = 7, k = 4;
  const auto options = torch::TensorOptions().dtype(torch::kFloat64).requires_grad(true);
  torch::nn::RNNCell cell(torch::nn::RNNCellOptions(h, h).nonlinearity(torch::kTanh));
  cell->to(torch::kFloat64);
  const auto x0 = torch::randn({n, h}, options), c0 = torch::randn({n, h}, options);
  // A loss that reads every hidden vector and, harder, the last one twice (it is also the state
  // that the next group starts from).
  const auto weights = torch::randn({n, k, h}, torch::kFloat64);
  auto loss_of = [&](const torch::Tensor& c) { return (c * weights).sum() + c.select(1, k - 1).pow(2).sum(); };

  std::vector<torch::Tensor> steps;
  torch::Tensor x = x0, state = c0;
  for (int64_t t = 0; t < k; ++t) {
    state = cell->forward(x, state);
    steps.push_back(state);
    x = state;
  }
  const auto reference = torch::stack(steps, 1);
  const auto fused = elman_group(x0, c0, cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh, k);
  CHECK(torch::allclose(fused, reference, 1e-12, 1e-12));

  const std::vector<torch::Tensor> inputs = {x0, c0, cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh};
  const auto expected = torch::autograd::grad({loss_of(reference)}, inputs);
  const auto got = torch::autograd::grad({loss_of(fused)}, inputs);
  const char* names[] = {"x0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh"};
  for (size_t i = 0; i < inputs.size(); ++i) {
    INFO(names[i]);
    CHECK(torch::allclose(got[i], expected[i], 1e-10, 1e-10));
  }
}

TEST_CASE("the fused Elman group of one step is one RNNCell step") {
  torch::manual_seed(1);
  torch::nn::RNNCell cell(torch::nn::RNNCellOptions(3, 3).nonlinearity(torch::kTanh));
  const auto x0 = torch::randn({2, 3}), c0 = torch::randn({2, 3});
  const auto fused = elman_group(x0, c0, cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh, 1);
  CHECK(torch::allclose(fused.select(1, 0), cell->forward(x0, c0), 1e-6, 1e-6));
}
