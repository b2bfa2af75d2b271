//! Invariants over random input (proptest).

use proptest::prelude::*;
use userhash::{json, text, Input, Preset, Signer, Value};

fn json_value() -> impl Strategy<Value = Value<'static>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Int(i.into())),
        any::<f64>().prop_map(Value::Float),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop_oneof!["[0-9]{1,3}", "\\PC{0,6}"], inner), 0..6).prop_map(
                |kv| { Value::Object(kv.into_iter().map(|(k, v)| (k.into(), v)).collect()) }
            ),
        ]
    })
}

proptest! {
    #[test]
    fn trim_lowercase_is_idempotent(s in "\\PC{0,40}") {
        let once = text::js_trim_lowercase(&s).into_owned();
        prop_assert_eq!(text::js_trim_lowercase(&once), once.as_str());
    }

    #[test]
    fn canonical_json_of_canonical_json_is_itself(v in json_value()) {
        let once = json::stringify(&v).unwrap();
        let twice = json::canonicalize_text(&once).unwrap();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn verify_accepts_sign_and_rejects_every_one_bit_change(
        email in "\\PC{1,30}",
        secret in prop::collection::vec(any::<u8>(), 1..100),
        bit in 0usize..256,
    ) {
        for preset in Preset::ALL.iter().filter(|p| p.secret_encoding() == userhash::SecretEncoding::Raw) {
            let signer = Signer::new(&secret, preset.name()).unwrap();
            let mut input = Input::new();
            match preset.scheme().fields().last() {
                Some(userhash::Field::Visitor) => input.set("visitor", Value::Object(vec![("email".into(), Value::str(&email))])).unwrap(),
                Some(field) => input.set(field.name(), Value::str(&email)).unwrap(),
                None => continue,
            }
            let Ok(hash) = signer.sign(&input) else { continue };
            prop_assert!(signer.verify(&hash, &input).unwrap());
            let mut raw = hex::decode(&hash).unwrap();
            raw[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(!signer.verify(&hex::encode(raw), &input).unwrap());
        }
    }
}

#[test]
fn sign_many_equals_one_by_one_on_the_parallel_path() {
    let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    let ids: Vec<Value> = (0..Signer::PARALLEL_BATCH as i64 * 2 + 7)
        .map(|i| {
            if i % 2 == 0 {
                Value::Int(i.into())
            } else {
                Value::from(format!("usr_{i}"))
            }
        })
        .collect();
    let batch = signer.sign_many(None, &ids).unwrap();
    for (id, hex) in ids.iter().zip(&batch) {
        let mut input = Input::new();
        input.set("user_id", id.clone()).unwrap();
        assert_eq!(signer.sign(&input).unwrap().as_bytes(), hex);
    }
    let mut with_bad = ids.clone();
    with_bad[Signer::PARALLEL_BATCH + 3] = Value::Float(1.5);
    let err = signer
        .sign_many(Some(userhash::Field::UserId), &with_bad)
        .unwrap_err();
    assert_eq!(err.item(), Some(Signer::PARALLEL_BATCH + 3), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("item {}: ", Signer::PARALLEL_BATCH + 3)),
        "{err}"
    );
}

proptest! {
    /// The hand-assembled HMAC equals the `hmac` crate's for any key and message
    /// length (keys past 64 bytes, messages across the 55/56/64-byte padding edges).
    #[test]
    fn mac_equals_the_hmac_crate(
        key in prop::collection::vec(any::<u8>(), 1..200),
        msg in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        use hmac::{Hmac, KeyInit, Mac};
        let mut reference = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        reference.update(&msg);
        let mut ours = [0u8; 64];
        Signer::new(&key, "layerup").unwrap().sign_bytes_hex(&msg, &mut ours);
        let expected = hex::encode(reference.finalize().into_bytes());
        prop_assert_eq!(expected.as_bytes(), &ours[..]);
    }
}

#[test]
fn mac_equals_the_hmac_crate_at_every_padding_edge() {
    use hmac::{Hmac, KeyInit, Mac};
    for key_len in [1, 63, 64, 65, 128] {
        for msg_len in 0..=130 {
            let key = vec![0x0bu8; key_len];
            let msg = vec![b'm'; msg_len];
            let mut reference = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
            reference.update(&msg);
            let mut ours = [0u8; 64];
            Signer::new(&key, "layerup")
                .unwrap()
                .sign_bytes_hex(&msg, &mut ours);
            assert_eq!(
                hex::encode(reference.finalize().into_bytes()).as_bytes(),
                &ours[..],
                "key {key_len}, msg {msg_len}"
            );
        }
    }
}
