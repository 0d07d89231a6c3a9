#pragma once
// NumPy's .npy format (versions 1-3, little-endian, C order), so that codes, labels and features
// move between hashrl and Python without conversion:
//   numpy.load("codes/query_codes.npy")  <->  hashrl::load_npy / hashrl::save_npy
// Supported dtypes: bool, uint8, int8, int32, int64, float32, float64.
#include <torch/types.h>

#include <string>

namespace hashrl {

// Loads a .npy file into a CPU tensor of the matching dtype. Throws naming the file on a missing
// file, a bad magic string or header, an unsupported dtype, Fortran order or a size mismatch.
torch::Tensor load_npy(const std::string& path);

// Parses .npy bytes; `origin` names the source in error messages.
torch::Tensor parse_npy(const std::string& bytes, const std::string& origin);

// Serialises a tensor (any device, any supported dtype) as .npy bytes.
std::string to_npy(const torch::Tensor& tensor);

// Writes a tensor as a .npy file, atomically.
void save_npy(const std::string& path, const torch::Tensor& tensor);

}  // namespace hashrl
