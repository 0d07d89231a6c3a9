// Bad and hostile input, each case one that once crashed, hung or misled hashrl: every one must end
// in a hashrl::Error (or a non-zero exit) whose message names the file, key, flag or value.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "hashrl/common/config.h"
#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/npy.h"
#include "hashrl/common/threads.h"
#include "hashrl/data/image_decode.h"
#include "hashrl/data/readers.h"
#include "hashrl/retrieval/packed_codes.h"
#include "hashrl/train/trainer.h"
#include "support.h"

using namespace hashrl;

namespace {

// A .npy file with `header` as its header dict (padded as NumPy pads it) and `data` after it.
std::string npy_with_header(const std::string& header, const std::string& data = "") {
  std::string dict = header;
  const size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(dict.size() & 0xff));
  out.push_back(static_cast<char>(dict.size() >> 8));
  return out + dict + data;
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

}  // namespace

TEST_CASE(".npy headers that once crashed or were misread are refused, naming the file") {
  // A 30,000-character dtype overflowed the stack of the regex that read headers.
  std::string long_descr = "{'descr': '" + std::string(30000, 'f') + "', 'fortran_order': False, 'shape': (1,), }";
  std::string big(10, '\0');
  big = std::string("\x93NUMPY\x02\x00", 8) + be32(0);  // version 2: a 4-byte little-endian length
  const uint32_t len = static_cast<uint32_t>(long_descr.size());
  for (int i = 0; i < 4; ++i) big[8 + i] = static_cast<char>(len >> (8 * i));
  CHECK_THROWS_WITH(parse_npy(big + long_descr, "long.npy"), Catch::Contains("long.npy") && Catch::Contains("dtype"));
  // A 23-digit dimension gave just "stoll"; a negative one was read as positive.
  CHECK_THROWS_WITH(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (12345678901234567890123, 2), }"), "digits.npy"),
                    Catch::Contains("digits.npy") && Catch::Contains("shape"));
  CHECK_THROWS_WITH(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-20, 16), }"), "neg.npy"),
                    Catch::Contains("neg.npy") && Catch::Contains("(-20, 16)"));
  CHECK_THROWS_WITH(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }"), "huge.npy"),
                    Catch::Contains("huge.npy") && Catch::Contains("more than"));
  CHECK_THROWS_WITH(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }"), "gap.npy"),
                    Catch::Contains("gap.npy"));
  // Well-formed headers in NumPy's spellings still read.
  CHECK(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", std::string(4, '\0')), "s")
            .dim() == 0);
  CHECK(parse_npy(npy_with_header("{'descr':'|u1','fortran_order':False,'shape':(2,3)}", std::string(6, '\1')), "t")
            .sizes() == std::vector<int64_t>{2, 3});
}

TEST_CASE("IDX dimensions whose product overflows are refused before allocating") {
  const std::string images = be32(0x803) + be32(0xffffffffu) + be32(0xffffffffu) + be32(0xffffffffu) + "xx";
  const std::string labels = be32(0x801) + be32(1) + std::string(1, '\0');
  CHECK_THROWS_WITH(parse_idx(images, "wrap-images", labels, "wrap-labels", "t"),
                    Catch::Contains("wrap-images") && Catch::Contains("product"));
}

TEST_CASE("an IDX file of zero images reads as an empty data set (found by fuzz_idx under UBSan)") {
  const std::string images = be32(0x803) + be32(0) + be32(28) + be32(28), labels = be32(0x801) + be32(0);
  CHECK(parse_idx(images, "empty-images", labels, "empty-labels", "t").size() == 0);
}

TEST_CASE("class ids past the label limit are refused naming the file, not allocated") {
  CHECK_THROWS_WITH(label_width(torch::tensor({0, 1000000000}), "big-labels.npy"),
                    Catch::Contains("big-labels.npy") && Catch::Contains("limit"));
  CHECK_THROWS_WITH(as_multi_hot(torch::tensor({0, 1000000000}), "big.npy"), Catch::Contains("big.npy"));
}

TEST_CASE("a config path that is a directory or a device is an error, not an empty config") {
  const std::string dir = test::scratch_dir("config-dir");
  CHECK_THROWS_WITH(Config::from_file(dir), Catch::Contains(dir) && Catch::Contains("directory"));
  CHECK_THROWS_WITH(read_file("/dev/zero"), Catch::Contains("/dev/zero") && Catch::Contains("not a regular file"));
  const auto [status, out] = test::run_hashrl("check-env --config " + dir);
  CHECK(status != 0);
  CHECK_THAT(out, Catch::Contains("directory"));
}

TEST_CASE("a key set twice in one config file is an error naming it") {
  CHECK_THROWS_WITH(Config::from_string("[env]\ncode_length = 12\ncode_length = 48\n", "twice.ini"),
                    Catch::Contains("twice.ini") && Catch::Contains("env.code_length") && Catch::Contains("twice"));
  // --set still overrides the file.
  Config c = Config::from_string("[env]\ncode_length = 12\n", "once.ini");
  c.apply_override("env.code_length=48");
  CHECK(c.get_int("env.code_length", 0) == 48);
}

