//! Step 9, Tokens: the access and refresh tokens, masked, with their lifetimes.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use crate::oauth::expiry_words;
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::prose;
use crate::tui::widgets::secret_panel::{Kept, checklist, path_lines};

pub use crate::tui::delivery::TokensState;

/// The step shows the session's tokens and keeps nothing of its own.
#[derive(Debug, Default)]
pub struct State;

fn token_shown(_: &State, session: &Session) -> bool {
    session.tokens.as_ref().is_some_and(|t| t.revealed)
}

fn token_hidden(state: &State, session: &Session) -> bool {
    !token_shown(state, session)
}

impl StepState for State {
    const TITLE: &'static str = "Tokens";
    const PURPOSE: &'static str = "What Webex issued for that consent, and how long it lasts.";
    const PHASE: Phase = Phase::Prove;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "t",
            &[Plain(KeyCode::Char('t'))],
            A::TestScopes,
            "test scopes",
            "call each granted scope's read-only request",
        ),
        when(
            bind(
                "r",
                &[Plain(KeyCode::Char('r'))],
                A::Reveal,
                "reveal",
                "reveal or hide the access token",
            ),
            token_hidden,
        ),
        when(
            bind("r", &[Plain(KeyCode::Char('r'))], A::Reveal, "hide", ""),
            token_shown,
        ),
        bind(
            "c",
            &[Plain(KeyCode::Char('c'))],
            A::CopyToken,
            "copy",
            "copy the access token",
        ),
        bind(
            "s",
            &[Plain(KeyCode::Char('s'))],
            A::Save,
            "save",
            "save the tokens to a 0600 file",
        ),
        bind("Esc", ESC, A::Back, "back", "back to the authorization"),
        bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        let session = &mut *cx.session;
        let Some(t) = &mut session.tokens else {
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
                    cx.notify(text);
                    return Vec::new();
                }
                let Some(c) = &session.credentials else {
                    return Vec::new();
                };
                return vec![Effect::SaveTokens {
                    tokens: Box::new(t.tokens.clone()),
                    client_id: c.saved.integration.client_id.clone(),
                    name: c.saved.display_name().to_owned(),
                }];
            }
            Some(Action::TestScopes) => {
                session.tested_token = None;
                cx.ask(Request::Open(Step::TestScopes));
            }
            // Unsaved tokens are asked about, like an unstored secret (a refresh token is not
            // issued twice), and so is the client secret when it is not stored either.
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            Some(Action::Back) => cx.go(Step::Authorize),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(session, frame, area);
    }
}

fn draw(session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let Some(s) = &session.tokens else {
        return;
    };
    let tokens = &s.tokens;
    let name = session.credentials.as_ref().map_or_else(
        || "the integration".to_owned(),
        |c| crate::text::visible_line(c.saved.display_name()),
    );
    let access = if s.revealed {
        Span::styled(
            crate::text::visible_line(tokens.access_token.expose_secret()),
            t.secret(),
        )
    } else {
        Span::styled("•".repeat(24) + "  (r reveals)", t.secret())
    };
    let mut lines = vec![
        Line::styled(format!("✔ \"{name}\" works: Webex issued tokens"), t.ok()),
        Line::raw(""),
        Line::styled("Access token", t.dim()),
        Line::from(vec![Span::raw("  "), access]),
        Line::from(vec![
            Span::styled("  expires       ", t.dim()),
            Span::raw(expiry_words(tokens.expires_at(), tokens.expires_in)),
        ]),
        Line::styled("Refresh token", t.dim()),
        Line::from(vec![
            Span::styled("  expires       ", t.dim()),
            Span::raw(match &tokens.refresh_token {
                Some(_) => {
                    expiry_words(tokens.refresh_expires_at(), tokens.refresh_token_expires_in)
                }
                None => "none was issued".into(),
            }),
        ]),
        Line::from(vec![
            Span::styled("Token type      ", t.dim()),
            Span::raw(tokens.token_type.clone()),
        ]),
    ];
    lines.extend(crate::tui::widgets::hanging(
        &Span::styled("Granted scopes  ", t.dim()),
        &crate::text::visible_line(&tokens.scopes.join(" ")),
        area.width,
    ));
    // RFC 6749 5.1: no `scope` in the answer means the requested ones were granted.
    if let Some(note) = tokens.scope_note() {
        lines.push(Line::styled(format!("                ({note})"), t.dim()));
    }
    lines.push(Line::raw(""));
    lines.extend(checklist(
        &[
            if s.copied {
                Kept::Done("access token copied")
            } else if s.sent_to_terminal {
                Kept::Unconfirmed("access token sent to the terminal (unconfirmed)")
            } else {
                Kept::ToDo("copy access token (c)")
            },
            if s.saved_to.is_some() {
                Kept::Done("saved")
            } else {
                Kept::ToDo("save both tokens (s)")
            },
        ],
        usize::from(area.width),
        t,
    ));
    if let Some(path) = &s.saved_to {
        lines.extend(path_lines("saved to ", path, usize::from(area.width), t));
    }
    lines.push(Line::styled(
        "Tokens are never logged; saving writes a 0600 file in the data folder.",
        t.dim(),
    ));
    frame.render_widget(prose(lines), area);
}

