#include "hashrl/env/image_decode.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <torch/torch.h>

#include <memory>

#include "hashrl/common/error.h"

namespace hashrl {

std::optional<std::pair<int64_t, int64_t>> image_dimensions(const std::string& bytes) {
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w, &h,
                             &channels))
    return std::nullopt;
  return std::make_pair(int64_t{w}, int64_t{h});
}

torch::Tensor decode_image(const std::string& bytes, const DecodeOptions& options, const std::string& where) {
  if (options.channels != 1 && options.channels != 3)
    fail("{}: images decode to 1 or 3 channels, not {}", where, options.channels);
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(data, size, &w, &h, &channels))
    fail("{}: cannot decode image: {}", where, stbi_failure_reason());
  if (options.max_pixels > 0 && static_cast<int64_t>(w) * h > options.max_pixels)
    fail("{}: image of {}x{} pixels is larger than the limit of {} pixels", where, w, h, options.max_pixels);
  const int c = static_cast<int>(options.channels);
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, size, &w, &h, &channels, c),
                                                   stbi_image_free);
  if (!pixels) fail("{}: cannot decode image: {}", where, stbi_failure_reason());
  const int out_h = options.height > 0 ? static_cast<int>(options.height) : h;
  const int out_w = options.width > 0 ? static_cast<int>(options.width) : w;
  auto hwc = torch::empty({out_h, out_w, c}, torch::kUInt8);
  if (out_h == h && out_w == w)
    std::memcpy(hwc.data_ptr<uint8_t>(), pixels.get(), static_cast<size_t>(h) * w * c);
  else if (!stbir_resize_uint8(pixels.get(), w, h, 0, hwc.data_ptr<uint8_t>(), out_w, out_h, 0, c))
    fail("{}: cannot resize the image to {}x{}", where, out_w, out_h);
  return hwc.permute({2, 0, 1}).contiguous();  // interleaved HWC -> planar CHW
}

}  // namespace hashrl
