//! `webex-wizard tokens`: every saved tokens file, when its tokens expire and what to do; and
//! `refresh --due`, which refreshes the ones that need it (for a timer).

use std::fmt::Write as _;

use time::OffsetDateTime;

use crate::cli::{GlobalArgs, RefreshArgs, TokensArgs};
use crate::env::Dirs;
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::{cut_end, visible_line};
use crate::token_radar::{SavedTokens, Status, days_left, scan, when_words};

fn window(days: u32) -> time::Duration {
    time::Duration::days(i64::from(days))
}

/// Every `--dir` must be a folder: a typo in a timer's command must not pass in silence.
fn check_dirs(dirs: &[std::path::PathBuf]) -> Result<(), CliError> {
    match dirs.iter().find(|d| !d.is_dir()) {
        Some(d) => Err(CliError::Usage(format!(
            "--dir {}: not a folder",
            visible_line(&d.display().to_string())
        ))),
        None => Ok(()),
    }
}

pub fn run(args: &TokensArgs) -> Result<Ended, CliError> {
    if let Some(crate::cli::TokensAction::Schedule { .. }) = &args.action {
        return print_stdout(&schedule()?).map(|()| Ended::Quit);
    }
    check_dirs(&args.dirs)?;
    let dirs = Dirs::discover().map_err(CliError::Folders)?;
    let now = OffsetDateTime::now_utc();
    let mut folders = vec![dirs.tokens()];
    folders.extend(args.dirs.iter().cloned());
    let found = scan(&dirs, &folders, &args.files, now, window(args.within));
    if args.json {
        // When each client's secret was last set, as far as this machine's audit trail knows.
        let set = crate::audit::read(&crate::audit::path(None, &dirs.state))
            .map(|t| t.secrets_set())
            .unwrap_or_default();
        let rows: Vec<serde_json::Value> = found
            .iter()
            .map(|s| {
                let mut row = json_of(s, now);
                row["secretSetAt"] = set.get(&s.client_id).cloned().into();
                row
            })
            .collect();
        return print_stdout(&(crate::output::json_text(&rows) + "\n")).map(|()| Ended::Quit);
    }
    if found.is_empty() {
        eprintln!(
            "No saved tokens in {} (authorize without --save or --json, and the wizard's s on Tokens, save them there).",
            dirs.tokens().display()
        );
        return Ok(Ended::Quit);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:<14} {:<28} {:<28} {:<14} FILE",
        "INTEGRATION", "CLIENT ID", "ACCESS EXPIRES", "REFRESH EXPIRES", "STATUS"
    );
    for s in &found {
        let name = s.name.as_deref().unwrap_or("(no saved credentials)");
        let refresh = if s.has_refresh_token || s.status == Status::Unreadable {
            when_words(s.refresh_expires, now)
        } else {
            "none issued".to_owned()
        };
        let _ = writeln!(
            out,
            "{:<28} {:<14} {:<28} {:<28} {:<14} {}",
            cut_end(&visible_line(name), 28),
            cut_end(&visible_line(&s.client_id), 14),
            when_words(s.access_expires, now),
            refresh,
            s.status.label(),
            visible_line(&s.path.display().to_string()),
        );
    }
    print_stdout(out.trim_end())?;
    let (due, dead) = crate::token_radar::counts(&found);
    if due > 0 {
        // The command that refreshes exactly these: the same window and folders.
        let mut command = "webex-wizard refresh --due".to_owned();
        if args.within != crate::token_radar::SOON_DAYS {
            let _ = write!(command, " --within {}", args.within);
        }
        for d in &args.dirs {
            let _ = write!(command, " --dir {}", visible_line(&d.display().to_string()));
        }
        eprintln!("{due} to refresh: {command}");
        if !args.files.is_empty() {
            eprintln!(
                "  (files named alone are refreshed by --due only when they are in one of its folders)"
            );
        }
    }
    let replaced = found
        .iter()
        .filter(|s| s.status == Status::Replaced)
        .count();
    if replaced > 0 {
        eprintln!("{replaced} replaced by a newer file of the same client: delete them.");
    }
    if dead > 0 {
        eprintln!(
            "{dead} dead (the refresh token expired): authorize again in a browser (webex-wizard authorize --credentials FILE)."
        );
    }
    Ok(Ended::Quit)
}

/// A systemd user service and timer, and a crontab line, that run `refresh --due` daily with
/// this binary (its absolute path, quoted for systemd and the shell).
fn schedule() -> Result<String, CliError> {
    let exe = std::env::current_exe().map_err(|source| CliError::ReadFile {
        path: "/proc/self/exe".into(),
        source,
    })?;
    let exe = exe.display().to_string();
    if exe
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\' || c == '%')
    {
        return Err(CliError::Usage(format!(
            "this binary's path ({}) can't be written into a unit file; install it under a plain path",
            visible_line(&exe)
        )));
    }
    Ok(format!(
        r#"# ~/.config/systemd/user/webex-wizard-refresh.service
[Unit]
Description=Refresh the saved Webex tokens that are due (webex-wizard)

[Service]
Type=oneshot
ExecStart="{exe}" refresh --due

# ~/.config/systemd/user/webex-wizard-refresh.timer
[Unit]
Description=Refresh the saved Webex tokens daily (webex-wizard)

[Timer]
OnCalendar=daily
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target

# Install: save the two units above, then
#   systemctl --user daemon-reload && systemctl --user enable --now webex-wizard-refresh.timer
# Or, with cron instead (crontab -e), every day at 06:17:
# 17 6 * * * '{exe}' refresh --due"#
    ))
}

