// Data-parallel training (train/distributed.h): two ranks on loopback, each a Trainer in its own
// thread, hold identical parameters after every step, and not those of either rank alone.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <thread>

#include "hashrl/train/distributed.h"
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

}  // namespace

TEST_CASE("two ranks averaging their gradients keep identical parameters", "[distributed]") {
  Config config = test::synthetic_config();
  config.set("policy.hidden", "16");
  const int port = 29600 + static_cast<int>(::getpid() % 300);
  std::vector<std::vector<torch::Tensor>> final(2);
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
        Trainer trainer(config, test::scratch_dir("distributed-rank" + std::to_string(rank)), options);
        trainer.train_until(20);
        final[rank] = parameters_of(trainer);
      } catch (const std::exception& e) {
        errors[rank] = e.what();
      }
    });
  for (auto& thread : ranks) thread.join();
  INFO(errors[0] << " | " << errors[1]);
  REQUIRE(errors[0].empty());
  REQUIRE(errors[1].empty());
  CHECK(all_equal(final[0], final[1]));

  // And they learned from both ranks' triplets: a single process from the same seed ends elsewhere.
  Trainer alone(config, test::scratch_dir("distributed-alone"), DistributedOptions{});
  alone.train_until(20);
  CHECK_FALSE(all_equal(parameters_of(alone), final[0]));
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
  ::setenv("RANK", "2", 1);
  CHECK_THROWS_WITH(distributed_from_environment(), Catch::Contains("RANK='2'"));
  ::unsetenv("RANK");
  CHECK_THROWS_WITH(distributed_from_environment(), Catch::Contains("RANK is not"));
  ::unsetenv("WORLD_SIZE");
  ::unsetenv("MASTER_PORT");
}
