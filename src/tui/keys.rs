//! The keys: one table per step (and per window over it). The handler, the key bar and the
//! help window all read these tables, so what a key does, what the bar says and what help
//! says can't drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::context::Session;

/// What a key asks for; each step decides what that means for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Enter: the step's main way forward (next field, next step, send, start, open a row).
    Enter,
    /// Esc: back, cancel, close.
    Back,
    NextField,
    PrevField,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Left,
    Right,
    /// A new line in the description.
    NewLine,
    /// Take the suggested redirect URL.
    AcceptSuggestion,
    /// Ctrl-U: clear the current line of a text field (or the scope filter).
    ClearLine,
    /// Ctrl-Z: undo in a text field.
    Undo,
    DeleteLine,
    Toggle,
    /// A printable character for the scope filter.
    Filter,
    Reveal,
    CopySecret,
    CopyId,
    CopyToken,
    CopyCurl,
    CopyUrl,
    OpenBrowser,
    ToggleQr,
    Save,
    Authorize,
    /// Authorize: sign in with the device grant (a code entered on any device); Redirect URLs:
    /// add the device-helper URLs it needs.
    DeviceLogin,
    TestScopes,
    RunAgain,
    /// Encrypt the credentials for a developer.
    HandOff,
    /// Manage: give the chosen integration a new client secret.
    RotateSecret,
    /// Manage: change the chosen integration with the create editors.
    Update,
    /// Manage: delete the chosen application.
    Delete,
    OtherToken,
    Quit,
    Help,
    /// Overlays: yes and no.
    Yes,
    No,
}

/// Which keys a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The key without Ctrl or Alt (Shift allowed: Shift-Tab, capitals).
    Plain(KeyCode),
    Ctrl(char),
    /// Any printable character without Ctrl or Alt (typing into the scope filter).
    AnyChar,
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl_or_alt = event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self {
            Key::Plain(code) => !ctrl_or_alt && event.code == code,
            Key::Ctrl(c) => {
                event.modifiers.contains(KeyModifiers::CONTROL) && event.code == KeyCode::Char(c)
            }
            Key::AnyChar => !ctrl_or_alt && matches!(event.code, KeyCode::Char(_)),
        }
    }
}

/// One row of a key table, for a table over state `S` (a step's own state, or the wizard's
/// for the keys that work everywhere and the windows).
#[derive(Debug)]
pub struct Binding<S: 'static> {
    /// The keys as the key bar and help write them.
    pub label: &'static str,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the key bar says; empty: shown in help only.
    pub bar: &'static str,
    /// What help says.
    pub help: &'static str,
    /// When the binding applies.
    pub when: fn(&S, &Session) -> bool,
}

impl<S> Clone for Binding<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Binding<S> {}

/// What the key bar and help show of a binding, and the keys it answers to.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub label: &'static str,
    pub keys: &'static [Key],
    pub action: Action,
    pub bar: &'static str,
    pub help: &'static str,
}

impl<S> Binding<S> {
    pub fn row(&self) -> Row {
        Row {
            label: self.label,
            keys: self.keys,
            action: self.action,
            bar: self.bar,
            help: self.help,
        }
    }

    /// The binding answers to `event`.
    pub fn answers(&self, event: &KeyEvent) -> bool {
        self.keys.iter().any(|k| k.matches(event))
    }
}

impl Row {
    /// The row answers to `event`.
    pub fn answers(&self, event: &KeyEvent) -> bool {
        self.keys.iter().any(|k| k.matches(event))
    }
}

/// The rows of `table` that apply now.
pub fn applying<S>(table: &'static [Binding<S>], state: &S, session: &Session) -> Vec<Row> {
    table
        .iter()
        .filter(|b| (b.when)(state, session))
        .map(Binding::row)
        .collect()
}

/// Every row of `table`, for help.
pub fn rows<S>(table: &'static [Binding<S>]) -> Vec<Row> {
    table.iter().map(Binding::row).collect()
}

pub(crate) fn always<S>(_: &S, _: &Session) -> bool {
    true
}

pub(crate) const fn bind<S>(
    label: &'static str,
    keys: &'static [Key],
    action: Action,
    bar: &'static str,
    help: &'static str,
) -> Binding<S> {
    Binding {
        label,
        keys,
        action,
        bar,
        help,
        when: always::<S>,
    }
}

/// More keys for the row above it, with another action (the second direction of a pair);
/// shown neither in the key bar nor in help, where the row above names them.
pub(crate) const fn also<S>(keys: &'static [Key], action: Action) -> Binding<S> {
    bind("", keys, action, "", "")
}

pub(crate) const fn when<S>(b: Binding<S>, when: fn(&S, &Session) -> bool) -> Binding<S> {
    Binding { when, ..b }
}

use Action as A;

use Key::{Ctrl, Plain};

pub(crate) const ENTER: &[Key] = &[Plain(KeyCode::Enter)];

pub(crate) const ESC: &[Key] = &[Plain(KeyCode::Esc)];

pub(crate) const UP_DOWN_LABEL: &str = "↑↓";

pub(crate) const UP_TABBING: &[Key] = &[Plain(KeyCode::Up), Plain(KeyCode::BackTab)];

pub(crate) const DOWN_TABBING: &[Key] = &[Plain(KeyCode::Down), Plain(KeyCode::Tab)];

/// Editing keys every text field shares.
pub(crate) const fn clear<S>() -> Binding<S> {
    bind("^U", &[Ctrl('u')], A::ClearLine, "", "clear the line")
}

pub(crate) const fn undo<S>() -> Binding<S> {
    bind("^Z", &[Ctrl('z')], A::Undo, "", "undo")
}

/// Scrolling a long text: one row in help and the key bar, four keys (list all four in a table).
pub(crate) const fn scroll<S>() -> [Binding<S>; 4] {
    [
        bind(
            UP_DOWN_LABEL,
            &[Plain(KeyCode::Up)],
            A::Up,
            "scroll",
            "scroll (also PgUp, PgDn)",
        ),
        also(&[Plain(KeyCode::Down)], A::Down),
        also(&[Plain(KeyCode::PageUp)], A::PageUp),
        also(&[Plain(KeyCode::PageDown)], A::PageDown),
    ]
}

/// Whether the keyboard is in a text field (then `?` is typed, not help).
pub struct Typing(pub bool);

fn not_typing(typing: &Typing, _: &Session) -> bool {
    !typing.0
}

/// Keys that work on every step, before the step's own.
pub const EVERYWHERE: &[Binding<Typing>] = &[
    bind(
        "^C",
        &[Ctrl('c')],
        A::Quit,
        "quit",
        "quit (asks first while a secret is not stored or a request is on its way)",
    ),
    bind(
        "F1/?",
        &[Plain(KeyCode::F(1))],
        A::Help,
        "help",
        "this help (? outside a text field)",
    ),
    when(also(&[Plain(KeyCode::Char('?'))], A::Help), not_typing),
];
