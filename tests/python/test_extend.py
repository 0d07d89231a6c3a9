"""Rewards and agents written in Python, registered by name and used by the C++ env and trainer."""
import json
import os

import pytest
import torch

import hashrl
from conftest import synthetic


class HammingReward(hashrl.Reward):
    """+1 when the anchor's relaxed code is nearer its positive than its negative, by a margin."""

    seen = []  # what the env handed in, for the sharing test

    def __init__(self, section):
        super().__init__()
        self.margin = section.get_float("margin", 0.5, min=0)

    def score(self, codes):
        a, p, n = codes.probs.chunk(3)
        return ((a - n).abs().sum(1) - (a - p).abs().sum(1) - self.margin).tanh()

    def group_reward(self, input):
        HammingReward.seen.append(input.group.bits)
        return self.score(input.group)

    def global_reward(self, input):
        return self.score(input.emitted)


class LinearAgent(hashrl.Agent):
    """Each action group read off one linear layer of the features: no recurrent state."""

    instances = []  # every agent the factory built, newest last

    def __init__(self, section, spec):
        super().__init__()
        LinearAgent.instances.append(self)
        self.k = spec.group_size
        self.net = torch.nn.Linear(spec.feature_dim, spec.code_length)
        torch.nn.init.normal_(self.net.weight, std=section.get_float("init_std", 0.1))
        self.initial_weight = self.net.weight.detach().clone()

    def module(self):
        return self.net

    def act(self, obs, state, mode):
        step = obs["step"]
        probs = torch.sigmoid(self.net(obs["features"])[:, step * self.k:(step + 1) * self.k])
        if mode == hashrl.ActMode.SAMPLE:
            bits = torch.bernoulli(probs.detach())
        else:
            bits = (probs.detach() > 0.5).float()
        p = probs.clamp(1e-6, 1 - 1e-6)
        log_prob = (bits * p.log() + (1 - bits) * (1 - p).log()).sum(1)
        entropy = -(p * p.log() + (1 - p) * (1 - p).log()).sum(1)
        return hashrl.AgentStep(bits, probs, log_prob, entropy), state


def logged_metrics(run_dir):
    """The lines of a run's metrics.jsonl, as dicts."""
    with open(run_dir / "metrics.jsonl") as f:
        return [json.loads(line) for line in f]


hashrl.register_reward("py-hamming", HammingReward, "a reward written in Python", replace=True)
hashrl.register_agent("py-linear", LinearAgent, "an agent written in Python", replace=True)


def test_registered_names_are_listed():
    assert "py-hamming" in hashrl.reward_names() and "triplet" in hashrl.reward_names()
    assert "py-linear" in hashrl.agent_names() and "itq" in hashrl.agent_names()


def test_a_python_reward_in_the_cpp_env():
    HammingReward.seen.clear()
    env = hashrl.make_env("HashEnv-v0", synthetic(**{"reward.kind": "py-hamming", "reward.margin": 0.25}))
    env.reset(seed=0)
    action = env.action_space.sample()
    _, reward, _, _, info = env.step(action)
    assert reward.shape == (8,) and bool((reward.abs() <= 1).all())
    # The action reached the Python reward through C++ without a copy, both ways.
    assert HammingReward.seen[-1].data_ptr() == action.data_ptr()
    assert hashrl.check_reward(hashrl.make_reward({"reward.kind": "py-hamming"}))


def test_a_python_reward_reads_its_keys_and_a_typo_is_named():
    with pytest.raises(hashrl.Error, match="'reward.margn'"):
        hashrl.make_env("HashEnv-v0", synthetic(**{"reward.kind": "py-hamming", "reward.margn": 1}))
    with pytest.raises(hashrl.Error, match="reward.margin"):
        hashrl.make_reward({"reward.kind": "py-hamming", "reward.margin": -1})


def test_a_factory_that_returns_something_else_is_named():
    hashrl.register_reward("py-wrong", lambda section: 42, replace=True)
    with pytest.raises(hashrl.Error, match="factory of reward 'py-wrong' returned a int"):
        hashrl.make_reward({"reward.kind": "py-wrong"})


def test_a_section_kept_past_its_factory_is_an_error():
    kept = []
    hashrl.register_reward("py-keeper", lambda section: kept.append(section) or HammingReward(section), replace=True)
    hashrl.make_reward({"reward.kind": "py-keeper"})
    with pytest.raises(hashrl.Error, match="after the factory"):
        kept[0].get_float("margin", 1.0)


