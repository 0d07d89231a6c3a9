#include "hashrl/policies/elman_group.h"

#include <torch/torch.h>

namespace hashrl {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class ElmanGroup : public torch::autograd::Function<ElmanGroup> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x0, const torch::Tensor& c0,
                               const torch::Tensor& w_ih, const torch::Tensor& w_hh, const torch::Tensor& b_ih,
                               const torch::Tensor& b_hh, int64_t steps) {
    const auto w_sum = w_ih + w_hh;
    const auto b = b_ih + b_hh;
    auto hidden = torch::empty({steps, x0.size(0), x0.size(1)}, x0.options());  // [k, N, H]
    auto first = hidden[0];
    torch::addmm_out(first, b, x0, w_ih.t());
    first.addmm_(c0, w_hh.t()).tanh_();
    for (int64_t t = 1; t < steps; ++t) {
      auto out = hidden[t];
      torch::addmm_out(out, b, hidden[t - 1], w_sum.t()).tanh_();
    }
    ctx->save_for_backward({x0, c0, w_ih, w_hh, hidden});
    return hidden.permute({1, 0, 2});
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto &x0 = saved[0], &c0 = saved[1], &w_ih = saved[2], &w_hh = saved[3], &hidden = saved[4];
    const int64_t steps = hidden.size(0), n = hidden.size(1), h = hidden.size(2);
    const auto grad_hidden = grad_outputs[0].permute({1, 0, 2});  // [k, N, H]
    const auto w_sum = w_ih + w_hh;
    auto grad_pre = torch::empty_like(hidden);
    torch::Tensor carried;  // dL/dc_t through the steps after t
    for (int64_t t = steps - 1; t >= 0; --t) {
      auto g = carried.defined() ? grad_hidden[t] + carried : grad_hidden[t].clone();
      grad_pre[t] = g.mul_(1 - hidden[t].square());
      if (t > 0) carried = grad_pre[t].mm(w_sum);  // c_t feeds step t+1 as input and as state
    }
    const auto first = grad_pre[0];
    // Steps 2..k read c_1..c_{k-1} through W_ih + W_hh: one product for all of them.
    torch::Tensor common = torch::zeros({h, h}, hidden.options());
    if (steps > 1)
      common = grad_pre.slice(0, 1).reshape({(steps - 1) * n, h}).t().mm(
          hidden.slice(0, 0, steps - 1).reshape({(steps - 1) * n, h}));
    const auto grad_w_ih = common + first.t().mm(x0);
    const auto grad_w_hh = common + first.t().mm(c0);
    const auto grad_b = grad_pre.sum(std::vector<int64_t>{0, 1});
    return {first.mm(w_ih), first.mm(w_hh), grad_w_ih, grad_w_hh, grad_b, grad_b.clone(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor elman_group(const torch::Tensor& x0, const torch::Tensor& c0, const torch::Tensor& w_ih,
                          const torch::Tensor& w_hh, const torch::Tensor& b_ih, const torch::Tensor& b_hh,
                          int64_t steps) {
  return ElmanGroup::apply(x0, c0, w_ih, w_hh, b_ih, b_hh, steps);
}

}  // namespace hashrl
