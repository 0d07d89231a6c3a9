#include "hashrl/retrieval/faiss_spec.h"

#include <algorithm>
#include <regex>

#include "hashrl/common/error.h"
#include "hashrl/common/parse_number.h"

namespace hashrl {
namespace {

constexpr int64_t kMaxLists = int64_t{1} << 20;
constexpr int64_t kMaxBucketsProbed = int64_t{1} << 20;

// A decimal number in `text` as int64, or a failure naming the description and the field.
int64_t number(const std::string& text, const std::string& description, const std::string& what) {
  const auto value = parse_integer(text);
  if (!value) fail("binary index '{}': {} '{}' is not a number", description, what, text);
  return *value;
}

void require_range(int64_t value, int64_t low, int64_t high, const std::string& description, const std::string& what,
                   const std::string& why = "") {
  if (value < low || value > high)
    fail("binary index '{}': {} must be {} to {}{}, got {}", description, what, low, high, why, value);
}

// Buckets a table of b bits probes with up to `flips` bits flipped: sum of C(b, i) for i <= flips,
// capped past the limit.
int64_t buckets_probed(int64_t b, int64_t flips) {
  int64_t total = 0, choose = 1;  // C(b, 0)
  for (int64_t i = 0; i <= flips; ++i) {
    total += choose;
    if (total > kMaxBucketsProbed) return total;
    choose = choose * (b - i) / (i + 1);
  }
  return total;
}

}  // namespace

FaissSpec parse_faiss_spec(const std::string& description, int64_t bits) {
  FaissSpec spec;
  const size_t comma = description.find(',');
  spec.factory = description.substr(0, comma);
  static const std::regex kinds(R"(BFlat|BIVF(\d+)|BHNSW(\d+)|BHash(\d+)|BHash(\d+)x(\d+))");
  std::smatch m;
  if (!std::regex_match(spec.factory, m, kinds))
    fail("binary index '{}': FAISS kind '{}' is not one of BFlat, BIVF<lists>, BHNSW<M>, BHash<b>, BHash<n>x<b>",
         description, spec.factory);
  int64_t hash_bits = 0;
  const std::string q = std::to_string(bits);
  if (m[1].matched) {
    spec.ivf_lists = number(m[1], description, "the list count");
    require_range(spec.ivf_lists, 1, kMaxLists, description, "BIVF's list count");
  } else if (m[2].matched) {
    require_range(number(m[2], description, "M"), 2, 512, description, "BHNSW's M (neighbours per node)");
  } else if (m[3].matched) {
    hash_bits = number(m[3], description, "the bits hashed");
    require_range(hash_bits, 1, std::min<int64_t>(bits, 64), description, "BHash's bits hashed",
                  " (at most the code's " + q + " bits, and 64)");
  } else if (m[4].matched) {
    const int64_t tables = number(m[4], description, "the table count");
    hash_bits = number(m[5], description, "the bits per table");
    require_range(hash_bits, 1, 64, description, "BHash<n>x<b>'s b");
    require_range(tables, 1, std::max<int64_t>(1, bits / hash_bits), description, "BHash<n>x<b>'s n",
                  " (n x b at most the code's " + q + " bits)");
  }
  for (size_t start = comma; start != std::string::npos && start < description.size();) {
    const size_t end = std::min(description.find(',', start + 1), description.size());
    const std::string item = description.substr(start + 1, end - start - 1);
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
      fail("binary index '{}': '{}' is not a search parameter; write name=number (nprobe=16, nflip=2, efSearch=64)",
           description, item);
    const std::string name = item.substr(0, eq);
    const int64_t value = number(item.substr(eq + 1), description, name);
    if (name == "nprobe" && spec.ivf_lists > 0) {
      require_range(value, 1, spec.ivf_lists, description, "nprobe", " (the lists)");
    } else if (name == "nflip" && hash_bits > 0) {
      require_range(value, 0, hash_bits, description, "nflip", " (the bits hashed)");
      if (buckets_probed(hash_bits, value) > kMaxBucketsProbed)
        fail("binary index '{}': nflip={} probes more than {} buckets a table for {}-bit keys; use fewer flips",
             description, value, kMaxBucketsProbed, hash_bits);
    } else if (name == "efSearch" && m[2].matched) {
      require_range(value, 1, 65536, description, "efSearch");
    } else {
      fail("binary index '{}': '{}' is not a parameter of this kind (BIVF: nprobe; BHash: nflip; BHNSW: efSearch)",
           description, name);
    }
    spec.parameters.emplace_back(name, value);
    start = end;
  }
  return spec;
}

}  // namespace hashrl
