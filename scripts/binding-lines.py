#!/usr/bin/env python3
"""Counts binding code as issue 12 defines it, and checks the two thin-binding rules.

Counted: the source files of bindings-*/ that make up each package — Rust under src/,
Python under python/, JavaScript, Ruby under lib/, PHP under src/ (plus autoload and
preload scripts), non-test Go — without comments, doc comments, docstrings or blank
lines. Not counted: tests, benches, demos, stubs (.pyi, .d.ts, .rbs), generated files
(the napi loader, the cbindgen header), build scripts and manifests.

    scripts/binding-lines.py            print the count per binding and in all
    scripts/binding-lines.py --check    also fail when over the ceiling, or when one line
                                        of a binding file names two or more presets
"""
import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 2500  # issue 12's target
# What --check enforces: issue 12's target, reached (docs/design.md; the bindings were
# 5,126 lines before issue 12). Lower it when the count goes down.
CEILING = 2500
SKIP_PARTS = {"test", "tests", "spec", "bench", "benches", "cmd", "node_modules", "target", "vendor", "__pycache__", "examples"}
SKIP_NAMES = {"index.js", "build.rs"}
SOURCE = {".rs", ".py", ".js", ".mjs", ".cjs", ".rb", ".php", ".go"}


def counted_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "bindings-*"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in sorted(set(out)):
        p = Path(rel)
        if p.suffix not in SOURCE or p.name in SKIP_NAMES or not (ROOT / p).exists():
            continue
        if SKIP_PARTS & set(p.parts[1:-1]) or re.search(r"(^|[_.-])(test|tests|bench|demo)([_.-]|$)", p.stem):
            continue
        if p.suffix == ".rb" and "lib" not in p.parts and "src" not in p.parts:
            continue  # Rakefile-style build scripts
        if p.suffix == ".php" and p.parts[1] == "bin":
            continue
        head = "\n".join((ROOT / p).read_text(encoding="utf-8").splitlines()[:6]).lower()
        if "generated" in head and "do not edit" in head:
            continue  # made by a generator and drift-checked (Go sentinels, PHP classes)
        yield p


def python_code_lines(text):
    doc_lines = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                doc_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    code = set()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENDMARKER):
            continue
        for line in range(tok.start[0], tok.end[0] + 1):
            if line not in doc_lines:
                code.add(line)
    return len(code)


def c_like_code_lines(text, hash_comments):
    count, in_block = 0, False
    for raw in text.splitlines():
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if line.startswith("/*"):
            if "*/" not in line:
                in_block = True
            continue
        if not line or line.startswith("//") or (hash_comments and line.startswith("#") and not line.startswith("#[")
                                                 and not line.startswith("#!")):
            continue
        if line.startswith("=begin"):
            in_block = True
            continue
        count += 1
    return count


def code_lines(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python_code_lines(text)
    return c_like_code_lines(text, hash_comments=path.suffix in {".rb", ".php"})


def preset_names():
    src = (ROOT / "core" / "src" / "scheme.rs").read_text()
    body = src[src.index("impl Preset {"):]
    body = body[body.index("pub const fn name(self)"):]
    body = body[:body.index("\n    }\n")]
    return set(re.findall(r'=> "([a-z0-9_]+)"', body))


def main():
    check = "--check" in sys.argv[1:]
    totals, failures = {}, []
    presets = preset_names()
    for path in counted_files():
        n = code_lines(path)
        totals[path.parts[0]] = totals.get(path.parts[0], 0) + n
        for no, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), 1):
            named = {p for p in presets if re.search(rf"\b{re.escape(p)}\b", line)}
            if len(named) >= 2:
                failures.append(f"{path}:{no}: names presets {', '.join(sorted(named))}")
        if "-v" in sys.argv[1:]:
            print(f"{n:6} {path}")
    total = sum(totals.values())
    for name, n in sorted(totals.items()):
        print(f"{name:18} {n:6}")
    print(f"{'all bindings':18} {total:6}  (target {BUDGET}, ceiling {CEILING})")
    if total > CEILING:
        failures.append(f"binding code is {total} lines, over the ceiling of {CEILING} (target {BUDGET})")
    for f in failures:
        print(f, file=sys.stderr)
    if check and failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
