//! Hand off (h on the Credentials or Bot token screen): the credentials, or the bot and its
//! token, encrypted for a developer, to a pasted recipient (age1…, ssh-ed25519 …, ssh-rsa …) or
//! one of the `.pub` files in `~/.ssh`. A hand-off written counts as the secret being stored.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;

use super::{go, type_into};
use crate::tui::app::{App, Step, single_line};
use crate::tui::effects::{Effect, HandOffOf};
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, clear, ESC, undo, bind};
use crate::tui::phase::Phase;
use crate::tui::update::problem;
use crate::tui::widgets::{FieldView, prose};

pub(crate) const TITLE: &str = "Hand off";
pub(crate) const PURPOSE: &str = "Encrypt the one-time secret for a developer's public key (age format).";
/// Its own line (Credentials › Hand off), drawn by the view; never in the create line.
pub(crate) const PHASE: Phase = Phase::Choose;

pub struct HandOffState {
    pub input: TextArea<'static>,
    /// The `.pub` files in `~/.ssh`.
    pub keys: Vec<PathBuf>,
    /// 0: the pasted recipient; 1 and on: a key file.
    pub cursor: usize,
    pub writing: bool,
    /// The screen it was opened from (Credentials or Bot token), and what it hands off.
    pub from: Step,
}

impl Default for HandOffState {
    fn default() -> Self {
        HandOffState {
            input: single_line("", "paste age1… or ssh-ed25519 … (a public key)"),
            keys: Vec::new(),
            cursor: 0,
            writing: false,
            from: Step::Credentials,
        }
    }
}

/// The `.pub` files in `~/.ssh`, sorted.
fn ssh_public_keys() -> Vec<PathBuf> {
    let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().join(".ssh")) else {
        return Vec::new();
    };
    let mut keys: Vec<PathBuf> = std::fs::read_dir(home)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pub") && p.is_file())
        .collect();
    keys.sort();
    keys
}

pub(crate) const KEYS: &[Binding] = &[
    bind("Enter", &[Plain(KeyCode::Enter)], A::Enter, "hand off", "encrypt to the pasted key or the chosen file"),
    bind("↑↓", &[Plain(KeyCode::Up)], A::Up, "choose", "the pasted key, or one of ~/.ssh/*.pub"),
    bind("", &[Plain(KeyCode::Down)], A::Down, "", "the next choice"),
    clear(),
    undo(),
    bind("Esc", ESC, A::Back, "back", "back to the secret's screen"),
];

/// Open the step from the Credentials or the Bot token screen.
pub(crate) fn open(app: &mut App, from: Step) -> Vec<Effect> {
    *app.hand_off = HandOffState {
        keys: ssh_public_keys(),
        from,
        ..HandOffState::default()
    };
    go(app, Step::HandOff)
}

/// What the screen it came from holds: the credentials, or the bot and its token.
fn subject(app: &App) -> Option<HandOffOf> {
    if app.hand_off.from == Step::BotToken {
        let b = app.session.bot_token.as_ref()?;
        Some(HandOffOf::Bot(Box::new((b.bot.clone(), b.api_base.clone()))))
    } else {
        let c = app.session.credentials.as_ref()?;
        Some(HandOffOf::Credentials(Box::new(c.saved.clone())))
    }
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let h = &mut app.hand_off;
    if h.writing {
        return Vec::new();
    }
    match action {
        Some(Action::Up) => h.cursor = h.cursor.saturating_sub(1),
        Some(Action::Down) => h.cursor = (h.cursor + 1).min(h.keys.len()),
        Some(Action::Back) => {
            let from = h.from;
            return go(app, from);
        }
        Some(Action::Enter) => {
            let recipient = match h.cursor {
                0 => h.input.lines().join("").trim().to_owned(),
                i => h.keys[i - 1].display().to_string(),
            };
            if recipient.is_empty() {
                problem(app, "Paste a public key, or choose a .pub file with ↓.");
                return Vec::new();
            }
            let Some(of) = subject(app) else {
                return Vec::new();
            };
            app.hand_off.writing = true;
            return vec![Effect::HandOff { recipient, of }];
        }
        other if h.cursor == 0 => type_into(&mut h.input, other, key),
        _ => {}
    }
    Vec::new()
}

pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    app.hand_off.cursor = 0;
    app.hand_off.input.insert_str(text.replace(['\r', '\n'], " ").trim());
    Vec::new()
}

/// The hand-off was written (or not).
pub(crate) fn on_written(app: &mut App, result: Result<(PathBuf, String), String>) -> Vec<Effect> {
    app.hand_off.writing = false;
    match result {
        Ok((path, fingerprint)) => {
            let from = app.hand_off.from;
            if from == Step::BotToken {
                if let Some(b) = &mut app.session.bot_token {
                    b.handed_off = Some(path.clone());
                }
            } else if let Some(c) = &mut app.session.credentials {
                c.handed_off = Some(path.clone());
            }
            let effects = go(app, from);
            crate::tui::update::notice(
                app,
                format!("Handed off: {} (age, mode 0600) for {fingerprint}. The developer reads it with age -d -i KEY.", path.display()),
            );
            effects
        }
        Err(e) => {
            problem(app, format!("Not handed off: {e}"));
            Vec::new()
        }
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let h = &app.hand_off;
    let [field, list] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
    FieldView {
        label: "Public key",
        input: &h.input,
        focused: h.cursor == 0,
        problem: None,
        hint: "An age recipient or an SSH public key line; ↓ picks a file instead.",
        theme: t,
    }
    .render(field, frame.buffer_mut());
    let mut lines = vec![Line::styled(
        if h.keys.is_empty() {
            "No .pub files in ~/.ssh.".to_owned()
        } else {
            "Or one of your SSH public keys:".to_owned()
        },
        t.dim(),
    )];
    for (i, k) in h.keys.iter().enumerate() {
        let on = h.cursor == i + 1;
        lines.push(Line::from(vec![
            Span::styled(if on { "▸ " } else { "  " }, t.title()),
            Span::styled(crate::text::visible_line(&k.display().to_string()), if on { t.title() } else { ratatui::style::Style::default() }),
        ]));
    }
    frame.render_widget(prose(lines), list);
}
