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

}  // namespace hashrl::cli
