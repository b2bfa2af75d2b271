"""`make bench-python`: userhash against the vendors' own Python snippets, in one process.

Every comparison runs both sides on the same inputs, alternating them round by
round, and prints the median time per call (per item for the batch) of each:

    python <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>

ratio < 1 means userhash is faster. Cases:

    inviaro-id         Signer.sign(user_id=...)          vs hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    ensoras-email      Signer.sign(email=...)            vs hmac.new(key, email.lower().encode(), hashlib.sha256).hexdigest()
    fluentbot-visitor  Signer.sign(visitor=...)          vs the FluentBot seed: json.dumps(..., separators=(",", ":")) + hmac
    sign-many-1m       Signer.sign_many(1 000 000 ids)   vs a list comprehension of the Inviaro snippet

The stdlib side gets its key already encoded (the snippets read it from the
environment on every call; that cost is left out in its favour).

With a version-specific (non-abi3) build of the extension available (`make
bench-python` builds one, cp311 here; or set USERHASH_BENCH_NATIVE to its
`_userhash*.so`), every case is run with it too, in the same rounds, and printed
again as `<case>@<tag>` (e.g. `ensoras-email@cp311`); a summary of abi3 vs it goes
to stderr.

Env: USERHASH_BENCH_SMOKE=1 runs each case once with tiny counts (for `make test`:
checks that both sides agree, no timing claims); USERHASH_BENCH_ROUNDS sets the
number of rounds.
"""

import gc
import glob
import hashlib
import hmac
import importlib.util
import json
import os
import statistics
import sys
import sysconfig
import time
import timeit

import userhash

SMOKE = os.environ.get("USERHASH_BENCH_SMOKE") == "1"
ROUNDS = int(os.environ.get("USERHASH_BENCH_ROUNDS") or (1 if SMOKE else 9))
BATCH_ROUNDS = int(os.environ.get("USERHASH_BENCH_ROUNDS") or (1 if SMOKE else 3))
CALLS = 200 if SMOKE else 100_000  # per round, per-call cases
# The smoke batch still spans several chunks, so the pipelined path runs.
BATCH = 70_000 if SMOKE else 1_000_000

SECRET = "s3cr3t-widget-secret-0123456789"
KEY = SECRET.encode()
USER_ID = "usr_1042"
EMAIL = "Alice.Liddell@Example.COM"
# A realistic FluentBot visitor: name, email and ~10 fields of data, ~300 bytes of JSON.
VISITOR = {
    "name": "Alice Liddell",
    "email": "alice.liddell@example.com",
    "data": {
        "plan": "enterprise",
        "account_id": "ACME-1007",
        "seats": 42,
        "mrr": 1299.5,
        "signed_up": "2023-04-01T12:30:00Z",
        "country": "GB",
        "role": "admin",
        "beta": True,
        "company": "Acme Looking-Glass Ltd",
        "tags": ["vip", "emea", "annual"],
    },
}
IDS = [f"usr_{i}" for i in range(BATCH)]


# --- the vendors' snippets (seeds/001 Inviaro, seeds/002 Ensoras, seeds/004 FluentBot) ---


