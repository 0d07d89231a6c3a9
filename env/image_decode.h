#pragma once
// Decoding encoded images (PNG, JPEG, BMP, GIF, ...: whatever stb_image reads) from memory into
// the uint8 [C, H, W] layout that datasets and encoders use.
#include <torch/types.h>

#include <optional>
#include <string>
#include <utility>

namespace hashrl {

struct DecodeOptions {
  int64_t channels = 3;        // 1 (grey) or 3 (RGB): the image is converted to this
  int64_t height = 0, width = 0;  // resized to this size; 0 keeps the decoded size
  // Refuses images whose header declares more pixels than this before decoding them, so that a
  // small compressed file cannot expand into gigabytes. 0: no limit.
  int64_t max_pixels = 0;
};

// The width and height that the image's header declares, without decoding it; nullopt when the
// bytes are not an image stb can read.
std::optional<std::pair<int64_t, int64_t>> image_dimensions(const std::string& bytes);

// uint8 [channels, height, width]. Throws naming `where` when the bytes are not an image, or the
// image is larger than the limit.
torch::Tensor decode_image(const std::string& bytes, const DecodeOptions& options, const std::string& where);

}  // namespace hashrl
