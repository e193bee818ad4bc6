//! The keys: one table per step (and per window over it). The handler, the key bar and the
//! help window all read these tables, so what a key does, what the bar says and what help
//! says can't drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, AuthPhase, Overlay, Step, TokenStatus};

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
    TestScopes,
    RunAgain,
    OtherToken,
    Quit,
    Help,
    /// Overlays: yes, no, and "I have stored the secret".
    Yes,
    No,
    Stored,
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

/// One row of a key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys as the key bar and help write them.
    pub label: &'static str,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the key bar says; empty: shown in help only.
    pub bar: &'static str,
    /// What help says.
    pub help: &'static str,
    /// When the binding applies.
    pub when: fn(&App) -> bool,
}

fn always(_: &App) -> bool {
    true
}

const fn bind(
    label: &'static str,
    keys: &'static [Key],
    action: Action,
    bar: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        label,
        keys,
        action,
        bar,
        help,
        when: always,
    }
}

/// More keys for the row above it, with another action (the second direction of a pair);
/// shown neither in the key bar nor in help, where the row above names them.
const fn also(keys: &'static [Key], action: Action) -> Binding {
    bind("", keys, action, "", "")
}

const fn when(b: Binding, when: fn(&App) -> bool) -> Binding {
    Binding { when, ..b }
}

use Action as A;
use Key::{Ctrl, Plain};

const ENTER: &[Key] = &[Plain(KeyCode::Enter)];
const ESC: &[Key] = &[Plain(KeyCode::Esc)];
const UP_DOWN_LABEL: &str = "↑↓";
const UP_TABBING: &[Key] = &[Plain(KeyCode::Up), Plain(KeyCode::BackTab)];
const DOWN_TABBING: &[Key] = &[Plain(KeyCode::Down), Plain(KeyCode::Tab)];

/// Editing keys every text field shares.
const CLEAR: Binding = bind("^U", &[Ctrl('u')], A::ClearLine, "", "clear the line");
const UNDO: Binding = bind("^Z", &[Ctrl('z')], A::Undo, "", "undo");

fn details_description(app: &App) -> bool {
    app.details.focus == 1
}
fn details_last(app: &App) -> bool {
    app.details.focus == 3
}
fn details_middle(app: &App) -> bool {
    !details_description(app) && !details_last(app)
}

fn connect_typing(app: &App) -> bool {
    app.connect_wants_token()
}
fn connect_valid(app: &App) -> bool {
    matches!(app.connect.status, TokenStatus::Valid(_))
}
fn connect_has_previous(app: &App) -> bool {
    app.connect_wants_token() && app.connect.previous.is_some()
}

const CONNECT: &[Binding] = &[
    when(
        bind("Enter", ENTER, A::Enter, "check token", "check the token"),
        connect_typing,
    ),
    when(
        bind(
            "Esc",
            ESC,
            A::Back,
            "keep the earlier token",
            "go back to the token checked before",
        ),
        connect_has_previous,
    ),
    when(CLEAR, connect_typing),
    when(UNDO, connect_typing),
    when(
        bind("Enter", ENTER, A::Enter, "continue", "go on to the details"),
        connect_valid,
    ),
    when(
        bind(
            "t",
            &[Plain(KeyCode::Char('t'))],
            A::OtherToken,
            "use another token",
            "paste another admin token",
        ),
        connect_valid,
    ),
];

const DETAILS: &[Binding] = &[
    bind(
        "Tab/S-Tab",
        &[Plain(KeyCode::Tab)],
        A::NextField,
        "field",
        "next / previous field",
    ),
    also(&[Plain(KeyCode::BackTab)], A::PrevField),
    when(
        bind(
            "Enter",
            ENTER,
            A::NewLine,
            "new line",
            "in Description: a new line (Tab leaves)",
        ),
        details_description,
    ),
    when(
        bind("Enter", ENTER, A::Enter, "next field", "next field"),
        details_middle,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "next step",
            "on the last field: the redirect URLs",
        ),
        details_last,
    ),
    bind(
        "Esc",
        ESC,
        A::Back,
        "back",
        "previous step (nothing typed is lost)",
    ),
    CLEAR,
    UNDO,
];

fn redirect_suggestion(app: &App) -> bool {
    app.redirect_suggestion().is_some()
}

