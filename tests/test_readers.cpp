// Every reader on small files the test writes itself, and every bad-input case of issue 2.
#include <catch2/catch.hpp>
#include <stb/stb_image_write.h>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/data/readers.h"
#include "support.h"

using namespace hashrl;

namespace {

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string idx_images(int n, int h, int w) {
  std::string s = be32(0x803) + be32(n) + be32(h) + be32(w);
  for (int i = 0; i < n * h * w; ++i) s.push_back(static_cast<char>(i % 251));
  return s;
}

std::string idx_labels(const std::vector<int>& labels) {
  std::string s = be32(0x801) + be32(static_cast<uint32_t>(labels.size()));
  for (const int l : labels) s.push_back(static_cast<char>(l));
  return s;
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

}  // namespace

TEST_CASE("IDX files are read gzipped or not") {
  const std::string dir = test::scratch_dir("idx");
  test::write_bytes(dir + "/img", idx_images(3, 4, 5));
  test::write_bytes(dir + "/lab", idx_labels({0, 9, 3}));
  write_gz(dir + "/img.gz", idx_images(3, 4, 5));
  write_gz(dir + "/lab.gz", idx_labels({0, 9, 3}));
  const auto plain = read_idx(dir + "/img", dir + "/lab", "t");
  const auto zipped = read_idx(dir + "/img.gz", dir + "/lab.gz", "t");
  CHECK(plain.images.sizes() == std::vector<int64_t>{3, 1, 4, 5});
  CHECK(plain.images.equal(zipped.images));
  CHECK(plain.labels.argmax(1).equal(torch::tensor({0, 9, 3})));
  CHECK(plain.images[1][0][0][0].item<int>() == 20);
}

TEST_CASE("bad IDX files are rejected naming the file") {
  const std::string dir = test::scratch_dir("idx-bad");
  test::write_bytes(dir + "/img", idx_images(3, 4, 5));
  test::write_bytes(dir + "/lab", idx_labels({0, 1, 2}));
  std::string wrong_magic = idx_images(3, 4, 5);
  wrong_magic[3] = 0x01;
  test::write_bytes(dir + "/magic", wrong_magic);
  test::write_bytes(dir + "/short", idx_images(3, 4, 5).substr(0, 40));
  test::write_bytes(dir + "/lab2", idx_labels({0, 1}));
  test::write_bytes(dir + "/lab11", idx_labels({0, 1, 11}));
  write_gz(dir + "/trunc.gz", idx_images(3, 4, 5));
  std::string gz = [&] { std::ifstream in(dir + "/trunc.gz", std::ios::binary); return std::string(std::istreambuf_iterator<char>(in), {}); }();
  test::write_bytes(dir + "/trunc.gz", gz.substr(0, gz.size() / 2));

  CHECK_THROWS_WITH(read_idx(dir + "/none", dir + "/lab", "t"), Catch::Contains(dir + "/none"));
  CHECK_THROWS_WITH(read_idx(dir + "/magic", dir + "/lab", "t"), Catch::Contains("magic") && Catch::Contains(dir + "/magic"));
  CHECK_THROWS_WITH(read_idx(dir + "/short", dir + "/lab", "t"), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(read_idx(dir + "/trunc.gz", dir + "/lab", "t"), Catch::Contains(dir + "/trunc.gz"));
  CHECK_THROWS_WITH(read_idx(dir + "/img", dir + "/lab2", "t"), Catch::Contains("3 images") && Catch::Contains("2 labels"));
  CHECK_THROWS_WITH(read_idx(dir + "/img", dir + "/lab11", "t"), Catch::Contains("out of range") && Catch::Contains(dir + "/lab11"));
}

TEST_CASE("CIFAR-10 binary batches are read, and bad ones rejected") {
  const std::string dir = test::scratch_dir("cifar");
  std::string records;
  for (int r = 0; r < 4; ++r) {
    records.push_back(static_cast<char>(r * 3));
    for (int i = 0; i < 3072; ++i) records.push_back(static_cast<char>((r + i) % 256));
  }
  test::write_bytes(dir + "/b.bin", records);
  const auto d = read_cifar10_batch(dir + "/b.bin");
  CHECK(d.images.sizes() == std::vector<int64_t>{4, 3, 32, 32});
  CHECK(d.labels.argmax(1).equal(torch::tensor({0, 3, 6, 9})));
  CHECK(d.images[1][0][0][1].item<int>() == 2);
  CHECK(d.images[0][1][0][0].item<int>() == 1024 % 256);

  test::write_bytes(dir + "/short.bin", records.substr(0, 5000));
  CHECK_THROWS_WITH(read_cifar10_batch(dir + "/short.bin"), Catch::Contains("short.bin") && Catch::Contains("truncated"));
  std::string bad = records;
  bad[0] = 10;
  test::write_bytes(dir + "/label.bin", bad);
  CHECK_THROWS_WITH(read_cifar10_batch(dir + "/label.bin"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(read_cifar10_dir(dir), Catch::Contains("data_batch_1.bin"));
}

TEST_CASE("image lists decode PNG and JPEG, resize, and reject bad lines and images") {
  const std::string dir = test::scratch_dir("list");
  std::vector<unsigned char> pixels(6 * 4 * 3);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 5);
  REQUIRE(stbi_write_png((dir + "/a.png").c_str(), 6, 4, 3, pixels.data(), 6 * 3));
  REQUIRE(stbi_write_jpg((dir + "/b.jpg").c_str(), 6, 4, 3, pixels.data(), 90));
  test::write_bytes(dir + "/broken.png", "\x89PNG not really");
  test::write_bytes(dir + "/list.txt", "a.png 1 0 1\n\nb.jpg 0 1 0\n");
  const auto d = read_image_list(dir + "/list.txt", dir, 8);
  CHECK(d.images.sizes() == std::vector<int64_t>{2, 3, 8, 8});
  CHECK(d.labels.equal(torch::tensor({{1, 0, 1}, {0, 1, 0}}, torch::kUInt8)));

  test::write_bytes(dir + "/count.txt", "a.png 1 0 1\nb.jpg 0 1\n");
  CHECK_THROWS_WITH(read_image_list(dir + "/count.txt", dir, 8), Catch::Contains("count.txt:2"));
  test::write_bytes(dir + "/missing.txt", "a.png 1 0\nnope.png 0 1\n");
  CHECK_THROWS_WITH(read_image_list(dir + "/missing.txt", dir, 8), Catch::Contains("nope.png"));
  test::write_bytes(dir + "/broken.txt", "broken.png 1 0\n");
  CHECK_THROWS_WITH(read_image_list(dir + "/broken.txt", dir, 8), Catch::Contains("cannot decode") && Catch::Contains("broken.txt:1"));
  test::write_bytes(dir + "/value.txt", "a.png 1 2\n");
  CHECK_THROWS_WITH(read_image_list(dir + "/value.txt", dir, 8), Catch::Contains("not 0 or 1"));
}

TEST_CASE("image folders read one class per folder in name order, as torchvision's ImageFolder does") {
  namespace fs = std::filesystem;
  const std::string dir = test::scratch_dir("image-folder");
  std::vector<unsigned char> pixels(5 * 5 * 3);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 3);
  for (const char* name : {"cat", "airplane", "bird"}) fs::create_directories(dir + "/tree/" + name);
  REQUIRE(stbi_write_png((dir + "/tree/cat/1.png").c_str(), 5, 5, 3, pixels.data(), 15));
  REQUIRE(stbi_write_jpg((dir + "/tree/cat/0.JPG").c_str(), 5, 5, 3, pixels.data(), 90));
  REQUIRE(stbi_write_png((dir + "/tree/airplane/x.png").c_str(), 5, 5, 3, pixels.data(), 15));
  REQUIRE(stbi_write_png((dir + "/tree/bird/y.png").c_str(), 5, 5, 3, pixels.data(), 15));
  test::write_bytes(dir + "/tree/bird/notes.txt", "not an image: skipped");
  test::write_bytes(dir + "/tree/README", "a file beside the class folders: not a class");
  const auto d = read_image_folder(dir + "/tree", 8);
  CHECK(d.images.sizes() == std::vector<int64_t>{4, 3, 8, 8});
  // airplane = 0, bird = 1, cat = 2 (alphabetical); within cat, 0.JPG before 1.png.
  CHECK(d.labels.equal(torch::tensor({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}}, torch::kUInt8)));
  CHECK(d.images[2].equal(read_image_folder(dir + "/tree", 8).images[2]));

  fs::create_directories(dir + "/tree/empty");
  CHECK_THROWS_WITH(read_image_folder(dir + "/tree", 8), Catch::Contains("empty") && Catch::Contains("no JPEG"));
  CHECK_THROWS_WITH(read_image_folder(dir + "/nowhere", 8), Catch::Contains("nowhere"));
  fs::create_directories(dir + "/flat");
  CHECK_THROWS_WITH(read_image_folder(dir + "/flat", 8), Catch::Contains("no class folders"));
}

TEST_CASE("feature .npy files are read with class-id or multi-hot labels, and checked") {
  const std::string dir = test::scratch_dir("features");
  save_npy(dir + "/f.npy", torch::randn({5, 3}));
  save_npy(dir + "/ids.npy", torch::tensor({0, 2, 1, 2, 0}, torch::kInt64));
  save_npy(dir + "/hot.npy", torch::tensor({{1, 0}, {0, 1}, {1, 1}, {0, 1}, {1, 0}}, torch::kUInt8));
  CHECK(read_npy_features(dir + "/f.npy", dir + "/ids.npy").labels.sizes() == std::vector<int64_t>{5, 3});
  CHECK(read_npy_features(dir + "/f.npy", dir + "/hot.npy").labels.sizes() == std::vector<int64_t>{5, 2});
  save_npy(dir + "/f64.npy", torch::randn({5, 3}, torch::kFloat64));
  CHECK_THROWS_WITH(read_npy_features(dir + "/f64.npy", dir + "/ids.npy"), Catch::Contains("f64.npy") && Catch::Contains("float32"));
  save_npy(dir + "/few.npy", torch::tensor({0, 1}, torch::kInt64));
  CHECK_THROWS_WITH(read_npy_features(dir + "/f.npy", dir + "/few.npy"), Catch::Contains("few.npy"));
  save_npy(dir + "/flat.npy", torch::randn({15}));
  CHECK_THROWS_WITH(read_npy_features(dir + "/flat.npy", dir + "/ids.npy"), Catch::Contains("[N, D]"));
}

TEST_CASE("synthetic data is reproducible from its seed") {
  const auto a = make_synthetic(3, 10, 4, 0.1, 5), b = make_synthetic(3, 10, 4, 0.1, 5), c = make_synthetic(3, 10, 4, 0.1, 6);
  CHECK(a.features.equal(b.features));
  CHECK(!a.features.equal(c.features));
  CHECK(a.labels.sum(0).equal(torch::full({3}, 10, torch::kInt64)));
}

TEST_CASE("Debian's Fashion-MNIST loads with its test file marked", "[fashion]") {
  const auto d = read_idx_dir(kDebianFashionMnistDir, "fashion-mnist");
  CHECK(d.size() == 70000);
  CHECK(d.from_test_file.sum().item<int64_t>() == 10000);
}
