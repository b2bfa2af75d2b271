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
        for preset in Preset::ALL {
            let signer = Signer::new(&secret, preset.name()).unwrap();
            let mut input = Input::new();
            match preset.name() {
                "inviaro" => input.set("user_id", Value::str(&email)).unwrap(),
                "fluentbot" => input.set("visitor", Value::Object(vec![("email".into(), Value::str(&email))])).unwrap(),
                _ => input.set("email", Value::str(&email)).unwrap(),
            }
            let Ok(hash) = signer.sign(&input) else { continue };
            prop_assert!(signer.verify(&hash, &input).unwrap());
            let mut raw = hex::decode(&hash).unwrap();
            raw[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(!signer.verify(&hex::encode(raw), &input).unwrap());
        }
    }
}
