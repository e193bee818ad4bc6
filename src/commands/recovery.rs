//! `webex-wizard recovery`: what was kept in the recovery folder because it could not be
//! delivered (a secret never stored, tokens, an unreadable answer, a create that may exist):
//! list it, show one whole, and remove after confirming, so that scripts that pipe `create`
//! can clear what they have stored.

use std::fmt::Write as _;
use std::io::IsTerminal;

use crate::cli::RecoveryArgs;
use crate::draft::Recovered;
use crate::env::Dirs;
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::visible_line;

/// One kept file in words: what it is, what it is for, and where it was going.
fn describe(found: &Recovered) -> (&'static str, String, String) {
    match found {
        Recovered::Credentials { saved, .. } => (
            "credentials",
            format!("{} ({})", saved.display_name(), saved.integration.client_id),
            saved.api_base.clone(),
        ),
        Recovered::Bot { bot, api_base, .. } => (
            "bot token",
            bot.bot_email.clone().unwrap_or_default(),
            api_base.clone(),
        ),
        Recovered::PendingCreate { note, .. } => (
            "create that may exist",
            note.name.clone(),
            note.api_base.clone(),
        ),
        Recovered::Tokens {
            client_id,
            api_base,
            ..
        } => ("tokens (never saved)", client_id.clone(), api_base.clone()),
        Recovered::Unreadable { .. } => ("unreadable answer", String::new(), String::new()),
    }
}

fn pick(found: &[Recovered], n: usize) -> Result<&Recovered, CliError> {
    n.checked_sub(1).and_then(|i| found.get(i)).ok_or_else(|| {
        CliError::Usage(format!(
            "there is no file {n}: webex-wizard recovery lists {} file(s), numbered from 1",
            found.len()
        ))
    })
}

/// Ask before removing; without a terminal, `--yes` is needed.
fn confirm(what: &str, yes: bool) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "nothing was removed: without a terminal, add --yes to remove {what}"
        )));
    }
    let typed = super::ask(&format!(
        "Remove {what}? What it holds is kept nowhere else unless you stored it. Type yes: "
    ))?;
    if typed.trim() == "yes" {
        Ok(())
    } else {
        Err(CliError::Usage("nothing was removed".into()))
    }
}

pub fn run(args: &RecoveryArgs) -> Result<Ended, CliError> {
    let dirs = Dirs::discover().map_err(CliError::Folders)?;
    let found = crate::draft::scan_recovery(&dirs);
    if let Some(n) = args.show {
        let file = pick(&found, n)?;
        let bytes = crate::platform::read_limited(file.path(), crate::platform::limits::DOCUMENT)
            .map_err(|source| CliError::ReadFile {
            path: file.path().to_owned(),
            source,
        })?;
        print_stdout(&String::from_utf8_lossy(&bytes))?;
        return Ok(Ended::Quit);
    }
    let remove: Vec<&Recovered> = match (args.remove, args.remove_all) {
        (Some(n), _) => vec![pick(&found, n)?],
        (None, true) => found.iter().collect(),
        (None, false) => Vec::new(),
    };
    if args.remove.is_some() || args.remove_all {
        if remove.is_empty() {
            eprintln!("Nothing to remove in {}.", dirs.recovery().display());
            return Ok(Ended::Quit);
        }
        let what = match remove.as_slice() {
            [one] => one.path().display().to_string(),
            many => format!("{} files", many.len()),
        };
        confirm(&what, args.yes)?;
        for file in remove {
            std::fs::remove_file(file.path()).map_err(|source| CliError::ReadFile {
                path: file.path().to_owned(),
                source,
            })?;
            eprintln!("Removed {}.", file.path().display());
        }
        return Ok(Ended::Quit);
    }
    let text = if args.json {
        let rows: Vec<serde_json::Value> = found
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (kind, what, base) = describe(f);
                serde_json::json!({"n": i + 1, "kind": kind, "what": what, "apiBase": base, "path": f.path()})
            })
            .collect();
        crate::output::json_text(&rows) + "\n"
    } else if found.is_empty() {
        format!("Nothing is kept in {}.\n", dirs.recovery().display())
    } else {
        let mut out = format!(
            "{:>3}  {:<22} {:<40} {:<32} FILE\n",
            "N", "KIND", "WHAT", "API BASE"
        );
        for (i, f) in found.iter().enumerate() {
            let (kind, what, base) = describe(f);
            // Columns stay columns: a long name or client ID is cut with an ellipsis (--json
            // and --show have it whole).
            let _ = writeln!(
                out,
                "{:>3}  {kind:<22} {:<40} {:<32} {}",
                i + 1,
                crate::text::cut_end(&visible_line(&what), 40),
                crate::text::cut_end(&visible_line(&base), 32),
                f.path().display()
            );
        }
        out
    };
    print_stdout(&text)?;
    Ok(Ended::Quit)
}
