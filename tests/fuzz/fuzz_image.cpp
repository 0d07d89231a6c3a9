// libFuzzer target: an encoded image (PNG, JPEG, BMP, GIF...) as uploads and image lists decode it.
#include "fuzz_main.h"
#include "hashrl/data/image_decode.h"

HASHRL_FUZZ_TARGET(data, size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  hashrl::read_image_header(bytes);
  // The resize path, and the decoded size as it is (kept small by the pixel limit).
  hashrl::decode_image(bytes, hashrl::DecodeOptions{3, 8, 8, 1 << 16}, "fuzz image");
  hashrl::decode_image(bytes, hashrl::DecodeOptions{1, 0, 0, 1 << 16}, "fuzz image");
}
