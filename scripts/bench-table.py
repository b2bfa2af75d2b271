#!/usr/bin/env python3
"""Turn `make bench` output into the Markdown tables of BENCHMARKS.md.

Reads lines `<lang> <case> sdk=<ns>ns stdlib=<ns>ns ratio=<r>` and the core
table of scripts/bench-core-ratios.py from stdin; prints Markdown.
"""
import re
import sys

LINE = re.compile(r"^(\w+) (\S+) sdk=([\d.]+)ns stdlib=([\d.]+)ns ratio=([\d.]+)")
CORE = re.compile(r"^(floor_chained|floor|layerup|inviaro|ensoras|supportwire|fluentbot_text_parsed|fluentbot_text|fluentbot)\s+([\d.]+)\s+([\d.]+)$")
# Targets as userhash/stdlib ratios: issue 17's for PHP, Go and Node, issue 7's elsewhere.
# Cases without one (PHP's per-request cases, verify, …) are reported.
PER_CALL = {"php": 1 / 3, "go": 0.25}
PAYLOAD = {"php": 1 / 1.5, "go": 1 / 1.5, "node": 0.5}


def target(lang, case):
    c = case.replace("-", "_")
    if "request" in c:
        return None
    if "sign_many" in c:
        return 0.1
    if "fluentbot" in c or "visitor" in c:
        return PAYLOAD.get(lang, 0.5)
    if "inviaro" in c or "ensoras" in c or c.startswith("email"):
        return PER_CALL.get(lang, 0.25)
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
    verdict = "(report)" if limit is None else ("met" if r <= limit else f"missed (≤ {limit:.2f})")
    print(f"| {lang} | {case} | {float(sdk):.0f} | {float(std):.0f} | {r:.3f} | {1 / r:.1f}× | {verdict} |")
if core:
    print()
    print("| core (criterion) | ns/call | × floor | × chained floor |")
    print("|---|---:|---:|---:|")
    chained = next((float(ns) for name, ns, _ in core if name == "floor_chained"), None)
    for name, ns, ratio in core:
        vs_chained = f"{float(ns) / chained:.2f}" if chained else "–"
        print(f"| {name} | {float(ns):.1f} | {float(ratio):.2f} | {vs_chained} |")