TEST_CASE("hashrl --threads takes a whole number within its bounds") {
  CHECK(parse_thread_count("1") == 1);
  CHECK(parse_thread_count(std::to_string(max_threads())) == max_threads());
  for (const std::string bad : {"0", "-2", "5abc", "", "100000", "99999999999999"})
    CHECK_THROWS_WITH(parse_thread_count(bad), Catch::Contains("--threads") && Catch::Contains("'" + bad + "'"));
  // The tool answers at once rather than starting 100,000 threads.
  const auto [status, out] = test::run_hashrl("--threads 100000 data");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("--threads"));
  CHECK(test::run_hashrl("--threads 5abc data").first == 2);
  CHECK(test::run_hashrl("--threads=1 --help").first == 0);
}

TEST_CASE("sizes are bounded when read, naming the key, before anything is allocated") {
  const std::string dir = test::scratch_dir("sizes");
  for (const std::string assignment : {"policy.hidden=1000000000", "env.batch_size=1000000000",
                                       "env.code_length=1000000", "data.synthetic.classes=100000000"}) {
    INFO(assignment);
    Config c = test::synthetic_config();
    c.apply_override(assignment);
    CHECK_THROWS_WITH(Trainer(c, dir), Catch::Contains(assignment.substr(0, assignment.find('='))) ||
                                           Catch::Contains("synthetic data"));
  }
}

TEST_CASE("train and eval settings are checked before any data is loaded or step taken") {
  for (const std::string assignment : {"eval.precision_at=-5", "eval.topk=-1", "eval.batch_size=0", "train.steps=-3",
                                       "optim.lr=nan", "optim.lr=inf", "train.checkpoint_seconds=-1"}) {
    INFO(assignment);
    Config c = test::synthetic_config();
    c.apply_override(assignment);
    CHECK_THROWS_WITH(RunSettings::from_config(c), Catch::Contains(assignment.substr(0, assignment.find('='))) &&
                                                       Catch::Contains("--set"));
  }
}

TEST_CASE("check-env checks the whole config: unknown sections, kinds and values outside the env") {
  const std::string dir = test::scratch_dir("check-env-all");
  const std::string path = dir + "/run.ini";
  std::ofstream(path) << test::synthetic_config().to_ini();
  CHECK(test::run_hashrl("check-env --config " + path).first == 0);
  for (const std::string bad : {"bogus.key=1", "agent.kind=nonesuch", "optim.lr=nan", "learner.kind=nonesuch",
                                "env.batch_size=100000000", "env.code_length=1000000"}) {
    INFO(bad);
    const auto [status, out] = test::run_hashrl("check-env --config " + path + " --set " + bad);
    CHECK(status != 0);
    CHECK_THAT(out, Catch::Contains(bad.substr(0, bad.find('.'))) || Catch::Contains("nonesuch"));
    CHECK_THAT(out, !Catch::Contains("frame #"));
  }
}

TEST_CASE("numeric flags are read strictly: serve's port, encode's batch size, eval's cut-offs") {
  CHECK_THAT(test::run_hashrl("serve --run /nonexistent --port=-1").second, Catch::Contains("--port") && Catch::Contains("'-1'"));
  CHECK_THAT(test::run_hashrl("serve --run /nonexistent --port 70000").second, Catch::Contains("--port"));
  CHECK_THAT(test::run_hashrl("serve --run /nonexistent --workers 0").second, Catch::Contains("--workers"));
  CHECK_THAT(test::run_hashrl("encode --out /tmp/x --batch-size 0").second, Catch::Contains("--batch-size"));
  CHECK_THAT(test::run_hashrl("check-env --seed=-1").second, Catch::Contains("--seed"));
  const auto [status, out] = test::run_hashrl("eval --query-codes a --db-codes b --query-labels c --db-labels d --precision-at=-5");
  CHECK(status != 0);
  CHECK_THAT(out, Catch::Contains("--precision-at"));
}

TEST_CASE("an image of 0 x 0 pixels is refused before it is resized (found by fuzz_image)") {
  // stb reads some headers as 0 x 0 pixels (a PNM did it first); resizing that tripped an assertion
  // inside stb, an abort. A GIF screen of 0 x 0 is read the same way.
  const std::string gif("GIF89a\0\0\0\0\0\0\0", 13);
  CHECK_FALSE(read_image_header(gif).has_value());
  CHECK_THROWS_WITH(decode_image(gif, DecodeOptions{3, 8, 8}, "empty.gif"),
                    Catch::Contains("empty.gif") && Catch::Contains("no pixels"));
}

TEST_CASE("only PNG, JPEG, BMP and GIF reach the decoder (found by fuzz_image)") {
  // A truncated 16-bit PNM made stb's PNM reader read past its buffer (ASan: SEGV).
  const std::string pnm = "P5\x0b" "55\x0b" "585\x0b" "585\x0b" "585\x0b\x0b\x7f";
  CHECK_FALSE(read_image_header(pnm).has_value());
  CHECK_THROWS_WITH(decode_image(pnm, DecodeOptions{3, 8, 8}, "x.pgm"),
                    Catch::Contains("x.pgm") && Catch::Contains("not a PNG, JPEG, BMP or GIF"));
}
