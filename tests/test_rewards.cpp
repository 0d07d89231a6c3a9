#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/center_reward.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/triplet_miner.h"
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
  const auto r = reward_from("[reward]\nkind = triplet\nmargin = 1\nglobal_weight = 2\ncodes = probs\n");
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
  CHECK(reward_from("[reward]\nkind = quantization\ncodes = probs\n")->global_reward(input_of(half, half)).item<double>() ==
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

TEST_CASE("a reward says what it reads, and with codes = both the bits' value carries the relaxed codes' gradient") {
  const auto probs = torch::tensor({{0.9, 0.4}, {0.6, 0.2}, {0.3, 0.7}}).requires_grad_(true);
  RewardInput in = input_of(probs, probs);
  in.labels = torch::tensor({{1, 0}, {1, 0}, {0, 1}}, torch::kUInt8);
  for (const std::string kind : {"triplet", "contrastive", "center"}) {
    INFO(kind);
    const auto on = [&](const std::string& codes) {
      return reward_from("[reward]\nkind = " + kind + "\ncodes = " + codes + "\n");
    };
    const auto both = on("both")->global_reward(in);
    CHECK(both.item<double>() == Approx(on("bits")->global_reward(in).item<double>()));
    const auto grad_both = torch::autograd::grad({both.sum()}, {probs})[0];
    const auto grad_probs = torch::autograd::grad({on("probs")->global_reward(in).sum()}, {probs})[0];
    CHECK(torch::allclose(grad_both, grad_probs));
    CHECK(!on("bits")->global_reward(in).requires_grad());
    const auto reads = [&](const std::string& codes) { return on(codes)->reads(); };
    CHECK((reads("probs").bits == false && reads("probs").probs == true));
    CHECK((reads("bits").bits == true && reads("bits").probs == false));
    CHECK((reads("both").bits == true && reads("both").probs == true));
    CHECK(reads("bits").setting == "reward.codes = bits");
  }
  // Quantization is 0 on any bits: it never depends on the action, whatever `codes` says.
  CHECK_FALSE(reward_from("[reward]\nkind = quantization\ncodes = both\n")->reads().bits);
  // A sum reads what any of its terms reads, and names each term's setting.
  const auto sum = reward_from("[reward]\nkind = sum\nterms = triplet, quantization\n[reward.triplet]\ncodes = bits\n"
                               "[reward.quantization]\ncodes = probs\n")->reads();
  CHECK((sum.bits && sum.probs));
  CHECK(sum.setting == "reward.triplet.codes = bits, reward.quantization.codes = probs");
}

TEST_CASE("rewards keep autograd history, so a learner can differentiate them") {
  auto codes = torch::rand({6, 4}).requires_grad_(true);
  const auto r = reward_from("[reward]\nkind = triplet\n");
  CHECK(r->global_reward(input_of(codes, codes)).requires_grad());
}

TEST_CASE("an unknown reward or option is an error that lists the known ones") {
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = tripplet\n"),
                    Catch::Contains("tripplet") && Catch::Contains("known: center, contrastive, quantization, sum, triplet"));
  Config c = Config::from_string("[reward]\nkind = triplet\nmargn = 2\n", "r.ini");
  make_reward(ConfigSection(c, "reward"));
  CHECK_THROWS_WITH(c.check_all_used(), Catch::Contains("reward.margn"));
  CHECK_THROWS_WITH(reward_from("[reward]\ncodes = logits\n"), Catch::Contains("probs, bits"));
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = sum\n"), Catch::Contains("at least one term"));
}

namespace {

// Two triplets, six images on a line (one bit, so squared distances are squared differences):
//   row  0: anchor, class 0, at 0.0      row 2: positive of 0, class 0, at 0.1
//   row  1: anchor, class 1, at 1.0      row 3: positive of 1, class 1, at 0.9
//   row  4: negative of 0, class 1, 0.5  row 5: negative of 1, class 0, at 0.2
const torch::Tensor kLine = torch::tensor({0.0, 1.0, 0.1, 0.9, 0.5, 0.2}).unsqueeze(1);
torch::Tensor line_labels() {
  return torch::tensor({0, 1, 0, 1, 1, 0}).unsqueeze(1).eq(torch::tensor({0, 1})).to(torch::kUInt8);
}

}  // namespace

TEST_CASE("batch-hard mining picks the farthest positive and the closest negative, by hand") {
  const auto rows = make_triplet_miner("hard")->rows(kLine, line_labels());
  // Anchor 0 (class 0 at 0): positives rows 2 (0.1) and 5 (0.2) -> 5; negatives 1, 3, 4 -> 4 (0.5).
  // Anchor 1 (class 1 at 1): positives 3 (0.9) and 4 (0.5) -> 4; negatives 0, 2, 5 -> 5 (0.2).
  CHECK(rows.equal(torch::tensor({0, 1, 5, 4, 4, 5}, torch::kInt64)));
  CHECK(make_triplet_miner("none") == nullptr);
  CHECK_THROWS_WITH(make_triplet_miner("easy"), Catch::Contains("semihard"));
}

