//! Step 6, Creating: the request on its way, or why it failed and where to go to fix it.

use std::time::{Duration, Instant};

use secrecy::SecretString;

use super::keep_draft;
use crate::integration::IntegrationDraft;
use crate::tui::app::Exit;
use crate::tui::message::Created;
use crate::tui::update::problem;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Found, go, jump_to};
use crate::tui::app::{App, Step};
use crate::tui::effects::Effect;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, bind, when};
use crate::tui::phase::Phase;
use crate::tui::widgets::{error_lines, prose, spinner};
use crate::validate::Field;
use crate::webex::{ApiFailure, WebexError};

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Creating";
pub(crate) const PURPOSE: &str =
    "Webex creates the integration; its answer carries the one-time secret.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Create;

/// The submit as it stands.
pub enum CreateState {
    Sending { started: Instant, elapsed: Duration },
    Failed(Box<WebexError>),
}

impl App {
    /// The Webex failure of the last submit, if it was refused.
    pub fn create_failure(&self) -> Option<&WebexError> {
        match &self.create {
            Some(CreateState::Failed(e)) => Some(e),
            _ => None,
        }
    }

    pub fn api_failure(&self) -> Option<&ApiFailure> {
        self.create_failure().and_then(WebexError::api_failure)
    }

    /// The field a refused submit names (a 4xx other than 401 whose message names a field).
    pub fn failed_field(&self) -> Option<Field> {
        let f = self.api_failure()?;
        if f.status == 401 || !f.is_client_error() || f.is_integration_limit() {
            return None;
        }
        Field::mentioned_in(&f.all_text())
    }

    /// The submit is on its way.
    pub fn is_sending(&self) -> bool {
        matches!(self.create, Some(CreateState::Sending { .. }))
    }

    /// A request whose answer carries a one-time secret is on its way: a create, a rotation
    /// or a bot. A signal then waits for the answer to be kept.
    pub fn secret_in_flight(&self) -> bool {
        self.is_sending()
            || self.bot.sending
            || self.manage.busy == Some(super::manage::ROTATING)
            || self.authorize.as_ref().is_some_and(|a| {
                matches!(
                    a.phase,
                    crate::tui::app::AuthPhase::Device { .. }
                        | crate::tui::app::AuthPhase::Exchanging
                )
            })
    }
}

pub(crate) fn create_failed(app: &App, _: &crate::tui::context::Session) -> bool {
    app.create_failure().is_some()
}

pub(crate) fn failed_with_401(app: &App, _: &crate::tui::context::Session) -> bool {
    app.api_failure().is_some_and(|f| f.status == 401)
}

pub(crate) fn failed_on_a_field(app: &App, _: &crate::tui::context::Session) -> bool {
    app.failed_field().is_some()
}

pub(crate) fn failed_otherwise(app: &App, _: &crate::tui::context::Session) -> bool {
    create_failed(app, &app.session) && !failed_with_401(app, &app.session) && !failed_on_a_field(app, &app.session)
}

pub(crate) const KEYS: &[Binding] = &[
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "enter a fresh token",
            "after a 401: paste a fresh admin token, then back to the review",
        ),
        failed_with_401,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "fix the field",
            "after a refusal naming a field: go to that field",
        ),
        failed_on_a_field,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "back to review",
            "back to the review",
        ),
        failed_otherwise,
    ),
    when(
        bind("Esc", ESC, A::Back, "review", "back to the review"),
        create_failed,
    ),
];

/// Send the create: the step shows it on its way.
pub(crate) fn start(app: &mut App, token: SecretString, draft: IntegrationDraft) -> Vec<Effect> {
    app.create = Some(CreateState::Sending {
        started: Instant::now(),
        elapsed: Duration::ZERO,
    });
    app.enter(Step::Creating);
    let mut effects = keep_draft(app);
    effects.push(Effect::Create {
        token,
        draft,
        // Given for this send only: a later create asks again.
        justification: app.session.justification.take(),
    });
    effects
}

/// A signal came while a secret-carrying request was on its way: its answer is kept (the
/// caller goes on to show it and its recovery copy), then the wizard stops.
pub(crate) fn stop_if_signalled(app: &mut App) {
    if let Some(n) = app.stop_after_create.take() {
        app.exit = Some(Exit::Signal(n));
    }
}

/// Webex answered the create (or could not be heard): on to the credentials, or the failure.
pub(crate) fn on_created(app: &mut App, result: Result<Created, WebexError>) -> Vec<Effect> {
    stop_if_signalled(app);
    match result {
        Ok(Created { saved, recovery, .. }) => {
            app.create = None;
            let recovery = match recovery {
                Ok(path) => Some(path),
                Err(e) => {
                    problem(
                        app,
                        format!(
                            "No recovery copy could be written ({e}): copy or save the secret now."
                        ),
                    );
                    None
                }
            };
            app.session.credentials = Some(super::credentials::CredentialsState::new(saved, recovery, false));
            app.enter(Step::Credentials);
            // The form did its work; an old draft would only be offered back by mistake.
            vec![Effect::DiscardDraft]
        }
        Err(e) => {
            app.create = Some(CreateState::Failed(Box::new(e)));
            Vec::new()
        }
    }
}

