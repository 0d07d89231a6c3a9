#!/usr/bin/env bash
# Load test of `hashrl serve` with wrk, on loopback only, bounded in time: requests/s and p99
# latency for id queries and for image queries (PNG upload, encoded by the run's agent), then id
# queries at full rate while a second wrk adds items (POST /items, each one fsync'd), with the
# items added and the server's resident memory before and after; the count of errors (socket
# errors and non-2xx answers) must be zero everywhere. Added items go to a scratch folder.
#
#   bash bench/serve_load.sh [RUN_DIR]     (default: fits configs/classic.ini's ITQ run first)
# Environment: DURATION (seconds per load, default 10), CONNECTIONS (default 16), SERVE_ARGS
# (extra `hashrl serve` flags, e.g. "--batch-max 1" to compare unbatched encoding).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
hashrl="$root/build/hashrl"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-16}"
work="$(mktemp -d)"
trap 'if [[ -n "${server:-}" ]]; then kill "$server"; wait "$server" || true; fi; rm -rf "$work"' EXIT

run="${1:-}"
if [[ -z "$run" ]]; then
  run="$work/run"
  "$hashrl" train --config "$root/configs/classic.ini" --set env.device=cpu --out "$run" >/dev/null
fi

# One database image as PNG (stdlib only: zlib + struct), from the run's own data.
/usr/bin/python3 - "$work/query.png" <<'PY'
import gzip, struct, sys, zlib
with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
    data = f.read()
w = h = 28
rows = b"".join(b"\x00" + data[16 + r * w:16 + (r + 1) * w] for r in range(h))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY

"$hashrl" serve --run "$run" --port 0 --items-dir "$work/items" ${SERVE_ARGS:-} > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "Ctrl-C stops" "$work/serve.log" && break; sleep 0.2; done
port="$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2)"
db_size="$(curl -s "http://127.0.0.1:$port/info" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["database_size"])')"

status=0
# wrk's summary -> "req/s p50 p99 errors"
summarise() {
  local out="$1" non2xx socket
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  socket="$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out")"
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "50%" {print $2}' <<<"$out") \
$(awk '$1 == "99%" {print $2}' <<<"$out") $(( ${non2xx:-0} + ${socket:-0} ))"
}
load() {  # MODE CONNECTIONS TARGET
  HASHRL_QUERY=$1 HASHRL_DB_SIZE=$db_size HASHRL_IMAGE="$work/query.png" \
    wrk -t1 -c"$2" -d"${duration}s" --latency -s "$root/bench/wrk_query.lua" "http://127.0.0.1:$port$3"
}
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }

echo "| load | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
for mode in id image; do
  read -r rps p50 p99 errors <<<"$(summarise "$(load $mode "$connections" /query)")"
  echo "| $mode queries | $rps | $p50 | $p99 | $errors |"
  [[ "$errors" == 0 ]] || status=1
done

rss_before="$(rss_mib)"
load add 2 /items > "$work/add.out" &
adder=$!
read -r rps p50 p99 errors <<<"$(summarise "$(load id "$connections" /query)")"
wait "$adder"
read -r arps ap50 ap99 aerrors <<<"$(summarise "$(cat "$work/add.out")")"
added="$(curl -s "http://127.0.0.1:$port/info" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["added_items"])')"
echo "| id queries while adding | $rps | $p50 | $p99 | $errors |"
echo "| POST /items (2 connections) | $arps | $ap50 | $ap99 | $aerrors |"
echo
echo "items added: $added; server memory ${rss_before} MiB before, $(rss_mib) MiB after"
[[ "$errors" == 0 && "$aerrors" == 0 ]] || status=1
exit $status
