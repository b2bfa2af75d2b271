"""Wrong hashes made by real Python code (hmac, hashlib, base64, json): str.strip,
lower, casefold, json.dumps variants, str(float), int(). Prints a JSON array of
doctor cases; tests/doctor/generate.py merges them into cases.json."""

import base64
import hashlib
import hmac
import json
import sys

SECRET = "sk_doctor_3f9a1c7e"
cases = []


def mac(msg: str) -> bytes:
    return hmac.new(SECRET.encode(), msg.encode(), hashlib.sha256).digest()


def add(id_, variant, made_by, preset, input_, hash_):
    cases.append(
        {"id": f"python/{id_}", "variant": variant, "made_by": made_by, "preset": preset,
         "secret": SECRET, "input": input_, "hash": hash_}
    )


# str.strip() also removes U+001C..U+001F and U+0085 (JS trim does not).
STRIPPED = "\x1c Alice@Example.COM\x85"
for preset in ["layerup", "ensoras", "supportwire", "crisp"]:
    add(f"strip/{preset}", "python_strip", "Python hmac.new(secret, email.strip().encode(), sha256).hexdigest()",
        preset, {"email": STRIPPED}, mac(STRIPPED.strip()).hex())
for preset, email in [("supportwire", " \x85Alice@Example.COM "), ("ensoras", "\x1cAlice@Example.COM"),
                      ("layerup", "\x1cAlice@Example.COM")]:
    add(f"strip_lower/{preset}", "python_strip_lower",
        "Python hmac.new(secret, email.strip().lower().encode(), sha256).hexdigest()",
        preset, {"email": email}, mac(email.strip().lower()).hex())
ext = {"external_id": " \x85EXT-42 ", "email": "alice@example.com"}
add("strip_lower/supportwire-external_id", "python_strip_lower",
    "Python hmac.new(secret, external_id.strip().lower().encode(), sha256).hexdigest()",
    "supportwire", ext, mac(ext["external_id"].strip().lower()).hex())
for preset in ["ensoras", "layerup", "front"]:
    email = "Straße@Example.COM"
    add(f"casefold/{preset}", "python_casefold", "Python email.casefold()", preset, {"email": email},
        mac(email.casefold()).hex())
add("lower/layerup", "js_lowercase", "Python email.lower() (same as JS toLowerCase on ASCII)", "layerup",
    {"email": "Alice@Example.COM"}, mac("Alice@Example.COM".lower()).hex())
add("lower/inviaro", "js_lowercase", "Python user_id.lower()", "inviaro", {"user_id": "USR_42Ab"},
    mac("USR_42Ab".lower()).hex())
add("as_is/ensoras", "as_is", "Python hmac of the email as given (not lowercased)", "ensoras",
    {"email": "Alice@Example.COM"}, mac("Alice@Example.COM").hex())

# Ids.
for preset, user_id in [("inviaro", "123"), ("chatwoot", 123), ("intercom", "123")]:
    add(f"id_float/{preset}", "id_float", "Python str(float(user_id))", preset, {"user_id": user_id},
        mac(str(float(user_id))).hex())
for preset in ["inviaro", "canny"]:
    add(f"id_leading_zeros/{preset}", "id_leading_zeros", "Python str(int(user_id))", preset,
        {"user_id": "00123"}, mac(str(int("00123"))).hex())
for preset in ["inviaro", "userflow"]:
    add(f"id_json_quoted/{preset}", "id_json_quoted", "Python json.dumps(user_id)", preset,
        {"user_id": "123"}, mac(json.dumps("123")).hex())

# JSON payloads: fluentbot signs JSON.stringify({name, email, data}).
VISITOR = ('{"name":"Zoë Martin","email":"zoe@example.com",'
           '"data":{"plan":"pro","seats":3,"home":"https://example.com/zoe","ratio":1.5e-7}}')
v = json.loads(VISITOR)
payload = {"name": v["name"], "email": v["email"], "data": v["data"]}
for variant, call, text in [
    ("python_json_dumps", "json.dumps(payload)", json.dumps(payload)),
    ("python_json_dumps_compact", 'json.dumps(payload, separators=(",", ":"))',
     json.dumps(payload, separators=(",", ":"))),
    ("python_json_dumps_sort_keys", "json.dumps(payload, sort_keys=True)", json.dumps(payload, sort_keys=True)),
]:
    add(f"{variant}/fluentbot", variant, f"Python {call}", "fluentbot", {"visitor": v}, mac(text).hex())

# Output.
for preset, input_, msg in [("layerup", {"email": "alice@example.com"}, "alice@example.com"),
                            ("inviaro", {"user_id": "usr_42"}, "usr_42")]:
    add(f"base64/{preset}", "base64", "Python base64.b64encode(hmac.new(...).digest())", preset, input_,
        base64.b64encode(mac(msg)).decode())
email = " \x85Alice@Example.COM "
add("strip_lower+base64/supportwire", "python_strip_lower+base64",
    "Python base64.b64encode(hmac.new(secret, email.strip().lower().encode(), sha256).digest())",
    "supportwire", {"email": email}, base64.b64encode(mac(email.strip().lower())).decode())
add("sha256_concat/ensoras", "sha256_concat", "Python hashlib.sha256((secret + email.lower()).encode())",
    "ensoras", {"email": "Alice@Example.COM"},
    hashlib.sha256((SECRET + "Alice@Example.COM".lower()).encode()).hexdigest())

json.dump(cases, sys.stdout)
