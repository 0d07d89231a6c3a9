#!/usr/bin/env bash
# torchvision (Debian's, through the system python3) exports vgg19 / vgg19_bn with weights=None;
# the C++ test then checks names, shapes and the forward pass against it (test_vgg_torchvision.cpp).
# Usage: vgg_round_trip.sh SOURCE_DIR TEST_BINARY
set -euo pipefail
src=$1 tests=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3
"$python" -c "import torchvision" 2>/dev/null || { echo "Debian's python3-torchvision is missing (scripts/setup.sh installs it)"; exit 1; }
"$python" "$src/scripts/export_vgg_weights.py" --arch vgg19 --weights none --keys "$work/vgg19.keys"
"$python" "$src/scripts/export_vgg_weights.py" --arch vgg19_bn --weights none --keys "$work/vgg19_bn.keys" \
  --out "$work/vgg19_bn.pt" --reference "$work"
HASHRL_VGG_REFERENCE="$work" "$tests" "[torchvision]"
