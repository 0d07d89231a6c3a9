#!/usr/bin/env python3
"""Writes NUS-WIDE as a hashrl image list: one line per image, `path l1 ... l81` (0/1 per concept).

Reads the official release's layout (standard library only):
  NUS_ROOT/ImageList/Imagelist.txt           image paths, one a line (backslashes allowed)
  NUS_ROOT/Groundtruth/AllLabels/Labels_*.txt one file per concept, 0/1 a line, in Imagelist order
and keeps the images that exist under IMAGE_ROOT. hashrl's `protocol = nus-wide` then keeps the
21 most frequent concepts and drops the images that carry none of them.

  python3 make_list.py NUS_ROOT IMAGE_ROOT > nus-wide.txt
"""
import os
import sys


def main(nus_root, image_root):
    with open(os.path.join(nus_root, "ImageList", "Imagelist.txt")) as f:
        paths = [line.strip().replace("\\", "/") for line in f if line.strip()]
    label_dir = os.path.join(nus_root, "Groundtruth", "AllLabels")
    concepts = sorted(name for name in os.listdir(label_dir) if name.startswith("Labels_") and name.endswith(".txt"))
    if not concepts:
        sys.exit(f"{label_dir}: no Labels_*.txt files")
    columns = []
    for name in concepts:
        with open(os.path.join(label_dir, name)) as f:
            column = [line.strip() for line in f if line.strip()]
        if len(column) != len(paths):
            sys.exit(f"{name}: {len(column)} lines, but Imagelist.txt has {len(paths)}")
        columns.append(column)
    missing = 0
    for i, path in enumerate(paths):
        if not os.path.exists(os.path.join(image_root, path)):
            missing += 1
            continue
        print(path, *(column[i] for column in columns))
    print(f"{len(paths) - missing} images, {len(concepts)} concepts ({missing} listed but missing)", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
