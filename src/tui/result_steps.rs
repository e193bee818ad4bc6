//! Keys after the integration exists: the credentials, the authorization, the tokens and the
//! scope test, and the windows over any step.

use std::time::Instant;

use ratatui::crossterm::event::KeyEvent;
use secrecy::SecretString;

use super::app::{App, AuthPhase, AuthorizeState, Overlay, ScopeTestState, Step, single_line};
use super::effects::{AuthorizeJob, Effect};
use super::keys::Action;
use super::message::CopyTarget;
use super::steps::{go, quit, step_named, type_into};
use super::update::{notice, problem};
use crate::oauth::ClientCredentials;

/// The paste field's hint while the browser's answer is awaited.
const PASTE_HINT: &str = "paste the address the browser landed on, then Enter";

pub fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = super::keys::action(app, &key);
    let Some(top) = app.overlays.last_mut() else {
        return Vec::new();
    };
    match (top, action) {
        (Overlay::Help(scroll), Some(Action::Up)) => *scroll = scroll.saturating_sub(1),
        (Overlay::Help(scroll), Some(Action::Down)) => *scroll = scroll.saturating_add(1),
        (Overlay::Help(scroll), Some(Action::PageUp)) => *scroll = scroll.saturating_sub(10),
        (Overlay::Help(scroll), Some(Action::PageDown)) => *scroll = scroll.saturating_add(10),
        (Overlay::Help(_), Some(Action::Back)) => {
            app.overlays.pop();
        }
        (Overlay::ConfirmQuit, Some(Action::Stored)) => {
            if let Some(c) = &mut app.credentials {
                c.stored_by_user = true;
            }
            app.overlays.clear();
            return quit(app);
        }
        (Overlay::ConfirmQuit, Some(Action::Yes)) => {
            app.overlays.clear();
            return quit(app);
        }
        (Overlay::PendingCreate(_), Some(Action::Back)) => {
            if let Some(Overlay::PendingCreate(notes)) = app.overlays.pop() {
                return notes
                    .into_iter()
                    .map(|(path, _)| Effect::RemoveRecovery(path))
                    .collect();
            }
        }
        (Overlay::ConfirmQuit | Overlay::ConfirmAuthorize, Some(Action::No)) => {
            app.overlays.pop();
        }
        (Overlay::ConfirmAuthorize, Some(Action::Yes)) => {
            app.overlays.pop();
            return go_authorize(app);
        }
        (Overlay::ResumeDraft(_), Some(Action::Yes)) => {
            if let Some(Overlay::ResumeDraft(saved)) = app.overlays.pop() {
                return resume_draft(app, &saved);
            }
        }
        (Overlay::ResumeDraft(_), Some(Action::No)) => {
            app.overlays.pop();
            notice(app, "Starting afresh; the old draft is discarded.");
            return vec![Effect::DiscardDraft];
        }
        (Overlay::ResumeDraft(_) | Overlay::Unreadable(_), Some(Action::Back)) => {
            // A draft put off stays on disk until a step saves a new one.
            app.overlays.pop();
        }
        _ => {}
    }
    Vec::new()
}

/// Fill the form from an earlier session's draft and go back to where it was left (once the
/// token is good: until then Connect takes the user there).
fn resume_draft(app: &mut App, saved: &crate::draft::SavedDraft) -> Vec<Effect> {
    app.load_draft(&saved.draft);
    let step = saved
        .step
        .as_deref()
        .and_then(step_named)
        .unwrap_or(Step::Details);
    let effects = if matches!(app.connect.status, super::app::TokenStatus::Valid(_)) {
        go(app, step)
    } else {
        app.connect.resume_to = Some(step);
        Vec::new()
    };
    notice(app, "Your draft is back; nothing you typed was lost.");
    effects
}

