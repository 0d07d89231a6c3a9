#!/usr/bin/env python3
"""Fails when a source includes a header of a layer it does not build on, or a layer links one it is kept from.

Each layer is a folder with a CMakeLists.txt that calls hashrl_add_library(<folder> ... DEPS ...):
the DEPS that name hashrl::<layer> targets are the only layers its sources may include, with what
those build on in turn. So the rule has one home, the CMake targets, and cannot drift from them.
Folders that are not layers (app, tests, bench, examples) may include anything; no layer may
include them, nor the umbrella hashrl/hashrl.h. And the layers in APART, below, must not build on
HashEnv's machinery at all.

Usage: check_layers.py SOURCE_ROOT      check the tree
       check_layers.py --self-test      check that a back-include and a link kept apart are caught in a fake tree
"""
import os
import re
import sys
import tempfile

# The layers an agent's, a learner's or a new env's author links are kept apart from HashEnv's
# machinery (issue 40): none may build on these, directly or through another layer, so that seeing
# Env, Agent or Learner, or running their conformance checks, links no VGG, data set or reward.
APART = {layer: {"data", "encoders", "rewards", "envs"}
         for layer in ("env", "policies", "agents", "rollout", "learners", "testing")}

LIBRARY = re.compile(r"hashrl_add_library\(\s*(\w+)(.*?)\)", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]hashrl/([^">]+)[">]', re.M)
SOURCE_SUFFIXES = (".h", ".cpp", ".in")


def read_layers(root):
    """{layer: set of the layers it links directly}, from every folder's CMakeLists.txt."""
    layers = {}
    for entry in sorted(os.listdir(root)):
        cmake = os.path.join(root, entry, "CMakeLists.txt")
        if not os.path.isfile(cmake):
            continue
        with open(cmake, encoding="utf-8") as f:
            for name, args in LIBRARY.findall(f.read()):
                if name != entry:
                    sys.exit(f"{cmake}: hashrl_add_library({name}) must be named after its folder '{entry}'")
                layers[name] = set(re.findall(r"hashrl::(\w+)", args))
    return layers


def closure(layers):
    """{layer: every layer beneath it}; exits naming the layers of a cycle."""
    below = {}

    def visit(layer, path):
        if layer in path:
            sys.exit("the layers depend on each other in a cycle: " + " -> ".join(path + [layer]))
        if layer not in below:
            reach = set()
            for dep in layers.get(layer, ()):
                if dep not in layers:
                    sys.exit(f"{layer}/CMakeLists.txt links hashrl::{dep}, which is not a layer")
                reach |= {dep} | visit(dep, path + [layer])
            below[layer] = reach
        return below[layer]

    for layer in layers:
        visit(layer, [])
    return below


def violations(root, apart=None):
    layers = read_layers(root)
    below = closure(layers)
    found = []
    for layer, kept_from in sorted((APART if apart is None else apart).items()):
        for other in sorted(below.get(layer, set()) & kept_from):
            found.append(f"{layer}/CMakeLists.txt: '{layer}' builds on '{other}', which it is kept apart from "
                         f"(check_layers.py, APART)")
    for layer in sorted(layers):
        for folder, _, files in os.walk(os.path.join(root, layer)):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for included in INCLUDE.findall(text):
                    target = included.split("/")[0] if "/" in included else included
                    if target == layer or target in below[layer]:
                        continue
                    why = (f"'{target}' is not beneath '{layer}'" if target in layers
                           else f"'{included}' is not in a layer")
                    found.append(f"{os.path.relpath(path, root)}: includes hashrl/{included}: {why} "
                                 f"(it builds on: {', '.join(sorted(below[layer])) or 'nothing'})")
    return layers, found


def self_test():
    with tempfile.TemporaryDirectory() as root:
        def write(path, text):
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)

        write("low/CMakeLists.txt", "hashrl_add_library(low SOURCES a.cpp DEPS fmt::fmt)\n")
        write("high/CMakeLists.txt", "hashrl_add_library(high\n  SOURCES b.cpp\n  DEPS hashrl::low)\n")
        write("high/b.cpp", '#include "hashrl/high/b.h"\n#include "hashrl/low/a.h"\n')
        write("low/a.cpp", '#include "hashrl/low/a.h"\n')
        _, clean = violations(root, apart={})
        _, apart = violations(root, apart={"high": {"low"}})
        write("low/a.cpp", '#include "hashrl/low/a.h"\n#include "hashrl/high/b.h"\n')
        _, back = violations(root, apart={})
        write("low/a.cpp", '#include "hashrl/hashrl.h"\n')
        _, umbrella = violations(root, apart={})
    ok = (not clean and len(back) == 1 and "low/a.cpp" in back[0] and len(umbrella) == 1 and len(apart) == 1
          and "'high' builds on 'low'" in apart[0])
    print("clean tree:", clean or "no violations")
    print("a layer building on one it is kept apart from:", apart)
    print("back-include:", back)
    print("umbrella include:", umbrella)
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    layers, found = violations(sys.argv[1])
    for line in found:
        print(line)
    print(f"{len(layers)} layers, {len(found)} includes or links against the layering")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
