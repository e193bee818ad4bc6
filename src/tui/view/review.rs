//! Step 5: the exact request, and the same as cURL. Lines are never wrapped: a wrapped JSON or
//! cURL line would break inside a string when copied from the screen. Long lines scroll
//! sideways (←→) instead, and `y` copies the exact command.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, TokenStatus};
use crate::tui::widgets::prose;

/// Rows above the request: the title and what Enter does.
const TITLE_ROWS: u16 = 3;

/// The request and the cURL command, one screen line per line of text.
pub fn content(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let draft = app.draft();
    let mut lines: Vec<Line> = draft
        .to_request_json_pretty()
        .lines()
        .map(|l| Line::raw(l.to_owned()))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "The same with cURL (the token stays in $WEBEX_ADMIN_TOKEN; y copies it exactly):",
        t.dim(),
    ));
    lines.extend(
        draft
            .curl_command(&app.env.base)
            .lines()
            .map(|l| Line::raw(l.to_owned())),
    );
    lines
}

/// How far the review can scroll down for a body of `height` rows.
pub fn max_scroll(app: &App, height: u16) -> u16 {
    let rows = u16::try_from(content(app).len()).unwrap_or(u16::MAX);
    // One row is kept for the "more below" line while there is more.
    rows.saturating_sub(height.saturating_sub(TITLE_ROWS + 1).max(1))
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let who = match &app.connect.status {
        TokenStatus::Valid(p) => format!(" as {}", crate::text::visible_line(&p.describe())),
        _ => String::new(),
    };
    let [title, body, more] = Layout::vertical([
        Constraint::Length(TITLE_ROWS),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
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
    let lines = content(app);
    let total = lines.len();
    let scroll = app.review_scroll.min(max_scroll(app, area.height));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, app.review_column)),
        body,
    );
    let below = total.saturating_sub(usize::from(scroll) + usize::from(body.height));
    let sideways = widest > usize::from(body.width) + usize::from(app.review_column);
    let mut hints = Vec::new();
    if below > 0 {
        hints.push(format!(
            "↓ {below} more line{}",
            if below == 1 { "" } else { "s" }
        ));
    }
    if sideways {
        hints.push("→ long lines go on (←→ scroll)".to_owned());
    } else if app.review_column > 0 {
        hints.push("← more to the left".to_owned());
    }
    if !hints.is_empty() {
        frame.render_widget(Line::styled(hints.join("   "), t.dim()), more);
    }
}
