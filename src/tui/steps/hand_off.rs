//! Hand off (h on the Credentials or Bot token screen): the credentials, or the bot and its
//! token, encrypted for a developer, to a pasted recipient (age1…, ssh-ed25519 …, ssh-rsa …) or
//! one of the `.pub` files in `~/.ssh`. A hand-off written counts as the secret being stored.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;

use crate::tui::context::{Cx, Session, Step};
use crate::tui::effect::{Effect, HandOffOf};
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, clear, undo};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{FieldView, prose, single_line, type_into};

pub type State = HandOffState;

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

impl StepState for HandOffState {
    const TITLE: &'static str = "Hand off";
    const PURPOSE: &'static str =
        "Encrypt the one-time secret for a developer's public key (age format).";
    /// Its own line (Credentials › Hand off), drawn by the view; never in the create line.
    const PHASE: Phase = Phase::Choose;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "Enter",
            &[Plain(KeyCode::Enter)],
            A::Enter,
            "hand off",
            "encrypt to the pasted key or the chosen file",
        ),
        bind(
            "↑↓",
            &[Plain(KeyCode::Up)],
            A::Up,
            "choose",
            "the pasted key, or one of ~/.ssh/*.pub",
        ),
        bind("", &[Plain(KeyCode::Down)], A::Down, "", "the next choice"),
        clear(),
        undo(),
        bind("Esc", ESC, A::Back, "back", "back to the secret's screen"),
    ];

    /// Opened from the Credentials or the Bot token screen: what that screen holds is what
    /// is handed off.
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        cx.go(step);
        *self = HandOffState {
            keys: ssh_public_keys(),
            from: cx.on_screen,
            ..HandOffState::default()
        };
        Vec::new()
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        if self.writing {
            return Vec::new();
        }
        match action {
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(self.keys.len()),
            Some(Action::Back) => cx.go(self.from),
            Some(Action::Enter) => {
                let recipient = match self.cursor {
                    0 => self.input.lines().join("").trim().to_owned(),
                    i => self.keys[i - 1].display().to_string(),
                };
                if recipient.is_empty() {
                    cx.problem("Paste a public key, or choose a .pub file with ↓.");
                    return Vec::new();
                }
                let Some(of) = self.subject(cx.session) else {
                    return Vec::new();
                };
                self.writing = true;
                return vec![Effect::HandOff { recipient, of }];
            }
            other if self.cursor == 0 => type_into(&mut self.input, other, key),
            _ => {}
        }
        Vec::new()
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        self.cursor = 0;
        self.input
            .insert_str(text.replace(['\r', '\n'], " ").trim());
        Vec::new()
    }

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        (self.cursor == 0).then_some(&self.input)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

impl HandOffState {
    /// What the screen it came from holds: the credentials, or the bot and its token.
    fn subject(&self, session: &Session) -> Option<HandOffOf> {
        if self.from == Step::BotToken {
            let b = session.bot_token.as_ref()?;
            Some(HandOffOf::Bot(Box::new((
                b.bot.clone(),
                b.api_base.clone(),
            ))))
        } else {
            let c = session.credentials.as_ref()?;
            Some(HandOffOf::Credentials(Box::new(c.saved.clone())))
        }
    }

    /// The hand-off was written (or not).
    pub(crate) fn on_written(
        &mut self,
        cx: &mut Cx,
        result: Result<(PathBuf, String), String>,
    ) -> Vec<Effect> {
        self.writing = false;
        match result {
            Ok((path, fingerprint)) => {
                if self.from == Step::BotToken {
                    if let Some(b) = &mut cx.session.bot_token {
                        b.handed_off = Some(path.clone());
                    }
                } else if let Some(c) = &mut cx.session.credentials {
                    c.handed_off = Some(path.clone());
                }
                cx.go(self.from);
                cx.notify(format!(
                    "Handed off: {} (age, mode 0600) for {fingerprint}. The developer reads \
                        it with age -d -i KEY.",
                    path.display()
                ));
            }
            Err(e) => cx.problem(format!("Not handed off: {e}")),
        }
        Vec::new()
    }
}

fn draw(h: &HandOffState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
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
            Span::styled(
                crate::text::visible_line(&k.display().to_string()),
                if on {
                    t.title()
                } else {
                    ratatui::style::Style::default()
                },
            ),
        ]));
    }
    frame.render_widget(prose(lines), list);
}
