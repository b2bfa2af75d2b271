"""`make demo-python`: sign the demo-cli sample identities with every preset."""

import userhash

SECRET = "s3cr3t"
SAMPLES = [
    ("layerup", {"email": "Alice@Example.COM"}),
    ("inviaro", {"user_id": "usr_42"}),
    ("ensoras", {"email": "Alice@Example.COM"}),
    ("supportwire", {"email": " Alice@Example.COM "}),
    ("fluentbot", {"visitor": {"name": "Alice", "email": "Alice@Example.COM", "data": {"plan": "pro"}}}),
]

for preset, fields in SAMPLES:
    print(f"{preset:<12} {userhash.Signer(SECRET, preset).sign(**fields)}")
