//! Step 1: the environment and the admin token.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::tui::app::{App, TokenSource, TokenStatus};
use crate::tui::widgets::{FieldView, error_lines, prose, spinner, wrapped_rows};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let c = &app.connect;
    let mut lines = vec![
        Line::styled("Connect to Webex", t.title()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Environment     ", t.dim()),
            Span::raw(app.env.label()),
        ]),
        Line::from(vec![
            Span::styled("API base        ", t.dim()),
            Span::raw(app.env.base.to_string()),
        ]),
        Line::from(vec![
            Span::styled("Admin token     ", t.dim()),
            Span::raw(match (&c.status, c.token.is_some()) {
                (TokenStatus::Missing | TokenStatus::Invalid(_), _) => {
                    "needed: paste it below (it stays hidden)".to_owned()
                }
                _ => format!("from {}", c.source.label()),
            }),
        ]),
        Line::raw(""),
    ];
    if let Some(reason) = &c.reason {
        lines.push(Line::styled(reason.clone(), t.warning()));
        lines.push(Line::raw(""));
    }
    match &c.status {
        TokenStatus::Checking => lines.push(Line::raw(format!(
            "{} Checking the token with GET /people/me …",
            spinner(app.spinner)
        ))),
        TokenStatus::Valid(person) => {
            lines.push(Line::styled(
                format!(
                    "✔ The token belongs to {}.",
                    crate::text::visible_line(&person.describe())
                ),
                t.ok(),
            ));
            lines.push(Line::raw(""));
            let next = if c.resume_to.is_some() {
                "Press Enter to go back to the review and send again."
            } else if c.source == TokenSource::Demo {
                "This is the sandbox's admin token. Press Enter to start."
            } else {
                "Press Enter to continue."
            };
            lines.push(Line::raw(next));
        }
        TokenStatus::Invalid(e) => lines.extend(error_lines(e, t)),
        TokenStatus::Missing => {}
    }
    let wants_token = app.connect_wants_token();
    let [text, field, help] = Layout::vertical([
        Constraint::Length(wrapped_rows(&lines, area.width)),
        Constraint::Length(if wants_token { 3 } else { 0 }),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(prose(lines), text);
    if wants_token {
        FieldView {
            label: "Admin token",
            input: &c.input,
            focused: true,
            problem: None,
            hint: if c.previous.is_some() {
                "Enter checks it; Esc keeps the token checked before. It is never shown, logged or saved."
            } else {
                "Enter checks it. It is never shown, logged or saved."
            },
            theme: t,
        }
        .render(field, frame.buffer_mut());
        frame.render_widget(
            prose(vec![
                Line::raw(""),
                Line::styled(
                    "A FedRAMP admin token comes from Control Hub: sign in at https://admin-usgov.webex.com, open DevTools › Application › Session Storage and copy accessToken. It lasts at most 12 hours.",
                    t.dim(),
                ),
            ]),
            help,
        );
    }
}
