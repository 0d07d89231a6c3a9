#!/usr/bin/env bash
# Resume soak: a training run SIGKILLed again and again at random moments (before its first
# checkpoint, during checkpoint writes, while it evaluates), each time resumed, must end with codes
# and a metrics log byte-identical to a run that was never interrupted.
# Usage: resume_soak.sh HASHRL_BINARY [KILLS]
set -euo pipefail
hashrl=$1 kills=${2:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/soak.ini" <<'INI'
[data]
kind = synthetic
queries_per_label = 10
train_per_label = 60
[data.synthetic]
classes = 6
per_class = 200
dim = 128
[env]
device = cpu
code_length = 24
group_size = 6
batch_size = 16
[encoder]
kind = identity
[policy]
hidden = 256
[optim]
kind = adam
lr = 0.001
lr_step = 50
lr_gamma = 0.5
[train]
steps = 800
seed = 7
log_every = 1
checkpoint_every = 7
INI
run() { "$hashrl" --threads 1 train "$@" >/dev/null 2>>"$work/stderr"; }

run --config "$work/soak.ini" --out "$work/reference"

RANDOM=42  # the same kill times on every machine; what they interrupt differs with its speed
resumed=0
for ((i = 1; i <= kills; i++)); do
  if [ -f "$work/soak/config.ini" ]; then args=(--resume "$work/soak"); else args=(--config "$work/soak.ini" --out "$work/soak"); fi
  "$hashrl" --threads 1 train "${args[@]}" >/dev/null 2>>"$work/stderr" &
  pid=$!
  # The first kill lands during start-up (no config.ini yet), the second before the first checkpoint
  # (start-up takes about 0.7 s, the data a little more); then anywhere in 0 to 2.9 s.
  case $i in
    1) delay=0.2 ;;
    2) delay=0.8 ;;
    *) delay="$((RANDOM % 30 / 10)).$((RANDOM % 10))" ;;
  esac
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; else wait "$pid"; fi
  step=$(tail -n 1 "$work/soak/metrics.jsonl" 2>/dev/null | grep -o '"step":[0-9]*' | grep -o '[0-9]*$' || echo -)
  echo "kill $i after ${delay} s: logged up to step $step$([ -f "$work/soak/checkpoint.pt" ] || echo ', no checkpoint yet')"
  [ -f "$work/soak/report.json" ] && break  # finished before it could be killed
  resumed=$((resumed + 1))
done
if [ -f "$work/soak/config.ini" ]; then run --resume "$work/soak"; else run --config "$work/soak.ini" --out "$work/soak"; fi

status=0
for file in codes/query_codes.npy codes/db_codes.npy codes/query_labels.npy codes/db_labels.npy; do
  if ! cmp -s "$work/reference/$file" "$work/soak/$file"; then echo "DIFFERS: $file"; status=1; fi
done
# Every step logged once, in order; the timing fields differ, the rest must not.
strip() { sed -E 's/"(seconds|steps_per_second|images_per_second)":[^,}]*,?//g' "$1"; }
if ! diff <(strip "$work/reference/metrics.jsonl") <(strip "$work/soak/metrics.jsonl") >/dev/null; then
  echo "DIFFERS: metrics.jsonl"; status=1
fi
if [ $status -ne 0 ]; then
  cat "$work/stderr"
  exit 1
fi
echo "resume soak: $resumed kills, codes and metrics identical to the uninterrupted run"
