#!/usr/bin/env python3
"""Writes MIRFlickr-25K as a hashrl image list: one line per image, `im<i>.jpg l1 ... l38`.

Reads the official release (standard library only): the images mirflickr/im1.jpg ...
im25000.jpg and the annotation folder, whose files (animals.txt, animals_r1.txt, ...) each list
the 1-based indices of the images that carry that label: 24 potential labels and 14 "_r1"
(relevant) ones, the paper's 38 concepts. Images with no label are left out, as is usual.

  python3 make_list.py IMAGE_DIR ANNOTATION_DIR > mirflickr.txt
"""
import os
import sys


def main(image_dir, annotation_dir):
    labels = sorted(name for name in os.listdir(annotation_dir)
                    if name.endswith(".txt") and name.lower() != "readme.txt")
    if not labels:
        sys.exit(f"{annotation_dir}: no label files")
    members = []
    for name in labels:
        with open(os.path.join(annotation_dir, name)) as f:
            members.append({int(line) for line in f if line.strip()})
    images = sorted(int(name[2:-4]) for name in os.listdir(image_dir) if name.startswith("im") and name.endswith(".jpg"))
    kept = 0
    for i in images:
        row = ["1" if i in m else "0" for m in members]
        if "1" in row:
            print(f"im{i}.jpg", *row)
            kept += 1
    print(f"{kept} labelled images of {len(images)}, {len(labels)} labels", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
