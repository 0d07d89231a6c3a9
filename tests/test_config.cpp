#include <catch2/catch.hpp>

#include "hashrl/common/config.h"
#include "hashrl/common/error.h"
#include "support.h"

using namespace hashrl;

TEST_CASE("config files are read by section, and --set overrides them") {
  Config c = Config::from_string("[reward]\nkind = triplet\nmargin = 2.5\n[env]\ncode_length = 32\n", "x.ini");
  c.apply_override("env.code_length=48");
  CHECK(c.get_string("reward.kind", "") == "triplet");
  CHECK(c.get_double("reward.margin", 1.0) == 2.5);
  CHECK(c.get_int("env.code_length", 0) == 48);
  CHECK(c.get_int("env.group_size", 12) == 12);
  CHECK(c.origin_of("env.code_length") == "--set");
  CHECK(c.to_ini().find("group_size = 12") != std::string::npos);  // defaults are written back
}

TEST_CASE("a config value of the wrong type or out of range names the key and the file") {
  const Config c = Config::from_string("[env]\ncode_length = many\nbatch_size = -3\nflag = perhaps\n", "bad.ini");
  CHECK_THROWS_WITH(c.get_int("env.code_length", 1), Catch::Contains("env.code_length") && Catch::Contains("bad.ini"));
  CHECK_THROWS_WITH(c.get_int("env.batch_size", 1, 1), Catch::Contains("env.batch_size") && Catch::Contains("[1,"));
  CHECK_THROWS_WITH(c.get_bool("env.flag", false), Catch::Contains("true or false"));
  CHECK_THROWS_WITH(c.get_choice("env.code_length", "a", {"a", "b"}), Catch::Contains("one of a, b"));
}

TEST_CASE("keys that nothing reads are errors that name them") {
  const Config c = Config::from_string("[reward]\nkind = triplet\nmargn = 2\n[other]\nx = 1\n", "typo.ini");
  c.get_string("reward.kind", "");
  CHECK_THROWS_WITH(c.check_all_used(), Catch::Contains("reward.margn") && Catch::Contains("typo.ini"));
  CHECK_THROWS_WITH(c.check_all_used({"reward"}), !Catch::Contains("other.x"));
  CHECK_THROWS_AS(Config().apply_override("no-dot=1"), Error);
  CHECK_THROWS_WITH(Config::from_string("orphan = 1\n", "o.ini"), Catch::Contains("outside any [section]"));
}

TEST_CASE("lists parse from comma-separated values") {
  const Config c = Config::from_string("[eval]\nprecision_at = 1, 10 ,100\n[sum]\nterms = a,b\n");
  CHECK(c.get_int_list("eval.precision_at", {}) == std::vector<int64_t>{1, 10, 100});
  CHECK(c.get_list("sum.terms", {}) == std::vector<std::string>{"a", "b"});
}