const REDIRECTS: &[Binding] = &[
    when(
        bind(
            "→",
            &[Plain(KeyCode::Right)],
            A::AcceptSuggestion,
            "use suggestion",
            "on an empty line: take the suggested http://localhost:8080/callback",
        ),
        redirect_suggestion,
    ),
    bind(
        "Enter",
        ENTER,
        A::Enter,
        "add · on empty: next",
        "on a filled line: add a line below; on an empty line: the scopes",
    ),
    bind(
        "Esc",
        ESC,
        A::Back,
        "back",
        "previous step (nothing typed is lost)",
    ),
    bind(
        UP_DOWN_LABEL,
        UP_TABBING,
        A::Up,
        "line",
        "previous / next line (also Shift-Tab, Tab)",
    ),
    also(DOWN_TABBING, A::Down),
    bind(
        "^D",
        &[Ctrl('d')],
        A::DeleteLine,
        "delete",
        "delete the line",
    ),
    CLEAR,
    UNDO,
];

const SCOPES: &[Binding] = &[
    bind(
        "Space",
        &[Plain(KeyCode::Char(' '))],
        A::Toggle,
        "toggle",
        "choose or drop the highlighted scope or preset",
    ),
    bind(
        "type",
        &[Key::AnyChar, Plain(KeyCode::Backspace)],
        A::Filter,
        "filter",
        "filter by name and summary (Backspace edits)",
    ),
    bind(
        UP_DOWN_LABEL,
        UP_TABBING,
        A::Up,
        "move",
        "previous / next scope (also Shift-Tab, Tab)",
    ),
    also(DOWN_TABBING, A::Down),
    bind(
        "PgUp/PgDn",
        &[Plain(KeyCode::PageUp)],
        A::PageUp,
        "",
        "ten scopes up / down",
    ),
    also(&[Plain(KeyCode::PageDown)], A::PageDown),
    bind(
        "Home/End",
        &[Plain(KeyCode::Home)],
        A::Home,
        "",
        "first / last scope",
    ),
    also(&[Plain(KeyCode::End)], A::End),
    bind("^U", &[Ctrl('u')], A::ClearLine, "", "clear the filter"),
    bind("Enter", ENTER, A::Enter, "review", "go on to the review"),
    bind(
        "Esc",
        ESC,
        A::Back,
        "back",
        "previous step (the filter is kept)",
    ),
];

const REVIEW: &[Binding] = &[
    bind(
        "Enter",
        ENTER,
        A::Enter,
        "send",
        "send the request (nothing is sent before)",
    ),
    bind(
        "y",
        &[Plain(KeyCode::Char('y'))],
        A::CopyCurl,
        "copy cURL",
        "copy the exact cURL command",
    ),
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
    bind(
        "←→",
        &[Plain(KeyCode::Left)],
        A::Left,
        "",
        "scroll sideways along long lines",
    ),
    also(&[Plain(KeyCode::Right)], A::Right),
    bind("Esc", ESC, A::Back, "back", "previous step"),
];

fn create_failed(app: &App) -> bool {
    app.create_failure().is_some()
}
fn failed_with_401(app: &App) -> bool {
    app.api_failure().is_some_and(|f| f.status == 401)
}
fn failed_on_a_field(app: &App) -> bool {
    app.failed_field().is_some()
}
fn failed_otherwise(app: &App) -> bool {
    create_failed(app) && !failed_with_401(app) && !failed_on_a_field(app)
}

const CREATING: &[Binding] = &[
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "enter a fresh token",
            "after a 401: paste a fresh admin token, then back to the review",
        ),
        failed_with_401,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "fix the field",
            "after a refusal naming a field: go to that field",
        ),
        failed_on_a_field,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "back to review",
            "back to the review",
        ),
        failed_otherwise,
    ),
    when(
        bind("Esc", ESC, A::Back, "review", "back to the review"),
        create_failed,
    ),
];

fn recovered(app: &App) -> bool {
    app.credentials.as_ref().is_some_and(|c| c.recovered)
}
fn not_recovered(app: &App) -> bool {
    !recovered(app)
}

const CREDENTIALS: &[Binding] = &[
    bind(
        "r",
        &[Plain(KeyCode::Char('r'))],
        A::Reveal,
        "reveal",
        "reveal or hide the secret",
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
            "q",
            &[Plain(KeyCode::Char('q'))],
            A::Quit,
            "quit",
            "quit (asks while the secret is not stored)",
        ),
        not_recovered,
    ),
];

fn auth_phase(app: &App) -> Option<&AuthPhase> {
    app.authorize.as_ref().map(|a| &a.phase)
}
fn auth_choosing(app: &App) -> bool {
    matches!(auth_phase(app), Some(AuthPhase::Choose) | None)
}
fn auth_listening(app: &App) -> bool {
    matches!(
        auth_phase(app),
        Some(AuthPhase::Waiting { loopback: true, .. })
    )
}
fn auth_pasting(app: &App) -> bool {
    matches!(
        auth_phase(app),
        Some(AuthPhase::Waiting {
            loopback: false,
            ..
        })
    )
}
fn auth_failed(app: &App) -> bool {
    matches!(auth_phase(app), Some(AuthPhase::Failed(_)))
}