def seed_fluentbot(visitor):
    payload = json.dumps(
        {
            "name": visitor["name"],
            "email": visitor["email"],
            "data": visitor.get("data"),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(KEY, payload.encode(), hashlib.sha256).hexdigest()


def seed_batch(ids):
    return [hmac.new(KEY, user_id.encode(), hashlib.sha256).hexdigest() for user_id in ids]


# --- the extension builds to compare ------------------------------------------------


def native_build():
    """(tag, module) for a version-specific build of userhash._userhash, or None."""
    path = os.environ.get("USERHASH_BENCH_NATIVE")
    if not path:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        found = glob.glob(os.path.join(root, "build", "python-native", "site", "userhash", "_userhash" + suffix))
        if not found:
            return None
        path = found[0]
    # Its own module name, so it loads beside the installed abi3 build (PyInit__userhash either way).
    spec = importlib.util.spec_from_file_location("userhash_native._userhash", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tag = sys.implementation.cache_tag.replace("cpython-", "cp")
    return tag, module


def builds():
    out = [("", userhash._userhash)]
    native = native_build()
    if native is not None:
        tag, module = native
        out.append(("@" + tag, module))
    elif not SMOKE:
        print("# no version-specific build found: abi3 only (make bench-python builds one)", file=sys.stderr)
    return out


# --- timing ------------------------------------------------------------------------------


def per_call_cases(module):
    inviaro = module.Signer(SECRET, "inviaro")
    ensoras = module.Signer(SECRET, "ensoras")
    fluent = module.Signer(SECRET, "fluentbot")
    env = {
        "inviaro": inviaro,
        "ensoras": ensoras,
        "fluent": fluent,
        "hmac": hmac,
        "hashlib": hashlib,
        "KEY": KEY,
        "USER_ID": USER_ID,
        "EMAIL": EMAIL,
        "VISITOR": VISITOR,
        "seed_fluentbot": seed_fluentbot,
    }
    # (case, userhash statement, stdlib statement): timed inline, as an app would call them.
    return env, [
        (
            "inviaro-id",
            "inviaro.sign(user_id=USER_ID)",
            "hmac.new(KEY, USER_ID.encode(), hashlib.sha256).hexdigest()",
        ),
        (
            "ensoras-email",
            "ensoras.sign(email=EMAIL)",
            "hmac.new(KEY, EMAIL.lower().encode(), hashlib.sha256).hexdigest()",
        ),
        (
            "fluentbot-visitor",
            "fluent.sign(visitor=VISITOR)",
            "seed_fluentbot(VISITOR)",
        ),
    ]


def check_agree(env, cases):
    """Both sides of every comparison compute the same hash (the bench cannot rot)."""
    for case, sdk, std in cases:
        a, b = eval(sdk, env), eval(std, env)  # noqa: S307 - fixed statements above
        if a != b:
            raise SystemExit(f"bench {case}: userhash {a} != stdlib {b}")


def time_stmt(stmt, env, number):
    return timeit.Timer(stmt, globals=env).timeit(number) / number * 1e9


def time_batch(fn, cpu=None):
    """Wall ns per item; adds (process CPU ns, this thread's CPU ns) per item to `cpu`."""
    gc.collect()
    cpu0, thread0 = time.process_time_ns(), time.thread_time_ns()
    start = time.perf_counter_ns()
    out = fn()
    elapsed = time.perf_counter_ns() - start
    if cpu is not None:
        cpu.append(((time.process_time_ns() - cpu0) / BATCH, (time.thread_time_ns() - thread0) / BATCH))
    del out
    return elapsed / BATCH


def line(case, sdk_ns, std_ns):
    print(f"python {case} sdk={sdk_ns:.0f}ns stdlib={std_ns:.0f}ns ratio={sdk_ns / std_ns:.3f}", flush=True)


def main():
    results = {}  # case -> (sdk median ns, stdlib median ns)
    mods = builds()

    # Per-call cases: every round times every build's statement and the stdlib one.
    envs = []
    for tag, module in mods:
        env, cases = per_call_cases(module)
        check_agree(env, cases)
        envs.append((tag, env, cases))
    for i, (case, _, std_stmt) in enumerate(envs[0][2]):
        sdk_times = {tag: [] for tag, _, _ in envs}
        std_times = []
        for _ in range(ROUNDS):
            std_times.append(time_stmt(std_stmt, envs[0][1], CALLS))
            for tag, env, cases in envs:
                sdk_times[tag].append(time_stmt(cases[i][1], env, CALLS))
        std = statistics.median(std_times)
        for tag, _, _ in envs:
            results[case + tag] = (statistics.median(sdk_times[tag]), std)
            line(case + tag, *results[case + tag])

    # Batch: 1 000 000 ids through sign_many against the snippet in a loop.
    case = "sign-many-1m" if BATCH == 1_000_000 else f"sign-many-{BATCH}"
    signers = [(tag, module.Signer(SECRET, "inviaro")) for tag, module in mods]
    expected = seed_batch(IDS)
    for tag, signer in signers:
        if signer.sign_many(IDS) != expected:
            raise SystemExit(f"bench {case}{tag}: sign_many differs from the stdlib loop")
    del expected
    sdk_times = {tag: [] for tag, _ in signers}
    sdk_cpu = {tag: [] for tag, _ in signers}
    std_times, std_cpu = [], []
    for _ in range(BATCH_ROUNDS):
        std_times.append(time_batch(lambda: seed_batch(IDS), std_cpu))
        for tag, signer in signers:
            sdk_times[tag].append(time_batch(lambda: signer.sign_many(IDS), sdk_cpu[tag]))
    std = statistics.median(std_times)
    for tag, _ in signers:
        results[case + tag] = (statistics.median(sdk_times[tag]), std)
        line(case + tag, *results[case + tag])
    if not SMOKE:
        # CPU time, which a busy machine does not inflate the way it does wall time: the
        # calling thread's share is the part that cannot run on the other cores.
        cpu, main_thread = (statistics.median(x) for x in zip(*sdk_cpu[""]))
        print(
            f"# {case} CPU per item: sign_many {cpu:.0f}ns (calling thread {main_thread:.0f}ns, "
            f"hashing threads {cpu - main_thread:.0f}ns), stdlib loop {statistics.median(c for c, _ in std_cpu):.0f}ns",
            file=sys.stderr,
        )

    if len(mods) > 1 and not SMOKE:
        tag = mods[1][0]
        parts = []
        for name in [c for c in results if "@" not in c]:
            abi3, native = results[name][0], results[name + tag][0]
            parts.append(f"{name} {abi3 / native:.2f}")
        print(f"# abi3 time / {tag[1:]} time: " + ", ".join(parts), file=sys.stderr)


if __name__ == "__main__":
    main()
