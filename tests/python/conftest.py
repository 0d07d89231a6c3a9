"""Shared fixtures of the Python tests (run by ctest as python_tests; see tests/CMakeLists.txt).

Everything runs on the synthetic data set (Gaussian clusters of 16-d features, an identity
encoder), so that no test needs a download or more than a few seconds.
"""
import configparser
import os

import pytest

import hashrl


SYNTHETIC_INI = os.path.join(os.path.dirname(__file__), "..", "synthetic.ini")


def synthetic(code_length=12, group_size=4, batch_size=8, **more):
    """synthetic.ini as a config dict, with the env's sizes and `more` ("section.key") on top."""
    parser = configparser.ConfigParser()
    parser.read(SYNTHETIC_INI)
    config = {f"{section}.{key}": value for section in parser.sections() for key, value in parser[section].items()}
    config.update({"env.code_length": code_length, "env.group_size": group_size, "env.batch_size": batch_size})
    config.update(more)
    return config


@pytest.fixture
def config():
    return synthetic()


@pytest.fixture
def env(config):
    with hashrl.make_env("HashEnv-v0", config) as env:
        yield env


@pytest.fixture
def hashrl_binary():
    path = os.environ.get("HASHRL_BINARY")
    if not path:
        pytest.skip("HASHRL_BINARY is not set (ctest sets it to the built hashrl tool)")
    return path