const AUTHORIZE: &[Binding] = &[
    when(
        bind(
            UP_DOWN_LABEL,
            UP_TABBING,
            A::Up,
            "move",
            "before starting: previous / next row",
        ),
        auth_choosing,
    ),
    when(also(DOWN_TABBING, A::Down), auth_choosing),
    when(
        bind(
            "Space",
            &[Plain(KeyCode::Char(' '))],
            A::Toggle,
            "choose/toggle",
            "choose the redirect URL, or ask for a scope or not",
        ),
        auth_choosing,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "authorize",
            "open the browser and wait for its answer",
        ),
        auth_choosing,
    ),
    when(
        bind("Esc", ESC, A::Back, "back", "back to the credentials"),
        auth_choosing,
    ),
    when(
        bind(
            "c",
            &[Plain(KeyCode::Char('c')), Plain(KeyCode::Char('y'))],
            A::CopyUrl,
            "copy URL",
            "while listening: copy the address",
        ),
        auth_listening,
    ),
    when(
        bind(
            "o",
            &[Plain(KeyCode::Char('o'))],
            A::OpenBrowser,
            "open browser",
            "while listening: open the browser again",
        ),
        auth_listening,
    ),
    when(
        bind("Esc", ESC, A::Back, "cancel", "cancel the authorization"),
        auth_listening,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "submit",
            "while pasting: submit the address the browser landed on",
        ),
        auth_pasting,
    ),
    when(
        bind(
            "^Y",
            &[Ctrl('y')],
            A::CopyUrl,
            "copy URL",
            "while pasting: copy the address",
        ),
        auth_pasting,
    ),
    when(
        bind(
            "^O",
            &[Ctrl('o')],
            A::OpenBrowser,
            "open browser",
            "while pasting: open the browser again",
        ),
        auth_pasting,
    ),
    when(
        bind(
            "^Q",
            &[Ctrl('q')],
            A::ToggleQr,
            "QR code",
            "while pasting: show the address as a QR code, for another device",
        ),
        auth_pasting,
    ),
    when(
        bind("Esc", ESC, A::Back, "cancel", "cancel the authorization"),
        auth_pasting,
    ),
    when(CLEAR, auth_pasting),
    when(UNDO, auth_pasting),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "try again",
            "after a failure: try again",
        ),
        auth_failed,
    ),
    when(
        bind(
            "Esc",
            ESC,
            A::Back,
            "credentials",
            "back to the credentials",
        ),
        auth_failed,
    ),
];

