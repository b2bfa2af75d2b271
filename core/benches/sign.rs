//! The core alone: each preset with a prepared `Signer`, and the floor — two
//! SHA-256 compressions of one block, what a pre-keyed HMAC of a short message
//! must do — measured in the same run. `scripts/bench-core-ratios.py` prints
//! each preset's ratio to the floor.
//!
//! `floor` runs the two compressions independently, so the CPU overlaps them;
//! an HMAC cannot: its outer block is the inner digest. `floor_chained` is the
//! same two compressions with that dependency (the inner state written as the
//! outer block, as the signer does), the floor an HMAC can actually reach.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sha2::block_api::compress256;
use userhash::{json, Input, Signer, Value};

const VISITOR: &str = r#"{"name":"Alice Liddell","email":"alice@example.com","data":{"plan":"enterprise","account_id":"ACME-1007","seats":42,"mrr":1999.5,"trial":false,"region":"eu-west-1","signup":"2024-03-01T10:00:00Z","tags":["beta","vip"],"owner":{"id":7,"name":"Bob"},"score":0.87}}"#;

fn floor(c: &mut Criterion) {
    let block = [0x5cu8; 64];
    let init: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    c.bench_function("floor", |b| {
        b.iter(|| {
            let mut inner = black_box(init);
            compress256(&mut inner, &[black_box(block)]);
            let mut outer = black_box(init);
            compress256(&mut outer, &[black_box(block)]);
            (inner, outer)
        })
    });
    c.bench_function("floor_chained", |b| {
        b.iter(|| {
            let mut inner = black_box(init);
            compress256(&mut inner, &[black_box(block)]);
            let mut second = [0u8; 64];
            for (chunk, w) in second.chunks_exact_mut(4).zip(&inner) {
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            second[32] = 0x80;
            let mut outer = black_box(init);
            compress256(&mut outer, &[second]);
            outer
        })
    });
}

fn presets(c: &mut Criterion) {
    let email = Input::email("Alice.Liddell@Example.COM");
    let mut supportwire = Input::new();
    supportwire
        .set("email", Value::str("  Alice.Liddell@Example.COM "))
        .unwrap();
    let mut visitor = Input::new();
    visitor
        .set("visitor", json::parse(VISITOR).unwrap())
        .unwrap();
    let cases: [(&str, &Input); 5] = [
        ("layerup", &email),
        ("inviaro", &Input::user_id("usr_0192837465")),
        ("ensoras", &email),
        ("supportwire", &supportwire),
        ("fluentbot", &visitor),
    ];
    for (preset, input) in cases {
        let signer = Signer::new(b"widget-secret-0123456789", preset).unwrap();
        let mut out = [0u8; 64];
        c.bench_function(preset, |b| {
            b.iter(|| signer.sign_hex(black_box(input), &mut out).unwrap())
        });
    }
}

/// The visitor as JSON text, as the PHP, Go and Node bindings pass it
/// (`Input::set_json`): in `JSON.stringify` form it is signed from its text;
/// `fluentbot_text_parsed` has one float spelled `1999.50`, so it is parsed.
fn visitor_text(c: &mut Criterion) {
    let signer = Signer::new(b"widget-secret-0123456789", "fluentbot").unwrap();
    let respelled = VISITOR.replace("1999.5", "1999.50");
    for (name, text) in [
        ("fluentbot_text", VISITOR),
        ("fluentbot_text_parsed", respelled.as_str()),
    ] {
        let mut out = [0u8; 64];
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut input = Input::new();
                input.set_json("visitor", black_box(text)).unwrap();
                signer.sign_hex(&input, &mut out).unwrap()
            })
        });
    }
}

criterion_group!(benches, floor, presets, visitor_text);
criterion_main!(benches);
