#!/usr/bin/env bash
# Data-parallel runs through the tool (docs/distributed.md): `hashrl train --nproc 2` and torchrun
# with two ranks train to the same codes, and a rank killed mid-run ends the run with an error
# naming it, within the timeout, instead of a hang.
#   bash tests/distributed.sh HASHRL_BINARY SOURCE_DIR
set -euo pipefail
hashrl="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
args=(--config "$source_dir/tests/synthetic.ini" --set policy.hidden=16)

"$hashrl" train "${args[@]}" --set train.steps=30 --out "$work/nproc" --nproc 2 > "$work/nproc.log" 2>&1
grep -q '"ranks": 2' "$work/nproc/report.json"
# torchrun 1.13 on Python 3.11 needs --redirects/--tee other than 0 (its Std.NONE lookup fails).
port=$(( 29700 + RANDOM % 200 ))
/usr/bin/python3 -m torch.distributed.run --no_python --nproc_per_node 2 --master_port "$port" --redirects 2 --tee 2 \
  "$hashrl" train "${args[@]}" --set train.steps=30 --out "$work/torchrun" > "$work/torchrun.log" 2>&1
cmp "$work/nproc/codes/db_codes.npy" "$work/torchrun/codes/db_codes.npy"
echo "--nproc 2 and torchrun trained to the same codes"

# A rank killed mid-run: the launcher names it and stops the other; all within the timeout.
HASHRL_DIST_TIMEOUT=20 "$hashrl" train "${args[@]}" --set train.steps=1000000 --out "$work/killed" --nproc 2 \
  > "$work/killed.log" 2>&1 &
launcher=$!
for _ in $(seq 300); do [[ -s "$work/killed/metrics.jsonl" ]] && break; sleep 0.1; done
rank1=""
for pid in $(pgrep -P "$launcher"); do
  if tr '\0' '\n' < "/proc/$pid/environ" | grep -qx 'RANK=1'; then rank1=$pid; fi
done
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
