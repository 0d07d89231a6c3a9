#!/usr/bin/env bash
# Data-parallel runs through the tool (docs/distributed.md): `hashrl train --nproc 2` and torchrun
# with two ranks train to the same codes; torchrun with --max_restarts 1 and a rank killed mid-run
# resumes from the last checkpoint and ends with the uninterrupted run's codes; and a rank killed
# under --nproc ends the run with an error naming it, within the timeout, instead of a hang.
#   bash tests/distributed.sh HASHRL_BINARY SOURCE_DIR
set -euo pipefail
hashrl="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
args=(--config "$source_dir/tests/synthetic.ini" --set policy.hidden=16)
# Long enough (some seconds) to kill a rank mid-run; checkpoints by steps only, so that the kill
# falls between two of them.
long=(--set train.steps=1500 --set train.checkpoint_every=100 --set train.checkpoint_seconds=0)
# torchrun 1.13 on Python 3.11 needs --redirects/--tee other than 0 (its Std.NONE lookup fails).
# Its logs go under $work: without --log_dir each launch leaves a /tmp/torchelastic_* folder.
torchrun() {
  /usr/bin/python3 -m torch.distributed.run --no_python --nproc_per_node 2 --master_port $(( 29700 + RANDOM % 200 )) \
    --redirects 2 --tee 2 --log_dir "$work/torchelastic" "$@"
}
# The pid of the process whose parent is $1 and whose environment says RANK=$2.
rank_pid() {
  for pid in $(pgrep -P "$1"); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "RANK=$2"; then echo "$pid"; return; fi
  done
}
# Waits until the run folder $1 has logged step $2 or more.
wait_for_step() {
  for _ in $(seq 600); do
    local last
    last=$(tail -n 1 "$1/metrics.jsonl" 2>/dev/null | grep -o '"step":[0-9]*' | cut -d: -f2 || true)
    [[ -n "$last" ]] && (( last >= $2 )) && return 0
    sleep 0.1
  done
  echo "the run in $1 never reached step $2"; return 1
}

# Two runs' metrics.jsonl agree at every logged step on everything but the clock: losses, rewards
# and gradient norms, which any difference in parameters or draws moves.
same_training() {
  /usr/bin/python3 - "$1/metrics.jsonl" "$2/metrics.jsonl" <<'PY'
import json, sys
clock = {"seconds", "steps_per_second", "images_per_second", "allreduce_wait_seconds", "allreduce_started_in_backward"}
runs = [[{k: v for k, v in json.loads(line).items() if k not in clock} for line in open(path)] for path in sys.argv[1:]]
if runs[0] != runs[1]:
    first = next(i for i, (a, b) in enumerate(zip(*runs)) if a != b) if len(runs[0]) == len(runs[1]) else None
    sys.exit(f"the runs differ (logged lines {len(runs[0])} and {len(runs[1])}, first difference at line {first})")
PY
}

"$hashrl" train "${args[@]}" "${long[@]}" --out "$work/nproc" --nproc 2 > "$work/nproc.log" 2>&1
grep -q '"ranks": 2' "$work/nproc/report.json"
torchrun "$hashrl" train "${args[@]}" "${long[@]}" --out "$work/torchrun" > "$work/torchrun.log" 2>&1
cmp "$work/nproc/codes/db_codes.npy" "$work/torchrun/codes/db_codes.npy"
same_training "$work/nproc" "$work/torchrun"
echo "--nproc 2 and torchrun trained to the same codes"

# torchrun restarts the workers after rank 1 is killed; they resume from the last checkpoint.
torchrun --max_restarts 1 "$hashrl" train "${args[@]}" "${long[@]}" --out "$work/restarted" > "$work/restarted.log" 2>&1 &
agent=$!
wait_for_step "$work/restarted" 300
rank1=""
for worker_parent in $(pgrep -P "$agent") "$agent"; do
  rank1=$(rank_pid "$worker_parent" 1)
  [[ -n "$rank1" ]] && break
done
[[ -n "$rank1" ]] || { echo "rank 1 not found"; cat "$work/restarted.log"; exit 1; }
kill -9 "$rank1"
wait "$agent" || { echo "the restarted run failed"; cat "$work/restarted.log"; exit 1; }
grep -q "torchrun restart 1: resumed from" "$work/restarted.log" || { echo "no resume after the restart"; cat "$work/restarted.log"; exit 1; }
grep -o "torchrun restart 1: resumed from .*" "$work/restarted.log" | head -n 1
cmp "$work/torchrun/codes/db_codes.npy" "$work/restarted/codes/db_codes.npy"
cmp "$work/torchrun/codes/query_codes.npy" "$work/restarted/codes/query_codes.npy"
same_training "$work/torchrun" "$work/restarted"
echo "a rank killed under torchrun --max_restarts 1: resumed, and the codes equal the uninterrupted run's"

# A rank killed mid-run: the launcher names it and stops the other; all within the timeout.
HASHRL_DIST_TIMEOUT=20 "$hashrl" train "${args[@]}" --set train.steps=1000000 --out "$work/killed" --nproc 2 \
  > "$work/killed.log" 2>&1 &
launcher=$!
wait_for_step "$work/killed" 10
rank1=$(rank_pid "$launcher" 1)
[[ -n "$rank1" ]] || { echo "rank 1 not found"; cat "$work/killed.log"; exit 1; }
kill -9 "$rank1"
start=$SECONDS
status=0
wait "$launcher" || status=$?
elapsed=$(( SECONDS - start ))
cat "$work/killed.log" | grep -v '^train' || true
[[ $status -ne 0 ]] || { echo "the run exited 0 after a rank was killed"; exit 1; }
grep -q "rank 1 was killed by signal 9" "$work/killed.log"
(( elapsed <= 30 )) || { echo "took ${elapsed}s to stop"; exit 1; }
echo "a killed rank ended the run in ${elapsed}s with status $status, naming it"
echo "distributed runs checked"
