// Code statistics in the run report (issue 21): distinct codes, the largest share, constant bits,
// and the collapse flag that says rankings are decided by ties.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/retrieval/code_stats.h"

using namespace hashrl;

TEST_CASE("code statistics count distinct codes and constant bits, and flag a collapse") {
  auto gen = at::detail::createCPUGenerator(21);
  const auto varied = at::randint(0, 2, {5000, 32}, gen).to(torch::kUInt8);
  const auto healthy = code_stats(varied);
  CHECK(healthy.items == 5000);
  CHECK(healthy.distinct == 5000);  // 2^32 values: no repeats among 5,000 draws (a 0.3% chance otherwise)
  CHECK(healthy.constant_bits == 0);
  CHECK_FALSE(healthy.collapsed);

  // 49 codes for 5,000 items, as the CIFAR-10 run had for 59,000.
  const auto few = varied.slice(0, 0, 49).index_select(0, at::randint(0, 49, {5000}, gen));
  const auto collapsed = code_stats(few);
  CHECK(collapsed.distinct <= 49);
  CHECK(collapsed.collapsed);
  CHECK(collapsed.largest_share > 1.0 / 49 / 2);

  // Half the bits stuck at 0 or 1 and the rest varied: flagged only when more than half are stuck.
  auto stuck = varied.clone();
  stuck.slice(1, 0, 17).fill_(1);
  const auto mostly_stuck = code_stats(stuck);
  CHECK(mostly_stuck.constant_bits == 17);
  CHECK(mostly_stuck.bit_mean_max == 1.0);
  CHECK(mostly_stuck.collapsed);
  stuck.slice(1, 16, 17).copy_(varied.slice(1, 16, 17));
  CHECK_FALSE(code_stats(stuck).collapsed);  // 16 of 32: not more than half

  // Short codes cannot be all distinct: the threshold is 1% of min(items, 2^bits), so 128 codes of
  // 12 bits for 49,000 items (a healthy CIFAR-10 run's) are not a collapse, 40 are (the threshold is 40.96).
  CHECK(code_capacity(49000, 12) == 4096);
  CHECK(code_capacity(49000, 48) == 49000);
  CHECK(code_capacity(int64_t{1} << 62, 62) == int64_t{1} << 62);
  CHECK(code_capacity(49000, 64) == 49000);
  const auto twelve = at::randint(0, 2, {128, 12}, gen).to(torch::kUInt8);
  const auto short_healthy = code_stats(twelve.index_select(0, at::randint(0, 128, {49000}, gen)));
  CHECK(short_healthy.distinct > 40);
  CHECK(short_healthy.distinct < 490);  // under the old threshold (1% of the items), which misfired
  CHECK_FALSE(short_healthy.collapsed);
  const auto short_few = code_stats(twelve.slice(0, 0, 40).index_select(0, at::randint(0, 40, {49000}, gen)));
  CHECK(short_few.distinct <= 40);
  CHECK(short_few.collapsed);

  const auto json = to_json(healthy);
  CHECK(json["distinct_codes"] == 5000);
  CHECK(json["collapsed"] == false);
  CHECK(code_stats(torch::empty({0, 8}, torch::kUInt8)).distinct == 0);
}