pub fn on_credentials(app: &mut App, action: Option<Action>) -> Vec<Effect> {
    let Some(c) = &mut app.credentials else {
        return Vec::new();
    };
    match action {
        Some(Action::Reveal) => {
            c.revealed = !c.revealed;
            Vec::new()
        }
        Some(Action::CopySecret) => vec![Effect::Copy(
            CopyTarget::ClientSecret,
            c.saved.integration.client_secret.clone(),
        )],
        Some(Action::CopyId) => vec![Effect::Copy(
            CopyTarget::ClientId,
            SecretString::from(c.saved.integration.client_id.clone()),
        )],
        Some(Action::Save) => match &c.saved_to {
            Some(path) => {
                let text = format!("Already saved to {}.", path.display());
                notice(app, text);
                Vec::new()
            }
            None => vec![Effect::SaveCredentials(Box::new(c.saved.clone()))],
        },
        Some(Action::Authorize) if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmAuthorize);
            Vec::new()
        }
        Some(Action::Authorize) => go_authorize(app),
        Some(Action::Quit) if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmQuit);
            Vec::new()
        }
        Some(Action::Quit) if c.recovered => {
            let done = c.recovery.clone();
            app.credentials = None;
            if !app.show_next_recovered() {
                app.step = Step::Connect;
                app.refocus();
                app.offer_draft();
            }
            notice(
                app,
                "The recovered credentials are stored; their recovery copy is removed.",
            );
            done.map(Effect::RemoveRecovery).into_iter().collect()
        }
        Some(Action::Quit) => quit(app),
        _ => Vec::new(),
    }
}

