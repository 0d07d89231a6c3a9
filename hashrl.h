#pragma once
// Everything a user of hashrl needs, in one include: envs, rewards, policies, agents, rollout,
// learners, the trainer and retrieval metrics. Narrower headers compile faster.
#include "hashrl/agents/agent.h"
#include "hashrl/agents/policy_agent.h"
#include "hashrl/common/config.h"
#include "hashrl/common/npy.h"
#include "hashrl/common/threads.h"
#include "hashrl/env/check_env.h"
#include "hashrl/env/env_registry.h"
#include "hashrl/env/hash_env.h"
#include "hashrl/policies/policy.h"
#include "hashrl/retrieval/ranking_metrics.h"
#include "hashrl/retrieval/report.h"
#include "hashrl/rewards/code_reward.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/rollout/learner.h"
#include "hashrl/rollout/rollout.h"
#include "hashrl/rollout/trainer.h"
