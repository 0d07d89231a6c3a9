#pragma once
// Factories of the built-in hashers, whose classes stay private to their files; hasher.cpp
// registers them. Not part of the public API: use hasher_registry().
#include "hashrl/agents/classic/hasher.h"

namespace hashrl {

std::shared_ptr<Hasher> make_lsh_hasher(const ConfigSection& section, const HasherShape& shape);
std::shared_ptr<Hasher> make_itq_hasher(const ConfigSection& section, const HasherShape& shape);
std::shared_ptr<Hasher> make_spectral_hasher(const ConfigSection& section, const HasherShape& shape);
std::shared_ptr<Hasher> make_sdh_hasher(const ConfigSection& section, const HasherShape& shape);
const KeyTable& lsh_hasher_keys();
const KeyTable& itq_hasher_keys();
const KeyTable& sdh_hasher_keys();

}  // namespace hashrl
