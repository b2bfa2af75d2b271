//! `userhash doctor` over the shared corpus tests/doctor/cases.json: hashes made
//! wrong by real Python, Ruby, PHP, Go, Java and Node code (tests/doctor/README.md).
//! Every case must exit 0 naming its variant; a random hash exits 1 saying what
//! that usually means; bad input exits 2; no output ever contains a secret. The
//! corpus must cover exactly the variants docs/doctor.md lists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// tests/doctor/cases.json, or the file `USERHASH_DOCTOR_CASES` names.
fn corpus() -> Vec<Value> {
    let path = std::env::var_os("USERHASH_DOCTOR_CASES")
        .map_or_else(|| repo().join("tests/doctor/cases.json"), PathBuf::from);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    assert_eq!(file["version"], 1);
    file["cases"].as_array().expect("cases").clone()
}

fn str_of<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: {key} is not a string", case["id"]))
}

/// Every id in the first column of docs/doctor.md's variant tables.
fn documented_variants() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(repo().join("docs/doctor.md")).expect("docs/doctor.md");
    let mut ids = BTreeSet::new();
    for row in doc.lines().filter(|l| l.starts_with("| `")) {
        let first_cell = row.split('|').nth(1).expect("a table row has cells");
        ids.extend(first_cell.split('`').skip(1).step_by(2).map(str::to_owned));
    }
    ids
}

/// `userhash doctor` for a case's preset, secrets, options and identity.
fn doctor(case: &Value, hash: &str, json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_userhash"));
    cmd.env_clear()
        .env("USERHASH_SECRET", str_of(case, "secret"))
        .args(["doctor", "--preset", str_of(case, "preset"), "--hash", hash]);
    for (i, p) in case["previous"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let var = format!("USERHASH_PREVIOUS_{i}");
        cmd.env(&var, p.as_str().expect("previous secret"))
            .args(["--previous-secret-env", &var]);
    }
    if let Some(enc) = case["signer_options"]["secret_encoding"].as_str() {
        cmd.args(["--secret-encoding", enc]);
    }
    for (field, value) in case["input"].as_object().expect("input") {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        let flag = match field.as_str() {
            "visitor" => "--visitor-json".to_owned(),
            f => format!("--{}", f.replace('_', "-")),
        };
        cmd.args([flag, text]);
    }
    if json {
        cmd.arg("--json");
    }
    cmd.output().expect("run userhash")
}

/// The secrets of a case in every form a mistake gives them: as held, trimmed,
/// without quotes; previous secrets too. Every text secret in the corpus also
/// holds the marker `sk_doctor` (the base64 one decodes to it).
fn secret_forms(case: &Value) -> Vec<String> {
    let mut forms = vec!["sk_doctor".to_owned()];
    let previous = case["previous"].as_array().into_iter().flatten();
    for s in std::iter::once(&case["secret"])
        .chain(previous)
        .filter_map(Value::as_str)
    {
        forms.extend([
            s.to_owned(),
            s.trim().to_owned(),
            s.trim_matches('"').to_owned(),
        ]);
    }
    forms
}

/// Fails when stdout or stderr shows any form of the case's secrets.
fn assert_no_secret(case: &Value, out: &Output, what: &str) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for form in secret_forms(case) {
        assert!(
            !all.contains(&form),
            "{}: {what} shows a secret",
            case["id"]
        );
    }
}

#[test]
fn the_corpus_covers_exactly_the_documented_variants() {
    let documented = documented_variants();
    assert!(
        documented.len() >= 40,
        "parsed only {documented:?} from docs/doctor.md"
    );
    let cases = corpus();
    let alone: BTreeSet<String> = cases
        .iter()
        .map(|c| str_of(c, "variant").to_owned())
        .collect();
    let parts: BTreeSet<String> = alone
        .iter()
        .flat_map(|v| v.split('+'))
        .map(str::to_owned)
        .collect();
    let undocumented: Vec<_> = parts.difference(&documented).collect();
    let uncovered: Vec<_> = documented.difference(&alone).collect();
    assert!(
        undocumented.is_empty(),
        "cases name variants docs/doctor.md does not list: {undocumented:?}"
    );
    assert!(
        uncovered.is_empty(),
        "documented variants with no case of their own: {uncovered:?}"
    );
}

#[test]
fn the_cli_names_the_variant_of_every_case() {
    let cases = corpus();
    let mut failures = Vec::new();
    for case in &cases {
        let (id, variant) = (&case["id"], str_of(case, "variant"));
        let out = doctor(case, str_of(case, "hash"), true);
        assert_no_secret(case, &out, "doctor --json");
        let diagnosis: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        if out.status.code() != Some(0)
            || diagnosis["matched"] != true
            || diagnosis["variant"] != variant
        {
            failures.push(format!(
                "{id} ({}): want {variant}, got exit {:?} variant {} signed {} {}",
                str_of(case, "made_by"),
                out.status.code(),
                diagnosis["variant"],
                diagnosis["signed_canonical"],
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            continue;
        }
        let text = doctor(case, str_of(case, "hash"), false);
        assert_no_secret(case, &text, "doctor");
        let stdout = String::from_utf8_lossy(&text.stdout);
        if text.status.code() != Some(0) || !stdout.contains(&format!("variant:     {variant}\n")) {
            failures.push(format!(
                "{id}: text output does not name {variant}:\n{stdout}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// 32 random bytes as hex: a hash no mistake made.
fn random_hash() -> String {
    let mut bytes = [0u8; 32];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom").expect("urandom"),
        &mut bytes,
    )
    .expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_random_hash_exits_1_saying_what_that_usually_means() {
    let cases = corpus();
    let mut presets = BTreeSet::new();
    // One case per preset (its identity, secrets and options), with a random hash.
    for case in cases
        .iter()
        .filter(|c| presets.insert(str_of(c, "preset").to_owned()))
    {
        let hash = random_hash();
        let out = doctor(case, &hash, false);
        assert_no_secret(case, &out, "doctor (random hash)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}: {stdout}", case["id"]);
        assert!(stdout.contains("variant:     none\n"), "{stdout}");
        assert!(
            stdout.contains("no known mistake reproduces this hash")
                && stdout.contains("another secret")
                && stdout.contains("another identity"),
            "{}: unclear message:\n{stdout}",
            case["id"]
        );
        let out = doctor(case, &hash, true);
        assert_no_secret(case, &out, "doctor --json (random hash)");
        assert_eq!(out.status.code(), Some(1));
        let d: Value = serde_json::from_slice(&out.stdout).expect("--json prints JSON");
        assert_eq!(
            (&d["matched"], &d["variant"], &d["signed_canonical"]),
            (&Value::Bool(false), &"none".into(), &Value::Null)
        );
        assert!(
            d["tried"].as_u64().is_some_and(|t| t > 0 && t <= 20_000),
            "{d}"
        );
    }
    assert!(presets.len() >= 10, "the corpus spans only {presets:?}");
}

#[test]
fn bad_input_exits_2_without_the_secret() {
    let case = corpus().into_iter().next().expect("a case");
    for (preset, args) in [
        ("no_such_preset", vec!["--email", "a@x.com"]),
        ("fluentbot", vec!["--visitor-json", "{not json"]),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_userhash"));
        cmd.env_clear()
            .env("USERHASH_SECRET", str_of(&case, "secret"));
        let out = cmd
            .args(["doctor", "--preset", preset, "--hash", &random_hash()])
            .args(args)
            .output()
            .unwrap();
        assert_no_secret(&case, &out, "doctor (bad input)");
        assert_eq!(out.status.code(), Some(2), "{preset}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("error["),
            "{out:?}"
        );
    }
}
