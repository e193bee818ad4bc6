//! Windows over a step: help, the quit and authorize questions, what an earlier session left.
//! Here are their keys and what the keys do; `draw` is how they look.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Overlay, Step};
use super::context::Session;
use super::effect::Effect;
use super::keys::Key::Plain;
use super::keys::{Action, Action as A, Binding, ENTER, ESC, Key, applying, bind, scroll, when};
use super::leaving::{quit, step_named};
use super::route::go;

/// The save that `s` in the quit question starts: the secret's, the bot token's, or the
/// tokens'.
fn save_what_is_at_risk(app: &App) -> Vec<Effect> {
    if let Some(c) = app.session.credentials.as_ref().filter(|c| !c.is_stored()) {
        return vec![Effect::SaveCredentials(Box::new(c.saved.clone()))];
    }
    if let Some(b) = app.session.bot_token.as_ref().filter(|b| !b.is_stored()) {
        return vec![Effect::SaveBot(Box::new((
            b.bot.clone(),
            b.api_base.clone(),
        )))];
    }
    if let (Some(t), Some(c)) = (
        app.session.tokens.as_ref().filter(|t| !t.is_stored()),
        &app.session.credentials,
    ) {
        return vec![Effect::SaveTokens {
            tokens: Box::new(t.tokens.clone()),
            client_id: c.saved.integration.client_id.clone(),
            name: c.saved.display_name().to_owned(),
        }];
    }
    Vec::new()
}

/// "I stored it myself" is offered only once the secret was revealed or copied: before that,
/// nobody can have stored it.
fn stored_word_offered(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session
        .credentials
        .as_ref()
        .is_some_and(|c| !c.is_stored() && (c.revealed || c.sent_to_terminal))
        || app
            .session
            .bot_token
            .as_ref()
            .is_some_and(|b| !b.is_stored() && (b.revealed || b.sent_to_terminal))
        || tokens_alone_at_risk(app, &app.session)
            && app
                .session
                .tokens
                .as_ref()
                .is_some_and(|t| t.revealed || t.sent_to_terminal || t.copied)
}

/// The secret is stored (or there is none), but the tokens are not.
fn tokens_alone_at_risk(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session
        .credentials
        .as_ref()
        .is_none_or(super::delivery::CredentialsState::is_stored)
        && app.session.tokens.as_ref().is_some_and(|t| !t.is_stored())
}

pub fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = app.overlays.last().and_then(|o| {
        applying(overlay_table(o), app, &app.session)
            .into_iter()
            .find(|b| b.answers(&key))
            .map(|b| b.action)
    });
    let offered = stored_word_offered(app, &app.session);
    let Some(top) = app.overlays.last_mut() else {
        return Vec::new();
    };
    if let Overlay::Justify(_) = top {
        return on_justify_key(app, action, key);
    }
    match (top, action) {
        (Overlay::Help(scroll), Some(Action::Up)) => *scroll = scroll.saturating_sub(1),
        (Overlay::Help(scroll), Some(Action::Down)) => *scroll = scroll.saturating_add(1),
        (Overlay::Help(scroll), Some(Action::PageUp)) => *scroll = scroll.saturating_sub(10),
        (Overlay::Help(scroll), Some(Action::PageDown)) => *scroll = scroll.saturating_add(10),
        (Overlay::ConfirmQuit, Some(Action::Save)) => {
            // As everywhere else, s saves; the wizard quits once the file is written.
            app.overlays.clear();
            app.quit_typed.clear();
            app.quit_after_save = true;
            return save_what_is_at_risk(app);
        }
        (Overlay::ConfirmQuit, None) if offered => {
            if let ratatui::crossterm::event::KeyCode::Char(c) = key.code {
                app.quit_typed.push(c);
                if !crate::tui::app::STORED_WORD.starts_with(app.quit_typed.as_str()) {
                    app.quit_typed = c.to_string();
                }
                if app.quit_typed == crate::tui::app::STORED_WORD {
                    if let Some(c) = &mut app.session.credentials {
                        c.stored_by_user = true;
                    }
                    if let Some(b) = &mut app.session.bot_token {
                        b.stored_by_user = true;
                    }
                    if let Some(t) = &mut app.session.tokens {
                        t.stored_by_user = true;
                    }
                    app.overlays.clear();
                    app.quit_typed.clear();
                    return quit(app);
                }
            }
        }
        (Overlay::ConfirmQuit, Some(Action::Yes)) => {
            app.overlays.clear();
            return quit(app);
        }
        (Overlay::PendingCreate(_), Some(Action::Back)) => {
            if let Some(Overlay::PendingCreate(notes)) = app.overlays.pop() {
                return notes
                    .into_iter()
                    .map(|(path, _)| Effect::RemoveRecovery(path))
                    .collect();
            }
        }
        (Overlay::ConfirmQuit | Overlay::ConfirmAuthorize, Some(Action::No)) => {
            app.overlays.pop();
        }
        (Overlay::ConfirmAuthorize, Some(Action::Yes)) => {
            app.overlays.pop();
            return crate::tui::route::carry_out(
                app,
                super::context::Request::Open(Step::Authorize),
            );
        }
        (Overlay::ResumeDraft(_), Some(Action::Yes)) => {
            if let Some(Overlay::ResumeDraft(saved)) = app.overlays.pop() {
                return resume_draft(app, &saved);
            }
        }
        (Overlay::ResumeDraft(_), Some(Action::No)) => {
            app.overlays.pop();
            app.notify("Starting afresh; the old draft is discarded.");
            return vec![Effect::DiscardDraft];
        }
        (
            Overlay::Help(_) | Overlay::ResumeDraft(_) | Overlay::Unreadable(_),
            Some(Action::Back),
        ) => {
            // Closing help; or a draft put off, which stays on disk until a step saves a new one.
            app.overlays.pop();
        }
        _ => {}
    }
    Vec::new()
}

