"""An env written in Python, picked by name in the config and trained by the C++ trainer.

ClassCode-v0 of examples/custom_env (C++), in PyTorch: each of B one-row episodes observes one
feature vector; every class has a random q-bit code drawn once from the seed, and an item's answer
is its class's code. The group reward is the fraction of the step's k bits that match it; the
global reward, on the last step, is 1 when the whole code is nearer (Hamming) to its own class's
code than to any other's. Both read the sampled bits only, so the learner is REINFORCE through
log pi alone (pathwise = none).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/custom_env.py --out runs/py-class-code
"""
import argparse

import torch

import hashrl


class ClassCodeEnv(hashrl.Env):
    def __init__(self, features, labels, code_length=16, group_size=4, batch_size=32, seed=0):
        super().__init__(hashrl.EnvSpec(name="ClassCode-v0", code_length=code_length, group_size=group_size,
                                        batch_size=batch_size, feature_dim=features.shape[1],
                                        reward_terms=["group", "global"],
                                        reward_differentiable=False))  # what the reward pays and reads
        self.features = features.float()
        self.classes = labels.float().argmax(1)  # a multi-label item takes its first label's code
        self.generator = torch.Generator().manual_seed(seed)
        self.class_codes = torch.bernoulli(torch.full((labels.shape[1], code_length), 0.5), generator=self.generator)
        self.t = None

    def reset(self, seed=None):
        if seed is not None:  # reset(seed) fixes the episode
            self.generator.manual_seed(seed)
        rows = torch.randint(0, len(self.features), (self.spec.batch_size,), generator=self.generator)
        self.observed, self.answer = self.features[rows], self.class_codes[self.classes[rows]]
        self.own = self.classes[rows]
        self.bits = torch.zeros(self.spec.batch_size, self.spec.code_length)
        self.t = 0
        return {"features": self.observed, "bits": self.bits, "step": 0}, {"rows": rows}

    def step(self, action):
        if self.t is None or self.t >= self.spec.num_steps:
            raise hashrl.Error("ClassCode-v0: step without an episode; call reset()")
        bits = (action["bits"] if isinstance(action, dict) else action).detach()
        k = self.spec.group_size
        columns = slice(self.t * k, (self.t + 1) * k)
        self.bits = self.bits.clone()  # an observation handed out earlier keeps its bits
        self.bits[:, columns] = bits
        group = 1 - (bits - self.answer[:, columns]).abs().mean(1)
        self.t += 1
        last = self.t == self.spec.num_steps
        glob = torch.zeros(self.spec.batch_size)
        if last:  # 1 where the code's own class is strictly the nearest
            distances = torch.cdist(self.bits, self.class_codes, p=1)
            own = distances.gather(1, self.own.unsqueeze(1)).squeeze(1)
            others = distances.scatter(1, self.own.unsqueeze(1), self.spec.code_length + 1.0).min(1).values
            glob = (own < others).float()
        done = torch.full((self.spec.batch_size,), last)
        obs = {"features": self.observed, "bits": self.bits, "step": self.t}
        info = {"group_reward": group, "global_reward": glob}  # the two terms, kept apart for the learners
        return obs, group + glob, done, torch.zeros_like(done), info

    def observe_features(self, items):  # what an agent sees of items it encodes for retrieval
        return items.float()


def make(section, data):
    # Read every key inside the factory: a key nobody reads is reported as a typo.
    train = data["train"]
    return ClassCodeEnv(data["features"][train], data["labels"][train],
                        code_length=section.get_int("code_length", 16, min=1),
                        group_size=section.get_int("group_size", 4, min=1),
                        batch_size=section.get_int("batch_size", 32, min=1),
                        seed=section.run_seed())  # [train] seed, as every env reads it


hashrl.register_env("ClassCode-v0", make, "each item's class code, from the reward of its bits (Python)")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/py-class-code")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    args = parser.parse_args()
    config = {"data.kind": "synthetic", "data.queries_per_label": 10, "data.train_per_label": 50,
              "env.kind": "ClassCode-v0", "policy.hidden": 32,
              "learner.kind": "reinforce", "learner.pathwise": "none", "learner.signal": "reward-to-go",
              "optim.kind": "adam", "optim.lr": 0.003, "train.steps": 300}
    config.update(assignment.split("=", 1) for assignment in args.set)
    # The env's conformance checks first: a broken env fails here, not after an hour.
    with hashrl.make_env(config=config) as env:
        for report in (hashrl.check_env(env), hashrl.check_action_dependence(env)):
            assert report.ok, report.summary()
    metrics = hashrl.train(config, out=args.out)["metrics"]
    print(f"ClassCode-v0 env: MAP {metrics['map']:.4f} at {metrics['code_length']} bits, run in {args.out}")
