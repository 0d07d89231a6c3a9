#include "hashrl/train/gradient_averager.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "hashrl/common/error.h"

namespace hashrl {

struct GradientAverager::Bucket {
  std::vector<size_t> parameters;
  torch::Tensor flat;  // the parameters' gradients end to end, float, this rank's then the sum
  size_t hooked = 0;   // parameters that require a gradient (the others stay zero)
  size_t waiting = 0;  // of them, those whose gradient has not arrived in this backward
  std::unique_ptr<ProcessGroup::PendingSum> sum;
};

GradientAverager::GradientAverager(ProcessGroup& group, std::vector<torch::Tensor> parameters, int64_t bucket_bytes)
    : group_(group),
      parameters_(std::move(parameters)),
      bucket_bytes_(bucket_bytes),
      place_(parameters_.size()),
      arrived_(parameters_.size()) {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const auto& p = parameters_[i];
    if (p.scalar_type() != parameters_.front().scalar_type() || p.device() != parameters_.front().device())
      fail("gradient averaging needs parameters of one type and device; parameter {} is {} on {}", i,
           c10::toString(p.scalar_type()), p.device().str());
    if (p.requires_grad())
      hooks_.emplace_back(i, parameters_[i].register_hook([this, i](const torch::Tensor& grad) { on_gradient(i, grad); }));
  }
  std::vector<size_t> reversed(parameters_.size());
  for (size_t i = 0; i < reversed.size(); ++i) reversed[i] = reversed.size() - 1 - i;
  build_buckets(reversed);
}

void GradientAverager::build_buckets(const std::vector<size_t>& order) {
  constexpr int64_t kFirstBucketBytes = 1 << 20;
  buckets_.clear();
  int64_t cap = std::min(kFirstBucketBytes, bucket_bytes_);
  int64_t bytes = 0;
  for (const size_t i : order) {
    const auto& p = parameters_[i];
    if (buckets_.empty() || (bytes > 0 && bytes + static_cast<int64_t>(p.nbytes()) > cap)) {
      if (!buckets_.empty()) cap = bucket_bytes_;
      buckets_.emplace_back();
      bytes = 0;
    }
    place_[i] = {buckets_.size() - 1, bytes / static_cast<int64_t>(p.element_size())};
    buckets_.back().parameters.push_back(i);
    if (p.requires_grad()) ++buckets_.back().hooked;
    bytes += static_cast<int64_t>(p.nbytes());
  }
  for (auto& bucket : buckets_) {
    int64_t numel = 0;
    for (const size_t i : bucket.parameters) numel += parameters_[i].numel();
    bucket.flat = torch::zeros({numel}, parameters_.front().options().requires_grad(false));
  }
}

void GradientAverager::rebuild_in_arrival_order() {
  // Rank 0's order, for every rank: the buckets must be the same everywhere.
  std::vector<int64_t> order(arrival_.begin(), arrival_.end());
  for (size_t i = parameters_.size(); i-- > 0;)
    if (!arrived_[i]) order.push_back(static_cast<int64_t>(i));
  auto shared = torch::tensor(order, torch::kInt64);
  group_.broadcast({shared});
  std::vector<size_t> agreed(parameters_.size());
  for (size_t j = 0; j < agreed.size(); ++j) agreed[j] = static_cast<size_t>(shared[j].item<int64_t>());
  build_buckets(agreed);
  rebuilt_ = true;
}

GradientAverager::~GradientAverager() {
  // The hooks capture `this`: a parameter that outlives the averager must not call them.
  for (const auto& [i, hook] : hooks_) parameters_[i].remove_hook(hook);
}

void GradientAverager::begin() {
  for (auto& bucket : buckets_) {
    bucket.flat.zero_();
    bucket.waiting = bucket.hooked;
    bucket.sum.reset();
  }
  std::fill(arrived_.begin(), arrived_.end(), false);
  next_to_start_ = 0;
  armed_ = true;
}

void GradientAverager::on_gradient(size_t parameter, const torch::Tensor& grad) {
  if (!armed_) return;  // a backward outside begin()/finish() (a test's, a check's) is not averaged
  auto& bucket = buckets_[place_[parameter].first];
  if (bucket.sum) fail("gradient averaging: a second backward pass reached parameter {} before finish()", parameter);
  const int64_t numel = parameters_[parameter].numel();
  torch::NoGradGuard no_grad;
  auto slot = bucket.flat.slice(0, place_[parameter].second, place_[parameter].second + numel);
  // A parameter reached twice in one backward (retain_graph) adds up, as its .grad would.
  slot.add_(grad.reshape({-1}));
  if (!arrived_[parameter]) {
    arrived_[parameter] = true;
    --bucket.waiting;
    if (!rebuilt_) arrival_.push_back(parameter);
  }
  start_ready_buckets();
}

void GradientAverager::start_ready_buckets() {
  while (next_to_start_ < buckets_.size() && buckets_[next_to_start_].waiting == 0) {
    auto& bucket = buckets_[next_to_start_++];
    bucket.sum = group_.start_sum(bucket.flat);
    ++stats_.started_in_backward;
  }
}

void GradientAverager::finish() {
  if (!armed_) fail("gradient averaging: finish() without begin()");
  armed_ = false;
  const auto waited_from = std::chrono::steady_clock::now();
  for (; next_to_start_ < buckets_.size(); ++next_to_start_)
    buckets_[next_to_start_].sum = group_.start_sum(buckets_[next_to_start_].flat);
  torch::NoGradGuard no_grad;
  const double ranks = group_.world_size();
  for (auto& bucket : buckets_) {
    bucket.sum->wait();
    bucket.sum.reset();
    bucket.flat.div_(ranks);
    stats_.bytes += static_cast<int64_t>(bucket.flat.nbytes());
    ++stats_.buckets;
    for (const size_t i : bucket.parameters) {
      auto& p = parameters_[i];
      const auto mean = bucket.flat.slice(0, place_[i].second, place_[i].second + p.numel()).view_as(p);
      if (p.grad().defined()) p.mutable_grad().copy_(mean);
      else p.mutable_grad() = mean.clone();
    }
  }
  stats_.wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - waited_from).count();
  if (!rebuilt_) rebuild_in_arrival_order();
}

GradientAverager::Stats GradientAverager::take_stats() { return std::exchange(stats_, Stats{}); }

}  // namespace hashrl
