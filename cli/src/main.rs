//! `userhash`: sign, verify and explain identity hashes from the shell, and run
//! golden-vector files through the core.

mod doctor;
mod embed;
mod jsonl;
mod token;
mod vectors;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use userhash::{Error, Input, Signer, Value};

/// Identity-verification hashes for chat widgets.
#[derive(Parser)]
#[command(name = "userhash", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the hash of an identity.
    Sign(Identity),
    /// Exit 0 when HASH matches the identity (current or previous secret), 1 when not.
    Verify {
        /// The 64-hex-digit hash to check.
        #[arg(long)]
        hash: String,
        /// Environment variables holding previous secrets (repeatable).
        #[arg(long = "previous-secret-env", value_name = "NAME")]
        previous: Vec<String>,
        #[command(flatten)]
        identity: Identity,
    },
    /// Print the canonical text, its UTF-8 bytes in hex, and the hash.
    Explain(Identity),
    /// Print the vendor's widget snippet (or webview URL, or SPA identify call) with the
    /// identity signed and every value escaped for where it lands.
    Embed(embed::Embed),
    /// Say which known mistake reproduces a hash that does not match (exit 0 found,
    /// 1 none found, 2 bad input); `--json` for a machine-readable diagnosis.
    Doctor(doctor::Doctor),
    /// Print an HS256 identity token (token presets: intercom_jwt, zendesk, …).
    Token(token::Token),
    /// Exit 0 when the token is valid for the preset and secret(s), 1 when not
    /// (printing why), 2 on bad input. Prints the claims as JSON when valid.
    VerifyToken(token::VerifyToken),
    /// List the presets, one per line.
    Presets,
    /// Run golden-vector files through the core; print failures and `N passed, M failed`.
    CheckVectors {
        /// Vector files (docs/design.md, "Golden vectors"); with --jsonl, `-` reads stdin.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// One vector per line in, one `{"id":…,"ok":…}` result line per vector out.
        #[arg(long)]
        jsonl: bool,
    },
}

/// The preset, the secret's source, and exactly one identity field.
#[derive(Args)]
pub struct Identity {
    /// Preset name (`userhash presets` lists them) or scheme spec.
    #[arg(long)]
    preset: String,
    /// How the secret becomes key bytes: raw (default; pylon: hex), hex or base64.
    #[arg(long, value_name = "ENCODING")]
    secret_encoding: Option<String>,
    /// Environment variable holding the secret (never pass a secret as an argument).
    #[arg(long, value_name = "NAME", default_value = "USERHASH_SECRET")]
    secret_env: String,
    /// The email.
    #[arg(long)]
    email: Option<String>,
    /// The user id, signed as text.
    #[arg(long)]
    user_id: Option<String>,
    /// The external id.
    #[arg(long)]
    external_id: Option<String>,
    /// The visitor object as JSON text (payload presets).
    #[arg(long, value_name = "JSON")]
    visitor_json: Option<String>,
    /// The user's name (identity tokens).
    #[arg(long)]
    name: Option<String>,
}

impl Identity {
    fn input(&self) -> Result<Input<'_>, Error> {
        let mut input = Input::new();
        if let Some(e) = &self.email {
            input.set("email", Value::str(e))?;
        }
        if let Some(id) = &self.user_id {
            input.set("user_id", Value::str(id))?;
        }
        if let Some(x) = &self.external_id {
            input.set("external_id", Value::str(x))?;
        }
        if let Some(j) = &self.visitor_json {
            input.set("visitor", userhash::json::parse(j)?)?;
        }
        if let Some(n) = &self.name {
            input.set("name", Value::str(n))?;
        }
        Ok(input)
    }

    fn signer(&self, previous: &[String]) -> Result<Signer, Error> {
        let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
        let options = match &self.secret_encoding {
            Some(e) => Value::Object(vec![("secret_encoding".into(), Value::str(e))]),
            None => Value::Null,
        };
        Signer::from_env_with_options(&self.secret_env, &self.preset, &previous, &options)
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code(), e);
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Sign(id) => {
            println!("{}", id.signer(&[])?.sign(&id.input()?)?);
        }
        Command::Verify {
            hash,
            previous,
            identity,
        } => {
            let ok = identity
                .signer(&previous)?
                .verify(&hash, &identity.input()?)?;
            println!("{}", if ok { "match" } else { "mismatch" });
            return Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Explain(id) => {
            let signer = id.signer(&[])?;
            let input = id.input()?;
            let canonical = signer.canonical(&input)?;
            println!("scheme:    {}", signer.scheme());
            println!("canonical: {canonical}");
            println!(
                "bytes:     {} ({} bytes, UTF-8)",
                hex_bytes(canonical.as_bytes()),
                canonical.len()
            );
            println!("hash:      {}", signer.sign(&input)?);
        }
        Command::Embed(embed) => println!("{}", embed.run()?),
        Command::Doctor(doctor) => return doctor.run(),
        Command::Token(t) => println!("{}", t.run()?),
        Command::VerifyToken(v) => return v.run(),
        Command::Presets => {
            for p in userhash::Preset::ALL {
                println!("{}", p.name());
            }
        }
        Command::CheckVectors { files, jsonl: true } => {
            return match jsonl::run(&files) {
                Ok((_, 0)) => Ok(ExitCode::SUCCESS),
                Ok(_) => Ok(ExitCode::from(1)),
                Err(e) => {
                    eprintln!("error: {e}");
                    Ok(ExitCode::from(2))
                }
            };
        }
        Command::CheckVectors { files, .. } => {
            let (passed, failed) = vectors::check_files(&files);
            println!("{passed} passed, {failed} failed");
            return Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn hex_bytes(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}