/// Leave the credentials for the authorization step.
fn go_authorize(app: &mut App) -> Vec<Effect> {
    let Some(c) = &mut app.credentials else {
        return Vec::new();
    };
    // Leaving a stored secret's screen: its recovery copy has done its job.
    let effects: Vec<Effect> = if c.is_stored() {
        c.recovery
            .take()
            .map(Effect::RemoveRecovery)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    if app.authorize.is_none() {
        let integration = &c.saved.integration;
        let redirect = integration
            .redirect_urls
            .iter()
            .position(|u| crate::authorization::is_loopback(u))
            .unwrap_or(0);
        app.authorize = Some(AuthorizeState {
            redirect,
            scopes: integration
                .scopes
                .iter()
                .map(|s| (s.clone(), true))
                .collect(),
            cursor: redirect,
            phase: AuthPhase::Choose,
            show_qr: false,
            paste: single_line("", PASTE_HINT),
            browser_opened: None,
            refused: 0,
        });
    }
    app.step = Step::Authorize;
    app.notice = None;
    app.refocus();
    effects
}

fn start_authorization(app: &mut App) -> Vec<Effect> {
    let (Some(a), Some(c)) = (&mut app.authorize, &app.credentials) else {
        return Vec::new();
    };
    let integration = &c.saved.integration;
    let scopes: Vec<String> = a
        .scopes
        .iter()
        .filter(|(_, on)| *on)
        .map(|(s, _)| s.clone())
        .collect();
    let Some(redirect) = integration.redirect_urls.get(a.redirect).cloned() else {
        problem(
            app,
            "The integration has no redirect URL to authorize with.",
        );
        return Vec::new();
    };
    if scopes.is_empty() {
        problem(
            app,
            "Ask for at least one scope: Space toggles the highlighted one.",
        );
        return Vec::new();
    }
    a.phase = AuthPhase::Waiting {
        url: String::new(),
        loopback: true,
        started: Instant::now(),
        remaining: app.auth_wait,
    };
    a.browser_opened = None;
    a.refused = 0;
    let job = AuthorizeJob {
        credentials: ClientCredentials {
            client_id: integration.client_id.clone(),
            client_secret: integration.client_secret.clone(),
        },
        redirect_uri: redirect,
        scopes,
        wait: app.auth_wait,
    };
    app.notice = None;
    vec![Effect::Authorize(Box::new(job))]
}

pub fn on_authorize(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(a) = &mut app.authorize else {
        return Vec::new();
    };
    let redirects = app
        .credentials
        .as_ref()
        .map(|c| c.saved.integration.redirect_urls.len())
        .unwrap_or(0);
    let rows = redirects + a.scopes.len();
    match &a.phase {
        AuthPhase::Choose => match action {
            Some(Action::Up) => a.cursor = a.cursor.saturating_sub(1),
            Some(Action::Down) => a.cursor = (a.cursor + 1).min(rows.saturating_sub(1)),
            Some(Action::Toggle) if a.cursor < redirects => a.redirect = a.cursor,
            Some(Action::Toggle) => {
                if let Some(s) = a.scopes.get_mut(a.cursor - redirects) {
                    s.1 = !s.1;
                }
            }
            Some(Action::Enter) => return start_authorization(app),
            Some(Action::Back) => return go(app, Step::Credentials),
            _ => {}
        },
        AuthPhase::Waiting { url, loopback, .. } => {
            let (url, loopback) = (url.clone(), *loopback);
            match action {
                Some(Action::Back) => return vec![Effect::CancelAuthorization],
                Some(Action::CopyUrl | Action::OpenBrowser | Action::ToggleQr)
                    if url.is_empty() => {}
                Some(Action::CopyUrl) => {
                    return vec![Effect::Copy(
                        CopyTarget::AuthorizationUrl,
                        SecretString::from(url),
                    )];
                }
                Some(Action::OpenBrowser) => return vec![Effect::OpenBrowser(url)],
                // A QR code only helps where another device can follow the address.
                Some(Action::ToggleQr) if !loopback => a.show_qr = !a.show_qr,
                Some(Action::Enter) if !loopback => {
                    let text = a.paste.lines().join("");
                    a.paste = single_line("", PASTE_HINT);
                    app.refocus();
                    return vec![Effect::SubmitPaste(text)];
                }
                other if !loopback => type_into(&mut a.paste, other, key),
                _ => {}
            }
        }
        AuthPhase::Exchanging => {}
        AuthPhase::Failed(_) => match action {
            Some(Action::Enter) => a.phase = AuthPhase::Choose,
            Some(Action::Back) => {
                a.phase = AuthPhase::Choose;
                return go(app, Step::Credentials);
            }
            _ => {}
        },
    }
    app.refocus();
    Vec::new()
}

pub fn on_paste(app: &mut App, text: &str) {
    if let Some(a) = &mut app.authorize
        && matches!(
            a.phase,
            AuthPhase::Waiting {
                loopback: false,
                ..
            }
        )
    {
        a.paste.insert_str(text.trim());
    }
}

pub fn on_tokens(app: &mut App, action: Option<Action>) -> Vec<Effect> {
    let Some(t) = &mut app.tokens else {
        return Vec::new();
    };
    match action {
        Some(Action::Reveal) => t.revealed = !t.revealed,
        Some(Action::CopyToken) => {
            return vec![Effect::Copy(
                CopyTarget::AccessToken,
                t.tokens.access_token.clone(),
            )];
        }
        Some(Action::Save) => {
            if let Some(path) = &t.saved_to {
                let text = format!("Already saved to {}.", path.display());
                notice(app, text);
                return Vec::new();
            }
            let Some(c) = &app.credentials else {
                return Vec::new();
            };
            return vec![Effect::SaveTokens {
                tokens: Box::new(t.tokens.clone()),
                client_id: c.saved.integration.client_id.clone(),
                name: c.saved.display_name().to_owned(),
            }];
        }
        Some(Action::TestScopes) => return start_scope_test(app),
        Some(Action::Quit) => return quit(app),
        Some(Action::Back) => return go(app, Step::Authorize),
        _ => {}
    }
    Vec::new()
}

/// Probe every granted scope (or, when the answer listed none, every scope asked for).
fn start_scope_test(app: &mut App) -> Vec<Effect> {
    let Some(t) = &app.tokens else {
        return Vec::new();
    };
    let mut scopes = t.tokens.scopes.clone();
    if scopes.is_empty()
        && let Some(a) = &app.authorize
    {
        scopes = a
            .scopes
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.clone())
            .collect();
    }
    app.scope_test = Some(ScopeTestState {
        rows: scopes.iter().map(|s| (s.clone(), None)).collect(),
        cursor: 0,
        open: false,
        expiry: None,
    });
    let token = t.tokens.access_token.clone();
    app.step = Step::TestScopes;
    app.notice = None;
    app.refocus();
    vec![Effect::TestScopes {
        token,
        scopes,
        fedramp: app.fedramp,
    }]
}

pub fn on_scope_test(app: &mut App, action: Option<Action>) -> Vec<Effect> {
    let Some(t) = &mut app.scope_test else {
        return Vec::new();
    };
    match action {
        Some(Action::Up) => t.cursor = t.cursor.saturating_sub(1),
        Some(Action::Down) => t.cursor = (t.cursor + 1).min(t.rows.len().saturating_sub(1)),
        Some(Action::Enter) => t.open = !t.open,
        Some(Action::RunAgain) => return start_scope_test(app),
        Some(Action::Quit) => return quit(app),
        Some(Action::Back) => return go(app, Step::Tokens),
        _ => {}
    }
    Vec::new()
}