/// The justification window: typing, Enter sends with it, Esc goes back unsent.
fn on_justify_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Justify(typed)) = app.overlays.last_mut() else {
        return Vec::new();
    };
    match action {
        None => match key.code {
            ratatui::crossterm::event::KeyCode::Char(c) if typed.chars().count() < 500 => {
                typed.push(c);
            }
            ratatui::crossterm::event::KeyCode::Backspace => {
                typed.pop();
            }
            _ => {}
        },
        Some(Action::Enter) => {
            let why = crate::policy::clean_justification(typed);
            if why.is_empty() {
                return Vec::new();
            }
            app.overlays.pop();
            app.session.justification = Some(why);
            return super::route::with_cx!(app, review, |_st, cx| {
                super::steps::review::State::submit(cx)
            });
        }
        Some(Action::Back) => {
            app.overlays.pop();
            app.notify("Not sent: broad scopes need a reason. Nothing was sent.");
        }
        _ => {}
    }
    Vec::new()
}

/// Fill the form from an earlier session's draft and go back to where it was left (once the
/// token is good: until then Connect takes the user there).
pub(crate) fn resume_draft(app: &mut App, saved: &crate::draft::SavedDraft) -> Vec<Effect> {
    app.load_draft(&saved.draft);
    let step = saved
        .step
        .as_deref()
        .and_then(step_named)
        .unwrap_or(Step::Details);
    let effects = if matches!(app.session.admin.status, super::app::TokenStatus::Valid(_)) {
        go(app, step)
    } else {
        app.steps.connect.resume_to = Some(step);
        Vec::new()
    };
    app.notify("Your draft is back; nothing you typed was lost.");
    effects
}

const HELP_WINDOW: &[Binding<App>] = &[
    scroll()[0],
    scroll()[1],
    scroll()[2],
    scroll()[3],
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
const STAY: Binding<App> = bind(
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

const CONFIRM_QUIT: &[Binding<App>] = &[
    when(
        bind(
            "s",
            &[Plain(KeyCode::Char('s')), Plain(KeyCode::Char('S'))],
            A::Save,
            "save and quit",
            "save it (0600, in the data folder), then quit",
        ),
        secret_on_screen,
    ),
    bind("y", YES_KEYS, A::Yes, "quit anyway", "quit anyway"),
    STAY,
];

fn secret_on_screen(app: &App, _: &Session) -> bool {
    app.secret_at_risk()
}

const CONFIRM_AUTHORIZE: &[Binding<App>] = &[
    bind(
        "y",
        YES_KEYS,
        A::Yes,
        "go on anyway",
        "go on to the authorization",
    ),
    STAY,
];

const RESUME_DRAFT: &[Binding<App>] = &[
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

const UNREADABLE: &[Binding<App>] = &[bind(
    "Enter",
    &[Plain(KeyCode::Enter), Plain(KeyCode::Esc)],
    A::Back,
    "understood",
    "understood",
)];

const PENDING_CREATE: &[Binding<App>] = &[bind(
    "Enter",
    &[Plain(KeyCode::Enter), Plain(KeyCode::Esc)],
    A::Back,
    "understood (the note goes)",
    "understood: the note is removed",
)];

const JUSTIFY: &[Binding<App>] = &[
    bind(
        "Enter",
        ENTER,
        A::Enter,
        "send",
        "send, with this justification in the audit trail",
    ),
    bind(
        "Esc",
        ESC,
        A::Back,
        "back",
        "back to the review; nothing is sent",
    ),
];

/// A window's key table.
pub fn overlay_table(overlay: &Overlay) -> &'static [Binding<App>] {
    match overlay {
        Overlay::PendingCreate(_) => PENDING_CREATE,
        Overlay::Help(_) => HELP_WINDOW,
        Overlay::ConfirmQuit => CONFIRM_QUIT,
        Overlay::ConfirmAuthorize => CONFIRM_AUTHORIZE,
        Overlay::ResumeDraft(_) => RESUME_DRAFT,
        Overlay::Unreadable(_) => UNREADABLE,
        Overlay::Justify(_) => JUSTIFY,
    }
}

mod draw;
pub use draw::{draw, help_lines};
