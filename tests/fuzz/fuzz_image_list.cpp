// libFuzzer target: the text of an image list (`path 0 1 0 ...` per line).
#include "fuzz_main.h"
#include "hashrl/data/readers.h"

HASHRL_FUZZ_TARGET(data, size) {
  hashrl::parse_image_list(std::string(reinterpret_cast<const char*>(data), size), "list.txt");
}
