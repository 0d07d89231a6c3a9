#!/usr/bin/env bash
# Data-parallel training on this machine, side by side in one run (docs/distributed.md): for
# drlih-cpu (Fashion-MNIST, the README's main job) and for the paper-size policy (hidden 4096,
# k = 12, q = 48, 16 triplets on precomputed 4096-d features, as bench_train times it):
#   1 rank x 2 threads against 2 ranks x 1 thread (`--nproc 2`): steps/s, images/s, the evaluation's
#   time (encoding sharded over the ranks), and per step the all-reduce bytes, how many buckets
#   started inside backward and the wait left after it;
# then bench_allreduce's latency and bandwidth, and a model (not a measurement) of steps/s on 8
# and 64 machines of this kind built from those figures.
# Run alone (no other training or build beside it): the ranks share two cores.
#   bash bench/distributed.sh [BUILD_DIR] [STEPS] [PAPER_STEPS]
set -euo pipefail
build="${1:-build}"
steps="${2:-300}"
paper_steps="${3:-8}"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
hashrl="$build/hashrl"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
quiet=(--set train.checkpoint_every=0 --set train.checkpoint_seconds=0 --set train.log_every=1)

cat > "$work/paper.ini" <<'INI'
[data]
kind = synthetic
queries_per_label = 5
train_per_label = 20
[data.synthetic]
classes = 4
per_class = 40
dim = 4096
[encoder]
kind = identity
[env]
device = cpu
code_length = 48
group_size = 12
batch_size = 16
[policy]
hidden = 4096
input_norm = none
INI

# $1 name, $2 config, $3 steps, then the layout's flags.
run() {
  local name="$1" config="$2" n="$3"
  shift 3
  "$hashrl" "$@" --config "$config" --set train.steps="$n" "${quiet[@]}" --out "$work/$name" > "$work/$name.log" 2>&1 ||
    { cat "$work/$name.log"; exit 1; }
}
run cpu-1x2 "$source_dir/configs/drlih-cpu.ini" "$steps" --threads 2 train
run cpu-2x1 "$source_dir/configs/drlih-cpu.ini" "$steps" train --nproc 2
run paper-1x2 "$work/paper.ini" "$paper_steps" --threads 2 train
run paper-2x1 "$work/paper.ini" "$paper_steps" train --nproc 2
"$build/bench/bench_allreduce" > "$work/allreduce.txt"
cat "$work/allreduce.txt"
echo

/usr/bin/python3 - "$work" <<'PY'
import json, math, sys
work = sys.argv[1]

def run(name):
    lines = [json.loads(l) for l in open(f"{work}/{name}/metrics.jsonl")]
    report = json.load(open(f"{work}/{name}/report.json"))
    # Per-step sync figures: the mean over the steps after the first (its buckets warm the links).
    later = lines[1:] or lines
    mean = lambda key: sum(l.get(key, 0) for l in later) / len(later)
    return {"steps_per_second": lines[-1]["steps_per_second"], "images_per_second": lines[-1]["images_per_second"],
            "eval_seconds": report["run"]["eval_seconds"], "bytes": later[-1].get("allreduce_bytes", 0),
            "wait": mean("allreduce_wait_seconds"), "in_backward": mean("allreduce_started_in_backward")}

rows = {name: run(name) for name in ["cpu-1x2", "cpu-2x1", "paper-1x2", "paper-2x1"]}
print("layout            | steps/s | images/s | eval s | all-reduce MiB/step | started in backward | wait after backward ms")
for name, r in rows.items():
    print(f"{name:17} | {r['steps_per_second']:7.3f} | {r['images_per_second']:8.1f} | {r['eval_seconds']:6.1f} | "
          f"{r['bytes'] / 2**20:19.2f} | {r['in_backward']:19.0%} | {r['wait'] * 1e3:22.2f}")
for model in ["cpu", "paper"]:
    one, two = rows[f"{model}-1x2"], rows[f"{model}-2x1"]
    print(f"{model}: 2 ranks x 1 thread / 1 rank x 2 threads: {two['images_per_second'] / one['images_per_second']:.2f}x "
          f"images/s, evaluation {one['eval_seconds'] / two['eval_seconds']:.2f}x faster")

# bench_allreduce: the smallest all-reduce gives the latency (a 2-rank ring takes 2 steps), the
# largest the bus bandwidth.
table = [line.split("|") for line in open(f"{work}/allreduce.txt") if line.strip()[:1].isdigit()]
latency = float(table[0][1]) / 1e3 / 2
bandwidth = float(table[-1][2]) * 1e9
print(f"\nmodel (not a measurement): n machines of this kind, one rank x 2 threads each; a step takes the"
      f"\nmeasured 1 x 2 step plus a ring all-reduce of the step's bytes, 2 (n-1)/n x bytes / {bandwidth / 1e9:.2f} GB/s"
      f"\n+ 2 (n-1) x {latency * 1e6:.0f} us per 16 MiB bucket (loopback's figures: a 10 GbE link moves about as"
      f"\nmuch, with less latency; a slower link scales the first term). 'overlapped' hides the all-reduce"
      f"\nbehind backward as far as the step is long; 'serial' adds it whole: the truth lies between.")
print("model  | machines | serial steps/s | overlapped steps/s | images/s (serial-overlapped)")
for model in ["cpu", "paper"]:
    step = 1 / rows[f"{model}-1x2"]["steps_per_second"]
    images_per_step = rows[f"{model}-1x2"]["images_per_second"] * step
    data = rows[f"{model}-2x1"]["bytes"]
    buckets = max(1, math.ceil(data / (16 << 20)))
    for n in [1, 2, 8, 64]:
        comm = 0.0 if n == 1 else 2 * (n - 1) / n * data / bandwidth + 2 * (n - 1) * latency * buckets
        serial, overlapped = step + comm, max(step, comm)
        print(f"{model:6} | {n:8} | {1 / serial:14.3f} | {1 / overlapped:18.3f} | "
              f"{n * images_per_step / serial:.0f}-{n * images_per_step / overlapped:.0f}")
PY
