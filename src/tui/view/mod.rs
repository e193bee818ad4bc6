//! Drawing only: every function takes the state by shared reference and decides nothing.

mod authorize;
mod connect;
mod creating;
mod credentials;
mod details;
mod overlays;
mod redirects;
mod review;
mod scope_test;
mod scopes;
mod tokens;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::app::{App, AuthPhase, CreateState, Overlay, Step, TokenStatus};
use super::widgets::key_bar;

/// Draw the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let [header, steps, body, notice, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let t = app.theme;
    frame.render_widget(
        Line::from(vec![
            Span::styled(" webex-wizard ", t.title()),
            Span::styled(format!("· {} · {}", app.env.label(), app.env.base), t.dim()),
        ]),
        header,
    );
    frame.render_widget(step_line(app), steps);
    let body = inset(body);
    match app.step {
        Step::Connect => connect::draw(app, frame, body),
        Step::Details => details::draw(app, frame, body),
        Step::RedirectUrls => redirects::draw(app, frame, body),
        Step::Scopes => scopes::draw(app, frame, body),
        Step::Review => review::draw(app, frame, body),
        Step::Creating => creating::draw(app, frame, body),
        Step::Credentials => credentials::draw(app, frame, body),
        Step::Authorize => authorize::draw(app, frame, body),
        Step::Tokens => tokens::draw(app, frame, body),
        Step::TestScopes => scope_test::draw(app, frame, body),
    }
    if let Some(n) = &app.notice {
        let style = if n.is_error { t.error() } else { t.ok() };
        frame.render_widget(Line::styled(format!(" {}", n.text), style), notice);
    }
    frame.render_widget(key_bar(&current_keys(app), t), inset(keys));
    if let Some(top) = app.overlays.last() {
        overlays::draw(app, top, frame);
    }
}

/// One column of margin on each side.
fn inset(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    }
}

fn step_line(app: &App) -> Line<'static> {
    let t = app.theme;
    let mut spans = vec![Span::raw(" ")];
    // Two phases: creating the integration, then proving it works.
    let steps: &[Step] = if app.step > Step::Credentials
        || (app.step == Step::Credentials && app.authorize.is_some())
    {
        &Step::PROVE
    } else {
        &Step::CREATE
    };
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", t.dim()));
        }
        let style = if *step == app.step {
            t.title().add_modifier(ratatui::style::Modifier::REVERSED)
        } else if *step < app.step {
            t.ok()
        } else {
            t.dim()
        };
        spans.push(Span::styled(step.title(), style));
    }
    Line::from(spans)
}

/// The keys that work now, for the bottom bar.
pub fn current_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.overlays.last() {
        Some(Overlay::Help) => return vec![("Esc", "close help")],
        Some(Overlay::ConfirmQuit) => return vec![("y", "quit anyway"), ("n/Esc", "stay")],
        Some(Overlay::ConfirmAuthorize) => return vec![("y", "go on anyway"), ("n/Esc", "stay")],
        Some(Overlay::ResumeDraft(_)) => {
            return vec![
                ("Enter/y", "continue the draft"),
                ("n", "start afresh"),
                ("Esc", "decide later"),
            ];
        }
        Some(Overlay::Unreadable(_)) => return vec![("Enter", "understood")],
        None => {}
    }
    let mut keys = match app.step {
        Step::Connect => match app.connect.status {
            TokenStatus::Checking => vec![],
            TokenStatus::Valid(_) => vec![("Enter", "continue"), ("t", "use another token")],
            _ => vec![("Enter", "check token")],
        },
        Step::Details => {
            let mut k = vec![("Tab/S-Tab", "field")];
            if app.details.focus == 1 {
                k.push(("Enter", "new line"));
            } else if app.details.focus == 3 {
                k.push(("Enter", "next step"));
            } else {
                k.push(("Enter", "next field"));
            }
            k.push(("Esc", "back"));
            k
        }
        Step::RedirectUrls => vec![
            ("Enter", "add · on empty: next"),
            ("↑↓", "line"),
            ("^D", "delete"),
            ("Esc", "back"),
        ],
        Step::Scopes => vec![
            ("type", "filter"),
            ("↑↓", "move"),
            ("Space", "toggle"),
            ("Enter", "review"),
            ("Esc", "back"),
        ],
        Step::Review => vec![("Enter", "send"), ("↑↓", "scroll"), ("Esc", "back")],
        Step::Creating => match &app.create {
            Some(CreateState::Failed(e)) => match e.api_failure().map(|f| f.status) {
                Some(401) => vec![("Enter", "enter a fresh token"), ("Esc", "review")],
                Some(400..=499) => vec![("Enter", "fix the field"), ("Esc", "review")],
                _ => vec![("Enter/Esc", "back to review")],
            },
            _ => vec![],
        },
        Step::Credentials => {
            let recovered = app.credentials.as_ref().is_some_and(|c| c.recovered);
            let mut k = vec![
                ("r", "reveal"),
                ("c", "copy secret"),
                ("i", "copy ID"),
                ("s", "save"),
            ];
            if recovered {
                k.push(("q", "done"));
            } else {
                k.push(("a", "authorize"));
                k.push(("q", "quit"));
            }
            k
        }
        Step::Authorize => match app.authorize.as_ref().map(|a| &a.phase) {
            Some(AuthPhase::Waiting { loopback: true, .. }) => vec![
                ("c", "copy URL"),
                ("o", "open browser"),
                ("v", "QR code"),
                ("Esc", "cancel"),
            ],
            Some(AuthPhase::Waiting { .. }) => vec![
                ("Enter", "submit"),
                ("^Y", "copy URL"),
                ("^O", "open browser"),
                ("^Q", "QR code"),
                ("Esc", "cancel"),
            ],
            Some(AuthPhase::Exchanging) => vec![],
            Some(AuthPhase::Failed(_)) => vec![("Enter", "try again"), ("Esc", "credentials")],
            _ => vec![
                ("↑↓", "move"),
                ("Space", "choose/toggle"),
                ("Enter", "authorize"),
                ("Esc", "back"),
            ],
        },
        Step::Tokens => vec![
            ("r", "reveal"),
            ("c", "copy"),
            ("s", "save"),
            ("t", "test scopes"),
            ("Esc", "back"),
            ("q", "quit"),
        ],
        Step::TestScopes => {
            let mut k = vec![("↑↓", "row"), ("Enter", "details")];
            if app.scope_test.as_ref().is_some_and(|t| t.is_done()) {
                k.push(("r", "run again"));
            }
            k.push(("Esc", "tokens"));
            k.push(("q", "quit"));
            k
        }
    };
    keys.push(if app.typing() {
        ("F1", "help")
    } else {
        ("?", "help")
    });
    if !matches!(
        app.step,
        Step::Credentials | Step::Tokens | Step::TestScopes
    ) {
        keys.push(("^C", "quit"));
    }
    keys
}
