//! Step 7, Credentials: the client ID and the one-time secret, until it is stored.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::{ExposeSecret, SecretString};

use super::{go, quit};
use crate::credentials::SavedCredentials;
use crate::tui::app::{App, Overlay, Step};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::update::notice;
use crate::tui::widgets::secret_panel::{Kept, SecretPanel, checklist, path_lines};

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Credentials";
pub(crate) const PURPOSE: &str = "Store the secret now: Webex never shows it again.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Both;

/// Step 7.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is one thing the user did or saw"
)]
pub struct CredentialsState {
    pub saved: SavedCredentials,
    pub revealed: bool,
    /// A clipboard tool took the secret.
    pub copied_secret: bool,
    /// The secret went to the terminal as OSC 52, which no terminal confirms.
    pub sent_to_terminal: bool,
    /// The user said, in the quit question, that they stored the secret themselves.
    pub stored_by_user: bool,
    pub copied_id: bool,
    pub saved_to: Option<PathBuf>,
    /// The 0600 copy written the moment the answer arrived; removed once the user stored it.
    pub recovery: Option<PathBuf>,
    /// Shown at start-up from a previous session's recovery file.
    pub recovered: bool,
    /// Which of the recovered credentials this is, and how many there are.
    pub recovered_of: Option<(usize, usize)>,
    /// An encrypted hand-off written for a developer.
    pub handed_off: Option<PathBuf>,
}

impl CredentialsState {
    /// The secret is somewhere the user keeps it: saved, taken by a clipboard tool, or the
    /// user says so. An OSC 52 copy alone can't be confirmed, so it does not count.
    pub fn is_stored(&self) -> bool {
        self.copied_secret
            || self.saved_to.is_some()
            || self.stored_by_user
            || self.handed_off.is_some()
    }

    /// Fresh credentials on screen, with `recovery` as their 0600 copy.
    pub fn new(saved: SavedCredentials, recovery: Option<PathBuf>, recovered: bool) -> Self {
        CredentialsState {
            saved,
            revealed: false,
            copied_secret: false,
            sent_to_terminal: false,
            stored_by_user: false,
            handed_off: None,
            copied_id: false,
            saved_to: None,
            recovery,
            recovered_of: None,
            recovered,
        }
    }
}

impl App {
    /// A one-time secret is on screen and not yet copied or saved.
    pub fn secret_at_risk(&self) -> bool {
        self.session.credentials.as_ref().is_some_and(|c| !c.is_stored())
            || self.session.bot_token.as_ref().is_some_and(|b| !b.is_stored())
            || self.session.tokens.as_ref().is_some_and(|t| !t.is_stored())
    }

    /// The recovery file of the credentials on screen, if any.
    pub fn recovery_path(&self) -> Option<&PathBuf> {
        self.session.credentials.as_ref().and_then(|c| c.recovery.as_ref())
    }

    /// The secret, for drawing only when revealed.
    pub fn secret_text(&self) -> Option<&str> {
        self.session.credentials
            .as_ref()
            .filter(|c| c.revealed)
            .map(|c| c.saved.integration.client_secret.expose_secret())
    }
}

pub(crate) fn recovered(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.credentials.as_ref().is_some_and(|c| c.recovered)
}

pub(crate) fn not_recovered(app: &App, _: &crate::tui::context::Session) -> bool {
    !recovered(app, &app.session)
}

fn secret_shown(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.credentials.as_ref().is_some_and(|c| c.revealed)
}

fn secret_hidden(app: &App, _: &crate::tui::context::Session) -> bool {
    !secret_shown(app, &app.session)
}

