#!/usr/bin/env python3
"""Turn `make bench` output into the Markdown tables of BENCHMARKS.md.

Reads lines `<lang> <case> sdk=<ns>ns stdlib=<ns>ns ratio=<r>` and the core
table of scripts/bench-core-ratios.py from stdin; prints Markdown.
"""
import re
import sys

LINE = re.compile(r"^(\w+) (\S+) sdk=([\d.]+)ns stdlib=([\d.]+)ns ratio=([\d.]+)")
CORE = re.compile(r"^(floor|layerup|inviaro|ensoras|supportwire|fluentbot)\s+([\d.]+)\s+([\d.]+)$")
TARGET = {"sign": 0.25, "fluentbot": 0.5, "sign_many": 0.1}

rows, core = [], []
for line in sys.stdin:
    line = line.strip()
    if m := LINE.match(line):
        rows.append(m.groups())
    elif m := CORE.match(line):
        core.append(m.groups())


def target(case):
    for key, limit in TARGET.items():
        if case.startswith(key) or key in case:
            return limit
    return None


print("| language | case | userhash (ns) | stdlib snippet (ns) | userhash / stdlib | speed-up | target |")
print("|---|---|---:|---:|---:|---:|---|")
for lang, case, sdk, std, ratio in rows:
    r = float(ratio)
    limit = target(case)
    verdict = "" if limit is None else ("met" if r <= limit else f"missed (≤ {limit})")
    print(f"| {lang} | {case} | {float(sdk):.0f} | {float(std):.0f} | {r:.3f} | {1 / r:.1f}× | {verdict} |")
if core:
    print()
    print("| core (criterion) | ns/call | × floor |")
    print("|---|---:|---:|")
    for name, ns, ratio in core:
        print(f"| {name} | {float(ns):.1f} | {float(ratio):.2f} |")
