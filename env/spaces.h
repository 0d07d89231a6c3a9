#pragma once
// Gym-style spaces: what shape, dtype and device each tensor of an environment's interface has.
// A spec is known from the configuration alone, before any data is read or encoded.
#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace hashrl {

// A tensor of fixed shape with values in [low, high].
struct Box {
  std::vector<int64_t> shape;
  torch::Dtype dtype = torch::kFloat32;
  torch::Device device = torch::kCPU;
  double low = -1e308, high = 1e308;

  // Empty when `t` matches shape, dtype and device; otherwise what is wrong. Values are not read
  // (that would cost a device-to-host copy); see `check_values`.
  std::string mismatch(const torch::Tensor& t) const;
  // Also checks that every value lies in [low, high].
  std::string check_values(const torch::Tensor& t) const;
  std::string describe() const;
};

// k binary decisions for each of the rows: float values in {0, 1}.
struct MultiBinary : Box {
  MultiBinary() = default;
  MultiBinary(int64_t rows, int64_t n, torch::Device device);
};

struct EnvSpec {
  int64_t code_length = 0;   // q
  int64_t group_size = 0;    // k, the bits of one action group (one step)
  int64_t batch_size = 0;    // B triplets = 3B images
  int64_t feature_dim = 0;   // D
  int64_t num_steps() const { return group_size ? code_length / group_size : 0; }
  int64_t num_images() const { return 3 * batch_size; }
  torch::Device device = torch::kCPU;

  MultiBinary action_space() const;                    // bits and probs, [3B, k]
  std::map<std::string, Box> observation_space() const;  // "features" [3B, D], "bits" [3B, q]
  std::string describe() const;
};

}  // namespace hashrl
