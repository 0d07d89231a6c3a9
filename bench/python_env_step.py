"""The Python half of bench_env_step: the same loop as its C++ half, timed the same way.

Usage (bench_env_step runs it): python_env_step.py CONFIG THREADS EPISODES
Prints "RESET_US STEP_US": mean microseconds per env.reset and per env.step.
"""
import sys
import time

import torch

import hashrl

config, threads, episodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
env = hashrl.make_env("HashEnv-v0", config)
spec = env.spec
torch.manual_seed(0)
actions = [torch.randint(0, 2, (spec.num_rows, spec.group_size)).float() for _ in range(spec.num_steps)]
reset_s = step_s = 0.0
for episode in range(-2, episodes):
    start = time.perf_counter()
    env.reset(seed=episode + 2)
    reset_done = time.perf_counter()
    for action in actions:
        env.step(action)
    if episode >= 0:
        reset_s += reset_done - start
        step_s += time.perf_counter() - reset_done
print(f"{reset_s / episodes * 1e6:.3f} {step_s / (episodes * spec.num_steps) * 1e6:.3f}")
