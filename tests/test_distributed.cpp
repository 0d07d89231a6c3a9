// Data-parallel training (train/distributed.h, train/gradient_averager.h): two ranks on loopback
// hold identical parameters, equal to one process that trains on both ranks' triplets with the
// gradients averaged; the per-rank seeds; torchrun's variables.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <functional>
#include <thread>

#include "hashrl/rollout/rollout.h"
#include "hashrl/train/distributed.h"
#include "hashrl/train/gradient_averager.h"
#include "hashrl/train/trainer.h"
#include "support.h"

using namespace hashrl;

namespace {

std::vector<torch::Tensor> parameters_of(Trainer& trainer) {
  std::vector<torch::Tensor> out;
  for (const auto& p : trainer.agent().module().parameters()) out.push_back(p.detach().clone());
  return out;
}

bool all_equal(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
}

// Runs `rank_body(options)` for ranks 0 and 1 of a loopback group, each in its own thread, and
// fails the test with each rank's error, if any.
void run_two_ranks(int port, const std::function<void(const DistributedOptions&)>& rank_body) {
  std::vector<std::string> errors(2);
  std::vector<std::thread> ranks;
  for (int rank = 0; rank < 2; ++rank)
    ranks.emplace_back([&, rank] {
      try {
        DistributedOptions options;
        options.rank = rank;
        options.world_size = 2;
        options.master_port = port;
        options.timeout = std::chrono::seconds(60);
        rank_body(options);
      } catch (const std::exception& e) {
        errors[rank] = e.what();
      }
    });
  for (auto& thread : ranks) thread.join();
  INFO(errors[0] << " | " << errors[1]);
  REQUIRE(errors[0].empty());
  REQUIRE(errors[1].empty());
}

}  // namespace

TEST_CASE("two ranks averaging their gradients keep identical parameters", "[distributed]") {
  Config config = test::synthetic_config();
  config.set("policy.hidden", "16");
  std::vector<std::vector<torch::Tensor>> final(2);
  run_two_ranks(29600 + static_cast<int>(::getpid() % 300), [&](const DistributedOptions& options) {
    Trainer trainer(config, test::scratch_dir("distributed-rank" + std::to_string(options.rank)), options);
    trainer.train_until(20);
    final[options.rank] = parameters_of(trainer);
  });
  CHECK(all_equal(final[0], final[1]));

  // And they learned from both ranks' triplets: a single process from the same seed ends elsewhere.
  Trainer alone(config, test::scratch_dir("distributed-alone"), DistributedOptions{});
  alone.train_until(20);
  CHECK_FALSE(all_equal(parameters_of(alone), final[0]));
}

TEST_CASE("two ranks train as one process does on both ranks' triplets with the gradients averaged",
          "[distributed]") {
  // The ranks run as processes (`hashrl train --nproc 2`): in threads they would share torch's
  // random generator, and their draws would interleave by chance.
  Config config = test::synthetic_config();
  config.set("policy.hidden", "16");
  config.set("train.steps", "20");
  config.set("optim.kind", "adam");
  config.set("optim.clip_grad_norm", "0.5");
  const auto dir = test::scratch_dir("distributed-equivalence");
  test::write_bytes(dir + "/config.ini", config.to_ini());
  // One thread in every process: the reference and the ranks then sum in the same order on any
  // machine, whatever its core count (a gradient element that is mostly rounding would otherwise
  // let Adam move it by up to lr a step).
  const auto [status, output] =
      test::run_hashrl(fmt::format("--threads 1 train --config {0}/config.ini --out {0}/ranks --nproc 2", dir));
  INFO(output);
  REQUIRE(status == 0);

  // One process, one model: each step rolls out rank 0's and rank 1's episodes from their seeds,
  // takes each loss's gradient, averages the two, clips and steps as the trainer does.
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  Trainer reference(config, dir + "/reference", DistributedOptions{});
  const auto settings = RunSettings::from_config(config);
  auto& agent = reference.agent();
  auto parameters = agent.module().parameters();
  REQUIRE(reference.env().parameters().empty());  // an identity encoder: the agent's are all
  REQUIRE(reference.learner().module() == nullptr);
  auto optimizer = make_optimizer(settings.optim, TrainableParameters{parameters, {}});
  const uint64_t seed = settings.train.seed;
  for (int64_t step = 0; step < 20; ++step) {
    set_learning_rate(*optimizer, settings.optim, step);
    agent.module().train();
    std::vector<std::vector<torch::Tensor>> grads(2);
    for (int rank = 0; rank < 2; ++rank) {
      torch::manual_seed(rank_step_seed(seed, rank, step));
      const auto trajectory = rollout(reference.env(), agent, agent.training_mode(), rank_step_seed(seed, rank, step, 1));
      optimizer->zero_grad();
      reference.learner().loss(trajectory).loss.backward();
      for (auto& p : parameters) grads[rank].push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    }
    for (size_t i = 0; i < parameters.size(); ++i) parameters[i].mutable_grad() = (grads[0][i] + grads[1][i]) / 2;
    torch::nn::utils::clip_grad_norm_(parameters, settings.optim.clip_grad_norm);
    optimizer->step();
  }

  at::set_num_threads(threads);
  Trainer ranks(config, dir + "/ranks", DistributedOptions{});
  REQUIRE(ranks.resume());
  CHECK(ranks.step() == 20);
  const auto trained = parameters_of(ranks);
  REQUIRE(trained.size() == parameters.size());
  double worst = 0;
  for (size_t i = 0; i < parameters.size(); ++i)
    worst = std::max(worst, (trained[i] - parameters[i].detach()).abs().max().item<double>());
  CHECK(worst <= 1e-5);
  // Not trivially so: the parameters moved.
  Trainer untrained(config, dir + "/untrained", DistributedOptions{});
  CHECK_FALSE(all_equal(parameters_of(untrained), trained));
}

