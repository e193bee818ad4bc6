//! The bot's token, shown once: masked until revealed, copied or saved, with its 0600 recovery
//! copy, and a question before quitting while it is not stored, like the client secret.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use super::quit;
use crate::bot::CreatedBot;
use crate::text::visible_line;
use crate::tui::app::{App, Overlay};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, bind};
use crate::tui::message::CopyTarget;
use crate::tui::step::Phase;
use crate::tui::update::notice;
use crate::tui::widgets::prose;

pub(crate) const TITLE: &str = "Bot token";
pub(crate) const PURPOSE: &str = "Store the bot's token now: Webex never shows it again.";
pub(crate) const PHASE: Phase = Phase::Bot;

#[expect(
    clippy::struct_excessive_bools,
    reason = "each is one thing done to keep the token, shown as its own mark"
)]
pub struct BotTokenState {
    pub bot: CreatedBot,
    pub api_base: String,
    pub recovery: Option<PathBuf>,
    pub revealed: bool,
    /// A clipboard tool confirmed the copy.
    pub copied: bool,
    /// Sent as OSC 52, unconfirmed.
    pub sent_to_terminal: bool,
    pub saved_to: Option<PathBuf>,
    pub stored_by_user: bool,
    /// Shown at start-up from an earlier session's recovery copy.
    pub recovered: bool,
}

impl BotTokenState {
    pub fn new(bot: CreatedBot, api_base: String, recovery: Option<PathBuf>) -> Self {
        BotTokenState {
            bot,
            api_base,
            recovery,
            revealed: false,
            copied: false,
            sent_to_terminal: false,
            saved_to: None,
            stored_by_user: false,
            recovered: false,
        }
    }

    pub fn is_stored(&self) -> bool {
        self.copied || self.saved_to.is_some() || self.stored_by_user
    }
}

pub(crate) const KEYS: &[Binding] = &[
    bind("r", &[Plain(KeyCode::Char('r'))], A::Reveal, "reveal", "reveal or hide the bot token"),
    bind("c", &[Plain(KeyCode::Char('c'))], A::CopyToken, "copy token", "copy the bot token"),
    bind("s", &[Plain(KeyCode::Char('s'))], A::Save, "save", "save the bot and its token to a 0600 file"),
    bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit (asks while the token is not stored)"),
];

pub(crate) fn on_key(app: &mut App, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
    let Some(b) = &mut app.bot_token else {
        return Vec::new();
    };
    match action {
        Some(Action::Reveal) => b.revealed = !b.revealed,
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
            app.bot_token = None;
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
    let t = app.theme;
    let Some(b) = &app.bot_token else {
        return;
    };
    let token = if b.revealed {
        Span::styled(b.bot.bot_token.expose_secret().to_owned(), t.secret())
    } else {
        Span::styled("•".repeat(24) + "  (r reveals)", t.secret())
    };
    let mark = |done: bool, what: &str| {
        Span::styled(format!("{} {what}   ", if done { "✔" } else { "·" }), if done { t.ok() } else { t.dim() })
    };
    // An unconfirmed terminal copy reads "?" here as on the other secret screens, never "✔".
    let unconfirmed = |what: &str| Span::styled(format!("? {what}   "), t.warning());
    let mut lines = Vec::new();
    if b.recovered {
        lines.push(Line::styled(
            "Recovered from an earlier session: this bot token was never stored.",
            t.warning(),
        ));
    }
    lines.extend([
        Line::styled(
            format!("✔ Created the bot \"{}\"", visible_line(b.bot.name.as_deref().unwrap_or(""))),
            t.ok(),
        ),
        Line::raw(""),
        Line::from(vec![Span::raw("Bot e-mail  "), Span::raw(visible_line(b.bot.bot_email.as_deref().unwrap_or("")))]),
        Line::from(vec![Span::raw("Bot token   "), token]),
        Line::raw(""),
        Line::styled(
            if b.is_stored() {
                "The token is stored.".to_owned()
            } else {
                "⚠ Webex shows this token only once. Save it (s) or copy it (c) now.".to_owned()
            },
            if b.is_stored() { t.ok() } else { t.warning() },
        ),
        Line::from(vec![
            if b.sent_to_terminal && !b.copied {
                unconfirmed("token sent to the terminal (unconfirmed)")
            } else {
                mark(b.copied, "token copied")
            },
            mark(b.saved_to.is_some(), "saved"),
        ]),
    ]);
    if let (Some(path), false) = (&b.recovery, b.is_stored()) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Until it is stored, a 0600 recovery copy waits in {}", path.display()),
            t.dim(),
        ));
    }
    frame.render_widget(prose(lines), area);
}