/// The tokens' recovery copy was written (or not) when they arrived.
pub(crate) fn on_kept(
    cx: &mut Cx,
    result: Result<PathBuf, crate::files::SaveError>,
) -> Vec<Effect> {
    match (result, &mut cx.session.tokens) {
        (Ok(path), Some(t)) if t.saved_to.is_none() => t.recovery = Some(path),
        (Ok(path), _) => return vec![Effect::RemoveRecovery(path)],
        (Err(e), _) => cx.problem(format!(
            "No recovery copy of the tokens could be written ({e}): save them now."
        )),
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;
    use secrecy::SecretString;

    use super::super::testing::{press, with_credentials};
    use crate::oauth::Tokens;
    use crate::tui::app::{Step, TokensState};
    use crate::tui::effects::Effect;

    #[test]
    fn r_reveals_and_t_tests_the_granted_scopes() {
        let mut app = with_credentials(Step::Tokens);
        app.session.tokens = Some(TokensState::new(Tokens {
            access_token: SecretString::from("AT"),
            expires_in: None,
            refresh_token: None,
            refresh_token_expires_in: None,
            token_type: "Bearer".into(),
            scopes: vec!["spark:people_read".into()],
            scope_source: crate::oauth::ScopeSource::Granted,
            obtained_at: time::OffsetDateTime::now_utc(),
        }));
        press(&mut app, KeyCode::Char('r'));
        assert!(app.session.tokens.as_ref().is_some_and(|t| t.revealed));
        let effects = press(&mut app, KeyCode::Char('t'));
        assert!(
            matches!(effects.as_slice(), [Effect::TestScopes { scopes, .. }] if scopes == &["spark:people_read"])
        );
        assert_eq!(app.step, Step::TestScopes);
    }

    /// Walk finding: q on Tokens asked only about the tokens; a client secret that was not
    /// stored either (authorize was chosen without saving it) is asked about too.
    #[test]
    fn q_asks_while_the_client_secret_is_not_stored_though_the_tokens_are() {
        let mut app = with_credentials(Step::Tokens);
        let mut tokens = TokensState::new(Tokens {
            access_token: SecretString::from("AT"),
            expires_in: None,
            refresh_token: None,
            refresh_token_expires_in: None,
            token_type: "Bearer".into(),
            scopes: vec![],
            scope_source: crate::oauth::ScopeSource::Granted,
            obtained_at: time::OffsetDateTime::now_utc(),
        });
        tokens.saved_to = Some("/tmp/tokens.json".into());
        app.session.tokens = Some(tokens);
        press(&mut app, KeyCode::Char('q'));
        assert!(matches!(
            app.overlays.last(),
            Some(crate::tui::app::Overlay::ConfirmQuit)
        ));
        assert_eq!(app.exit, None);
    }
}