pub(crate) const KEYS: &[Binding] = &[
    when(
        bind(
            "r",
            &[Plain(KeyCode::Char('r'))],
            A::Reveal,
            "reveal",
            "reveal or hide the secret",
        ),
        secret_hidden,
    ),
    when(
        bind("r", &[Plain(KeyCode::Char('r'))], A::Reveal, "hide", ""),
        secret_shown,
    ),
    bind(
        "c",
        &[Plain(KeyCode::Char('c'))],
        A::CopySecret,
        "copy secret",
        "copy the secret",
    ),
    bind(
        "s",
        &[Plain(KeyCode::Char('s'))],
        A::Save,
        "save",
        "save the credentials to a 0600 file",
    ),
    bind(
        "i",
        &[Plain(KeyCode::Char('i'))],
        A::CopyId,
        "copy ID",
        "copy the client ID",
    ),
    bind(
        "h",
        &[Plain(KeyCode::Char('h'))],
        A::HandOff,
        "hand off",
        "encrypt the credentials for a developer's public key",
    ),
    when(
        bind(
            "a",
            &[Plain(KeyCode::Char('a'))],
            A::Authorize,
            "authorize",
            "authorize the integration in the browser",
        ),
        not_recovered,
    ),
    when(
        bind(
            "q",
            &[Plain(KeyCode::Char('q'))],
            A::Quit,
            "done",
            "done with these recovered credentials",
        ),
        recovered,
    ),
    when(
        bind(
            "Esc",
            ESC,
            A::Back,
            "list",
            "back to the applications (the new secret stays here until stored)",
        ),
        rotated,
    ),
    when(
        bind(
            "q",
            &[Plain(KeyCode::Char('q'))],
            A::Quit,
            "quit",
            "quit (asks while the secret is not stored)",
        ),
        not_recovered,
    ),
];

