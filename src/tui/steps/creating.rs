//! Step 6, Creating: the request on its way, or why it failed and where to go to fix it.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::tui::context::{Cx, Found, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, bind, when};
use crate::tui::message::Created;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{error_lines, prose, spinner};
use crate::validate::Field;
use crate::webex::{ApiFailure, WebexError};

/// The submit as it stands.
pub enum CreateState {
    Sending { started: Instant, elapsed: Duration },
    Failed(Box<WebexError>),
}

/// The create on its way or refused; nothing before the first send.
pub type State = Option<CreateState>;

/// The Webex failure of the last submit, if it was refused.
pub fn failure(state: &State) -> Option<&WebexError> {
    match state {
        Some(CreateState::Failed(e)) => Some(e),
        _ => None,
    }
}

pub fn api_failure(state: &State) -> Option<&ApiFailure> {
    failure(state).and_then(WebexError::api_failure)
}

/// The field a refused submit names (a 4xx other than 401 whose message names a field).
pub fn failed_field(state: &State) -> Option<Field> {
    let f = api_failure(state)?;
    if f.status == 401 || !f.is_client_error() || f.is_integration_limit() {
        return None;
    }
    Field::mentioned_in(&f.all_text())
}

fn failed(state: &State, _: &Session) -> bool {
    failure(state).is_some()
}

fn failed_with_401(state: &State, _: &Session) -> bool {
    api_failure(state).is_some_and(|f| f.status == 401)
}

fn failed_on_a_field(state: &State, _: &Session) -> bool {
    failed_field(state).is_some()
}

fn failed_otherwise(state: &State, session: &Session) -> bool {
    failed(state, session) && !failed_with_401(state, session) && !failed_on_a_field(state, session)
}

impl StepState for State {
    const TITLE: &'static str = "Creating";
    const PURPOSE: &'static str =
        "Webex creates the integration; its answer carries the one-time secret.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
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
            failed,
        ),
    ];

    /// Send the create of the reviewed draft: the step shows it on its way.
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        let Some(token) = cx.session.admin.token.clone() else {
            return Vec::new();
        };
        cx.go(step);
        *self = Some(CreateState::Sending {
            started: Instant::now(),
            elapsed: Duration::ZERO,
        });
        vec![Effect::Create {
            token,
            draft: cx.session.draft.clone(),
            // Given for this send only: a later create asks again.
            justification: cx.session.justification.take(),
        }]
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        let Some(error) = failure(self) else {
            return Vec::new();
        };
        let unauthorized = error.api_failure().is_some_and(|f| f.status == 401);
        match action {
            Some(Action::Enter) if unauthorized => {
                *self = None;
                cx.ask(Request::AskForToken {
                    resume_to: Step::Review,
                    reason: Some(
                        "Webex refused the admin token (401): it expired or is \
                        wrong. Control Hub admin tokens last at most 12 hours; paste a fresh \
                        one. Your form is kept."
                            .into(),
                    ),
                });
            }
            Some(Action::Enter) => {
                let field = failed_field(self);
                let message = api_failure(self)
                    .map(ApiFailure::all_text)
                    .unwrap_or_default();
                *self = None;
                match field {
                    Some(field) => cx.ask(Request::JumpTo {
                        field,
                        index: None,
                        why: format!("Webex: {message}"),
                        found: Found::ByWebex,
                    }),
                    None => cx.go(Step::Review),
                }
            }
            Some(Action::Back) => {
                *self = None;
                cx.go(Step::Review);
            }
            _ => {}
        }
        Vec::new()
    }

    fn busy(&self, _session: &Session, _on_screen: bool) -> bool {
        matches!(self, Some(CreateState::Sending { .. }))
    }

    fn secret_in_flight(&self) -> bool {
        matches!(self, Some(CreateState::Sending { .. }))
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self.as_ref(), session, frame, area);
    }
}

/// Webex answered the create (or could not be heard): on to the credentials, or the failure.
pub(crate) fn on_created(
    state: &mut State,
    cx: &mut Cx,
    result: Result<Created, WebexError>,
) -> Vec<Effect> {
    match result {
        Ok(Created {
            saved, recovery, ..
        }) => {
            *state = None;
            cx.enter(Step::Credentials);
            // After the step change, which clears the message line: a missing recovery copy
            // is said on the Credentials screen.
            let recovery = match recovery {
                Ok(path) => Some(path),
                Err(e) => {
                    cx.problem(format!(
                        "No recovery copy could be written ({e}): copy or save the secret now."
                    ));
                    None
                }
            };
            cx.session.credentials = Some(crate::tui::delivery::CredentialsState::new(
                saved, recovery, false,
            ));
            // The form did its work; an old draft would only be offered back by mistake.
            vec![Effect::DiscardDraft]
        }
        Err(e) => {
            *state = Some(CreateState::Failed(Box::new(e)));
            Vec::new()
        }
    }
}

fn draw(state: Option<&CreateState>, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let mut lines = Vec::new();
    match state {
        Some(CreateState::Sending { elapsed, .. }) => {
            lines.push(Line::raw(format!(
                "{} POST {} … {:.1} s",
                spinner(session.spinner),
                session.env.base.join("/applications"),
                elapsed.as_secs_f64()
            )));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "The answer carries the one-time client secret; it is kept safe the moment it \
                    arrives.",
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

/// A tick while the request is on its way: the elapsed time on screen.
pub(crate) fn on_tick(state: &mut State, now: std::time::Instant) {
    if let Some(CreateState::Sending { started, elapsed }) = state {
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
        app.steps.creating = Some(CreateState::Failed(Box::new(WebexError::Timeout {
            url: "u".into(),
            seconds: 30.0,
            may_have_been_processed: true,
        })));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Review);
        assert!(app.steps.creating.is_none());
    }

    /// A create whose recovery copy could not be written says so on the Credentials screen
    /// (the step change used to clear the message before it was seen).
    #[test]
    fn a_missing_recovery_copy_is_said_on_the_credentials_screen() {
        let mut app = app_on(Step::Creating);
        let saved = serde_json::from_str(
            r#"{"apiBase":"https://api-usgov.webex.com/v1","clientId":"C1","clientSecret":"S3CRET","name":"Audit Reader","redirectUrls":["http://localhost:8080/callback"],"scopes":["spark:people_read"]}"#,
        )
        .expect("a credentials file");
        let full = crate::files::SaveError::Io {
            path: "/state/recovery.json".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        crate::tui::update::update(
            &mut app,
            crate::tui::message::Message::Created(Box::new(Ok(crate::tui::message::Created {
                saved,
                recovery: Err(full),
                superseded: Vec::new(),
            }))),
        );
        assert_eq!(app.step, Step::Credentials);
        let notice = app.notice.as_ref().expect("a message on screen");
        assert!(notice.is_error, "{notice:?}");
        assert!(
            notice.text.contains("No recovery copy could be written"),
            "{notice:?}"
        );
    }
}
