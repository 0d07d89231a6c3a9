#!/usr/bin/env bash
# The data set examples (examples/cifar10, nus-wide, mirflickr) on fake data laid out like each
# official release: the list scripts run, and each example config trains two steps and evaluates
# end to end — every key known, every reader and protocol exercised.
# Usage: example_configs.sh HASHRL_BINARY SOURCE_DIR
set -euo pipefail
hashrl=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

/usr/bin/python3 - <<'PY'
import os, random, struct, zlib
random.seed(0)

def png(path, w=8, h=8):
    rows = b"".join(b"\x00" + bytes(random.randrange(256) for _ in range(3 * w)) for _ in range(h))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

# CIFAR-10 binaries: 20 records a file, every class twice.
os.makedirs("cifar", exist_ok=True)
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    with open(f"cifar/{name}", "wb") as f:
        for r in range(20):
            f.write(bytes([r % 10]) + bytes(random.randrange(256) for _ in range(3072)))

# NUS-WIDE: ImageList, one label file per concept (81), images under Flickr/.
os.makedirs("nus/ImageList", exist_ok=True)
os.makedirs("nus/Groundtruth/AllLabels", exist_ok=True)
os.makedirs("nus/Flickr/actor", exist_ok=True)
paths = [f"actor\\{i:04d}_1.jpg" for i in range(120)]
with open("nus/ImageList/Imagelist.txt", "w") as f:
    f.write("\n".join(paths) + "\n")
for i in range(120):
    png(f"nus/Flickr/actor/{i:04d}_1.jpg")
labels = [{i % 25, (i * 7) % 25} for i in range(120)]
for c in range(81):
    with open(f"nus/Groundtruth/AllLabels/Labels_c{c:02d}.txt", "w") as f:
        f.write("".join("1\n" if c in l else "0\n" for l in labels))

# MIRFlickr-25K: im1.jpg ... and one index file per label (24 + 14 "_r1").
os.makedirs("mir/images", exist_ok=True)
os.makedirs("mir/annotations", exist_ok=True)
for i in range(1, 61):
    png(f"mir/images/im{i}.jpg")
names = [f"label{j:02d}" for j in range(24)] + [f"label{j:02d}_r1" for j in range(14)]
for j, name in enumerate(names):
    with open(f"mir/annotations/{name}.txt", "w") as f:
        f.write("".join(f"{i}\n" for i in range(1, 61) if i % 38 == j or i % 5 == j % 5))
with open("mir/annotations/README.txt", "w") as f:
    f.write("not a label file\n")
PY

/usr/bin/python3 "$src/examples/nus-wide/make_list.py" nus nus/Flickr > nus.txt
/usr/bin/python3 "$src/examples/mirflickr/make_list.py" mir/images mir/annotations > mir.txt
[[ $(wc -l < nus.txt) == 120 && $(head -1 nus.txt | wc -w) == 82 ]] || { echo "nus.txt is wrong"; exit 1; }
[[ $(wc -l < mir.txt) == 60 && $(head -1 mir.txt | wc -w) == 39 ]] || { echo "mir.txt is wrong"; exit 1; }

small=(--set train.steps=2 --set env.batch_size=2 --set eval.batch_size=64 --set env.device=cpu)
"$hashrl" --threads 1 train --config "$src/examples/cifar10/drlih-cifar10.ini" --set data.path=cifar \
  --set data.queries_per_label=1 --set data.train_per_label=3 "${small[@]}" --out run-cifar
"$hashrl" --threads 1 train --config "$src/examples/nus-wide/drlih-nus-wide.ini" --set data.path=nus.txt \
  --set data.root=nus/Flickr --set data.queries_per_label=1 --set data.train_per_label=2 "${small[@]}" --out run-nus
"$hashrl" --threads 1 train --config "$src/examples/mirflickr/drlih-mirflickr.ini" --set data.path=mir.txt \
  --set data.root=mir/images --set data.queries=10 --set data.train=30 "${small[@]}" --out run-mir
for run in run-cifar run-nus run-mir; do
  [[ -f $run/report.json ]] || { echo "$run: no report"; exit 1; }
done
echo "all three example configs trained and evaluated"
