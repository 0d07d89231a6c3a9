"""REINFORCE written in PyTorch against HashEnv: its own recurrent policy, loss and optimiser.

HashEnv (C++) samples the triplets, runs the trainable encoder and pays the rewards; everything
else is here: the paper's recurrent policy (eq. 1 and 6), REINFORCE with action groups (eq. 8,
reward-to-go with a batch-mean baseline) plus the pathwise gradient of the rewards, which HashEnv
computes from the relaxed codes and so carry autograd history (eq. 9), and the retrieval codes
(eq. 7) scored with hashrl.evaluate.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/reinforce.py

With drlih-cpu's env, encoder and reward (48 bits, Fashion-MNIST) docs/python.md gives its MAP and time.
"""
import argparse
import sys
import time

import torch

import hashrl


class RecurrentPolicy(torch.nn.Module):
    """h_t = tanh(W x + U h_{t-1}) over the action groups, one head per group: P(bit = 1) of its k bits."""

    def __init__(self, feature_dim, num_steps, group_size, hidden=256):
        super().__init__()
        self.norm = torch.nn.LayerNorm(feature_dim)
        self.cell = torch.nn.RNNCell(feature_dim, hidden)
        self.heads = torch.nn.ModuleList(torch.nn.Linear(hidden, group_size) for _ in range(num_steps))

    def initial_state(self, features):
        return features.new_zeros(features.shape[0], self.cell.hidden_size)

    def forward(self, features, step, state):
        state = self.cell(self.norm(features), state)
        return torch.sigmoid(self.heads[step](state)), state


def bernoulli_log_prob(bits, probs):
    probs = probs.clamp(1e-6, 1 - 1e-6)
    return (bits * probs.log() + (1 - bits) * (1 - probs).log()).sum(1)


def train_step(env, policy, optimizer, parameters):
    spec = env.spec
    obs, _ = env.reset()
    features = obs["features"]  # carries the trainable encoder's autograd history
    state = policy.initial_state(features)
    log_probs, rewards = [], []
    for step in range(spec.num_steps):
        probs, state = policy(features, step, state)
        bits = torch.bernoulli(probs.detach())
        obs, reward, terminated, truncated, info = env.step((bits, probs))
        # Rows r * B + i belong to episode i (a triplet): their log-probabilities add.
        log_probs.append(bernoulli_log_prob(bits, probs).view(spec.rows_per_episode, -1).sum(0))
        rewards.append(reward)
    rewards = torch.stack(rewards)  # [T, B], with autograd history through the relaxed codes
    to_go = rewards.detach().flip(0).cumsum(0).flip(0)
    advantage = to_go - to_go.mean(1, keepdim=True)
    score = -(torch.stack(log_probs) * advantage).sum(0).mean()
    pathwise = -rewards.sum(0).mean()
    optimizer.zero_grad()
    (score + pathwise).backward()
    torch.nn.utils.clip_grad_norm_(parameters, 5.0)
    optimizer.step()
    return rewards.detach().sum(0).mean().item()


@torch.no_grad()
def encode(env, policy, items, batch=500):
    """Greedy codes (eq. 7), uint8 [N, q], of raw items through the env's encoder in eval mode."""
    codes = []
    for chunk in items.split(batch):
        features = env.observe_features(chunk)
        state = policy.initial_state(features)
        groups = []
        for step in range(env.spec.num_steps):
            probs, state = policy(features, step, state)
            groups.append((probs > 0.5).to(torch.uint8))
        codes.append(torch.cat(groups, 1))
    return torch.cat(codes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/drlih-cpu.ini", help="the env, encoder, reward and data")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    parser.add_argument("--steps", type=int, default=7000)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    overrides = dict(assignment.split("=", 1) for assignment in args.set)
    torch.manual_seed(args.seed)
    start = time.time()

    env = hashrl.make_env("HashEnv-v0", args.config, overrides)
    spec = env.spec
    policy = RecurrentPolicy(spec.feature_dim, spec.num_steps, spec.group_size)
    # The from-scratch encoder learns at 3x the policy's rate, as in drlih-cpu.ini.
    optimizer = torch.optim.Adam([{"params": policy.parameters()},
                                  {"params": env.parameters(), "lr": 3 * args.lr}],
                                 lr=args.lr, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.MultiStepLR(optimizer, [int(0.7 * args.steps)], gamma=0.3)
    parameters = list(policy.parameters()) + env.parameters()
    recent = []
    interactive = sys.stdout.isatty()
    for step in range(1, args.steps + 1):
        recent = (recent + [train_step(env, policy, optimizer, parameters)])[-100:]
        schedule.step()
        if step % 50 == 0 or step == args.steps:
            line = f"step {step}/{args.steps}  reward {sum(recent) / len(recent):.3f}  {time.time() - start:.0f} s"
            # One line rewritten on a terminal; a line per report in a log.
            print("\r" + line if interactive else line, end="" if interactive else "\n", flush=True)
    if interactive:
        print()

    policy.eval()
    data = hashrl.load_data(args.config, overrides)
    items = data["images"] if "images" in data else data["features"]
    query, database = data["query"], data["database"]
    metrics = hashrl.evaluate(query_codes=encode(env, policy, items[query]), db_codes=encode(env, policy, items[database]),
                              query_labels=data["labels"][query], db_labels=data["labels"][database])
    print(f"REINFORCE in PyTorch: MAP {metrics['map']:.4f} at {spec.code_length} bits "
          f"after {args.steps} steps, {time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main()
