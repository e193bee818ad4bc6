//! Step 5: the exact request, and the same as cURL.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::app::{App, TokenStatus};
use crate::tui::widgets::prose;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let draft = app.draft();
    let who = match &app.connect.status {
        TokenStatus::Valid(p) => format!(" as {}", p.describe()),
        _ => String::new(),
    };
    let [title, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        prose(vec![
            Line::styled(
                format!("Review: POST {}", app.env.base.join("/applications")),
                t.title(),
            ),
            Line::styled(
                format!("Nothing has been sent yet. Enter sends exactly this body{who}."),
                t.dim(),
            ),
        ]),
        title,
    );
    let mut lines: Vec<Line> = draft
        .to_request_json_pretty()
        .lines()
        .map(|l| Line::raw(l.to_owned()))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "The same with cURL (the token stays in $WEBEX_ADMIN_TOKEN):",
        t.dim(),
    ));
    lines.extend(
        draft
            .curl_command(&app.env.base)
            .lines()
            .map(|l| Line::raw(l.to_owned())),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.review_scroll, 0)),
        body,
    );
}