TEST_CASE("gradients are averaged during backward, a parameter a rank's loss missed counting as zeros",
          "[distributed]") {
  // Three parameters; rank 0's loss reaches a and b, rank 1's a and c. Tiny buckets, so that each
  // parameter has its own and the order in which buckets start matters.
  std::vector<std::vector<torch::Tensor>> grads(2);
  std::vector<GradientAverager::Stats> stats(2);
  run_two_ranks(29900 + static_cast<int>(::getpid() % 90), [&](const DistributedOptions& options) {
    const int rank = options.rank;
    ProcessGroup group(options);
    std::vector<torch::Tensor> p = {torch::ones({1000}, torch::requires_grad()),
                                    torch::ones({2000}, torch::requires_grad()),
                                    torch::ones({3000}, torch::requires_grad())};
    GradientAverager averager(group, p, /*bucket_bytes=*/1);
    for (int step = 0; step < 3; ++step) {
      for (auto& t : p) t.mutable_grad() = torch::Tensor();
      averager.begin();
      const double scale = rank + 1;
      auto loss = (p[0] * scale).sum() + (rank == 0 ? (p[1] * 3).sum() : (p[2] * 5).sum());
      loss.backward();
      averager.finish();
    }
    for (auto& t : p) grads[rank].push_back(t.grad().clone());
    stats[rank] = averager.take_stats();
  });
  for (int rank = 0; rank < 2; ++rank) {
    CHECK(torch::allclose(grads[rank][0], torch::full({1000}, 1.5)));  // (1 + 2) / 2
    CHECK(torch::allclose(grads[rank][1], torch::full({2000}, 1.5)));  // (3 + 0) / 2
    CHECK(torch::allclose(grads[rank][2], torch::full({3000}, 2.5)));  // (0 + 5) / 2
    CHECK(stats[rank].buckets == 9);
    CHECK(stats[rank].bytes == 3 * 6000 * 4);
  }
  // Rank 0, first step: c's bucket comes first (reverse order) and never fills, so nothing starts
  // in backward. Then the buckets follow rank 0's arrival order, c last: a's and b's start in
  // backward in each of the two steps left.
  CHECK(stats[0].started_in_backward == 4);
}

TEST_CASE("each rank's seeds depend on the seed, the rank, the step and the stream alone", "[distributed]") {
  CHECK(rank_step_seed(3, 1, 7, 0) == rank_step_seed(3, 1, 7, 0));
  const std::vector<uint64_t> seeds = {rank_step_seed(3, 0, 7), rank_step_seed(3, 1, 7), rank_step_seed(3, 0, 8),
                                       rank_step_seed(4, 0, 7), rank_step_seed(3, 0, 7, 1)};
  for (size_t i = 0; i < seeds.size(); ++i)
    for (size_t j = i + 1; j < seeds.size(); ++j) CHECK(seeds[i] != seeds[j]);
}

TEST_CASE("distributed settings come from torchrun's variables, and a malformed one is named", "[distributed]") {
  ::unsetenv("WORLD_SIZE");
  CHECK(distributed_from_environment().world_size == 1);
  ::setenv("WORLD_SIZE", "2", 1);
  ::setenv("RANK", "1", 1);
  ::setenv("MASTER_PORT", "12345", 1);
  const auto options = distributed_from_environment();
  CHECK(options.world_size == 2);
  CHECK(options.rank == 1);
  CHECK(options.master_port == 12345);
  CHECK(options.restart == 0);
  CHECK(options.local_rank == 0);
  ::setenv("LOCAL_RANK", "1", 1);  // which of the machine's GPUs the rank takes
  CHECK(distributed_from_environment().local_rank == 1);
  ::setenv("LOCAL_RANK", "x", 1);
  CHECK_THROWS_WITH(distributed_from_environment(), Catch::Contains("LOCAL_RANK='x'"));
  ::unsetenv("LOCAL_RANK");
  ::setenv("TORCHELASTIC_RESTART_COUNT", "1", 1);
  CHECK(distributed_from_environment().restart == 1);
  ::unsetenv("TORCHELASTIC_RESTART_COUNT");
  ::setenv("RANK", "2", 1);
  CHECK_THROWS_WITH(distributed_from_environment(), Catch::Contains("RANK='2'"));
  ::unsetenv("RANK");
  CHECK_THROWS_WITH(distributed_from_environment(), Catch::Contains("RANK is not"));
  ::unsetenv("WORLD_SIZE");
  ::unsetenv("MASTER_PORT");
}
