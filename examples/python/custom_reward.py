"""A reward written in Python, picked by name in the config and trained by the C++ trainer.

The cosine-margin reward of examples/custom_reward (C++), in PyTorch: a triplet earns the margin by
which its anchor's relaxed code is nearer, in cosine similarity of the +-1 codes, to its positive
than to its negative. Its gradient reaches the policy through the relaxed codes (eq. 9).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/custom_reward.py \
        --config configs/drlih-cpu.ini --out runs/py-cosine --set train.steps=2000
"""
import argparse

import torch

import hashrl


class CosineMarginReward(hashrl.Reward):
    def __init__(self, section):
        super().__init__()  # required: pybind11 builds the C++ half here
        # Read every key inside the factory: a key nobody reads is reported as a typo.
        self.margin = section.get_float("margin", 0.2, min=0, max=2)

    def score(self, codes):
        signed = codes.probs * 2 - 1  # relaxed +-1 codes, carrying autograd history
        anchor, positive, negative = signed.chunk(3)  # rows are [anchors; positives; negatives]
        near = torch.nn.functional.cosine_similarity(anchor, positive)
        far = torch.nn.functional.cosine_similarity(anchor, negative)
        return torch.clamp(near - far, max=self.margin)

    def group_reward(self, input):  # this step's k bits
        return self.score(input.group)

    def global_reward(self, input):  # the whole code, on the last step
        return self.score(input.emitted)


hashrl.register_reward("cosine-margin", CosineMarginReward, "cosine margin of +-1 relaxed codes (Python)")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/drlih-cpu.ini")
    parser.add_argument("--out", default="runs/py-cosine-margin")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    args = parser.parse_args()
    overrides = dict(assignment.split("=", 1) for assignment in args.set)
    overrides.setdefault("reward.kind", "cosine-margin")
    # The reward's conformance checks first: a broken reward fails here, not after an hour.
    report = hashrl.check_reward(hashrl.make_reward(args.config, overrides))
    assert report.ok, report.summary()
    metrics = hashrl.train(args.config, out=args.out, overrides=overrides)["metrics"]
    print(f"cosine-margin reward: MAP {metrics['map']:.4f} at {metrics['code_length']} bits, run in {args.out}")
