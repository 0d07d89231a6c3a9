"""hashrl.make_env and hashrl.Env: the Gymnasium-style loop, spaces, seeds, sharing and errors."""
import pytest
import torch

import hashrl
from conftest import synthetic


def run_episode(env, seed, actions):
    obs, _ = env.reset(seed=seed)
    rewards = []
    for action in actions:
        obs, reward, terminated, truncated, info = env.step(action)
        rewards.append(reward)
    assert bool(terminated.all())
    return obs, torch.stack(rewards)


def test_spec_and_spaces(env):
    spec = env.spec
    assert (spec.name, spec.code_length, spec.group_size, spec.batch_size) == ("HashEnv-v0", 12, 4, 8)
    assert (spec.rows_per_episode, spec.feature_dim, spec.num_steps, spec.num_rows) == (3, 16, 3, 24)
    assert spec.device == torch.device("cpu")
    assert spec.reward_terms == ["group", "global"]
    assert env.action_space.shape == (24, 4)
    assert env.action_space.dtype == torch.float32
    assert set(env.observation_space) == {"features", "bits", "step"}
    assert env.observation_space["bits"].shape == (24, 12)
    assert env.observation_space["features"].shape == (24, 16)
    # The bits are a MultiBinary: 0.5 is no bit (the box [0, 1] alone would contain it).
    assert not env.action_space.contains(torch.full((24, 4), 0.5))
    assert env.action_space.contains(torch.ones(24, 4))
    assert env.observation_space["step"].contains(3) and not env.observation_space["step"].contains(4)
    assert not env.observation_space["step"].contains(1.5)


def test_reset_and_step_shapes_and_dtypes(env):
    obs, info = env.reset(seed=1)
    assert obs["features"].shape == (24, 16) and obs["features"].dtype == torch.float32
    assert obs["bits"].shape == (24, 12) and obs["step"] == 0
    assert set(info) == {"anchor", "positive", "negative"}
    assert env.observation_space["features"].contains(obs["features"])
    for step in range(3):
        action = env.action_space.sample()
        assert env.action_space.contains(action)
        obs, reward, terminated, truncated, info = env.step(action)
        assert obs["step"] == step + 1
        assert all(env.observation_space[key].contains(obs[key]) for key in ("features", "bits", "step"))
        assert reward.shape == (8,) and reward.dtype == torch.float32
        assert terminated.dtype == torch.bool and truncated.dtype == torch.bool
        assert bool(terminated.all()) == (step == 2) and not bool(truncated.any())
        assert torch.equal(reward, info["group_reward"] + info["global_reward"])
        assert torch.equal(obs["bits"][:, step * 4:(step + 1) * 4], action)


def test_same_seed_same_episode(env):
    torch.manual_seed(0)
    actions = [env.action_space.sample() for _ in range(3)]
    obs_a, rewards_a = run_episode(env, 7, actions)
    obs_b, rewards_b = run_episode(env, 7, actions)
    assert torch.equal(obs_a["features"], obs_b["features"])
    assert torch.equal(rewards_a, rewards_b)
    obs_c, _ = run_episode(env, 8, actions)
    assert not torch.equal(obs_a["features"], obs_c["features"])


def test_actions_as_pair_or_dict(env):
    # A tensor, a (bits, probs) pair and a dict are one action: from the same state, the same step.
    bits = (torch.arange(24 * 4).view(24, 4) % 3 == 0).float()
    probs = torch.full((24, 4), 0.9)

    def first_step(action):
        env.reset(seed=0)
        obs, reward, _, _, _ = env.step(action)
        return obs["bits"], reward

    for a, b in (((bits, probs), {"bits": bits, "probs": probs}), (bits, {"bits": bits}), (bits, (bits, bits))):
        obs_a, reward_a = first_step(a)
        obs_b, reward_b = first_step(b)
        assert torch.equal(obs_a[:, :4], bits)
        assert torch.equal(obs_a, obs_b)
        assert torch.equal(reward_a, reward_b)


def test_observations_are_shared_not_copied(env):
    # The env keeps its features for the whole episode: a copy anywhere would change the pointer.
    obs, _ = env.reset(seed=0)
    pointer = obs["features"].data_ptr()
    for _ in range(3):
        obs, reward, *_ = env.step(env.action_space.sample())
        assert obs["features"].data_ptr() == pointer


def test_a_wrong_action_shape_is_an_error_naming_the_space(env):
    env.reset(seed=0)
    with pytest.raises(hashrl.Error, match=r"action\.bits does not fit"):
        env.step(torch.zeros(24, 5))
    with pytest.raises(hashrl.Error, match="must be a torch.Tensor"):
        env.step([[0, 1]] * 2)


