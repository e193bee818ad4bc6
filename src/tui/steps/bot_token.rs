//! The bot's token, shown once: masked until revealed, copied or saved, with its 0600 recovery
//! copy, and a question before quitting while it is not stored, like the client secret.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use crate::text::visible_line;
use crate::tui::context::{Cx, Overlay, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::secret_panel::{Kept, SecretPanel, checklist, path_lines};

pub use crate::tui::delivery::BotTokenState;

/// The step shows the session's bot and token and keeps nothing of its own.
#[derive(Debug, Default)]
pub struct State;

fn token_shown(_: &State, session: &Session) -> bool {
    session.bot_token.as_ref().is_some_and(|b| b.revealed)
}

fn token_hidden(state: &State, session: &Session) -> bool {
    !token_shown(state, session)
}

impl StepState for State {
    const TITLE: &'static str = "Bot token";
    const PURPOSE: &'static str = "Store the bot's token now: Webex never shows it again.";
    const PHASE: Phase = Phase::Bot;
    const KEYS: &'static [Binding<Self>] = &[
        when(
            bind(
                "r",
                &[Plain(KeyCode::Char('r'))],
                A::Reveal,
                "reveal",
                "reveal or hide the bot token",
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
            "copy token",
            "copy the bot token",
        ),
        bind(
            "s",
            &[Plain(KeyCode::Char('s'))],
            A::Save,
            "save",
            "save the bot and its token \
            to a 0600 file",
        ),
        bind(
            "h",
            &[Plain(KeyCode::Char('h'))],
            A::HandOff,
            "hand off",
            "encrypt the bot and \
            its token for a developer's public key",
        ),
        bind(
            "q",
            &[Plain(KeyCode::Char('q'))],
            A::Quit,
            "quit",
            "quit (asks while the token \
            is not stored)",
        ),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        let Some(b) = &mut cx.session.bot_token else {
            return Vec::new();
        };
        match action {
            Some(Action::Reveal) => b.revealed = !b.revealed,
            Some(Action::HandOff) => cx.ask(Request::Open(Step::HandOff)),
            Some(Action::CopyToken) => {
                return vec![Effect::Copy(CopyTarget::BotToken, b.bot.bot_token.clone())];
            }
            Some(Action::Save) => {
                if let Some(path) = &b.saved_to {
                    let text = format!("Already saved to {}.", path.display());
                    cx.notify(text);
                    return Vec::new();
                }
                return vec![Effect::SaveBot(Box::new((
                    b.bot.clone(),
                    b.api_base.clone(),
                )))];
            }
            Some(Action::Quit) if !b.is_stored() => cx.open(Overlay::ConfirmQuit),
            // Recovered and now stored: its recovery copy has done its job; on to the first
            // screen.
            Some(Action::Quit) if b.recovered => {
                let done = b.recovery.clone();
                cx.session.bot_token = None;
                cx.enter(Step::Start);
                cx.notify("The recovered bot token is stored; its recovery copy is removed.");
                return done.map(Effect::RemoveRecovery).into_iter().collect();
            }
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
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
    let Some(b) = &session.bot_token else {
        return;
    };
    let token = if b.revealed {
        Span::styled(visible_line(b.bot.bot_token.expose_secret()), t.secret())
    } else {
        Span::styled("•".repeat(24) + "  (r reveals)", t.secret())
    };
    let mut above = Vec::new();
    if b.recovered {
        above.push(Line::styled(
            format!(
                "Recovered from an earlier session, for {}: this bot token was never stored.",
                visible_line(&b.api_base)
            ),
            t.warning(),
        ));
    }
    let name = visible_line(b.bot.name.as_deref().unwrap_or(""));
    above.push(Line::styled(
        format!("✔ Created the bot \"{name}\""),
        t.ok(),
    ));
    // Inside the panel: its border (2) and padding (2).
    let inner = usize::from(area.width.saturating_sub(6).max(1));
    let mut inside = vec![
        Line::from(vec![
            Span::styled("Bot e-mail  ", t.dim()),
            Span::raw(visible_line(b.bot.bot_email.as_deref().unwrap_or(""))),
        ]),
        Line::from(vec![Span::styled("Bot token   ", t.dim()), token]),
        Line::raw(""),
        if b.is_stored() {
            Line::styled(
                "✔ The token is stored. Webex will never show it again.",
                t.ok(),
            )
        } else {
            Line::styled(
                "⚠ Webex shows this token only once. Save it (s) or copy it (c) now.",
                t.warning(),
            )
        },
    ];
    inside.extend(checklist(
        &[
            if b.copied {
                Kept::Done("token copied")
            } else if b.sent_to_terminal {
                Kept::Unconfirmed("token sent to the terminal (unconfirmed)")
            } else {
                Kept::ToDo("copy token (c)")
            },
            if b.saved_to.is_some() {
                Kept::Done("saved")
            } else {
                Kept::ToDo("save (s)")
            },
            if b.handed_off.is_some() {
                Kept::Done("handed off")
            } else {
                Kept::ToDo("hand off (h)")
            },
        ],
        inner,
        t,
    ));
    for (label, path) in [
        ("saved to ", &b.saved_to),
        ("handed off to ", &b.handed_off),
    ] {
        if let Some(path) = path {
            inside.extend(path_lines(label, path, inner, t));
        }
    }
    let mut below = vec![Line::styled(
        "People add the bot to a space by its e-mail; the token is what your code sends.",
        t.dim(),
    )];
    if let (Some(path), false) = (&b.recovery, b.is_stored()) {
        below.push(Line::raw(""));
        below.extend(path_lines(
            "Until it is stored, a 0600 recovery copy waits in ",
            path,
            usize::from(area.width),
            t,
        ));
    }
    SecretPanel {
        above,
        inside,
        below,
        stored: b.is_stored(),
        what: "token",
    }
    .render(frame, area, t);
}
