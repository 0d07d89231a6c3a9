#!/usr/bin/env bash
# A plugin built out of tree against the installed package trains through the stock tool: the
# custom agent and the custom reward of examples/ built as shared libraries, loaded with --plugin,
# and a run resumed without --plugin (its config.ini names the plugins it loaded).
# With PYTHON_DIR (the build's python/ folder), Python loads them too and trains through them.
# Usage: plugin_out_of_tree.sh BUILD_DIR SOURCE_DIR HASHRL_BINARY [PYTHON_DIR]
set -euo pipefail
build=$1 source=$2 hashrl=$3 python_dir=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
for example in custom_agent custom_reward; do
  cmake -S "$source/examples/$example" -B "$work/$example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$work/prefix" "${launcher[@]}" >/dev/null
  cmake --build "$work/$example" --target "$([ $example = custom_agent ] && echo per_group_linear || echo cosine_margin)" >/dev/null
done
agent=$work/custom_agent/libper_group_linear.so reward=$work/custom_reward/libcosine_margin.so

listed=$("$hashrl" --plugin "$agent" --plugin "$reward" list)
grep -q "per-group-linear" <<<"$listed" && grep -q "cosine-margin" <<<"$listed"
"$hashrl" --plugin "$agent" --plugin "$reward" train --config "$source/tests/synthetic.ini" \
  --set agent.kind=per-group-linear --set reward.kind=cosine-margin --set train.steps=20 --out "$work/run"
grep -q "libper_group_linear.so" "$work/run/config.ini"
"$hashrl" train --resume "$work/run" --set train.steps=30
if [ -n "$python_dir" ]; then
  PYTHONPATH=$python_dir /usr/bin/python3 - "$agent" "$reward" "$source/tests/synthetic.ini" "$work/py-run" <<'PY'
import sys
import hashrl
agent, reward, config, out = sys.argv[1:]
hashrl.load_plugin(agent)
assert "per-group-linear" in hashrl.agent_names()
report = hashrl.train(config, out=out, overrides={"plugins.load": reward, "reward.kind": "cosine-margin",
                                                  "agent.kind": "per-group-linear", "train.steps": 10})
print(f"python: plugins loaded, MAP {report['metrics']['map']:.3f}")
PY
fi
echo "plugins trained through the stock tool and resumed without --plugin"
