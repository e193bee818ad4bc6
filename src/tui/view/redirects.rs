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
    // Two rows a URL; keep the focused one in view.
    let per_page = usize::from((list.height / 2).max(1));
    let first = r.focus.saturating_sub(per_page - 1);
    for (slot, i) in (first..r.lines.len()).take(per_page).enumerate() {
        let row = Rect::new(list.x, list.y + 2 * slot as u16, list.width, 2);
        let problem = app.redirect_problem(i);
        let label = format!("URL {}", i + 1);
        FieldView {
            label: &label,
            input: &r.lines[i],
            focused: r.focus == i,
            problem: problem.as_deref(),
            hint: "",
            theme: t,
        }
        .render(row, frame.buffer_mut());
    }
    frame.render_widget(prose(vec![loopback]), note);
}
