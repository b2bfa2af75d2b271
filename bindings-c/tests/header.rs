//! Regenerates `include/userhash.h` with cbindgen and fails if the committed
//! header differs. `USERHASH_WRITE_HEADER=1 cargo test -p userhash-c --test header`
//! (or `make c-header`) rewrites it.

use std::path::Path;

/// cbindgen writes `char *out_hex`; the header spells the buffer size out.
fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen failed");
    let mut out = Vec::new();
    bindings.write(&mut out);
    let text = String::from_utf8(out).expect("header is UTF-8");
    let count = |end| text.matches(&format!("char *out_hex{end}")).count();
    assert_eq!((count(","), count(")")), (2, 2), "out_hex parameters");
    (text.replace("char *out_hex,", "char out_hex[65],")).replace("char *out_hex)", "char out_hex[65])")
}

#[test]
fn committed_header_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/userhash.h");
    let fresh = generate();
    if std::env::var_os("USERHASH_WRITE_HEADER").is_some() {
        std::fs::write(&path, &fresh).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "bindings-c/include/userhash.h is out of date: run `make c-header` and commit it");
}
