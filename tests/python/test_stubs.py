"""The type stubs (python/hashrl/__init__.pyi) against the module they describe: every public name
and every public member of a class has a stub, and no stub names something the module lacks."""
import ast
import os
import types

import hashrl

STUBS = os.path.join(os.path.dirname(__file__), "..", "..", "python", "hashrl", "__init__.pyi")
# Names the stubs define for their own annotations only.
STUB_ALIASES = {"Tensor", "ConfigLike", "Overrides", "Observation", "ActionLike"}


def assigned(node):
    if isinstance(node, ast.AnnAssign):
        return [node.target.id]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    return []


def stubbed():
    """{top-level name: set of its public members (empty for a function or a value)}."""
    with open(STUBS, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                members |= {item.name} if isinstance(item, ast.FunctionDef) else set(assigned(item))
            names[node.name] = {m for m in members if not m.startswith("_") or m in ("__enter__", "__exit__")}
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = set()
        else:
            names.update({n: set() for n in assigned(node)})
    return {n: members for n, members in names.items() if n not in STUB_ALIASES}


def public(obj):
    return {n for n in vars(obj) if not n.startswith("_") or n in ("__enter__", "__exit__")}


def test_every_public_name_has_a_stub_and_every_stub_a_name():
    module = {n for n in dir(hashrl) if not n.startswith("_") and not isinstance(getattr(hashrl, n), types.ModuleType)}
    stubs = stubbed()
    stubs.pop("__version__", None)
    assert module - set(stubs) == set(), "public names without a stub in __init__.pyi"
    assert set(stubs) - module == set(), "stubs of names the module does not have"


def test_every_public_member_of_a_class_has_a_stub():
    stubs = stubbed()
    for name, members in stubs.items():
        obj = getattr(hashrl, name)
        if not isinstance(obj, type) or issubclass(obj, BaseException):
            continue
        have = public(obj) - {"name", "value"} if name == "ActMode" else public(obj)
        assert have - members == set(), f"{name}: members without a stub"
        assert members - have == set(), f"{name}: stubs of members it does not have"