const TOKENS: &[Binding] = &[
    bind(
        "t",
        &[Plain(KeyCode::Char('t'))],
        A::TestScopes,
        "test scopes",
        "call each granted scope's read-only request",
    ),
    bind(
        "r",
        &[Plain(KeyCode::Char('r'))],
        A::Reveal,
        "reveal",
        "reveal or hide the access token",
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

fn scope_test_done(app: &App) -> bool {
    app.scope_test.as_ref().is_some_and(|t| t.is_done())
}

const TEST_SCOPES: &[Binding] = &[
    bind(
        UP_DOWN_LABEL,
        &[Plain(KeyCode::Up)],
        A::Up,
        "row",
        "previous / next row",
    ),
    also(&[Plain(KeyCode::Down)], A::Down),
    bind(
        "Enter",
        ENTER,
        A::Enter,
        "details",
        "open or close the row's details (message, trackingId)",
    ),
    when(
        bind(
            "r",
            &[Plain(KeyCode::Char('r'))],
            A::RunAgain,
            "run again",
            "once all rows are done: probe again",
        ),
        scope_test_done,
    ),
    bind("Esc", ESC, A::Back, "tokens", "back to the tokens"),
    bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"),
];

fn not_typing(app: &App) -> bool {
    !app.typing()
}

/// Keys that work on every step, before the step's own.
pub const EVERYWHERE: &[Binding] = &[
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

/// A step's key table.
pub fn table(step: Step) -> &'static [Binding] {
    match step {
        Step::Connect => CONNECT,
        Step::Details => DETAILS,
        Step::RedirectUrls => REDIRECTS,
        Step::Scopes => SCOPES,
        Step::Review => REVIEW,
        Step::Creating => CREATING,
        Step::Credentials => CREDENTIALS,
        Step::Authorize => AUTHORIZE,
        Step::Tokens => TOKENS,
        Step::TestScopes => TEST_SCOPES,
    }
}

const HELP_WINDOW: &[Binding] = &[
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
    bind(
        "Esc",
        &[
            Plain(KeyCode::Esc),
            Plain(KeyCode::Enter),
            Plain(KeyCode::F(1)),
            Plain(KeyCode::Char('?')),
            Plain(KeyCode::Char('q')),
        ],
        A::Back,
        "close help",
        "close",
    ),
];

/// The keys a yes/no question answers to.
const YES_KEYS: &[Key] = &[Plain(KeyCode::Char('y')), Plain(KeyCode::Char('Y'))];

/// "No": stay where you are.
const STAY: Binding = bind(
    "n/Esc",
    &[
        Plain(KeyCode::Char('n')),
        Plain(KeyCode::Char('N')),
        Plain(KeyCode::Esc),
    ],
    A::No,
    "stay",
    "stay",
);

const CONFIRM_QUIT: &[Binding] = &[
    when(
        bind(
            "s",
            &[Plain(KeyCode::Char('s')), Plain(KeyCode::Char('S'))],
            A::Stored,
            "I have stored it",
            "I stored the secret myself: quit",
        ),
        secret_on_screen,
    ),
    bind("y", YES_KEYS, A::Yes, "quit anyway", "quit anyway"),
    STAY,
];

fn secret_on_screen(app: &App) -> bool {
    app.secret_at_risk()
}

const CONFIRM_AUTHORIZE: &[Binding] = &[
    bind(
        "y",
        YES_KEYS,
        A::Yes,
        "go on anyway",
        "go on to the authorization",
    ),
    STAY,
];

const RESUME_DRAFT: &[Binding] = &[
    bind(
        "Enter/y",
        &[
            Plain(KeyCode::Enter),
            Plain(KeyCode::Char('y')),
            Plain(KeyCode::Char('Y')),
        ],
        A::Yes,
        "continue the draft",
        "continue the draft",
    ),
    bind(
        "n",
        &[Plain(KeyCode::Char('n')), Plain(KeyCode::Char('N'))],
        A::No,
        "start afresh",
        "start afresh",
    ),
    bind("Esc", ESC, A::Back, "decide later", "decide later"),
];

const UNREADABLE: &[Binding] = &[bind(
    "Enter",
    &[Plain(KeyCode::Enter), Plain(KeyCode::Esc)],
    A::Back,
    "understood",
    "understood",
)];

const PENDING_CREATE: &[Binding] = &[bind(
    "Enter",
    &[Plain(KeyCode::Enter), Plain(KeyCode::Esc)],
    A::Back,
    "understood (the note goes)",
    "understood: the note is removed",
)];

/// A window's key table.
pub fn overlay_table(overlay: &Overlay) -> &'static [Binding] {
    match overlay {
        Overlay::PendingCreate(_) => PENDING_CREATE,
        Overlay::Help(_) => HELP_WINDOW,
        Overlay::ConfirmQuit => CONFIRM_QUIT,
        Overlay::ConfirmAuthorize => CONFIRM_AUTHORIZE,
        Overlay::ResumeDraft(_) => RESUME_DRAFT,
        Overlay::Unreadable(_) => UNREADABLE,
    }
}

/// The bindings that apply now: the top window's, or the step's.
pub fn active(app: &App) -> impl Iterator<Item = &'static Binding> + '_ {
    let table = match app.overlays.last() {
        Some(o) => overlay_table(o),
        None => table(app.step),
    };
    table.iter().filter(move |b| (b.when)(app))
}

/// What `event` asks for now.
pub fn action(app: &App, event: &KeyEvent) -> Option<Action> {
    active(app)
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

/// What `event` asks for among the keys that work everywhere (quit, help).
pub fn global_action(app: &App, event: &KeyEvent) -> Option<Action> {
    EVERYWHERE
        .iter()
        .filter(|b| (b.when)(app))
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

/// The key bar: what works now, most important first, help last.
pub fn bar(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys: Vec<(&str, &str)> = active(app)
        .filter(|b| !b.bar.is_empty())
        .map(|b| (b.label, b.bar))
        .collect();
    if app.overlays.is_empty() {
        let quit_asks = !matches!(
            app.step,
            Step::Credentials | Step::Tokens | Step::TestScopes
        );
        if quit_asks {
            keys.push(("^C", "quit"));
        }
        keys.push(if app.typing() {
            ("F1", "help")
        } else {
            ("?", "help")
        });
    }
    keys
}
