//! The bot's token, shown once: masked until revealed, copied or saved, with its 0600 recovery
//! copy, and a question before quitting while it is not stored, like the client secret.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use super::quit;
use crate::text::visible_line;
use crate::tui::app::{App, Overlay};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, bind, when};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::update::notice;
use crate::tui::widgets::secret_panel::{Kept, SecretPanel, checklist, path_lines};
pub use crate::tui::delivery::BotTokenState;

pub(crate) const TITLE: &str = "Bot token";
pub(crate) const PURPOSE: &str = "Store the bot's token now: Webex never shows it again.";
pub(crate) const PHASE: Phase = Phase::Bot;


fn token_shown(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.bot_token.as_ref().is_some_and(|b| b.revealed)
}

fn token_hidden(app: &App, _: &crate::tui::context::Session) -> bool {
    !token_shown(app, &app.session)
}

pub(crate) const KEYS: &[Binding] = &[
    when(bind("r", &[Plain(KeyCode::Char('r'))], A::Reveal, "reveal", "reveal or hide the bot token"), token_hidden),
    when(bind("r", &[Plain(KeyCode::Char('r'))], A::Reveal, "hide", ""), token_shown),
    bind("c", &[Plain(KeyCode::Char('c'))], A::CopyToken, "copy token", "copy the bot token"),
    bind("s", &[Plain(KeyCode::Char('s'))], A::Save, "save", "save the bot and its token to a 0600 file"),
    bind("h", &[Plain(KeyCode::Char('h'))], A::HandOff, "hand off", "encrypt the bot and its token for a developer's public key"),
    bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit (asks while the token is not stored)"),
];

pub(crate) fn on_key(app: &mut App, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
    let Some(b) = &mut app.session.bot_token else {
        return Vec::new();
    };
    match action {
        Some(Action::Reveal) => b.revealed = !b.revealed,
        Some(Action::HandOff) => return super::hand_off::open(app, crate::tui::app::Step::BotToken),
        Some(Action::CopyToken) => {
            return vec![Effect::Copy(CopyTarget::BotToken, b.bot.bot_token.clone())];
        }
        Some(Action::Save) => {
            if let Some(path) = &b.saved_to {
                let text = format!("Already saved to {}.", path.display());
                notice(app, text);
                return Vec::new();
            }
            return vec![Effect::SaveBot(Box::new((
                b.bot.clone(),
                b.api_base.clone(),
            )))];
        }
        Some(Action::Quit) if !b.is_stored() => app.overlays.push(Overlay::ConfirmQuit),
        // Recovered and now stored: its recovery copy has done its job; on to the first screen.
        Some(Action::Quit) if b.recovered => {
            let done = b.recovery.clone();
            app.session.bot_token = None;
            app.enter(crate::tui::app::Step::Start);
            notice(app, "The recovered bot token is stored; its recovery copy is removed.");
            return done.map(Effect::RemoveRecovery).into_iter().collect();
        }
        Some(Action::Quit) => return quit(app),
        _ => {}
    }
    Vec::new()
}

pub(crate) fn on_paste(_app: &mut App, _text: &str) -> Vec<Effect> {
    Vec::new()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let Some(b) = &app.session.bot_token else {
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
    above.push(Line::styled(format!("✔ Created the bot \"{name}\""), t.ok()));
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
            Line::styled("✔ The token is stored. Webex will never show it again.", t.ok())
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
                if b.saved_to.is_some() { Kept::Done("saved") } else { Kept::ToDo("save (s)") },
                if b.handed_off.is_some() { Kept::Done("handed off") } else { Kept::ToDo("hand off (h)") },
            ],
            inner,
            t,
        ));
    for (label, path) in [("saved to ", &b.saved_to), ("handed off to ", &b.handed_off)] {
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
    SecretPanel { above, inside, below, stored: b.is_stored(), what: "token" }.render(frame, area, t);
}

/// The bot and its token were saved (or not).
pub(crate) fn on_saved(app: &mut App, result: Result<PathBuf, crate::files::SaveError>) -> Vec<Effect> {
    super::on_secret_saved(app, "", result, |session, path| {
        if let Some(b) = &mut session.bot_token {
            b.saved_to = Some(path);
        }
        Vec::new()
    })
}

