//! `webex-wizard audit`: the audit trail as a table, or JSON.

use std::fmt::Write as _;

use serde_json::Value;

use super::Context;
use crate::cli::AuditArgs;
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::visible_line;

/// `--since` as the start of an RFC 3339 time to compare with (they sort as text).
pub(super) fn since(text: &str) -> Result<String, CliError> {
    let t = text.trim();
    let day = t.len() == 10
        && t.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if day {
        return Ok(format!("{t}T00:00:00Z"));
    }
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .map(crate::types::rfc3339)
        .map_err(|_| {
            CliError::Usage(format!(
                "--since: '{t}' is not a date (2026-11-01) or an RFC 3339 time"
            ))
        })
}

/// `audit verify`: the chain's verdict; exit 4 when broken.
fn verify(ctx: &Context, json: bool) -> Result<Ended, CliError> {
    let path = &ctx.audit_log.path;
    let verdict = crate::audit::chain::verify(path).map_err(|source| CliError::ReadFile {
        path: path.clone(),
        source,
    })?;
    let text = if json {
        crate::output::json_text(&serde_json::json!({
            "path": path.display().to_string(),
            "intact": verdict.is_intact(),
            "lines": verdict.lines,
            "beforeChain": verdict.before_chain,
            "brokenAt": verdict.broken.as_ref().map(|b| b.0),
            "what": verdict.broken.as_ref().map(|b| b.1.clone()),
        }))
    } else {
        format!("{}: {}", path.display(), verdict.words())
    };
    print_stdout(&text)?;
    Ok(if verdict.is_intact() {
        Ended::Quit
    } else {
        Ended::ChecksFailed
    })
}

/// The trail as it is on disk, read once.
fn read_trail(ctx: &Context) -> Result<Vec<u8>, CliError> {
    crate::audit::read_bytes(&ctx.audit_log.path).map_err(|source| CliError::ReadFile {
        path: ctx.audit_log.path.clone(),
        source,
    })
}

/// Say so above what follows when the trail's chain is broken.
fn warn_if_broken(bytes: &[u8]) {
    let verdict = crate::audit::chain::verify_bytes(bytes);
    if !verdict.is_intact() {
        eprintln!(
            "warning: the trail's hash chain is {}; see webex-wizard audit verify.",
            verdict.words()
        );
    }
}

/// `audit export`: the trail, line by line, for a forwarder.
fn export(
    ctx: &Context,
    format: crate::cli::ExportFormat,
    since_text: Option<&str>,
) -> Result<Ended, CliError> {
    use crate::cli::ExportFormat;
    let from = since_text.map(since).transpose()?;
    let bytes = read_trail(ctx)?;
    warn_if_broken(&bytes);
    let mut out = String::new();
    for line in bytes.split(|b| *b == b'\n') {
        let Ok(serde_json::Value::Object(entry)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if from
            .as_deref()
            .is_some_and(|from| entry.get("time").and_then(Value::as_str).unwrap_or("") < from)
        {
            continue;
        }
        let line = String::from_utf8_lossy(line);
        let record = match format {
            ExportFormat::Json => line.into_owned(),
            ExportFormat::Syslog => crate::audit::syslog::message(&entry, &line),
            ExportFormat::Cef => crate::audit::syslog::cef_record(&entry),
        };
        out.push_str(&record);
        out.push('\n');
    }
    print_stdout(out.trim_end())?;
    Ok(Ended::Quit)
}

pub fn run(ctx: &Context, args: &AuditArgs) -> Result<Ended, CliError> {
    match &args.action {
        Some(crate::cli::AuditAction::Verify { json }) => return verify(ctx, *json),
        Some(crate::cli::AuditAction::Export { format, since }) => {
            return export(ctx, *format, since.as_deref());
        }
        None => {}
    }
    let from = args.since.as_deref().map(since).transpose()?;
    let bytes = read_trail(ctx)?;
    let trail = crate::audit::trail_of(&bytes);
    if trail.unreadable > 0 {
        eprintln!(
            "warning: {} line(s) of {} could not be read (a partial line from a full disk, or damage) and are skipped; the other entries follow.",
            trail.unreadable,
            ctx.audit_log.path.display()
        );
    }
    if !args.json {
        warn_if_broken(&bytes);
    }
    let mut entries = trail.entries;
    if let Some(from) = &from {
        entries.retain(|e| {
            e.get("time")
                .and_then(Value::as_str)
                .is_some_and(|t| t >= from.as_str())
        });
    }
    let text = if args.json {
        crate::output::json_text(&entries) + "\n"
    } else if entries.is_empty() {
        format!("No audit entries in {}.\n", ctx.audit_log.path.display())
    } else {
        let field = |e: &serde_json::Map<String, Value>, k: &str| {
            visible_line(e.get(k).and_then(Value::as_str).unwrap_or(""))
        };
        // The client ID last and whole (it is what support asks for); what was acted on is
        // its name, else the authorization's ID or the bot's e-mail.
        let mut out = format!(
            "{:<20} {:<14} {:<14} {:<28} {:<30} CLIENT ID\n",
            "TIME", "ACTION", "OUTCOME", "WHAT", "ACTOR"
        );
        for e in &entries {
            let status = e
                .get("status")
                .and_then(Value::as_u64)
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            let actor: String = e
                .get("actor")
                .and_then(|a| a.get("email"))
                .and_then(Value::as_str)
                .map(visible_line)
                .unwrap_or_default()
                .chars()
                .take(30)
                .collect();
            let what = ["name", "authorizationId", "botEmail"]
                .iter()
                .map(|k| field(e, k))
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<20} {:<14} {:<14} {:<28} {actor:<30} {}",
                field(e, "time").chars().take(19).collect::<String>(),
                field(e, "action"),
                format!("{}{status}", field(e, "outcome")),
                what.chars().take(28).collect::<String>(),
                field(e, "clientId"),
            );
        }
        out
    };
    print_stdout(&text)?;
    Ok(Ended::Quit)
}
