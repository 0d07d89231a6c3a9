#pragma once
// Every registry and every key table of the toolkit, in one place: what docs/config.md,
// `hashrl train --help-config` and `hashrl list` print. The page is generated, never edited by
// hand: tests/test_cli.cpp fails when docs/config.md differs from config_doc().
#include <map>
#include <string>
#include <vector>

#include "hashrl/common/config.h"

namespace hashrl::cli {

// docs/config.md: every section, its keys (default, allowed values, meaning) and each kind's own.
std::string config_doc();

// Every registry's names with their one-line docs, as `hashrl list` prints them.
std::string registry_listing();

// The value of every key that selects a kind (data.kind, data.protocol, encoder.kind, ...) that
// `config` sets, to hand to drop_replaced_kind_keys after the command line has changed some.
std::map<std::string, std::string> kind_choices(const Config& config);

// Where the command line switched a kind (`--set encoder.kind=identity` over a file's vgg19_bn),
// removes the keys that only the replaced kind declares, instead of failing on them as unread,
// and returns one notice per key removed.
std::vector<std::string> drop_replaced_kind_keys(Config& config, const std::map<std::string, std::string>& before);

}  // namespace hashrl::cli