/// A new secret from Manage: the Credentials screen, as after a create (the form's draft stays).
pub(crate) fn on_rotated(app: &mut App, result: Result<Created, WebexError>) -> Vec<Effect> {
    app.manage.busy = None;
    stop_if_signalled(app);
    match result {
        Ok(Created {
            saved,
            recovery,
            superseded,
        }) => {
            if let Err(e) = &recovery {
                problem(
                    app,
                    format!("No recovery copy could be written ({e}): copy or save the secret now."),
                );
            }
            // Kept (the recovery copy): now prove it, with the newest saved refresh token.
            let prove = Effect::ProveSecret(Box::new(saved.clone()));
            app.session.credentials = Some(super::credentials::CredentialsState::new(
                saved,
                recovery.ok(),
                false,
            ));
            app.enter(Step::Credentials);
            if !superseded.is_empty() {
                let list: Vec<String> =
                    superseded.iter().map(|p| p.display().to_string()).collect();
                crate::tui::update::notice(
                    app,
                    format!(
                        "Superseded (they hold the old secret; replace or delete them): {}",
                        list.join(", ")
                    ),
                );
            }
            return vec![prove];
        }
        Err(e) => problem(app, format!("{e}\n  Next: {}", e.next_step())),
    }
    Vec::new()
}

/// What proving the rotated secret found, after what the rotation already said.
pub(crate) fn on_secret_proven(app: &mut App, words: &str, proven: bool) {
    let before = app
        .notice
        .as_ref()
        .filter(|n| !n.is_error)
        .map(|n| n.text.clone());
    let text = before.map_or_else(|| words.to_owned(), |b| format!("{b}\n{words}"));
    if proven {
        crate::tui::update::notice(app, text);
    } else {
        problem(app, text);
    }
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
    let Some(error) = app.create_failure() else {
        return Vec::new();
    };
    let unauthorized = error.api_failure().is_some_and(|f| f.status == 401);
    match action {
        Some(Action::Enter) if unauthorized => {
            app.create = None;
            super::carry_out(
                app,
                crate::tui::context::Request::AskForToken {
                    resume_to: Step::Review,
                    reason: Some("Webex refused the admin token (401): it expired or is wrong. Control Hub admin tokens last at most 12 hours; paste a fresh one. Your form is kept.".into()),
                },
            )
        }
        Some(Action::Enter) => {
            let field = app.failed_field();
            let message = app
                .api_failure()
                .map(crate::webex::error::ApiFailure::all_text)
                .unwrap_or_default();
            app.create = None;
            match field {
                Some(field) => jump_to(
                    app,
                    field,
                    None,
                    format!("Webex: {message}"),
                    Found::ByWebex,
                ),
                None => go(app, Step::Review),
            }
        }
        Some(Action::Back) => {
            app.create = None;
            go(app, Step::Review)
        }
        _ => Vec::new(),
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let mut lines = Vec::new();
    match &app.create {
        Some(CreateState::Sending { elapsed, .. }) => {
            lines.push(Line::raw(format!(
                "{} POST {} … {:.1} s",
                spinner(app.session.spinner),
                app.session.env.base.join("/applications"),
                elapsed.as_secs_f64()
            )));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "The answer carries the one-time client secret; it is kept safe the moment it arrives.",
                t.dim(),
            ));
        }
        Some(CreateState::Failed(e)) => {
            lines.extend(error_lines(e, area.width, t));
            // Kept nowhere else: the raw answer, on screen, as the last resort.
            if let Some(raw) = e.unsaved_raw_answer() {
                lines.push(Line::raw(""));
                lines.extend(crate::tui::widgets::raw_answer_lines(
                    raw,
                    "the client ID and secret",
                    t,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Your form is kept: nothing you typed is lost.",
                t.ok(),
            ));
        }
        None => {}
    }
    frame.render_widget(prose(lines), area);
}

/// Nothing here takes pasted text.
pub(crate) fn on_paste(_app: &mut App, _text: &str) -> Vec<Effect> {
    Vec::new()
}

/// A tick while the request is on its way: the elapsed time on screen.
pub(crate) fn on_tick(app: &mut App, now: std::time::Instant) {
    if let Some(crate::tui::app::CreateState::Sending { started, elapsed }) = &mut app.create {
        *elapsed = now.saturating_duration_since(*started);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press};
    use crate::tui::app::{CreateState, Step};
    use crate::webex::WebexError;

    #[test]
    fn after_a_failure_esc_goes_back_to_the_review_with_the_form() {
        let mut app = app_on(Step::Creating);
        app.create = Some(CreateState::Failed(Box::new(WebexError::Timeout {
            url: "u".into(),
            seconds: 30.0,
            may_have_been_processed: true,
        })));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Review);
        assert!(app.create.is_none());
    }
}
