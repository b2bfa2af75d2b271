"""1 000 000 sign calls (and a 1 000 000-id sign_many, and error paths) with flat memory.

RSS is read from /proc/self/statm before and after; a small slack is allowed for
the allocator. The numbers are printed whatever the outcome."""

import gc
import os
import resource

import pytest

from userhash import Signer, UserhashError

CALLS = 1_000_000
SLACK_MB = 8.0


def rss_mb():
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        pytest.skip("needs /proc/self/statm")


def report(capsys, what, before, after):
    with capsys.disabled():
        print(f"\n[python memory] {what}: RSS before {before:.1f} MB, after {after:.1f} MB, growth {after - before:+.1f} MB")


def test_one_million_sign_calls_flat_rss(capsys):
    ensoras = Signer("s3cr3t", "ensoras", previous=["old"])
    inviaro = Signer("s3cr3t", "inviaro")
    fluent = Signer("s3cr3t", "fluentbot")
    visitor = {"name": "Ann", "email": "Ann@X.com", "data": {"plan": "pro", "n": [1, 2.5, None], "é": "ü"}}
    big = 2**100

    def run(n):
        for i in range(n):
            k = i % 10
            if k < 6:
                ensoras.sign(email="Alice@Example.COM")
            elif k == 6:
                inviaro.sign(user_id=big)
            elif k == 7:
                fluent.sign(visitor=visitor)
            elif k == 8:
                ensoras.verify("0" * 64, email="Alice@Example.COM")
            else:
                try:
                    fluent.sign(visitor={"data": {"bad": {1}}})
                except UserhashError:
                    pass

    run(20_000)  # warm up: caches, allocator arenas, exception classes
    gc.collect()
    before = rss_mb()
    run(CALLS)
    gc.collect()
    after = rss_mb()
    report(capsys, f"{CALLS} sign/verify/error calls", before, after)
    assert after - before < SLACK_MB


def test_sign_many_million_ids_flat_rss(capsys):
    s = Signer("s3cr3t", "inviaro")
    ids = [f"usr_{i}" for i in range(CALLS)]
    out = s.sign_many(ids)
    del out
    gc.collect()
    before = rss_mb()
    for _ in range(3):
        out = s.sign_many(ids)
        assert len(out) == CALLS
        del out
        gc.collect()
    after = rss_mb()
    report(capsys, f"3 x sign_many({CALLS} ids)", before, after)
    assert after - before < SLACK_MB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with capsys.disabled():
        print(f"[python memory] peak RSS of the test process: {peak:.0f} MB")
