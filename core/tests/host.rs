//! The host module: marked JSON text, the Nesting rule, batches as JSON text blocks,
//! and the one-block path of the pipeline. Hashes are checked against the `hmac`
//! crate over the canonical bytes the vendors' snippets sign.

use hmac::{Hmac, KeyInit, Mac};
use userhash::{host, Field, Input, Signer, Value, MAX_DEPTH};

fn hmac_hex(key: &[u8], msg: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `text` with every `~` replaced by the refusal mark.
fn marked(text: &str) -> String {
    text.replace('~', host::MARK)
}

#[test]
fn a_marker_is_the_refusal_of_its_kind_at_its_path() {
    let signer = Signer::new(b"s3cr3t", "fluentbot").unwrap();
    for (kind, code) in [
        ("datetime", "invalid_input"),
        ("set", "invalid_input"),
        ("json_hook", "invalid_input"),
        ("invalid_utf8", "invalid_utf8"),
        ("too_deep", "too_deep"),
        ("cycle", "too_deep"),
        ("no_such_kind", "invalid_input"),
    ] {
        let text = marked(&format!(
            r#"!{{"visitor":{{"name":"A","data":{{"v":[1,"~{kind}:HostType"]}}}}}}"#
        ));
        let err = signer
            .sign(&Input::from_host_json(&text).unwrap())
            .unwrap_err();
        assert_eq!(
            (err.code().as_str(), err.path()),
            (code, Some("visitor.data.v[1]")),
            "{kind}"
        );
    }
    // The host's type name is in the message of a kind that takes one.
    let text = marked(r#"!{"visitor":{"data":{"at":"~datetime:DateTimeImmutable"}}}"#);
    let err = signer
        .sign(&Input::from_host_json(&text).unwrap())
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("visitor.data.at: DateTimeImmutable "),
        "{err}"
    );
}

#[test]
fn without_the_bang_a_marker_is_a_plain_string() {
    let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    let id = marked("~datetime:X");
    let text = format!(r#"{{"user_id":"{id}"}}"#);
    assert_eq!(
        signer.sign(&Input::from_host_json(&text).unwrap()).unwrap(),
        hmac_hex(b"s3cr3t", &id)
    );
    let (mut input, value) = (Input::new(), format!(r#""{id}""#));
    input.set_host_json("user_id", &value).unwrap();
    assert_eq!(signer.sign(&input).unwrap(), hmac_hex(b"s3cr3t", &id));
}

#[test]
fn value_markers_carry_big_integers_and_doubles() {
    let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    let text = marked(r#"!{"user_id":"~bigint:1180591620717411303424"}"#);
    let big = Input::from_host_json(&text).unwrap();
    assert_eq!(
        signer.sign(&big).unwrap(),
        hmac_hex(b"s3cr3t", "1180591620717411303424")
    );
    // A value marker that carries no number is refused, never read as another value.
    for bad in ["~bigint:12a", "~bigint:", "~bigint:-", "~double:x"] {
        let text = marked(&format!(r#"!{{"user_id":"{bad}"}}"#));
        let err = signer
            .sign(&Input::from_host_json(&text).unwrap())
            .unwrap_err();
        assert_eq!(err.code().as_str(), "invalid_input", "{bad}");
    }
    // An integral double as an id is refused, as a float id is.
    let text = marked(r#"!{"user_id":"~double:9007199254740993"}"#);
    let double = Input::from_host_json(&text).unwrap();
    assert_eq!(
        signer.sign(&double).unwrap_err().code().as_str(),
        "invalid_input"
    );
}

#[test]
fn a_refused_object_of_fields_is_that_refusal() {
    let signer = Signer::new(b"s3cr3t", "ensoras").unwrap();
    let text = marked(r#"!"~invalid_utf8:""#);
    let err = Input::from_host_json(&text).unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_utf8");
    // Not an object at all: from_json's own complaint.
    let err = Input::from_host_json("![1]").unwrap_err();
    assert!(err.to_string().contains("object of fields"), "{err}");
    assert!(signer
        .sign(&Input::from_host_json(r#"!{"email":"A@b.C"}"#).unwrap())
        .is_ok());
}

#[test]
fn options_and_call_arguments_report_refusals_at_options() {
    let t = marked(r#"!{"secret_encoding":"~enum:Encoding"}"#);
    let options = host::parse(&t, MAX_DEPTH).unwrap();
    let err =
        Signer::with_options(b"s3cr3t", "ensoras", Vec::<&[u8]>::new(), &options).unwrap_err();
    assert_eq!(err.path(), Some("options.secret_encoding"));
    let signer = Signer::new(b"s3cr3t", "fluentbot").unwrap();
    let t = marked(r#"!{"widget":"acme","nonce":"~object:Nonce"}"#);
    let args = host::parse(&t, MAX_DEPTH).unwrap();
    let input = Input::from_json(r#"{"visitor":{"name":"Ann"}}"#).unwrap();
    let err = signer.call("embed", &input, &args).unwrap_err();
    assert_eq!(err.path(), Some("options.nonce"));
    assert!(err.to_string().contains("Nonce"), "{err}");
}

#[test]
fn nesting_reports_a_cycle_at_its_outer_container_and_depth_past_the_limit() {
    let mut nesting = host::Nesting::default();
    nesting.enter(1).unwrap();
    nesting.enter(2).unwrap();
    assert_eq!(nesting.enter(1), Err(Value::Null));
    assert_eq!(nesting.leave(Value::Int(2)), Value::Int(2)); // container 2 is not the repeated one
    assert_eq!(nesting.leave(Value::Int(1)), Value::cycle());
    let mut deep = host::Nesting::default();
    for id in 0..=MAX_DEPTH {
        deep.enter(id).unwrap();
    }
    assert_eq!(deep.enter(usize::MAX), Err(Value::too_deep()));
}

#[test]
fn blocks_are_signed_in_order_and_errors_numbered_in_the_whole_batch() {
    let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    let ids: Vec<String> = (0..10).map(|i| format!("u{i}")).collect();
    let blocks: Vec<String> = ids
        .chunks(4)
        .map(|c| serde_json::to_string(c).unwrap())
        .collect();
    let mut hashes = Vec::new();
    host::sign_blocks(
        &signer,
        Some("userId"),
        ids.len(),
        4,
        &blocks,
        |start, hexes| {
            assert_eq!(start, hashes.len());
            hashes.extend(hexes.iter().map(|h| String::from_utf8(h.to_vec()).unwrap()));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(
        hashes,
        ids.iter()
            .map(|id| hmac_hex(b"s3cr3t", id))
            .collect::<Vec<_>>()
    );
    let all = host::sign_all_blocks(&signer, None, &blocks).unwrap();
    assert_eq!(all.len(), 10);
    let bad = [
        r#"["a","b","c","d"]"#.to_owned(),
        marked(r#"!["e","~bytes:[]byte"]"#),
    ];
    let err = host::sign_blocks(&signer, None, 6, 4, &bad, |_, _| Ok(())).unwrap_err();
    assert_eq!((err.item(), err.path()), (Some(5), Some("user_id")));
    assert_eq!(
        host::sign_all_blocks(&signer, None, &bad)
            .unwrap_err()
            .item(),
        Some(5)
    );
    let err =
        host::sign_blocks(&signer, Some("mail"), 1, 4, &[r#"["a"]"#], |_, _| Ok(())).unwrap_err();
    assert!(err.to_string().contains("mail"), "{err}");
}

#[test]
fn a_one_block_pipeline_runs_on_the_calling_thread_and_an_empty_one_reads_nothing() {
    let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    let caller = std::thread::current().id();
    let mut emitted = Vec::new();
    let read = |r: std::ops::Range<usize>| {
        assert_eq!(std::thread::current().id(), caller);
        Ok(r.map(|i| Value::from(format!("id{i}"))).collect())
    };
    signer
        .sign_pipelined(Some(Field::UserId), 3, 8, read, |start, hexes| {
            emitted.push((start, hexes.len()));
            Ok(())
        })
        .unwrap();
    assert_eq!(emitted, [(0, 3)]);
    let never = |_: std::ops::Range<usize>| -> userhash::Result<Vec<Value<'static>>> {
        panic!("read an empty batch")
    };
    signer
        .sign_pipelined(None, 0, 8, never, |_, _| panic!("emitted an empty batch"))
        .unwrap();
}

#[test]
fn a_caught_panic_has_one_message_everywhere() {
    let caught = std::panic::catch_unwind(|| panic!("{}", String::from("owned"))).unwrap_err();
    assert_eq!(
        host::panic_message(&*caught),
        "internal error in userhash (please report): owned"
    );
    let caught = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
    assert_eq!(
        host::panic_message(&*caught),
        "internal error in userhash (please report): unknown panic"
    );
}

#[test]
fn a_secret_with_a_lone_surrogate_names_the_secret_not_its_value() {
    let err = host::lone_surrogate_secret("previous[1]");
    assert_eq!(
        (err.code().as_str(), err.path()),
        ("invalid_input", Some("previous[1]"))
    );
    assert!(err.to_string().contains("surrogate"), "{err}");
}
