"""`make bench-python`: ns per call, userhash vs the vendor's stdlib snippet (Ensoras)."""

import hashlib
import hmac
import timeit

import userhash

SECRET, EMAIL = "s3cr3t", "Alice@Example.COM"
signer = userhash.Signer(SECRET, "ensoras")
fluent = userhash.Signer(SECRET, "fluentbot")
visitor = {"name": "Alice", "email": EMAIL, "data": {"plan": "pro", "seats": 5}}


def stdlib():
    return hmac.new(SECRET.encode(), EMAIL.lower().encode(), hashlib.sha256).hexdigest()


HASH = stdlib()

cases = [
    ("python stdlib ensoras snippet", stdlib),
    ("python userhash ensoras sign", lambda: signer.sign(email=EMAIL)),
    ("python userhash ensoras verify", lambda: signer.verify(HASH, email=EMAIL)),
    ("python userhash fluentbot sign", lambda: fluent.sign(visitor=visitor)),
]
for name, fn in cases:
    n = 100_000
    best = min(timeit.repeat(fn, number=n, repeat=5))
    print(f"{name:<34} {best / n * 1e9:8.0f} ns/call")
