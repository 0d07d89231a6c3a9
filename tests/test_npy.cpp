#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "support.h"

using namespace hashrl;

TEST_CASE(".npy round trips every supported dtype and shape") {
  const std::string dir = test::scratch_dir("npy");
  for (const auto dtype : {torch::kBool, torch::kUInt8, torch::kInt8, torch::kInt32, torch::kInt64, torch::kFloat32,
                           torch::kFloat64}) {
    for (const auto& shape : std::vector<std::vector<int64_t>>{{5}, {3, 4}, {2, 3, 2}, {0, 3}}) {
      const auto t = (torch::rand(shape) * 3).to(dtype);
      save_npy(dir + "/t.npy", t);
      const auto back = load_npy(dir + "/t.npy");
      CHECK(back.scalar_type() == dtype);
      CHECK(back.sizes() == t.sizes());
      CHECK(back.equal(t));
    }
  }
}

TEST_CASE(".npy header matches NumPy's layout") {
  const std::string bytes = to_npy(torch::zeros({3}, torch::kFloat32));
  CHECK(bytes.substr(1, 5) == "NUMPY");
  CHECK(bytes.find("'shape': (3,)") != std::string::npos);
  CHECK((bytes.size() - 12) % 64 == 0);  // data starts on a 64-byte boundary
}

TEST_CASE("bad .npy files are rejected with the file named") {
  const std::string good = to_npy(torch::ones({2, 2}, torch::kFloat32));
  CHECK_THROWS_WITH(parse_npy("not numpy at all", "a.npy"), Catch::Contains("a.npy") && Catch::Contains("magic"));
  CHECK_THROWS_WITH(parse_npy(good.substr(0, good.size() - 3), "b.npy"), Catch::Contains("b.npy"));
  CHECK_THROWS_WITH(parse_npy(good.substr(0, 20), "c.npy"), Catch::Contains("c.npy"));
  std::string big_endian = good;
  big_endian.replace(big_endian.find("<f4"), 3, ">f4");
  CHECK_THROWS_WITH(parse_npy(big_endian, "d.npy"), Catch::Contains("dtype"));
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  CHECK_THROWS_WITH(parse_npy(fortran, "e.npy"), Catch::Contains("Fortran"));
  CHECK_THROWS_WITH(load_npy("/nonexistent/f.npy"), Catch::Contains("/nonexistent/f.npy"));
}
