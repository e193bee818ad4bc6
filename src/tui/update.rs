//! State + message → new state + effects. No I/O here: this is the part the tests drive.

use std::time::Instant;

use ratatui::crossterm::event::KeyEventKind;

use super::app::{
    App, AuthPhase, AuthorizeState, Cause, CreateState, CredentialsState, Notice, Overlay, Step,
    TokensState, single_line,
};
use super::effects::Effect;
use super::message::{CopyOutcome, CopyTarget, Message};
use super::steps;
use crate::draft::{Recovered, SavedDraft};
use crate::oauth::{AuthorizationError, FlowError};

/// What the wizard found at start-up.
#[derive(Default)]
pub struct Startup {
    pub recovered: Vec<Recovered>,
    pub draft: Option<SavedDraft>,
}

impl App {
    /// Show what an earlier session left behind, and check a token that came with the launch.
    pub fn start(&mut self, startup: Startup) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(token) = &self.connect.token {
            effects.push(Effect::CheckToken(token.clone()));
        }
        let mut unreadable = Vec::new();
        let mut pending = Vec::new();
        for found in startup.recovered {
            match found {
                Recovered::Credentials { path, saved } => {
                    self.recovered.push((path, *saved));
                    self.recovered_total += 1;
                }
                Recovered::Unreadable { path } => {
                    unreadable.push((path, "an answer that could not be read".to_owned()));
                }
                Recovered::Tokens {
                    path,
                    client_id,
                    api_base,
                } => unreadable.push((
                    path,
                    format!(
                        "tokens of {} for {}, never saved",
                        crate::text::visible_line(&client_id),
                        crate::text::visible_line(&api_base)
                    ),
                )),
                // One at a time: the next start shows the next.
                Recovered::Bot {
                    path,
                    bot,
                    api_base,
                } if self.bot_token.is_none() => {
                    let mut state =
                        steps::bot_token::BotTokenState::new(*bot, api_base, Some(path));
                    state.recovered = true;
                    self.bot_token = Some(state);
                }
                Recovered::Bot { .. } => {}
                Recovered::PendingCreate { path, note } => pending.push((path, note)),
            }
        }
        self.draft_offer = startup.draft;
        let showing = self.show_next_recovered();
        if !showing && self.bot_token.is_some() {
            self.enter(Step::BotToken);
        } else if !showing {
            self.offer_draft();
        }
        if !unreadable.is_empty() {
            self.overlays.push(Overlay::Unreadable(unreadable));
        }
        if !pending.is_empty() {
            self.overlays.push(Overlay::PendingCreate(pending));
        }
        effects
    }

    /// Put the next recovered credentials on screen; false when there are none left.
    pub(super) fn show_next_recovered(&mut self) -> bool {
        if self.recovered.is_empty() {
            return false;
        }
        let (path, saved) = self.recovered.remove(0);
        let mut state = CredentialsState::new(saved, Some(path), true);
        state.recovered_of = Some((
            self.recovered_total - self.recovered.len(),
            self.recovered_total,
        ));
        self.credentials = Some(state);
        self.enter(Step::Credentials);
        true
    }

    pub(super) fn offer_draft(&mut self) {
        if let Some(draft) = self.draft_offer.take() {
            self.overlays.push(Overlay::ResumeDraft(draft));
        }
    }
}

pub(super) fn notice(app: &mut App, text: impl Into<String>) {
    app.notice = Some(Notice {
        text: text.into(),
        is_error: false,
        cause: None,
    });
}

pub(super) fn problem(app: &mut App, text: impl Into<String>) {
    app.notice = Some(Notice {
        text: text.into(),
        is_error: true,
        cause: None,
    });
}

/// A problem message that goes away once `cause` is put right.
pub(super) fn problem_about(app: &mut App, cause: Cause, text: impl Into<String>) {
    app.notice = Some(Notice {
        text: text.into(),
        is_error: true,
        cause: Some(cause),
    });
}

/// Drop a problem message whose cause is gone.
fn settle_notice(app: &mut App) {
    let Some(cause) = app.notice.as_ref().and_then(|n| n.cause) else {
        return;
    };
    let gone = match cause {
        Cause::Detail(i) => app.detail_problem(i).is_none(),
        Cause::NoRedirectUrl => !app.draft().redirect_urls.is_empty(),
        Cause::RedirectUrl(i) => {
            i >= app.redirects.lines.len() || app.redirect_problem(i).is_none()
        }
        Cause::NoScope => !app.scopes.chosen.is_empty(),
    };
    if gone {
        app.notice = None;
    }
}

