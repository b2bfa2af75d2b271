"""With a marker secret, the secret never appears in any repr/str of a public object,
in an error message, its args, or a formatted traceback (with its chained context)."""

import copy
import pickle
import traceback

import pytest

import userhash
from userhash import Signer

MARKER = "MARKER-5ecret-Zq9x"
OLD_MARKER = "MARKER-old-Kp3w"
MARKERS = (MARKER, OLD_MARKER, MARKER.encode().hex(), "5ecret", "Kp3w")


def assert_clean(text):
    for m in MARKERS:
        assert m not in text, f"secret marker {m!r} leaked in {text[:200]!r}"


def exception_text(e):
    trace = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return f"{e!s} {e!r} {e.args!r} {getattr(e, 'message', '')} {trace}"


def raised(fn, *args, **kwargs):
    with pytest.raises(Exception) as info:
        fn(*args, **kwargs)
    return info.value


def signers():
    return [
        Signer(MARKER, "ensoras", previous=[OLD_MARKER]),
        Signer(MARKER.encode(), "fluentbot", previous=[OLD_MARKER.encode()]),
        Signer(bytearray(MARKER.encode()), "email:trim_lowercase"),
    ]


def test_objects_never_show_the_secret(monkeypatch):
    monkeypatch.setenv("UH_MARKER_SECRET", MARKER)
    monkeypatch.setenv("UH_MARKER_OLD", OLD_MARKER)
    all_signers = signers() + [Signer.from_env("UH_MARKER_SECRET", "inviaro", previous_vars=["UH_MARKER_OLD"])]
    for s in all_signers:
        texts = [repr(s), str(s), format(s), s.preset, str(s.previous_count), repr(dir(s))]
        for name in dir(s):
            if not name.startswith("__"):
                texts.append(repr(getattr(s, name)))
        texts.append(repr(type(s).__dict__))
        for t in texts:
            assert_clean(t)


def test_embed_output_never_shows_the_secret():
    ens, fluent, _ = signers()
    for html in (
        ens.embed({"email": "a@b.c"}, widget="w", nonce="n"),
        ens.embed({"email": "a@b.c"}, widget="w", form="identify"),
        fluent.embed({"visitor": {"email": "a@b.c", "data": {"k": "v"}}}, widget="B"),
    ):
        assert_clean(html)


def test_copy_and_pickle_refuse_without_the_secret():
    for s in signers():
        for fn in (pickle.dumps, copy.copy, copy.deepcopy):
            assert_clean(exception_text(raised(fn, s)))


def test_errors_never_show_the_secret(monkeypatch):
    errors = []
    ens, fluent, spec = signers()
    errors += [
        raised(ens.sign, email=42),
        raised(ens.sign, email=""),
        raised(ens.sign, mail="a@b.c"),
        raised(ens.sign),
        raised(ens.sign, email="a\ud800"),
        raised(ens.verify, "0" * 64, email=None),
        raised(ens.canonical, user_id=1),
        raised(ens.sign_many, ["a@b.c", ""]),
        raised(ens.sign_many, ["a@b.c"], field="mail"),
        raised(ens.sign_many, MARKER),
        raised(fluent.sign, visitor={"data": {"x": {1}}}),
        raised(fluent.sign, visitor={"data": {1: 2}}),
        raised(fluent.sign_many, [{"email": "a@b"}, {"email": {MARKER}}]),
        raised(spec.sign, email=" "),
        raised(spec.embed, {"email": "a@b.c"}, widget="w"),
        raised(ens.embed, {"email": "a@b.c"}),
        raised(ens.embed, {"email": "a@b.c"}, widget="w", color=MARKER),
        raised(ens.embed, {"email": ""}, widget=MARKER),
        raised(ens.embed, MARKER, widget="w"),
        # Construction errors, where the secret is at hand.
        raised(Signer, MARKER, "nope"),
        raised(Signer, MARKER, "Ensoras", previous=[OLD_MARKER]),
        raised(Signer, MARKER, "ensoras", previous=[OLD_MARKER, ""]),
        raised(Signer, MARKER, "ensoras", previous=[OLD_MARKER, 42]),
        raised(Signer, MARKER, "ensoras", previous=OLD_MARKER),
        raised(Signer, MARKER + "\ud800", "ensoras"),
        raised(Signer, MARKER, "ensoras", previous=[OLD_MARKER + "\udfff"]),
        raised(Signer, 42, "ensoras"),
        raised(Signer, MARKER, 42),
    ]
    monkeypatch.setenv("UH_MARKER_SECRET", MARKER)
    monkeypatch.setenv("UH_MARKER_EMPTY", "")
    errors += [
        raised(Signer.from_env, "UH_MARKER_SECRET", "nope"),
        raised(Signer.from_env, "UH_MARKER_SECRET", "ensoras", previous_vars=["UH_MARKER_EMPTY"]),
        raised(Signer.from_env, "UH_MARKER_UNSET", "ensoras"),
    ]
    for e in errors:
        text = exception_text(e)
        assert_clean(text)
        if isinstance(e, userhash.UserhashError):
            assert_clean(pickle.dumps(e).hex() + repr(pickle.loads(pickle.dumps(e))))
    kinds = {type(e).__name__ for e in errors}
    assert kinds >= {"InvalidInputError", "EmptyIdentityError", "EmptySecretError", "UnknownPresetError", "TypeError"}


def test_django_objects_never_show_the_secret(monkeypatch):
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        settings.configure(USERHASH={"w": {"secret": MARKER, "preset": "ensoras", "previous": [OLD_MARKER]}})
    import userhash.django as ud

    monkeypatch.setattr(settings, "USERHASH", {"w": {"secret": MARKER, "preset": "ensoras", "previous": [OLD_MARKER]}}, raising=False)
    ud.reset()
    s = ud.get_signer("w")
    assert_clean(repr(s))
    assert_clean(exception_text(raised(ud.sign, "w", email="")))
    assert_clean(exception_text(raised(ud.get_signer, "missing")))
    ud.reset()
