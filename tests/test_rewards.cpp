#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/triplet_reward.h"

using namespace hashrl;
using Catch::Detail::Approx;

namespace {

std::shared_ptr<Reward> reward_from(const std::string& ini) {
  const Config config = Config::from_string(ini);
  return make_reward(ConfigSection(config, "reward"));
}

RewardInput input_of(const torch::Tensor& group, const torch::Tensor& all) {
  RewardInput in;
  in.group = {group, (group > 0.5).to(torch::kFloat32)};
  in.emitted = {all, (all > 0.5).to(torch::kFloat32)};
  return in;
}

}  // namespace

TEST_CASE("the triplet reward is -max(0, m + |a-p|^2 - |a-n|^2), by hand") {
  // One triplet, 2 bits: a = (0.9, 0.1), p = (0.8, 0.3), n = (0.2, 0.1).
  const auto codes = torch::tensor({{0.9, 0.1}, {0.8, 0.3}, {0.2, 0.1}});
  const double ap = 0.01 + 0.04, an = 0.49;
  CHECK(triplet_loss(codes, 1.0).item<double>() == Approx(1.0 + ap - an));
  CHECK(triplet_loss(codes, 0.1).item<double>() == Approx(0.0));  // margin met: no loss
  const auto r = reward_from("[reward]\nkind = triplet\nmargin = 1\nglobal_weight = 2\n");
  const auto in = input_of(codes.slice(1, 0, 1), codes);
  CHECK(r->group_reward(in).item<double>() == Approx(-(1.0 + 0.01 - 0.49)));
  CHECK(r->global_reward(in).item<double>() == Approx(-2 * (1.0 + ap - an)));
  const auto bits = reward_from("[reward]\ncodes = bits\n");
  // bits: a = (1, 0), p = (1, 0), n = (0, 0) -> -max(0, 1 + 0 - 1) = 0
  CHECK(bits->global_reward(in).item<double>() == Approx(0.0));
}

TEST_CASE("the closed-form sub-gradient of eq. 9 equals autograd's") {
  auto gen = at::detail::createCPUGenerator(4);
  const int64_t b = 6, q = 8;
  auto codes = at::rand({3 * b, q}, gen).requires_grad_(true);
  const double margin = 1.0;
  const auto reward = -triplet_loss(codes, margin);
  reward.sum().backward();
  const auto c = codes.detach();
  const auto a = c.slice(0, 0, b), p = c.slice(0, b, 2 * b), n = c.slice(0, 2 * b, 3 * b);
  const auto active = ((margin + (a - p).pow(2).sum(1) - (a - n).pow(2).sum(1)) > 0).to(torch::kFloat32).unsqueeze(1);
  // Eq. 9 gives dJ; the reward is -J.
  const auto expected = -torch::cat({2 * (n - p) * active, 2 * (p - a) * active, 2 * (a - n) * active});
  CHECK(torch::allclose(codes.grad(), expected, 1e-5, 1e-6));
  CHECK(active.sum().item<double>() > 0);  // the case exercises the active branch
}

TEST_CASE("contrastive and quantization rewards, by hand") {
  const auto codes = torch::tensor({{1.0, 0.0}, {1.0, 1.0}, {0.0, 0.0}});  // a, p, n
  const auto in = input_of(codes, codes);
  // contrastive: margin 0.5 * 2 = 1; |a-p|^2 = 1, |a-n|^2 = 1 -> -(1 + max(0, 1 - 1)) / 2
  CHECK(reward_from("[reward]\nkind = contrastive\n")->global_reward(in).item<double>() == Approx(-0.5));
  const auto half = torch::full({3, 2}, 0.5);
  CHECK(reward_from("[reward]\nkind = quantization\n")->global_reward(input_of(half, half)).item<double>() ==
        Approx(-1.0));
  CHECK(reward_from("[reward]\nkind = quantization\n")->global_reward(in).item<double>() == Approx(0.0));
}

TEST_CASE("sum combines named rewards with weights from their sub-sections") {
  const auto codes = torch::tensor({{0.9, 0.1}, {0.8, 0.3}, {0.2, 0.1}});
  const auto in = input_of(codes, codes);
  const auto sum = reward_from(
      "[reward]\nkind = sum\nterms = triplet, quantization\n[reward.quantization]\nweight = 0.5\n");
  const auto triplet = reward_from("[reward]\nkind = triplet\n");
  const auto quant = reward_from("[reward]\nkind = quantization\n");
  CHECK(sum->global_reward(in).item<double>() ==
        Approx(triplet->global_reward(in).item<double>() + 0.5 * quant->global_reward(in).item<double>()));
}

TEST_CASE("rewards keep autograd history, so a learner can differentiate them") {
  auto codes = torch::rand({6, 4}).requires_grad_(true);
  const auto r = reward_from("[reward]\nkind = triplet\n");
  CHECK(r->global_reward(input_of(codes, codes)).requires_grad());
}

TEST_CASE("an unknown reward or option is an error that lists the known ones") {
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = tripplet\n"),
                    Catch::Contains("tripplet") && Catch::Contains("known: contrastive, quantization, sum, triplet"));
  Config c = Config::from_string("[reward]\nkind = triplet\nmargn = 2\n", "r.ini");
  make_reward(ConfigSection(c, "reward"));
  CHECK_THROWS_WITH(c.check_all_used(), Catch::Contains("reward.margn"));
  CHECK_THROWS_WITH(reward_from("[reward]\ncodes = logits\n"), Catch::Contains("probs, bits"));
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = sum\n"), Catch::Contains("at least one term"));
}
