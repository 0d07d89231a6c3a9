// libFuzzer target: a config file, then every key read as each type, and the resolved text read back.
#include "fuzz_main.h"
#include "hashrl/common/config.h"
#include "hashrl/common/error.h"

HASHRL_FUZZ_TARGET(data, size) {
  using hashrl::Config;
  const Config config = Config::from_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.ini");
  // The sections, from the "[name]" lines of the resolved text.
  const std::string text = config.to_ini();
  std::vector<std::string> sections;
  for (size_t at = text.find("\n[") + 1; at != 0; at = text.find("\n[", at) + 1)
    sections.push_back(text.substr(at + 1, text.find(']', at) - at - 1));
  if (text.rfind('[', 0) == 0) sections.push_back(text.substr(1, text.find(']') - 1));
  for (const auto& section : sections)
    for (const auto& key : config.keys_in(section)) {
      auto quietly = [](auto read) {
        try {
          read();
        } catch (const hashrl::Error&) {
        }
      };
      quietly([&] { config.get_int(key, 0, -5, 5); });
      quietly([&] { config.get_double(key, 0, 0, 1); });
      quietly([&] { config.get_bool(key, false); });
      quietly([&] { config.get_int_list(key, {}, 1); });
      quietly([&] { config.get_choice(key, "a", {"a", "b"}); });
    }
  Config::from_string(text, "fuzz.ini resolved");
}
