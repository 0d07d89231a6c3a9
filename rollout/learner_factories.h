#pragma once
// Factories of the learners whose classes stay private to their files; learner.cpp registers them.
#include "hashrl/rollout/learner.h"

namespace hashrl {

std::shared_ptr<Learner> make_supervised_learner(const ConfigSection& section, const EnvSpec& spec);
std::shared_ptr<Learner> make_authors_learner(const ConfigSection& section, const EnvSpec& spec);
const KeyTable& authors_learner_keys();

}  // namespace hashrl