def test_registering_a_name_twice_needs_replace():
    with pytest.raises(hashrl.Error, match="registered twice"):
        hashrl.register_reward("py-hamming", HammingReward)


def test_a_python_agent_passes_the_agent_checks(env):
    agent = hashrl.make_agent({"agent.kind": "py-linear"}, env.spec)
    assert isinstance(agent, LinearAgent)
    report = hashrl.check_agent(agent, env, draws=2000)
    assert report.ok, report.summary()


def test_the_cpp_trainer_trains_a_python_agent(tmp_path):
    config = synthetic(**{"agent.kind": "py-linear", "agent.init_std": 0.05, "train.steps": 40,
                          "train.log_every": 10, "optim.lr": 0.01})
    report = hashrl.train(config, out=str(tmp_path / "run"))
    for name in ("config.ini", "metrics.jsonl", "checkpoint.pt", "report.json", "codes"):
        assert os.path.exists(tmp_path / "run" / name), name
    with open(tmp_path / "run" / "report.json") as f:
        assert json.load(f)["metrics"] == report["metrics"]
    assert report["metrics"]["code_length"] == 12 and 0 < report["metrics"]["map"] <= 1
    # The C++ optimiser stepped the Python module's own tensors.
    trained = LinearAgent.instances[-1]
    assert not torch.equal(trained.net.weight, trained.initial_weight)

    # The checkpoint holds them too: 40 steps resumed to 60 end where 60 straight do.
    hashrl.train(out=str(tmp_path / "run"), resume=True, overrides={"train.steps": 60})
    resumed = LinearAgent.instances[-1].net.weight.detach().clone()
    assert logged_metrics(tmp_path / "run")[-1]["step"] == 60
    config["train.steps"] = 60
    hashrl.train(config, out=str(tmp_path / "straight"))
    assert torch.equal(resumed, LinearAgent.instances[-1].net.weight)


def test_an_agent_without_act_is_named():
    class Lazy(hashrl.Agent):
        pass

    hashrl.register_agent("py-lazy", lambda section, spec: Lazy(), replace=True)
    env = hashrl.make_env("HashEnv-v0", synthetic())
    agent = hashrl.make_agent({"agent.kind": "py-lazy"}, env.spec)
    obs, _ = env.reset(seed=0)
    with pytest.raises(hashrl.Error, match="must define act"):
        agent.act(obs, [], hashrl.ActMode.SAMPLE)


class CriticReinforce(hashrl.Learner):
    """REINFORCE on the whole episode's reward, less a learned baseline read from the anchors."""

    def __init__(self, section, spec):
        super().__init__()
        self.critic = torch.nn.Linear(spec.feature_dim, 1)
        self.critic_weight = section.get_float("critic_weight", 0.5, min=0)

    def module(self):
        return self.critic

    def loss(self, trajectory):
        b = trajectory.batch_size
        log_probs = sum(step.log_prob.view(trajectory.rows_per_episode, b).sum(0) for step in trajectory.steps)
        total = trajectory.total_reward().detach()
        baseline = self.critic(trajectory.features[:b].detach()).squeeze(1)
        score = -(log_probs * (total - baseline.detach())).mean()
        critic = ((baseline - total) ** 2).mean()
        return score + self.critic_weight * critic, {"score": score, "critic": critic}


hashrl.register_learner("py-critic-reinforce", CriticReinforce, "REINFORCE with a learned baseline (Python)",
                        replace=True)


def test_a_python_learner_passes_the_learner_checks(env):
    agent = hashrl.make_agent({"agent.kind": "py-linear"}, env.spec)
    learner = hashrl.make_learner({"learner.kind": "py-critic-reinforce"}, env.spec)
    trajectory = hashrl.rollout(env, agent, seed=0)
    assert len(trajectory.steps) == 3 and trajectory.bits.shape == (24, 12)
    loss, terms = learner.loss(trajectory)
    assert loss.dim() == 0 and set(terms) == {"score", "critic"}
    report = hashrl.check_learner(learner, agent, env)
    assert report.ok, report.summary()