/// Handle one message.
pub fn update(app: &mut App, message: Message) -> Vec<Effect> {
    let effects = handle(app, message);
    settle_notice(app);
    // Focus is settled once, here, whatever the message changed.
    app.refocus();
    effects
}

#[expect(clippy::too_many_lines, reason = "one arm per message, each short")]
fn handle(app: &mut App, message: Message) -> Vec<Effect> {
    match message {
        Message::Key(key) if key.kind != KeyEventKind::Release => steps::on_key(app, key),
        Message::Key(_) => Vec::new(),
        Message::Paste(text) => steps::on_paste(app, &text),
        Message::Resize(columns, rows) => {
            app.screen = (columns, rows);
            app.clamp_review_scroll();
            Vec::new()
        }
        Message::Tick(now) => {
            app.spinner = app.spinner.wrapping_add(1);
            if let Some(CreateState::Sending { started, elapsed }) = &mut app.create {
                *elapsed = now.saturating_duration_since(*started);
            }
            if let Some(AuthorizeState {
                phase:
                    AuthPhase::Waiting {
                        started, remaining, ..
                    },
                ..
            }) = &mut app.authorize
            {
                *remaining = app
                    .auth_wait
                    .saturating_sub(now.saturating_duration_since(*started));
            }
            Vec::new()
        }
        Message::Signal(number) => steps::on_signal(app, number),
        Message::TokenChecked(result) => {
            steps::connect::token_checked(app, result);
            Vec::new()
        }
        Message::Created(result) => steps::creating::on_created(app, *result),
        Message::AppsListed(result) => steps::manage::on_listed(app, result),
        Message::Deleted(result) => steps::manage::on_deleted(app, result),
        Message::Updated(result) => steps::manage::on_updated(app, result),
        Message::BotCreated(result) => {
            app.bot.sending = false;
            steps::creating::stop_if_signalled(app);
            match *result {
                Ok((bot, recovery)) => {
                    if let Err(e) = &recovery {
                        problem(
                            app,
                            format!(
                                "No recovery copy could be written ({e}): copy or save the token now."
                            ),
                        );
                    }
                    let base = app.env.base.to_string();
                    app.bot_token = Some(steps::bot_token::BotTokenState::new(
                        bot,
                        base,
                        recovery.ok(),
                    ));
                    app.enter(Step::BotToken);
                }
                Err(e) => app.bot.failure = Some(Box::new(e)),
            }
            Vec::new()
        }
        Message::HandedOff(result) => steps::hand_off::on_written(app, result),
        Message::BotSaved(result) => {
            match result {
                Ok(path) => {
                    notice(app, format!("Saved to {} (mode 0600).", path.display()));
                    if let Some(b) = &mut app.bot_token {
                        b.saved_to = Some(path);
                    }
                    if std::mem::take(&mut app.quit_after_save) {
                        return steps::quit(app);
                    }
                }
                Err(e) => {
                    app.quit_after_save = false;
                    problem(app, format!("Not saved, so the wizard stays: {e}"));
                }
            }
            Vec::new()
        }
        Message::Rotated(result) => steps::creating::on_rotated(app, *result),
        Message::Copied(target, outcome) => {
            on_copied(app, target, outcome);
            Vec::new()
        }
        Message::Saved(result) => {
            match result {
                Ok(path) => {
                    notice(app, format!("Saved to {} (mode 0600).", path.display()));
                    if let Some(c) = &mut app.credentials {
                        c.saved_to = Some(path);
                    }
                    if std::mem::take(&mut app.quit_after_save) {
                        return steps::quit(app);
                    }
                }
                Err(e) => {
                    app.quit_after_save = false;
                    problem(app, format!("Not saved, so the wizard stays: {e}"));
                }
            }
            Vec::new()
        }
        Message::DraftNotSaved(e) => {
            problem(app, format!("The draft could not be saved: {e}"));
            Vec::new()
        }
        Message::AuthorizationWaiting { url, loopback } => {
            if let Some(a) = &mut app.authorize {
                a.phase = AuthPhase::Waiting {
                    url,
                    loopback,
                    started: Instant::now(),
                    remaining: app.auth_wait,
                };
                a.paste = single_line("", "paste the address the browser landed on, then Enter");
            }
            Vec::new()
        }
        Message::BrowserOpened(opened) => {
            if let Some(a) = &mut app.authorize {
                a.browser_opened = Some(opened);
            }
            Vec::new()
        }
        Message::CallbacksRefused(count) => {
            if let Some(a) = &mut app.authorize {
                a.refused = count;
            }
            Vec::new()
        }
        Message::Exchanging => {
            if let Some(a) = &mut app.authorize {
                a.phase = AuthPhase::Exchanging;
            }
            Vec::new()
        }
        Message::Authorized(result) => {
            let Some(a) = &mut app.authorize else {
                return Vec::new();
            };
            match *result {
                Ok(tokens) => {
                    a.phase = AuthPhase::Choose;
                    app.tokens = Some(TokensState::new(tokens));
                    app.enter(Step::Tokens);
                }
                Err(FlowError::Authorization(AuthorizationError::Cancelled)) => {
                    a.phase = AuthPhase::Choose;
                    notice(app, "Authorization cancelled; nothing was requested.");
                }
                Err(e) => a.phase = AuthPhase::Failed(Box::new(e)),
            }
            Vec::new()
        }
        Message::ProbeDone(index, result) => {
            if let Some(t) = &mut app.scope_test
                && let Some(row) = t.rows.get_mut(index)
            {
                row.1 = Some(*result);
            }
            Vec::new()
        }
        Message::TokenRefused(why) => {
            if let Some(t) = &mut app.scope_test {
                t.refused = Some(why);
            }
            Vec::new()
        }
        Message::TokenExpiry(result) => {
            if let Some(t) = &mut app.scope_test {
                t.expiry = Some(result);
            }
            Vec::new()
        }
        Message::TokensSaved(result) => {
            match result {
                Ok(path) => {
                    notice(
                        app,
                        format!("Saved the tokens to {} (mode 0600).", path.display()),
                    );
                    let mut effects = Vec::new();
                    if let Some(t) = &mut app.tokens {
                        t.saved_to = Some(path);
                        // Stored: the recovery copy has done its job.
                        if let Some(copy) = t.recovery.take() {
                            effects.push(Effect::RemoveRecovery(copy));
                        }
                    }
                    if std::mem::take(&mut app.quit_after_save) {
                        effects.extend(steps::quit(app));
                    }
                    return effects;
                }
                Err(e) => {
                    app.quit_after_save = false;
                    problem(app, format!("Not saved, so the wizard stays: {e}"));
                }
            }
            Vec::new()
        }
        Message::TokensKept(result) => {
            match (result, &mut app.tokens) {
                (Ok(path), Some(t)) if t.saved_to.is_none() => t.recovery = Some(path),
                (Ok(path), _) => return vec![Effect::RemoveRecovery(path)],
                (Err(e), _) => problem(
                    app,
                    format!(
                        "No recovery copy of the tokens could be written ({e}): save them now."
                    ),
                ),
            }
            Vec::new()
        }
    }
}

