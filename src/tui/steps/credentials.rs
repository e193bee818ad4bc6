//! Step 7, Credentials: the client ID and the one-time secret, until it is stored.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::{ExposeSecret, SecretString};

use crate::tui::context::{Cx, Intent, Overlay, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::secret_panel::{Kept, SecretPanel, checklist, path_lines};

pub use crate::tui::delivery::CredentialsState;

/// The step shows the session's credentials and keeps nothing of its own.
#[derive(Debug, Default)]
pub struct State;

fn recovered(_: &State, session: &Session) -> bool {
    session.credentials.as_ref().is_some_and(|c| c.recovered)
}

fn not_recovered(state: &State, session: &Session) -> bool {
    !recovered(state, session)
}

fn secret_shown(_: &State, session: &Session) -> bool {
    session.credentials.as_ref().is_some_and(|c| c.revealed)
}

fn secret_hidden(state: &State, session: &Session) -> bool {
    !secret_shown(state, session)
}

/// The secret on screen is a new one for an existing integration (from Manage).
fn rotated(_: &State, session: &Session) -> bool {
    session.intent == Intent::Manage && session.credentials.as_ref().is_some_and(|c| !c.recovered)
}

impl StepState for State {
    const TITLE: &'static str = "Credentials";
    const PURPOSE: &'static str = "Store the secret now: Webex never shows it again.";
    const PHASE: Phase = Phase::Both;
    const KEYS: &'static [Binding<Self>] = &[
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

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        if action == Some(Action::Back) && rotated(self, cx.session) {
            // The secret stays here (and in its recovery copy) until it is stored; quitting
            // asks.
            cx.go(Step::Manage);
            return Vec::new();
        }
        let Some(c) = &mut cx.session.credentials else {
            return Vec::new();
        };
        match action {
            Some(Action::Reveal) => c.revealed = !c.revealed,
            Some(Action::CopySecret) => {
                return vec![Effect::Copy(
                    CopyTarget::ClientSecret,
                    c.saved.integration.client_secret.clone(),
                )];
            }
            Some(Action::CopyId) => {
                return vec![Effect::Copy(
                    CopyTarget::ClientId,
                    SecretString::from(c.saved.integration.client_id.clone()),
                )];
            }
            Some(Action::Save) => match &c.saved_to {
                Some(path) => {
                    let text = format!("Already saved to {}.", path.display());
                    cx.notify(text);
                }
                None => return vec![Effect::SaveCredentials(Box::new(c.saved.clone()))],
            },
            Some(Action::HandOff) => cx.ask(Request::Open(Step::HandOff)),
            Some(Action::Authorize) if !c.is_stored() => cx.open(Overlay::ConfirmAuthorize),
            Some(Action::Authorize) => cx.ask(Request::Open(Step::Authorize)),
            Some(Action::Quit) if !c.is_stored() => cx.open(Overlay::ConfirmQuit),
            Some(Action::Quit) if c.recovered => {
                let done = c.recovery.clone();
                cx.ask(Request::DoneWithRecovered);
                return done.map(Effect::RemoveRecovery).into_iter().collect();
            }
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

/// What the secret's panel holds: the client ID, the secret (masked until revealed), the
/// warning or the all-clear, and what was done to keep it.
fn panel_lines(
    t: crate::tui::theme::Theme,
    c: &CredentialsState,
    inner: usize,
) -> Vec<Line<'static>> {
    let integration = &c.saved.integration;
    let secret = if c.revealed {
        Span::styled(
            crate::text::visible_line(integration.client_secret.expose_secret()),
            t.secret(),
        )
    } else {
        Span::styled("•".repeat(24) + "  (r reveals)", t.secret())
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
            if c.copied_id {
                Kept::Done("ID copied")
            } else {
                Kept::ToDo("copy ID (i)")
            },
            if c.saved_to.is_some() {
                Kept::Done("saved")
            } else {
                Kept::ToDo("save (s)")
            },
            if c.handed_off.is_some() {
                Kept::Done("handed off")
            } else {
                Kept::ToDo("hand off (h)")
            },
        ],
        inner,
        t,
    ));
    for (label, path) in [
        ("saved to ", &c.saved_to),
        ("handed off to ", &c.handed_off),
    ] {
        if let Some(path) = path {
            inside.extend(path_lines(label, path, inner, t));
        }
    }
    inside
}

fn draw(state: &State, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let Some(c) = &session.credentials else {
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
        } else if rotated(state, session) {
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
    if let (Some(path), false) = (&c.recovery, c.is_stored()) {
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
        inside: panel_lines(t, c, usize::from(area.width.saturating_sub(6).max(1))),
        below,
        stored: c.is_stored(),
        what: "secret",
    }
    .render(frame, area, t);
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
        assert!(matches!(
            effects.as_slice(),
            [Effect::Copy(CopyTarget::ClientSecret, _)]
        ));
        press(&mut app, KeyCode::Char('q'));
        assert!(matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)));
        assert_eq!(app.exit, None);
    }
}
