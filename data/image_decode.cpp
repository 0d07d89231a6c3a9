#include "hashrl/data/image_decode.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <torch/torch.h>

#include <cstring>
#include <memory>
#include <utility>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

uint32_t big_endian(const std::string& b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The size a PNG (IHDR) or JPEG (SOF marker) header declares, read by hand: stb refuses headers of
// images too large to decode without saying how large, and the service must answer those 413.
std::optional<std::pair<int64_t, int64_t>> declared_size(const std::string& b) {
  if (b.size() >= 24 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0 && b.compare(12, 4, "IHDR") == 0) {
    const int64_t width = big_endian(b, 16, 4), height = big_endian(b, 20, 4);
    if (width > INT32_MAX || height > INT32_MAX) return std::nullopt;  // the PNG spec's bound: not a PNG
    return std::make_pair(width, height);
  }
  if (b.size() < 4 || static_cast<unsigned char>(b[0]) != 0xff || static_cast<unsigned char>(b[1]) != 0xd8)
    return std::nullopt;
  for (size_t at = 2; at + 9 <= b.size() && static_cast<unsigned char>(b[at]) == 0xff;) {
    const unsigned marker = static_cast<unsigned char>(b[at + 1]);
    const bool frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (frame) return std::make_pair(int64_t{big_endian(b, at + 7, 2)}, int64_t{big_endian(b, at + 5, 2)});
    at += 2 + big_endian(b, at + 2, 2);  // the segment's length counts its own two bytes
  }
  return std::nullopt;
}

// PNG, JPEG, BMP or GIF, by their signatures. stb reads more (PNM, PSD, TGA, HDR, PIC), but its
// PNM reader overruns its buffer on a truncated 16-bit image (found by fuzz_image): only the
// formats hashrl documents reach it.
bool supported_format(const std::string& b) {
  auto starts = [&](const char* signature, size_t size) { return b.size() >= size && b.compare(0, size, signature, size) == 0; };
  return starts("\x89PNG\r\n\x1a\n", 8) || starts("\xff\xd8\xff", 3) || starts("GIF87a", 6) || starts("GIF89a", 6) ||
         starts("BM", 2);
}

// Why stb cannot take these bytes (empty when it can), with the size its header declares in w, h.
std::string header_problem(const std::string& bytes, int& w, int& h) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return fmt::format("{} bytes is too large for an image file", bytes.size());
  if (!supported_format(bytes)) return "cannot decode image: not a PNG, JPEG, BMP or GIF file";
  int channels = 0;
  if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w, &h,
                             &channels))
    return fmt::format("cannot decode image: {}", stbi_failure_reason());
  // stb reads some headers (a GIF screen, a PNM) as 0 x 0; resizing that trips an assertion in stb.
  if (w < 1 || h < 1) return fmt::format("the image has no pixels ({}x{})", w, h);
  return "";
}

}  // namespace

std::optional<ImageHeader> read_image_header(const std::string& bytes) {
  int w = 0, h = 0;
  if (header_problem(bytes, w, h).empty()) return ImageHeader{w, h, false};
  if (!supported_format(bytes)) return std::nullopt;
  // A header stb refused for its size, or a broken image.
  const auto size = declared_size(bytes);
  if (size && size->first * size->second > (int64_t{1} << 28)) return ImageHeader{size->first, size->second, true};
  return std::nullopt;
}

torch::Tensor decode_image(const std::string& bytes, const DecodeOptions& options, const std::string& where) {
  if (options.channels != 1 && options.channels != 3)
    fail("{}: images decode to 1 or 3 channels, not {}", where, options.channels);
  int w = 0, h = 0, channels = 0;
  const std::string problem = header_problem(bytes, w, h);
  if (!problem.empty()) fail("{}: {}", where, problem);
  if (options.max_pixels > 0 && static_cast<int64_t>(w) * h > options.max_pixels)
    fail("{}: image of {}x{} pixels is larger than the limit of {} pixels", where, w, h, options.max_pixels);
  const int c = static_cast<int>(options.channels);
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, static_cast<int>(bytes.size()), &w, &h, &channels, c), stbi_image_free);
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
