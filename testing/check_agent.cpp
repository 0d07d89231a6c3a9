#include <fmt/format.h>
#include <torch/torch.h>

#include "hashrl/agents/bernoulli.h"
#include "hashrl/testing/conformance.h"

namespace hashrl {

CheckReport check_agent(Agent& agent, Env& env, uint64_t seed, int64_t draws) {
  CheckReport report;
  report.name = "check_agent";
  Checker check(report);
  check.guarded("the agent acts through an episode", [&] {
    const EnvSpec& spec = env.spec();
    torch::manual_seed(seed);
    auto [obs, info] = env.reset(seed);
    if (agent.fitted_in_closed_form()) {  // fitted on the batch itself: anchors, positives, negatives
      const auto labels = torch::eye(spec.rows_per_episode).repeat_interleave(spec.batch_size, 0);
      agent.fit(obs.features.detach(), labels);
    }
    auto state = agent.initial_state(obs);
    const int64_t n = spec.num_rows(), k = spec.group_size;
    auto [step, next] = agent.act(obs, state, ActMode::kSample);
    const auto& a = step.action;
    check.expect(a.bits.sizes() == std::vector<int64_t>{n, k}, "bits are [rows, k]", fmt::format("{}", a.bits.sizes()));
    check.expect(a.probs.sizes() == std::vector<int64_t>{n, k}, "probs are [rows, k]", fmt::format("{}", a.probs.sizes()));
    check.expect(step.log_prob.sizes() == std::vector<int64_t>{n}, "log_prob is [rows]",
                 fmt::format("{}", step.log_prob.sizes()));
    check.expect(step.entropy.sizes() == std::vector<int64_t>{n}, "entropy is [rows]",
                 fmt::format("{}", step.entropy.sizes()));
    check.expect(a.bits.device() == spec.device && a.probs.device() == spec.device, "actions on the env's device");
    const auto probs = a.probs.detach().to(torch::kCPU, torch::kFloat64);
    const auto bits = a.bits.detach().to(torch::kCPU, torch::kFloat64);
    check.expect(probs.min().item<double>() >= 0 && probs.max().item<double>() <= 1, "probs in [0, 1]");
    check.expect(bits.eq(0).logical_or(bits.eq(1)).all().item<bool>(), "bits in {0, 1}");

    // The log-probability is the Bernoulli log-likelihood of the bits, clamped as bernoulli.h says
    // (closed-form agents emit probabilities of exactly 0 and 1).
    const auto p = probs.clamp(kMinProb, 1 - kMinProb);
    const auto expected_log_prob = (bits * p.log() + (1 - bits) * (1 - p).log()).sum(1);
    const auto expected_entropy = -(p * p.log() + (1 - p) * (1 - p).log()).sum(1);
    const auto log_prob = step.log_prob.detach().to(torch::kCPU, torch::kFloat64);
    const auto entropy = step.entropy.detach().to(torch::kCPU, torch::kFloat64);
    check.expect(torch::allclose(log_prob, expected_log_prob, 1e-4, 1e-4),
                 "log_prob is the Bernoulli log-likelihood of the bits",
                 fmt::format("largest gap {}", (log_prob - expected_log_prob).abs().max().item<double>()));
    check.expect(torch::allclose(entropy, expected_entropy, 1e-4, 1e-3), "entropy is the Bernoulli entropy of the probs",
                 fmt::format("largest gap {}", (entropy - expected_entropy).abs().max().item<double>()));

    // Greedy bits are deterministic and threshold the probabilities at 0.5 (eq. 7).
    const auto g1 = agent.act(obs, state, ActMode::kGreedy).first.action.bits.to(torch::kCPU, torch::kFloat64);
    const auto g2 = agent.act(obs, state, ActMode::kGreedy).first.action.bits.to(torch::kCPU, torch::kFloat64);
    check.expect(g1.equal(g2), "greedy bits are the same twice");
    check.expect(g1.equal(probs.gt(0.5).to(torch::kFloat64)), "greedy bits are probs > 0.5");

    // Sampled bits follow the probabilities.
    if (draws > 0) {
      torch::NoGradGuard no_grad;
      auto sum = torch::zeros({n, k}, torch::kFloat64);
      for (int64_t i = 0; i < draws; ++i)
        sum += agent.act(obs, state, ActMode::kSample).first.action.bits.to(torch::kCPU, torch::kFloat64);
      const double gap = (sum / static_cast<double>(draws) - probs).abs().max().item<double>();
      check.expect(gap < 0.05, fmt::format("the mean of {} sampled bits is within 0.05 of probs", draws),
                   fmt::format("largest gap {:.3f}", gap));
    }

    // An episode runs to the end on the agent's own state.
    int64_t steps = 0;
    bool terminated = false;
    std::vector<Observation> observations;
    std::vector<Action> actions;
    std::vector<AgentStep> acted;
    const auto first_state = state;
    for (int64_t t = 0; t < spec.num_steps(); ++t) {
      auto [s, ns] = agent.act(obs, state, ActMode::kSample);
      auto result = env.step(s.action);
      observations.push_back(obs);
      actions.push_back(s.action);
      acted.push_back(s);
      obs = result.observation;
      state = ns;
      terminated = result.terminated.all().item<bool>();
      ++steps;
    }
    check.expect(terminated && steps == spec.num_steps(), "an episode ends after q / k actions");

    // Stored actions scored again, teacher-forced, give what act() gave when it drew them.
    const auto scored = agent.evaluate(observations, actions, first_state);
    double log_prob_gap = 0, entropy_gap = 0;
    bool shapes = scored.size() == acted.size();
    for (size_t t = 0; shapes && t < scored.size(); ++t) {
      shapes = scored[t].log_prob.sizes() == acted[t].log_prob.sizes() &&
               scored[t].entropy.sizes() == acted[t].entropy.sizes();
      if (!shapes) break;
      log_prob_gap = std::max(log_prob_gap, (scored[t].log_prob - acted[t].log_prob).abs().max().item<double>());
      entropy_gap = std::max(entropy_gap, (scored[t].entropy - acted[t].entropy).abs().max().item<double>());
    }
    check.expect(shapes, "evaluate() scores every step, [rows] each");
    check.expect(shapes && log_prob_gap <= 1e-4 && entropy_gap <= 1e-4,
                 "evaluate() on the stored bits equals act()'s log_prob and entropy",
                 fmt::format("largest gaps: log_prob {:.3g}, entropy {:.3g}", log_prob_gap, entropy_gap));
  });
  return report;
}

}  // namespace hashrl
