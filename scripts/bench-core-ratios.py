#!/usr/bin/env python3
"""Print the core benchmark table: each preset's median time and its ratio to the floor.

`floor` is two independent SHA-256 compressions (the CPU may overlap them);
`floor_chained` feeds the first digest into the second, as an HMAC must.
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")


def median_ns(name):
    est = json.loads((root / name / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"]


floor = median_ns("floor")
print(f"{'core':<12} {'ns/call':>9} {'x floor':>8}")
print(f"{'floor':<12} {floor:>9.1f} {1:>8.2f}")
if (root / "floor_chained").exists():
    chained = median_ns("floor_chained")
    print(f"{'floor_chained':<12} {chained:>9.1f} {chained / floor:>8.2f}")
# fluentbot: from a parsed value; fluentbot_text: from JSON text in JSON.stringify form
# (signed as it is); fluentbot_text_parsed: from JSON text that must be parsed.
for case in ["layerup", "inviaro", "ensoras", "supportwire", "fluentbot", "fluentbot_text", "fluentbot_text_parsed"]:
    if (root / case).exists():
        ns = median_ns(case)
        print(f"{case:<12} {ns:>9.1f} {ns / floor:>8.2f}")
