"""hashrl: learning to hash as reinforcement learning (DRLIH), from Python.

    import hashrl
    env = hashrl.make_env("HashEnv-v0", "configs/drlih-cpu.ini")
    obs, info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

Tensors are torch.Tensors shared with the C++ core, never copied. docs/python.md has the whole API.
"""
# Imported under private names: `hashrl.os` or `hashrl.torch` would be API nobody meant.
import functools as _functools
import os as _os
import warnings as _warnings

import torch as _torch  # first: the C++ core's tensors are torch's, and its casters need torch loaded

from ._core import *  # noqa: F401,F403  (the compiled API)
from ._core import __version__, blas_advice
from ._core import train as _train


# Importing a library leaves torch's global state alone: env steps, agents and evaluate run with the
# caller's torch.get_num_threads(). Only train, the CLI's `hashrl train`, takes the CLI's default
# of every core (results depend on the count: docs/robustness.md), for the call alone.
@_functools.wraps(_train)
def train(*args, threads=None, **kwargs):
    if threads is None:
        threads = _torch.get_num_threads() if "OMP_NUM_THREADS" in _os.environ else (_os.cpu_count() or 1)
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise Error(f"train: threads must be a whole number >= 1, got {threads!r}")  # noqa: F405
    before = _torch.get_num_threads()
    _torch.set_num_threads(threads)
    try:
        return _train(*args, **kwargs)
    finally:
        _torch.set_num_threads(before)


_advice = blas_advice()
if _advice:
    _warnings.warn(_advice, RuntimeWarning, stacklevel=2)
del _advice