/// Say where a copy went. Only a clipboard tool's copy is known to have landed; OSC 52 is
/// sent to the terminal, which never says whether it took it.
fn on_copied(app: &mut App, target: CopyTarget, outcome: CopyOutcome) {
    let label = target.label();
    match (outcome.tool, outcome.terminal) {
        (Some(tool), _) => {
            if let (CopyTarget::BotToken, Some(b)) = (target, &mut app.bot_token) {
                b.copied = true;
            }
            match (target, &mut app.credentials, &mut app.tokens) {
                (CopyTarget::ClientSecret, Some(c), _) => c.copied_secret = true,
                (CopyTarget::ClientId, Some(c), _) => c.copied_id = true,
                (CopyTarget::AccessToken, _, Some(t)) => t.copied = true,
                _ => {}
            }
            notice(
                app,
                format!("Copied the {label} to the clipboard ({tool})."),
            );
        }
        (None, true) => {
            if let (CopyTarget::BotToken, Some(b)) = (target, &mut app.bot_token) {
                b.sent_to_terminal = true;
            }
            match (target, &mut app.credentials, &mut app.tokens) {
                (CopyTarget::ClientSecret, Some(c), _) => c.sent_to_terminal = true,
                (CopyTarget::ClientId, Some(c), _) => c.copied_id = true,
                (CopyTarget::AccessToken, _, Some(t)) => t.sent_to_terminal = true,
                _ => {}
            }
            let keep = if matches!(
                target,
                CopyTarget::ClientSecret | CopyTarget::AccessToken | CopyTarget::BotToken
            ) {
                " Paste it somewhere to check, or save it with s."
            } else {
                ""
            };
            notice(
                app,
                format!("Sent the {label} to the terminal's clipboard (can't be confirmed).{keep}"),
            );
        }
        (None, false) => problem(
            app,
            format!("Could not copy the {label}: no terminal or clipboard tool took it."),
        ),
    }
}
