"""hashrl: learning to hash as reinforcement learning (DRLIH), from Python.

    import hashrl
    env = hashrl.make_env("HashEnv-v0", "configs/drlih-cpu.ini")
    obs, info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

Tensors are torch.Tensors shared with the C++ core, never copied. docs/python.md has the whole API.
"""
import os
import warnings

import torch  # first: the C++ core's tensors are torch's, and its casters need torch loaded

from ._core import *  # noqa: F401,F403  (the compiled API)
from ._core import __version__, blas_advice

# Debian's torch starts with one intra-op thread; the hashrl tool uses every core unless told
# otherwise, and so does the module (results depend on the thread count: docs/robustness.md).
# torch.set_num_threads(n) after the import, or OMP_NUM_THREADS, chooses another count.
if torch.get_num_threads() == 1 and "OMP_NUM_THREADS" not in os.environ:
    torch.set_num_threads(os.cpu_count() or 1)

_advice = blas_advice()
if _advice:
    warnings.warn(_advice, RuntimeWarning, stacklevel=2)
del _advice
