#pragma once
// Switching a kind over a config file's choice (`--set encoder.kind=identity` over a file's
// vgg19_bn, or an experiment method's `set = agent.kind=noseq`) leaves the file's keys of the old
// kind behind, which nothing would read — an error by design, since an unread key is usually a
// typo. Both the command line and `hashrl experiment` drop those keys instead, with a notice.
// Here, in train/, because that is the lowest layer that sees every registry whose kind a config
// picks (data readers up to the optimiser).
#include <map>
#include <string>
#include <vector>

#include "hashrl/common/config.h"

namespace hashrl {

// The value of every key that selects a kind (data.kind, data.protocol, encoder.kind, ...) in
// `config`, its default where it does not set one; taken before overrides, for drop_replaced_kind_keys.
std::map<std::string, std::string> kind_choices(const Config& config);

// Where a kind differs from `before`, removes the keys that only the replaced kind declares
// (neither the section's shared keys nor the new kind's) and returns one notice per key removed.
std::vector<std::string> drop_replaced_kind_keys(Config& config, const std::map<std::string, std::string>& before);

}  // namespace hashrl
