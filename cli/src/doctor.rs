//! `userhash doctor`: which known mistake reproduces a hash (docs/doctor.md).

use std::process::ExitCode;

use clap::Args;
use userhash::Error;

use crate::Identity;

/// The hash a vendor refused, the identity it was meant for, and the output form.
#[derive(Args)]
pub struct Doctor {
    /// The hash that does not match (as the vendor or your code has it).
    #[arg(long)]
    hash: String,
    /// Environment variables holding previous secrets (repeatable).
    #[arg(long = "previous-secret-env", value_name = "NAME")]
    previous: Vec<String>,
    /// Print the diagnosis as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    identity: Identity,
}

impl Doctor {
    /// Exit 0 when a variant (or the correct rule) reproduces the hash, 1 when none does.
    pub fn run(&self) -> Result<ExitCode, Error> {
        let signer = self.identity.signer(&self.previous)?;
        let d = signer.diagnose(&self.hash, &self.identity.input()?)?;
        if self.json {
            println!("{}", userhash::json::stringify(&d.to_value())?);
        } else {
            println!("variant:     {}", d.variant());
            println!("explanation: {}", d.explanation());
            match &d.expected_canonical {
                Ok(c) => println!("expected:    {}", visible(c)),
                Err(e) => println!("expected:    (the preset cannot sign this input: {e})"),
            }
            if let Some(s) = &d.signed_canonical {
                println!("signed:      {}", visible(s));
            }
            if let Some(at) = d.first_difference {
                println!("differs at:  byte {at}");
            }
            println!("tried:       {} candidates", d.tried);
        }
        Ok(if d.matched {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    }
}

/// The text with invisible characters (controls, whitespace other than a plain
/// space, format characters such as U+FEFF) written as `\u{…}`, so two
/// canonical forms that look alike on a terminal show their difference.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            let invisible = c.is_control()
                || (c.is_whitespace() && c != ' ')
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
            if invisible {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}
