//! `webex-wizard doctor`: the checks of [`crate::doctor`] as a table or JSON.

use std::fmt::Write as _;

use crate::cli::DoctorArgs;
use crate::commands::Context;
use crate::credentials::SavedCredentials;
use crate::doctor::{self, Check, Status, Subject};
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::visible;

/// Run every check; exit 0 when none failed, 4 otherwise.
pub async fn run(ctx: &Context, args: &DoctorArgs) -> Result<Ended, CliError> {
    let client = ctx.client()?;
    // A named token file must be readable; an absent token only skips that check.
    let admin_token = if ctx.has_token_file() {
        Some(ctx.admin_token()?)
    } else {
        ctx.admin_token().ok()
    };
    let redirect_urls = match &args.credentials {
        Some(path) => Some(SavedCredentials::load(path)?.integration.redirect_urls),
        None => None,
    };
    let checks = doctor::run(&Subject {
        env: &ctx.env,
        client: &client,
        admin_token,
        redirect_urls,
        connect_timeout: ctx.timeouts.connect,
    })
    .await;
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    let text = if args.json {
        let doc = serde_json::json!({ "ok": !failed, "checks": checks });
        format!("{}\n", crate::output::json_text(&doc))
    } else {
        table(&checks)
    };
    print_stdout(&text)?;
    Ok(if failed {
        Ended::ChecksFailed
    } else {
        Ended::Quit
    })
}

/// One row per check; a failed check's advice on the line below it.
pub fn table(checks: &[Check]) -> String {
    let width = checks
        .iter()
        .map(|c| c.check.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!("{:width$}  {:6}  DETAIL\n", "CHECK", "RESULT");
    for c in checks {
        let result = match c.status {
            Status::Ok => "ok",
            Status::Fail => "FAIL",
            Status::Info => "info",
            Status::Skip => "skip",
        };
        // Server-sent names (a certificate's issuer, a display name) are shown, never obeyed.
        let _ = writeln!(
            out,
            "{:width$}  {result:6}  {}",
            c.check,
            visible(&c.detail).replace('\n', " ")
        );
        if let Some(advice) = &c.advice {
            let _ = writeln!(out, "{:width$}  {:6}  → {}", "", "", visible(advice));
        }
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    let _ = writeln!(
        out,
        "\n{}",
        match failed {
            0 => "Every check passed.".to_owned(),
            1 => "1 check failed.".to_owned(),
            n => format!("{n} checks failed."),
        }
    );
    out
}