TEST_CASE("semi-hard mining keeps the positive and takes the closest negative beyond it, by hand") {
  const auto rows = make_triplet_miner("semihard")->rows(kLine, line_labels());
  // Anchor 0: its positive row 2 at distance 0.01; negatives beyond: 4 (0.25), 3 (0.81), 1 (1) -> 4.
  // Anchor 1: positive row 3 at 0.01; negatives beyond: 5 (0.64), 2 (0.81), 0 (1) -> 5.
  CHECK(rows.equal(torch::tensor({0, 1, 2, 3, 4, 5}, torch::kInt64)));
  // Move anchor 1's positive away (to -0.6): no negative is beyond it, so the farthest one (row 0).
  auto far = kLine.clone();
  far[3][0] = -0.6;
  CHECK(make_triplet_miner("semihard")->rows(far, line_labels()).equal(torch::tensor({0, 1, 2, 3, 4, 0}, torch::kInt64)));
}

TEST_CASE("a reward with a miner scores the mined triplets and passes gradients through them") {
  auto codes = kLine.clone().requires_grad_(true);
  RewardInput in = input_of(codes, codes);
  in.labels = line_labels();
  const auto mined = reward_from("[reward]\nkind = triplet\nmargin = 1\nminer = hard\ncodes = probs\n");
  const auto reward = mined->global_reward(in);
  const auto expected = -triplet_loss(kLine.index_select(0, torch::tensor({0, 1, 5, 4, 4, 5})), 1.0);
  CHECK(torch::allclose(reward.detach(), expected));
  CHECK(!torch::allclose(reward.detach(), reward_from("[reward]\nkind = triplet\ncodes = probs\n")->global_reward(in).detach()));
  reward.sum().backward();
  CHECK(codes.grad()[5][0].item<double>() != 0.0);  // row 5 is scored twice after mining
  CHECK(codes.grad()[2][0].item<double>() == 0.0);  // row 2 not at all
  in.labels = torch::Tensor();
  CHECK_THROWS_WITH(mined->global_reward(in), Catch::Contains("labels"));
}

TEST_CASE("hash centres are fixed by their seed and spread apart") {
  const auto a = hash_centers(10, 48, 0, 64);
  CHECK(a.sizes() == torch::IntArrayRef({10, 48}));
  CHECK(a.equal(hash_centers(10, 48, 0, 64)));
  CHECK_FALSE(a.equal(hash_centers(10, 48, 1, 64)));
  CHECK(((a == 0) | (a == 1)).all().item<bool>());
  const auto closest = [](const torch::Tensor& c) {
    const auto d = c.sum(1, true) + c.sum(1, true).t() - 2 * c.mm(c.t()) + torch::eye(c.size(0)) * 1000;
    return d.min().item<double>();
  };
  // More draws keep the best set seen, so the closest two centres are never nearer.
  CHECK(closest(a) >= closest(hash_centers(10, 48, 0, 1)));
  CHECK(closest(a) >= 14);  // fair coins average 24 bits apart; 64 draws keep the worst pair well away
}

TEST_CASE("the center reward is minus each image's cross-entropy to its label's centre, by hand") {
  CenterReward reward(CenterRewardOptions().scoring(ScoringOptions().codes(ScoredCodes::kProbs)));
  // Two labels; one triplet of 2-bit codes: anchor and positive label 0, negative label 1.
  const auto labels = torch::tensor({{1, 0}, {1, 0}, {0, 1}}, torch::kUInt8);
  const auto centers = hash_centers(2, 2, 0, 64);
  const auto codes = torch::tensor({{0.9, 0.2}, {0.6, 0.5}, {0.3, 0.7}}).requires_grad_(true);
  RewardInput in = input_of(codes.slice(1, 1, 2), codes);
  in.labels = labels;
  in.step = 1;
  in.num_steps = 2;
  const auto target = labels.to(torch::kFloat32).mm(centers);
  const auto bce = [](double p, double t) { return -(t * std::log(p) + (1 - t) * std::log(1 - p)); };
  double global = 0, group = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) global += bce(codes[i][j].item<double>(), target[i][j].item<double>()) / 2;
    group += bce(codes[i][1].item<double>(), target[i][1].item<double>());  // step 1 is the second bit
  }
  CHECK(reward.global_reward(in).item<double>() == Approx(-global / 3));
  CHECK(reward.group_reward(in).item<double>() == Approx(-group / 3));
  // Pathwise: the gradient pulls every probability towards its centre bit.
  const auto grad = torch::autograd::grad({reward.global_reward(in).sum()}, {codes})[0];
  CHECK(((grad > 0) == (target > 0.5)).all().item<bool>());
  // On the emitted bits: minus the fraction of bits that differ from the centre.
  const auto on_bits = reward_from("[reward]\nkind = center\ncodes = bits\n");
  const auto bits = (codes.detach() > 0.5).to(torch::kFloat32);
  CHECK(on_bits->global_reward(in).item<double>() == Approx(-(bits - target).abs().mean().item<double>()));
  // An image with two labels aims at the mean of their centres.
  CHECK(reward.targets(torch::tensor({{1, 1}}, torch::kUInt8), 2).equal(centers.mean(0, true)));
}

TEST_CASE("the center reward's options are checked, and it needs labels") {
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = center\ndraws = 0\n"), Catch::Contains("draws"));
  CHECK_THROWS_WITH(reward_from("[reward]\nkind = center\ncodes = all\n"), Catch::Contains("probs, bits, both"));
  CHECK_THROWS_WITH(CenterReward(CenterRewardOptions().draws(0)), Catch::Contains("draws"));
  const auto codes = torch::rand({3, 4});
  CHECK_THROWS_WITH(CenterReward().global_reward(input_of(codes, codes)), Catch::Contains("labels"));
}