def test_the_cpp_trainer_trains_with_a_python_learner(tmp_path):
    config = synthetic(**{"agent.kind": "py-linear", "learner.kind": "py-critic-reinforce", "train.steps": 30,
                          "train.log_every": 10})
    hashrl.train(config, out=str(tmp_path / "run"))
    logged = logged_metrics(tmp_path / "run")
    assert len(logged) == 3
    assert {"score", "critic"} <= logged[-1].keys()


def test_evaluate_rescores_a_rollout_as_act_scored_it(env):
    for agent in (hashrl.make_agent({"agent.kind": "py-linear"}, env.spec),
                  hashrl.make_agent({"agent.kind": "drlih", "policy.hidden": 16}, env.spec)):
        trajectory = hashrl.rollout(env, agent, seed=4)
        observations = trajectory.observations
        assert [obs["step"] for obs in observations] == [0, 1, 2]
        scored = agent.evaluate(observations, [step.bits for step in trajectory.steps],
                                agent.initial_state(observations[0]))
        for acted, again in zip(trajectory.steps, scored):
            assert torch.equal(again.bits, acted.bits)
            assert torch.allclose(again.log_prob, acted.log_prob, atol=1e-5)
            assert torch.allclose(again.entropy, acted.entropy, atol=1e-5)


class TwoPassReinforce(hashrl.Learner):
    """Owns its update: two rollouts per update, one optimiser step on each, rescored by evaluate()."""

    def __init__(self, section, spec):
        super().__init__()

    def episodes_per_update(self):
        return 2

    def update(self, buffer, context):
        agent = context.agent
        result = hashrl.UpdateResult(terms={"rollouts": len(buffer)})
        for trajectory in buffer:
            observations = trajectory.observations
            scored = agent.evaluate(observations, [s.bits for s in trajectory.steps],
                                    agent.initial_state(observations[0]))
            b = trajectory.batch_size
            log_probs = sum(s.log_prob.view(trajectory.rows_per_episode, b).sum(0) for s in scored)
            total = trajectory.total_reward().detach()
            loss = -(log_probs * (total - total.mean())).mean()
            result.grad_norm = context.optimizer_step(loss, {"score": loss.detach()})
            result.loss = loss.item()
        return result


class DictUpdateReinforce(TwoPassReinforce):
    """The older form of update()'s result, still read: a dict whose loss and grad_norm are named."""

    def update(self, buffer, context):
        result = super().update(buffer, context)
        return {"loss": result.loss, "grad_norm": result.grad_norm, "rollouts": len(buffer)}


class WrongUpdateResult(TwoPassReinforce):
    def update(self, buffer, context):
        return 0.5


hashrl.register_learner("py-two-pass", TwoPassReinforce, replace=True)
hashrl.register_learner("py-dict-update", DictUpdateReinforce, replace=True)
hashrl.register_learner("py-wrong-update", WrongUpdateResult, replace=True)


def test_a_python_learner_that_owns_its_update(tmp_path):
    config = synthetic(**{"agent.kind": "py-linear", "learner.kind": "py-two-pass", "train.steps": 4,
                          "train.log_every": 1})
    hashrl.train(config, out=str(tmp_path / "run"))
    assert [line["rollouts"] for line in logged_metrics(tmp_path / "run")] == [2, 2, 2, 2]
    trained = LinearAgent.instances[-1]
    assert not torch.equal(trained.net.weight, trained.initial_weight)
    env = hashrl.make_env("HashEnv-v0", synthetic())
    assert hashrl.check_learner(hashrl.make_learner({"learner.kind": "py-two-pass"}, env.spec), trained, env)


def test_a_python_update_returns_an_update_result_or_the_older_dict(tmp_path):
    for kind in ("py-two-pass", "py-dict-update"):
        config = synthetic(**{"agent.kind": "py-linear", "learner.kind": kind, "train.steps": 2,
                              "train.log_every": 1})
        hashrl.train(config, out=str(tmp_path / kind))
        lines = logged_metrics(tmp_path / kind)
        assert [line["rollouts"] for line in lines] == [2, 2]
        assert all(line["grad_norm"] > 0 and "loss" in line for line in lines)
    config = synthetic(**{"agent.kind": "py-linear", "learner.kind": "py-wrong-update", "train.steps": 1})
    with pytest.raises(Exception, match="hashrl.UpdateResult"):
        hashrl.train(config, out=str(tmp_path / "wrong"))
