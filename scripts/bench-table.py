#!/usr/bin/env python3
"""Turn `make bench` output into the Markdown tables of BENCHMARKS.md.

Reads lines `<lang> <case> sdk=<ns>ns stdlib=<ns>ns ratio=<r>` and the core
table of scripts/bench-core-ratios.py from stdin; prints Markdown.
"""
import re
import sys

LINE = re.compile(r"^(\w+) (\S+) sdk=([\d.]+)ns stdlib=([\d.]+)ns ratio=([\d.]+)")
CORE = re.compile(r"^(floor|layerup|inviaro|ensoras|supportwire|fluentbot)\s+([\d.]+)\s+([\d.]+)$")
# issue 7's targets, as userhash/stdlib ratios; Node and Go fluentbot are reported without one.
def target(lang, case):
    c = case.replace("-", "_")
    if "sign_many" in c:
        return 0.1
    if "fluentbot" in c:
        return None if lang in ("node", "go") else 0.5
    if "inviaro" in c or "ensoras" in c:
        return 0.25
    return None


rows, core = [], []
for line in sys.stdin:
    line = line.strip()
    if m := LINE.match(line):
        rows.append(m.groups())
    elif m := CORE.match(line):
        core.append(m.groups())


print("| language | case | userhash (ns) | stdlib snippet (ns) | userhash / stdlib | speed-up | target |")
print("|---|---|---:|---:|---:|---:|---|")
for lang, case, sdk, std, ratio in rows:
    r = float(ratio)
    limit = target(lang, case)
    verdict = "(report)" if limit is None else ("met" if r <= limit else f"missed (≤ {limit})")
    print(f"| {lang} | {case} | {float(sdk):.0f} | {float(std):.0f} | {r:.3f} | {1 / r:.1f}× | {verdict} |")
if core:
    print()
    print("| core (criterion) | ns/call | × floor |")
    print("|---|---:|---:|")
    for name, ns, ratio in core:
        print(f"| {name} | {float(ns):.1f} | {float(ratio):.2f} |")
