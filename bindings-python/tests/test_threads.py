"""A Signer is shared by many threads; every result equals the single-thread one."""

import threading

import userhash

THREADS = 8
SIGNS = 10_000


def test_threads_share_one_signer():
    signers = {
        "ensoras": (userhash.Signer("s3cr3t", "ensoras"), {"email": "Alice@Example.COM"}),
        "fluentbot": (
            userhash.Signer("s3cr3t", "fluentbot"),
            {"visitor": {"name": "Alice", "email": "a@x.com", "data": {"plan": "pro", "n": [1, 2.5]}}},
        ),
    }
    expected = {name: s.sign(**fields) for name, (s, fields) in signers.items()}
    results = [[] for _ in range(THREADS)]
    errors = []
    start = threading.Barrier(THREADS)

    def work(slot):
        try:
            start.wait()
            name = "ensoras" if slot % 2 == 0 else "fluentbot"
            signer, fields = signers[name]
            results[slot] = [(name, signer.sign(**fields)) for _ in range(SIGNS)]
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(len(r) for r in results) == THREADS * SIGNS
    for r in results:
        assert all(h == expected[name] for name, h in r)


def test_threads_mix_calls_and_gil_released_paths():
    # Large payloads (hashed with the GIL released), batches, verify and errors at once.
    fluent = userhash.Signer("s3cr3t", "fluentbot")
    inviaro = userhash.Signer("s3cr3t", "inviaro", previous=["old"])
    big = {"name": "A", "data": {f"k{i}": "x" * 64 for i in range(200)}}
    ids = list(range(20_000))
    want_big = fluent.sign(visitor=big)
    want_ids = inviaro.sign_many(ids)
    errors = []
    start = threading.Barrier(6)

    def work(slot):
        try:
            start.wait()
            for _ in range(50):
                if slot % 3 == 0:
                    assert fluent.sign(visitor=big) == want_big
                elif slot % 3 == 1:
                    assert inviaro.sign_many(ids[:2000]) == want_ids[:2000]
                else:
                    assert inviaro.verify(want_ids[7], user_id=7)
                    try:
                        inviaro.sign(user_id=True)
                    except userhash.InvalidInputError:
                        pass
            if slot == 1:
                assert inviaro.sign_many(ids) == want_ids
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
