//! The checks of this machine itself: clipboard, browser, terminal.

use std::io::IsTerminal;

use serde_json::{Value, json};

use super::{Check, Status};
use crate::authorization::RemoteSession;
use crate::platform::find_program as on_path;

/// The smallest terminal the wizard is laid out for.
pub use crate::tui::view::MIN_TERMINAL;

use crate::platform::browser::OPENERS;

pub fn checks() -> Vec<Check> {
    vec![
        clipboard(),
        browser(),
        terminal(),
        keyring(),
        saved_tokens(),
    ]
}

/// Whether `webex-wizard login` can keep the admin token in an OS keyring here.
fn keyring() -> Check {
    let (backend, usable) = crate::signin::keyring_status();
    match usable {
        Ok(()) => Check::new(
            "keyring",
            Status::Ok,
            format!("{backend}: usable (webex-wizard login keeps the admin token there)"),
            json!({ "backend": backend, "usable": true }),
        ),
        Err(e) => Check::new(
            "keyring",
            Status::Info,
            format!("{e}: webex-wizard login can't keep a token here, and never falls back to a file"),
            json!({ "backend": backend, "usable": false, "error": e.to_string() }),
        )
        .advice("Give the admin token per command (WEBEX_ADMIN_TOKEN, or --token-file PATH), or sign in from a desktop session where a Secret Service runs."),
    }
}

/// The saved tokens that need a refresh, or can no longer be refreshed (issue 23's radar).
fn saved_tokens() -> Check {
    let Ok(dirs) = crate::env::Dirs::discover() else {
        return Check::new("saved tokens", Status::Skip, "no data folder", json!({}));
    };
    let (files, due, dead) = crate::token_radar::at_a_glance(&dirs);
    let data = json!({ "files": files, "due": due, "dead": dead });
    if files == 0 {
        return Check::new("saved tokens", Status::Info, "none saved", data);
    }
    let detail = format!("{files} saved: {due} to refresh, {dead} dead (refresh token expired)");
    let check = Check::new(
        "saved tokens",
        if due + dead == 0 {
            Status::Ok
        } else {
            Status::Info
        },
        detail,
        data,
    );
    match (due, dead) {
        (0, 0) => check,
        (_, 0) => check.advice("Run webex-wizard refresh --due (or schedule it: webex-wizard tokens schedule --print)."),
        _ => check.advice("webex-wizard tokens shows which; a dead one needs authorize again in a browser, the others refresh --due."),
    }
}

fn clipboard() -> Check {
    match crate::clipboard::system_tool() {
        Some(tool) => Check::new(
            "clipboard",
            Status::Ok,
            format!("{tool}, and OSC 52 through the terminal"),
            json!({ "tool": tool, "osc52": true }),
        ),
        None => Check::new(
            "clipboard",
            Status::Info,
            "OSC 52 through the terminal only (no clipboard tool with a display): a copy can't be confirmed, so the secret's recovery copy is kept",
            json!({ "tool": null, "osc52": true }),
        ),
    }
}

fn browser() -> Check {
    if let Some(session) = RemoteSession::detect() {
        return Check::new(
            "browser",
            Status::Info,
            format!(
                "none: this is an SSH session{}; the URL and an ssh -L line are shown instead",
                session.login.map(|l| format!(" ({l})")).unwrap_or_default()
            ),
            json!({ "browser": null, "ssh": true }),
        );
    }
    let from_env = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .map(|b| format!("$BROWSER ({})", b.split_whitespace().next().unwrap_or("")));
    // An opener with no display to show a window on opens nothing.
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if from_env.is_none() && cfg!(target_os = "linux") && !display {
        return Check::new(
            "browser",
            Status::Info,
            "none: no display (DISPLAY and WAYLAND_DISPLAY are unset) and no $BROWSER; the authorization URL is printed to open anywhere",
            json!({ "browser": null, "ssh": false, "display": false }),
        );
    }
    let found = from_env.or_else(|| {
        OPENERS
            .iter()
            .find(|o| on_path(o).is_some())
            .map(|o| (*o).to_owned())
    });
    match found {
        Some(b) => Check::new(
            "browser",
            Status::Ok,
            b.clone(),
            json!({ "browser": b, "ssh": false }),
        ),
        None => Check::new(
            "browser",
            Status::Info,
            "none found: the authorization URL is printed to open anywhere",
            json!({ "browser": null, "ssh": false }),
        ),
    }
}

fn terminal() -> Check {
    if !std::io::stdout().is_terminal() {
        return Check::new(
            "terminal",
            Status::Info,
            "standard output is not a terminal (the subcommands work; the wizard needs one)",
            Value::Null,
        );
    }
    let Ok((w, h)) = ratatui::crossterm::terminal::size() else {
        return Check::new("terminal", Status::Info, "size unknown", Value::Null);
    };
    let data = json!({ "columns": w, "rows": h });
    if w < MIN_TERMINAL.0 || h < MIN_TERMINAL.1 {
        Check::new(
            "terminal",
            Status::Fail,
            format!(
                "{w}x{h}, smaller than the wizard's {}x{}",
                MIN_TERMINAL.0, MIN_TERMINAL.1
            ),
            data,
        )
        .advice("Make the window at least 80 columns by 24 rows for the wizard.")
    } else {
        Check::new("terminal", Status::Ok, format!("{w}x{h}"), data)
    }
}