/// The secret on screen is a new one for an existing integration (from Manage).
fn rotated(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.intent == crate::tui::app::Intent::Manage
        && app.session.credentials.as_ref().is_some_and(|c| !c.recovered)
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
    if action == Some(Action::Back) && rotated(app, &app.session) {
        // The secret stays here (and in its recovery copy) until it is stored; quitting asks.
        return go(app, Step::Manage);
    }
    let Some(c) = &mut app.session.credentials else {
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
        Some(Action::HandOff) => super::hand_off::open(app, Step::Credentials),
        Some(Action::Authorize) if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmAuthorize);
            Vec::new()
        }
        Some(Action::Authorize) => super::authorize::go_authorize(app),
        Some(Action::Quit) if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmQuit);
            Vec::new()
        }
        Some(Action::Quit) if c.recovered => {
            let done = c.recovery.clone();
            app.session.credentials = None;
            if !app.show_next_recovered() {
                app.enter(Step::Start);
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

/// What the secret's panel holds: the client ID, the secret (masked until revealed), the
/// warning or the all-clear, and what was done to keep it.
fn panel_lines(app: &App, c: &CredentialsState, inner: usize) -> Vec<Line<'static>> {
    let t = app.session.theme;
    let integration = &c.saved.integration;
    let secret = match app.secret_text() {
        Some(s) => Span::styled(crate::text::visible_line(s), t.secret()),
        None => Span::styled("•".repeat(24) + "  (r reveals)", t.secret()),
    };
    let mut inside = vec![
        Line::from(vec![
            Span::styled("Client ID      ", t.dim()),
            Span::raw(crate::text::visible_line(&integration.client_id)),
        ]),
        Line::from(vec![Span::styled("Client secret  ", t.dim()), secret]),
        Line::raw(""),
    ];
    inside.push(if c.is_stored() {
        Line::styled(
            "✔ The secret is stored. Webex will never show it again.",
            t.ok(),
        )
    } else {
        Line::styled(
            "⚠ Webex shows this secret only once. Save it (s) or copy it (c) now.",
            t.warning(),
        )
    });
    inside.extend(checklist(
        &[
            if c.copied_secret {
                Kept::Done("secret copied")
            } else if c.sent_to_terminal {
                Kept::Unconfirmed("secret sent to the terminal (unconfirmed)")
            } else {
                Kept::ToDo("copy secret (c)")
            },
            if c.copied_id { Kept::Done("ID copied") } else { Kept::ToDo("copy ID (i)") },
            if c.saved_to.is_some() { Kept::Done("saved") } else { Kept::ToDo("save (s)") },
            if c.handed_off.is_some() { Kept::Done("handed off") } else { Kept::ToDo("hand off (h)") },
        ],
        inner,
        t,
    ));
    for (label, path) in [("saved to ", &c.saved_to), ("handed off to ", &c.handed_off)] {
        if let Some(path) = path {
            inside.extend(path_lines(label, path, inner, t));
        }
    }
    inside
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let Some(c) = &app.session.credentials else {
        return;
    };
    let integration = &c.saved.integration;
    let mut above = Vec::new();
    if c.recovered {
        // Which one of how many, and for which Webex: nothing else on screen says so.
        let of = c
            .recovered_of
            .map(|(n, total)| format!(" ({n} of {total})"))
            .unwrap_or_default();
        above.push(Line::styled(
            format!(
                "Recovered from an earlier session{of}, for {}: never stored.",
                crate::text::visible_line(&c.saved.api_base)
            ),
            t.warning(),
        ));
    }
    let name = crate::text::visible_line(c.saved.display_name());
    above.push(Line::styled(
        if c.recovered {
            // A recovery copy does not say whether it came from a create or a rotation.
            format!("Credentials of \"{name}\"")
        } else if rotated(app, &app.session) {
            format!("✔ A new client secret for \"{name}\": the old one no longer works")
        } else {
            format!("✔ Created \"{name}\"")
        },
        t.ok(),
    ));
    let mut below = crate::tui::widgets::hanging(
        &Span::styled("Scopes  ", t.dim()),
        &crate::text::visible_line(&integration.scopes.join(" ")),
        area.width,
    );
    if let Some(path) = &c.recovery {
        below.extend(path_lines(
            "Until it is stored, a 0600 recovery copy waits in ",
            path,
            usize::from(area.width),
            t,
        ));
    }
    // The one-time secret in a panel of its own, with what has been done to keep it.
    SecretPanel {
        above,
        // Inside the panel: its border (2) and padding (2).
        inside: panel_lines(app, c, usize::from(area.width.saturating_sub(6).max(1))),
        below,
        stored: c.is_stored(),
        what: "secret",
    }
    .render(frame, area, t);
}

/// Nothing here takes pasted text.
pub(crate) fn on_paste(_app: &mut App, _text: &str) -> Vec<Effect> {
    Vec::new()
}

/// The credentials were saved (or not).
pub(crate) fn on_saved(app: &mut App, result: Result<PathBuf, crate::files::SaveError>) -> Vec<Effect> {
    super::on_secret_saved(app, "", result, |app, path| {
        if let Some(c) = &mut app.session.credentials {
            c.saved_to = Some(path);
        }
        Vec::new()
    })
}

/// The secret or the client ID was copied (`confirmed`: a clipboard tool took it) or sent to
/// the terminal's clipboard, which can't be confirmed (an ID needs no confirming).
pub(crate) fn mark_copied(app: &mut App, target: CopyTarget, confirmed: bool) {
    if let Some(c) = &mut app.session.credentials {
        match target {
            CopyTarget::ClientSecret if confirmed => c.copied_secret = true,
            CopyTarget::ClientSecret => c.sent_to_terminal = true,
            CopyTarget::ClientId => c.copied_id = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{press, with_credentials};
    use crate::tui::app::{Overlay, Step};
    use crate::tui::effects::Effect;
    use crate::tui::message::CopyTarget;

    #[test]
    fn c_copies_the_secret_and_q_asks_while_it_is_not_stored() {
        let mut app = with_credentials(Step::Credentials);
        let effects = press(&mut app, KeyCode::Char('c'));
        assert!(matches!(effects.as_slice(), [Effect::Copy(CopyTarget::ClientSecret, _)]));
        press(&mut app, KeyCode::Char('q'));
        assert!(matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)));
        assert_eq!(app.exit, None);
    }
}
