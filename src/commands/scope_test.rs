//! `webex-wizard test-scopes`: what an access token can really do.

use std::fmt::Write as _;

use secrecy::SecretString;
use serde_json::json;

use super::Context;
use crate::catalog::Catalog;
use crate::cli::TestScopesArgs;
use crate::env::Cloud;
use crate::error::{CliError, Ended};
use crate::oauth::in_words;
use crate::output::print_stdout;
use crate::scope_test::{self, ProbeResult, Verdict};
use crate::secret;
use crate::text::{visible, visible_line};

/// Where an access token may come from, besides a file.
pub const ACCESS_TOKEN_VAR: &str = "WEBEX_ACCESS_TOKEN";

/// The token, and the scopes a tokens file says were granted.
fn access_token(args: &TestScopesArgs) -> Result<(SecretString, Vec<String>), CliError> {
    let Some(path) = &args.access_token_file else {
        let token = secret::secret_from_env(ACCESS_TOKEN_VAR).ok_or_else(|| {
            CliError::Usage("no access token: pass --access-token-file PATH (a tokens file saved by 'authorize --save' works) or set WEBEX_ACCESS_TOKEN".into())
        })?;
        return Ok((token, Vec::new()));
    };
    let (token, scopes, _) = secret::read_token_file(path, "accessToken")?;
    Ok((token, scopes))
}

/// The table, as people read it.
pub fn table(results: &[ProbeResult]) -> String {
    let scope_w = results
        .iter()
        .map(|r| r.scope.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let request_w = results
        .iter()
        .map(|r| r.request.len().min(60))
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!(
        "{:scope_w$}  {:request_w$}  STATUS  {:>7}  VERDICT\n",
        "SCOPE", "REQUEST", "TIME"
    );
    for r in results {
        let request = if r.request.chars().count() > 60 {
            format!("{}…", r.request.chars().take(59).collect::<String>())
        } else {
            r.request.clone()
        };
        let _ = writeln!(
            out,
            "{:scope_w$}  {:request_w$}  {:6}  {:>7}  {}",
            visible_line(&r.scope),
            visible_line(&request),
            r.status.map_or_else(|| "-".into(), |s| s.to_string()),
            r.time_text(),
            r.verdict.words()
        );
    }
    out
}

/// The table, then a line for each row that does not work, then the token's expiry.
fn human_report(
    results: &[ProbeResult],
    expiry: &Result<time::OffsetDateTime, crate::webex::WebexError>,
) -> String {
    let mut out = table(results);
    for r in results.iter().filter(|r| r.verdict != Verdict::Works) {
        let _ = writeln!(
            out,
            "  {}: {}{}{}",
            visible_line(&r.scope),
            r.verdict.words(),
            r.message
                .as_deref()
                .map(|m| format!(": {}", visible_line(m)))
                .unwrap_or_default(),
            r.tracking_id
                .as_deref()
                .map(|t| format!(" (trackingId {})", visible_line(t)))
                .unwrap_or_default()
        );
    }
    match expiry {
        Ok(t) => {
            let left = (*t - time::OffsetDateTime::now_utc()).max(time::Duration::ZERO);
            let _ = write!(
                out,
                "The token expires {} ({}).",
                t.format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute] UTC"
                ))
                .unwrap_or_default(),
                in_words(std::time::Duration::from_secs(
                    u64::try_from(left.whole_seconds()).unwrap_or(0)
                ))
            );
        }
        Err(e) => {
            let _ = write!(
                out,
                "The token's expiry could not be read: {}",
                visible(&e.to_string())
            );
        }
    }
    out
}

/// Ends `Quit` (exit 0) when nothing was refused and nothing failed, `ProbeRefused` (6) on a
/// refusal, `ProbeFailed` (4) when a probe got no usable answer.
pub async fn run(ctx: &Context, args: &TestScopesArgs) -> Result<Ended, CliError> {
    let (token, granted) = access_token(args)?;
    let scopes = if args.scopes.is_empty() {
        granted
    } else {
        args.scopes.clone()
    };
    if scopes.is_empty() {
        return Err(CliError::Usage(
            "which scopes? pass --scope SCOPE (repeat for several), or a tokens file saved by 'authorize --save' as --access-token-file".into(),
        ));
    }
    let client = ctx.client()?;
    let fedramp = matches!(ctx.env.cloud, Cloud::Fedramp)
        || (ctx.env.cloud == Cloud::Sandbox && ctx.sandbox_is_fedramp());
    eprintln!(
        "Testing {} scope(s) on {} ({}), {} at a time ...",
        scopes.len(),
        ctx.env.base,
        ctx.env.label(),
        scope_test::CONCURRENCY
    );
    let (results, expiry) = tokio::join!(
        scope_test::test_scopes(
            &client,
            &token,
            Catalog::embedded(),
            &scopes,
            fedramp,
            |_, _| {}
        ),
        scope_test::token_expiry(&client, &token)
    );
    let refused = results.iter().any(|r| r.verdict.is_refusal());
    let text = if args.json {
        let (exp, exp_error) = match &expiry {
            Ok(t) => (Some(crate::types::rfc3339(*t)), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let value = json!({
            "apiBase": ctx.env.base.to_string(),
            "tokenExpiresAt": exp,
            "tokenExpiryError": exp_error,
            "results": results,
            "allWork": results.iter().all(|r| r.verdict == Verdict::Works),
            "anyRefused": refused,
        });
        crate::output::json_text(&value)
    } else {
        human_report(&results, &expiry)
    };
    print_stdout(&text)?;
    Ok(if refused {
        Ended::ProbeRefused
    } else if results.iter().any(|r| r.verdict.is_failure()) {
        Ended::ProbeFailed
    } else {
        Ended::Quit
    })
}