def test_action_values_are_checked_as_the_action_space_says(env):
    env.reset(seed=0)
    bits, probs = torch.ones(24, 4), torch.full((24, 4), 0.5)
    for bad_bits, says in [(torch.full((24, 4), 2.0), "outside"), (torch.full((24, 4), 0.5), "other than 0 and 1"),
                           (torch.full((24, 4), float("nan")), "not finite")]:
        with pytest.raises(hashrl.Error, match=says):
            env.step((bad_bits, probs))
    for bad_probs in [torch.full((24, 4), float("inf")), torch.full((24, 4), -1.0)]:
        with pytest.raises(hashrl.Error, match="action probs do not fit"):
            env.step((bits, bad_probs))
    with pytest.raises(hashrl.Error, match="seed must be 0 or more"):
        env.reset(seed=-1)
    env.step((bits, probs))  # the refused steps left the episode where it was


def test_a_step_after_the_end_is_an_error(env):
    run_episode(env, 0, [torch.zeros(24, 4)] * 3)
    with pytest.raises(hashrl.Error, match="after the episode ended"):
        env.step(torch.zeros(24, 4))


def test_a_bad_config_key_is_an_error_naming_it():
    with pytest.raises(hashrl.Error, match="'env.code_lenght'"):
        hashrl.make_env("HashEnv-v0", synthetic(**{"env.code_lenght": 16}))
    with pytest.raises(hashrl.Error, match="env.code_length"):
        hashrl.make_env("HashEnv-v0", synthetic(code_length=10, group_size=4))
    with pytest.raises(hashrl.Error, match="unknown env 'NoSuchEnv'"):
        hashrl.make_env("NoSuchEnv", synthetic())


def test_config_as_ini_text_path_or_overrides(tmp_path):
    text = hashrl.resolve_config(synthetic())
    assert "[data.synthetic]" in text
    path = tmp_path / "env.ini"
    path.write_text(text)
    for config in (text, str(path), path):
        env = hashrl.make_env(config=config, overrides={"env.batch_size": 4})
        assert env.spec.batch_size == 4
        env.close()
    with pytest.raises(hashrl.Error, match="nothing.ini"):
        hashrl.make_env("HashEnv-v0", str(tmp_path / "nothing.ini"))


def test_close(config):
    env = hashrl.make_env("HashEnv-v0", config)
    env.close()
    assert env.closed
    with pytest.raises(hashrl.Error, match="closed"):
        env.reset()


def test_check_env_passes(env):
    report = hashrl.check_env(env, seed=2)
    assert report.ok, report.summary()
    assert len(report.passed) > 5


def test_the_spec_says_what_the_reward_responds_to_and_the_check_agrees():
    for codes, on_action in [("bits", True), ("both", True), ("probs", False)]:
        env = hashrl.make_env("HashEnv-v0", synthetic(**{"reward.codes": codes, "env.samples_per_state": 2}))
        dependence = env.spec.reward_dependence
        assert dependence["on_action"] == on_action
        assert dependence["differentiable"] == (codes != "bits")
        assert dependence["setting"] == "reward.codes = " + codes
        assert env.spec.samples_per_state == 2
        assert env.spec.batch_size == 16
        assert bool(hashrl.check_action_dependence(env, seed=1)) == on_action
        env.close()


def test_run_level_values_are_checked_as_the_cli_checks_them():
    # make_env checks [train], [eval] and [optim] as `hashrl check-env` does (issue 39): a config it
    # accepts does not fail at the start of a training.
    for key, value in (("optim.lr", float("nan")), ("train.steps", -1), ("eval.batch_size", 0)):
        with pytest.raises(hashrl.Error, match=key):
            hashrl.make_env("HashEnv-v0", synthetic(**{key: value}))


def test_an_override_that_switches_a_kind_drops_the_old_kinds_keys_with_a_warning():
    # As --set does on the command line: the triplet reward's keys are left behind by the switch.
    config = synthetic(**{"reward.kind": "triplet", "reward.margin": 2, "reward.miner": "none"})
    with pytest.warns(UserWarning, match="reward.margin"):
        env = hashrl.make_env("HashEnv-v0", config, {"reward.kind": "center"})
    env.close()
    with pytest.raises(hashrl.Error, match="reward.margin"):  # in the config itself it is a mistake
        hashrl.make_env("HashEnv-v0", {**config, "reward.kind": "center"})
