//! Step 3: the redirect URLs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use crate::tui::app::App;
use crate::tui::widgets::{FieldView, prose};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let r = &app.redirects;
    let loopback = if app.has_loopback_redirect() {
        Line::styled(
            "✔ A loopback URL (localhost, 127.0.0.1 or [::1]) is listed: the wizard can catch the authorization itself later.",
            t.ok(),
        )
    } else if app.draft().redirect_urls.is_empty() {
        Line::styled(
            "A loopback URL such as http://localhost:8080/callback (→ on an empty line takes it) lets the wizard catch the authorization itself later.",
            t.dim(),
        )
    } else {
        Line::styled(
            "No loopback URL: later you paste the address the browser lands on. Add http://localhost:8080/callback to let the wizard catch it itself.",
            t.warning(),
        )
    };
    let [title, list, note] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(2),
        Constraint::Length(3),
    ])
    .areas(area);
    frame.render_widget(
        prose(vec![
            Line::styled("Redirect URLs", t.title()),
            Line::styled(
                "Where Webex sends the browser after the user consents. https, or http on loopback only.",
                t.dim(),
            ),
        ]),
        title,
    );
    // Each URL takes its input row and its (wrapped) problem; keep the focused one in view.
    let problems: Vec<Option<String>> = (0..r.lines.len())
        .map(|i| app.redirect_problem(i))
        .collect();
    let labels: Vec<String> = (0..r.lines.len())
        .map(|i| format!("URL {}", i + 1))
        .collect();
    let fields: Vec<FieldView> = (0..r.lines.len())
        .map(|i| FieldView {
            label: &labels[i],
            input: &r.lines[i],
            focused: r.focus == i,
            problem: problems[i].as_deref(),
            hint: "",
            theme: t,
        })
        .collect();
    let heights: Vec<u16> = fields.iter().map(|f| f.height(list.width, 1)).collect();
    let mut first = 0;
    while first < r.focus && heights[first..=r.focus].iter().sum::<u16>() > list.height {
        first += 1;
    }
    let mut y = list.y;
    for (field, height) in fields.iter().zip(&heights).skip(first) {
        if y + height > list.y + list.height {
            break;
        }
        field.render(
            Rect::new(list.x, y, list.width, *height),
            frame.buffer_mut(),
        );
        y += height;
    }
    frame.render_widget(prose(vec![loopback]), note);
}
