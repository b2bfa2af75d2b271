#!/usr/bin/env python3
"""Regenerates tests/doctor/cases.json: runs each language's generator (its own
stdlib makes the wrong hashes), merges their cases and writes them sorted by id.

    python3 tests/doctor/generate.py   # or: make doctor-corpus

Every generator prints a JSON array of cases (format: tests/doctor/README.md).
Deterministic: fixed secrets and identities, output sorted, so `git diff` shows
any change in what a language's code produces.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATORS = [
    ("go", ["go", "run", "gen_go.go"]),
    ("java", ["java", "-Duser.language=tr", "-Duser.country=TR", "GenJava.java"]),
    ("node", ["node", "gen_node.js"]),
    ("php", ["php", "gen_php.php"]),
    ("python", [sys.executable, "gen_python.py"]),
    ("ruby", ["ruby", "gen_ruby.rb"]),
]
KEYS = ["id", "variant", "made_by", "preset", "secret", "previous", "signer_options", "input", "hash"]
REQUIRED = {"id", "variant", "made_by", "preset", "secret", "input", "hash"}


def run(lang, argv):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    proc = subprocess.run(argv, cwd=HERE, env=env, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{lang} generator failed ({' '.join(argv)}):\n{proc.stderr.decode(errors='replace')}")
    cases = json.loads(proc.stdout)
    for c in cases:
        missing = REQUIRED - c.keys()
        unknown = c.keys() - set(KEYS)
        if missing or unknown or not c["id"].startswith(f"{lang}/"):
            sys.exit(f"{lang}: malformed case {c.get('id')!r}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return cases


def main():
    cases = [c for lang, argv in GENERATORS for c in run(lang, argv)]
    ids = [c["id"] for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        sys.exit(f"duplicate case ids: {dupes}")
    cases.sort(key=lambda c: c["id"])
    ordered = [{k: c[k] for k in KEYS if k in c} for c in cases]
    lines = ",\n".join(json.dumps(c, ensure_ascii=True) for c in ordered)
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        f.write('{"version":1,"cases":[\n' + lines + "\n]}\n")
    print(f"tests/doctor/cases.json: {len(ordered)} cases")


if __name__ == "__main__":
    main()
