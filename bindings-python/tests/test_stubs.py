"""The .pyi stub declares every public item of the extension module, and nothing more."""

import ast
from pathlib import Path

import userhash
from userhash import _userhash

STUB = Path(userhash.__file__).with_name("_userhash.pyi")


def stub_names():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    module, classes = set(), {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {
                n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            module.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            module.add(node.target.id)
    return module, classes


def public(names):
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def test_stub_matches_module():
    module, classes = stub_names()
    assert public(dir(_userhash)) == module
    for cls, methods in classes.items():
        runtime = public(dir(getattr(_userhash, cls))) - public(dir(object))
        assert runtime == public(methods), cls
