//! Step 9, Tokens: the access and refresh tokens, masked, with their lifetimes.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use super::go;
use crate::oauth::{Tokens, expiry_words};
use crate::tui::app::{App, Step};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::update::notice;
use crate::tui::widgets::prose;
use crate::tui::widgets::secret_panel::{Kept, checklist, path_lines};

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Tokens";
pub(crate) const PURPOSE: &str = "What Webex issued for that consent, and how long it lasts.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Prove;

/// Step 9: the tokens.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is one thing the user did or saw, as on Credentials"
)]
pub struct TokensState {
    pub tokens: Tokens,
    pub revealed: bool,
    pub copied: bool,
    /// Sent to the terminal as OSC 52, unconfirmed.
    pub sent_to_terminal: bool,
    pub saved_to: Option<PathBuf>,
    /// The 0600 copy written the moment the tokens arrived; removed once they are stored.
    pub recovery: Option<PathBuf>,
    /// The user said, in the quit question, that they stored the tokens themselves.
    pub stored_by_user: bool,
}

impl TokensState {
    /// Fresh tokens on screen, not stored yet.
    pub fn new(tokens: Tokens) -> Self {
        TokensState {
            tokens,
            revealed: false,
            copied: false,
            sent_to_terminal: false,
            saved_to: None,
            recovery: None,
            stored_by_user: false,
        }
    }

    /// The tokens (the refresh token too, which no copy takes) are saved, or the user says
    /// they stored them.
    pub fn is_stored(&self) -> bool {
        self.saved_to.is_some() || self.stored_by_user
    }
}

fn token_shown(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.tokens.as_ref().is_some_and(|t| t.revealed)
}

fn token_hidden(app: &App, _: &crate::tui::context::Session) -> bool {
    !token_shown(app, &app.session)
}

pub(crate) const KEYS: &[Binding] = &[
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

pub(crate) fn on_key(app: &mut App, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
    let Some(t) = &mut app.session.tokens else {
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
            let Some(c) = &app.session.credentials else {
                return Vec::new();
            };
            return vec![Effect::SaveTokens {
                tokens: Box::new(t.tokens.clone()),
                client_id: c.saved.integration.client_id.clone(),
                name: c.saved.display_name().to_owned(),
            }];
        }
        Some(Action::TestScopes) => return super::scope_test::start_scope_test(app),
        // Unsaved tokens are asked about, like an unstored secret (a refresh token is not
        // issued twice), and so is the client secret when it is not stored either.
        Some(Action::Quit) => return super::ask_or_quit(app),
        Some(Action::Back) => return go(app, Step::Authorize),
        _ => {}
    }
    Vec::new()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let Some(s) = &app.session.tokens else {
        return;
    };
    let tokens = &s.tokens;
    let name = app.session.credentials.as_ref().map_or_else(
        || "the integration".to_owned(),
        |c| crate::text::visible_line(c.saved.display_name()),
    );
    let access = if s.revealed {
        Span::styled(crate::text::visible_line(tokens.access_token.expose_secret()), t.secret())
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
            if s.saved_to.is_some() { Kept::Done("saved") } else { Kept::ToDo("save both tokens (s)") },
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

/// Nothing here takes pasted text.
pub(crate) fn on_paste(_app: &mut App, _text: &str) -> Vec<Effect> {
    Vec::new()
}

/// The tokens were saved (or not): a saved one's recovery copy has done its job.
pub(crate) fn on_saved(app: &mut App, result: Result<PathBuf, crate::files::SaveError>) -> Vec<Effect> {
    super::on_secret_saved(app, "the tokens ", result, |app, path| {
        let mut effects = Vec::new();
        if let Some(t) = &mut app.session.tokens {
            t.saved_to = Some(path);
            // Stored: the recovery copy has done its job.
            if let Some(copy) = t.recovery.take() {
                effects.push(Effect::RemoveRecovery(copy));
            }
        }
        effects
    })
}

/// The tokens' recovery copy was written (or not) when they arrived.
pub(crate) fn on_kept(app: &mut App, result: Result<PathBuf, crate::files::SaveError>) -> Vec<Effect> {
    match (result, &mut app.session.tokens) {
        (Ok(path), Some(t)) if t.saved_to.is_none() => t.recovery = Some(path),
        (Ok(path), _) => return vec![Effect::RemoveRecovery(path)],
        (Err(e), _) => crate::tui::update::problem(
            app,
            format!(
                "No recovery copy of the tokens could be written ({e}): save them now."
            ),
        ),
    }
    Vec::new()
}

/// The access token was copied (`confirmed`) or sent to the terminal's clipboard.
pub(crate) fn mark_copied(app: &mut App, confirmed: bool) {
    if let Some(t) = &mut app.session.tokens {
        if confirmed {
            t.copied = true;
        } else {
            t.sent_to_terminal = true;
        }
    }
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
        assert!(matches!(effects.as_slice(), [Effect::TestScopes { scopes, .. }] if scopes == &["spark:people_read"]));
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
        assert!(matches!(app.overlays.last(), Some(crate::tui::app::Overlay::ConfirmQuit)));
        assert_eq!(app.exit, None);
    }
}
