// libFuzzer target: an index description (a FAISS factory string or ours) for codes of some length,
// built, filled with some codes and searched — what `hashrl index build` and `serve --index` do
// with a user's string. BHNSW0 crashed, BIVF0 built an index whose every search failed, and
// nflip=100 searched without end before parse_faiss_spec checked each number: any of those here is
// a crash, a FAISS exception escaping as a non-hashrl error, or a -timeout.
//   bytes 0:    the code length, 0 .. 255
//   bytes 1-2:  the database size, 0 .. 511 (little-endian, modulo 512)
//   the rest:   the description
#include <torch/torch.h>

#include "fuzz_main.h"
#include "hashrl/retrieval/binary_index.h"

HASHRL_FUZZ_TARGET(data, size) {
  if (size < 3) return;
  const int64_t bits = data[0];
  const int64_t items = (data[1] | data[2] << 8) % 512;
  const std::string description(reinterpret_cast<const char*>(data + 3), size - 3);
  auto index = hashrl::make_binary_index(description, bits);
  if (bits == 0) return;  // an index of empty codes has nothing to add or search
  // The codes follow from the input, so that a crash replays.
  auto generator = at::detail::createCPUGenerator(static_cast<uint64_t>(size) * 131 + data[0]);
  const auto codes = torch::randint(0, 2, {items + 3, bits}, generator, torch::kUInt8);
  index->add(codes.slice(0, 0, items));
  const auto queries = codes.slice(0, items);  // not in the database; it may be empty
  index->search(queries[0], 1 + data[1] % 8);
  index->search_many(queries, 3);
  index->range_search(queries[1], data[2] % 4);
  if (items > 0) index->code(items - 1);
}