fn json_of(s: &SavedTokens, now: OffsetDateTime) -> serde_json::Value {
    let at = |t: Option<OffsetDateTime>| t.map(crate::types::rfc3339);
    serde_json::json!({
        "file": s.path.display().to_string(),
        "name": s.name,
        "clientId": s.client_id,
        "apiBase": s.api_base,
        "scopes": s.scopes,
        "accessExpiresAt": at(s.access_expires),
        "accessExpiresInDays": days_left(s.access_expires, now),
        "refreshExpiresAt": at(s.refresh_expires),
        "refreshExpiresInDays": days_left(s.refresh_expires, now),
        "hasRefreshToken": s.has_refresh_token,
        "status": s.status.label(),
        "problem": s.problem,
    })
}

/// `refresh --due`: each due file refreshed with its client's saved credentials, replaced
/// atomically only once the new answer was read; one audit line per refresh. Under a lock, so
/// two runs never refresh the same file. Exit 4 when one failed (or is dead), else 0.
pub async fn run_due(global: &GlobalArgs, args: &RefreshArgs) -> Result<Ended, CliError> {
    let dirs = Dirs::discover().map_err(CliError::Folders)?;
    dirs.check().map_err(CliError::Folders)?;
    let verbose = global.verbose > 0;
    let folder = dirs.tokens();
    crate::files::ensure_private_dir(&folder).map_err(|source| CliError::ReadFile {
        path: folder.clone(),
        source,
    })?;
    // One run at a time: the second waits, then finds the files fresh.
    let _lock =
        crate::platform::lock_exclusive(&folder.join(".refresh-due.lock")).map_err(|source| {
            CliError::ReadFile {
                path: folder.join(".refresh-due.lock"),
                source,
            }
        })?;
    check_dirs(&args.dirs)?;
    let mut folders = vec![folder];
    folders.extend(args.dirs.iter().cloned());
    let now = OffsetDateTime::now_utc();
    let found = scan(&dirs, &folders, &[], now, window(args.within));
    if found.is_empty() && verbose {
        eprintln!("No saved tokens in {}.", dirs.tokens().display());
    }
    let mut failed = 0;
    for s in &found {
        match s.status {
            Status::Ok if verbose => eprintln!("ok: {}", s.path.display()),
            Status::Dead => {
                failed += 1;
                eprintln!(
                    "dead: {} (its refresh token expired {}): authorize again in a browser.",
                    s.path.display(),
                    when_words(s.refresh_expires, now)
                );
            }
            Status::Unreadable => {
                failed += 1;
                eprintln!(
                    "unreadable: {}: {}",
                    s.path.display(),
                    s.problem.as_deref().unwrap_or("")
                );
            }
            status if status.is_due() => {
                match refresh_one(global, &dirs, s, args.client.identity.as_deref()).await {
                    Ok(()) => eprintln!("refreshed: {}", s.path.display()),
                    Err(e) => {
                        failed += 1;
                        eprintln!("not refreshed: {}: {e}", s.path.display());
                        if let Some(next) = e.next_step() {
                            eprintln!("  next: {next}");
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if failed > 0 {
        return Err(CliError::SomeFailed(format!(
            "{failed} tokens file(s) could not be refreshed (each is said above); the others were"
        )));
    }
    Ok(Ended::Quit)
}

/// Refresh one file: its client's saved credentials, its refresh token, then the file replaced.
async fn refresh_one(
    global: &GlobalArgs,
    dirs: &Dirs,
    s: &SavedTokens,
    identity: Option<&std::path::Path>,
) -> Result<(), CliError> {
    // The newest of its client's saved credentials (after a rotation: the living secret).
    let (creds_path, saved) = crate::token_radar::credentials_of(dirs, &s.client_id, identity)
        .map_err(CliError::Usage)?;
    if global.verbose > 0 {
        eprintln!("  with {}", creds_path.display());
    }
    let paths: Vec<&std::path::Path> = vec![creds_path.as_path(), s.path.as_path()];
    let ctx = crate::session::Context::for_files(global, &paths, identity).await?;
    refresh_with(&ctx, s, &saved).await
}

/// [`crate::token_refresh::refresh_file`] through the session `ctx`.
async fn refresh_with(
    ctx: &crate::session::Context,
    s: &SavedTokens,
    saved: &crate::credentials::SavedCredentials,
) -> Result<(), CliError> {
    use crate::token_refresh::RefreshFailure;
    let client = ctx.client()?;
    crate::token_refresh::refresh_file(&client, &ctx.dirs, &ctx.audit_log, s, saved)
        .await
        .map_err(|e| match e {
            RefreshFailure::Read(e) => CliError::from(e),
            RefreshFailure::Webex(e) => CliError::Exchange(e),
            RefreshFailure::NotWritten(e) => CliError::NotWritten(e),
        })
}

/// After a rotation, once the new secret is kept: prove it (see
/// [`crate::token_refresh::prove_new_secret`]) and say what was found.
pub(super) async fn prove_new_secret(
    ctx: &crate::session::Context,
    saved: &crate::credentials::SavedCredentials,
) {
    let Ok(client) = ctx.client() else {
        return;
    };
    let proof =
        crate::token_refresh::prove_new_secret(&client, &ctx.dirs, &ctx.audit_log, saved).await;
    match proof {
        crate::token_refresh::Proof::Failed(..) => eprintln!("warning: {}", proof.words()),
        _ => eprintln!("{}", proof.words()),
    }
}
