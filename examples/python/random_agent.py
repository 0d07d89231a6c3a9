"""A random agent in HashEnv from Python: the Gymnasium loop (docs/python.md).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/random_agent.py [CONFIG]
"""
import sys

import torch

import hashrl

env = hashrl.make_env("HashEnv-v0", sys.argv[1] if len(sys.argv) > 1 else "configs/drlih-cpu.ini")
torch.manual_seed(0)
total = 0.0
for episode in range(10):
    obs, info = env.reset(seed=episode)
    done = False
    while not done:
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
        total += reward.mean().item()
        done = bool((terminated | truncated).all())
print(f"mean reward per triplet over 10 episodes: {total / 10:.3f}")
