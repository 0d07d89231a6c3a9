"""An env written in Python: a hashrl.Env subclass passes the env conformance checks, runs under
the C++ rollout, learners and trainer, and register_env builds it by name from a config."""
import pytest
import torch

import hashrl


class MatchTarget(hashrl.Env):
    """Each of B one-row episodes observes a feature vector x; the reward of an action group is the
    fraction of its bits that match the hidden code [x W > 0] of a fixed random projection W."""

    def __init__(self, features, code_length=8, group_size=4, batch_size=16, seed=0):
        super().__init__(hashrl.EnvSpec(name="MatchTarget-v0", code_length=code_length, group_size=group_size,
                                        batch_size=batch_size, feature_dim=features.shape[1],
                                        reward_terms=["group"], reward_differentiable=False))
        self.features = features.float()
        self.projection = torch.randn(features.shape[1], code_length, generator=torch.Generator().manual_seed(seed))
        self.generator = torch.Generator().manual_seed(seed)
        self.t = None

    def reset(self, seed=None):
        if seed is not None:
            self.generator.manual_seed(seed)
        rows = torch.randint(0, len(self.features), (self.spec.batch_size,), generator=self.generator)
        self.observed = self.features[rows]
        self.target = (self.observed @ self.projection > 0).float()
        self.bits = torch.zeros(self.spec.batch_size, self.spec.code_length)
        self.t = 0
        return {"features": self.observed, "bits": self.bits, "step": 0}, {"rows": rows}

    def step(self, action):
        if self.t is None or self.t >= self.spec.num_steps:
            raise hashrl.Error("MatchTarget-v0: step without an episode; call reset()")
        bits = action["bits"] if isinstance(action, dict) else action
        k = self.spec.group_size
        columns = slice(self.t * k, (self.t + 1) * k)
        self.bits = self.bits.clone()
        self.bits[:, columns] = bits.detach()
        reward = 1 - (bits.detach() - self.target[:, columns]).abs().mean(1)
        self.t += 1
        done = torch.full((self.spec.batch_size,), self.t == self.spec.num_steps)
        obs = {"features": self.observed, "bits": self.bits, "step": self.t}
        return obs, reward, done, torch.zeros_like(done), {}

    def observe_features(self, items):
        return items.float()


def features():
    return torch.randn(64, 6, generator=torch.Generator().manual_seed(1))


def config(**more):
    c = {"data.kind": "synthetic", "data.queries_per_label": 5, "data.train_per_label": 20,
         "data.synthetic.classes": 4, "data.synthetic.per_class": 40, "data.synthetic.dim": 16,
         "env.kind": "MatchTarget-v0", "env.code_length": 8, "env.group_size": 4, "env.batch_size": 16,
         "policy.hidden": 16, "learner.kind": "reinforce", "learner.pathwise": "none",
         "optim.kind": "adam", "optim.lr": 0.01, "train.steps": 30, "train.seed": 3}
    c.update(more)
    return c


def register():
    def factory(section, data):
        return MatchTarget(data["features"][data["train"]], code_length=section.get_int("code_length", 8),
                           group_size=section.get_int("group_size", 4), batch_size=section.get_int("batch_size", 16))
    hashrl.register_env("MatchTarget-v0", factory, "tests: match a hidden code, written in Python", replace=True)


def test_a_python_env_passes_the_env_checks():
    env = MatchTarget(features())
    report = hashrl.check_env(env)
    assert report.ok, report.summary()
    dependence = hashrl.check_action_dependence(env)
    assert dependence.ok, dependence.summary()
    assert env.spec.reward_terms == ["group"] and env.spec.num_steps == 2


def test_the_cpp_rollout_and_a_learner_run_a_python_env():
    env = MatchTarget(features())
    agent = hashrl.make_agent({"policy.hidden": 16}, env.spec)
    trajectory = hashrl.rollout(env, agent, seed=0)
    assert len(trajectory.steps) == 2 and trajectory.rewards[0].shape == (16,)
    assert torch.equal(trajectory.global_rewards[1], torch.zeros(16))  # the env pays no global term
    learner = hashrl.make_learner({"learner.kind": "reinforce", "learner.pathwise": "none"}, env.spec)
    report = hashrl.check_learner(learner, agent, env)
    assert report.ok, report.summary()


def test_a_factory_reads_the_run_seed():
    seen = []

    def factory(section, data):
        seen.append(section.run_seed())
        return MatchTarget(data["features"][data["train"]], code_length=section.get_int("code_length", 8),
                           group_size=section.get_int("group_size", 4), batch_size=section.get_int("batch_size", 16))
    hashrl.register_env("SeedReader-v0", factory, "tests: reads train.seed", replace=True)
    with hashrl.make_env(config=config(**{"env.kind": "SeedReader-v0", "train.seed": 11})):
        pass
    assert seen == [11]


def test_register_env_builds_it_by_name():
    register()
    assert "MatchTarget-v0" in hashrl.env_names()
    with hashrl.make_env(config=config()) as env:
        assert env.spec.name == "MatchTarget-v0" and env.spec.batch_size == 16
        obs, info = env.reset(seed=0)
        assert obs["features"].shape == (16, 16) and "rows" in info
    assert hashrl.check_config(config()).ok


@pytest.mark.parametrize("learner", [{"learner.kind": "reinforce", "learner.pathwise": "none"},
                                     {"learner.kind": "a2c"}])
def test_the_cpp_trainer_trains_a_python_env(tmp_path, learner):
    register()
    settings = config(**learner)
    if learner["learner.kind"] != "reinforce":
        del settings["learner.pathwise"]
    report = hashrl.train(settings, out=str(tmp_path / "run"))
    assert 0 <= report["metrics"]["map"] <= 1
    with open(tmp_path / "run" / "metrics.jsonl") as f:
        assert sum(1 for _ in f) >= 1  # the trainer logged its steps


def test_a_subclass_without_a_method_or_a_factory_of_something_else_is_named():
    class NoStep(hashrl.Env):
        def __init__(self):
            super().__init__(hashrl.EnvSpec(name="NoStep-v0", code_length=4, group_size=2, batch_size=2, feature_dim=3))

        def reset(self, seed=None):
            return {"features": torch.zeros(2, 3), "bits": torch.zeros(2, 4), "step": 0}, {}

    env = NoStep()
    agent = hashrl.make_agent({"policy.hidden": 8}, env.spec)
    with pytest.raises(hashrl.Error, match=r"must define step\(\): NoStep does not"):
        hashrl.rollout(env, agent)
    with pytest.raises(hashrl.Error, match="group_size"):
        hashrl.EnvSpec(name="x", code_length=5, group_size=2, batch_size=2, feature_dim=3)
    hashrl.register_env("NotAnEnv-v0", lambda section, data: 42, replace=True)
    with pytest.raises(hashrl.Error, match="env 'NotAnEnv-v0' returned a int, not a hashrl.Env"):
        hashrl.make_env("NotAnEnv-v0", config(**{"env.kind": "NotAnEnv-v0"}))
