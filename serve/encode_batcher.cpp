#include "hashrl/serve/encode_batcher.h"

#include <torch/torch.h>

#include <vector>

namespace hashrl {

EncodeBatcher::EncodeBatcher(EncodeFn encode, BatcherOptions options)
    : encode_(std::move(encode)), options_(options), worker_([this] { work(); }) {}

EncodeBatcher::~EncodeBatcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  worker_.join();
}

torch::Tensor EncodeBatcher::encode(torch::Tensor item) {
  std::future<torch::Tensor> code;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Job{std::move(item), {}});
    code = queue_.back().code.get_future();
  }
  ready_.notify_all();
  return code.get();
}

void EncodeBatcher::work() {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      // Give concurrent callers a moment to join this batch.
      ready_.wait_for(lock, options_.window,
                      [&] { return stopping_ || static_cast<int64_t>(queue_.size()) >= options_.max_batch; });
      while (!queue_.empty() && static_cast<int64_t>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    try {
      std::vector<torch::Tensor> items;
      for (const auto& job : batch) items.push_back(job.item);
      const auto codes = encode_(torch::stack(items));
      for (size_t i = 0; i < batch.size(); ++i) batch[i].code.set_value(codes[static_cast<int64_t>(i)]);
    } catch (...) {
      for (auto& job : batch) job.code.set_exception(std::current_exception());
    }
  }
}

}  // namespace hashrl
