#pragma once
// Decoding encoded images (PNG, JPEG, BMP, GIF, with stb_image) from memory into the uint8
// [C, H, W] layout that datasets and encoders use. Other formats stb knows are refused.
#include <torch/types.h>

#include <optional>
#include <string>
#include <utility>

namespace hashrl {

struct DecodeOptions {
  int64_t channels = 3;        // 1 (grey) or 3 (RGB): the image is converted to this
  int64_t height = 0, width = 0;  // resized to this size; 0 keeps the decoded size
  // Refuses images whose header declares more pixels than this before decoding them, so that a
  // small compressed file cannot expand into gigabytes. The default is 8192 x 8192.
  int64_t max_pixels = int64_t{1} << 26;
};

// What an image's header declares, read without decoding the image.
struct ImageHeader {
  int64_t width = 0, height = 0;
  // The header declares an image too large for the decoder at all (stb takes up to 2^30 bytes of
  // pixels); such a PNG or JPEG header is recognised on its own.
  bool too_large = false;
};

// The header of an encoded image; nullopt when the bytes are not a PNG, JPEG, BMP or GIF stb can read.
std::optional<ImageHeader> read_image_header(const std::string& bytes);

// uint8 [channels, height, width]. Throws naming `where` when the bytes are not an image, or the
// image is larger than the limit.
torch::Tensor decode_image(const std::string& bytes, const DecodeOptions& options, const std::string& where);

}  // namespace hashrl
