#pragma once
// Batches encoding across concurrent requests: each caller hands in one item and blocks; a worker
// thread takes every item that arrives within a short window (up to a maximum batch) and encodes
// them in one forward pass, which costs little more than encoding one. With a single caller it
// adds at most the window to its latency.
#include <torch/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace hashrl {

struct BatcherOptions {
  int64_t max_batch = 32;
  std::chrono::microseconds window{1000};
};

class EncodeBatcher {
 public:
  // [N, ...] items -> [N, q] codes.
  using EncodeFn = std::function<torch::Tensor(const torch::Tensor& items)>;

  EncodeBatcher(EncodeFn encode, BatcherOptions options);
  ~EncodeBatcher();  // finishes the items already queued, then stops
  EncodeBatcher(const EncodeBatcher&) = delete;
  EncodeBatcher& operator=(const EncodeBatcher&) = delete;

  // One item (the shape every other caller uses) -> its code [q]. Rethrows the encoder's error.
  torch::Tensor encode(torch::Tensor item);

 private:
  struct Job {
    torch::Tensor item;
    std::promise<torch::Tensor> code;
  };
  void work();

  EncodeFn encode_;
  BatcherOptions options_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace hashrl
