//! Step 6: the request in flight, or why it failed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::tui::app::{App, CreateState};
use crate::tui::widgets::{error_lines, prose, spinner};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let mut lines = vec![
        Line::styled("Creating the integration", t.title()),
        Line::raw(""),
    ];
    match &app.create {
        Some(CreateState::Sending { elapsed, .. }) => {
            lines.push(Line::raw(format!(
                "{} POST {} … {:.1} s",
                spinner(app.spinner),
                app.env.base.join("/applications"),
                elapsed.as_secs_f64()
            )));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "The answer carries the one-time client secret; it is kept safe the moment it arrives.",
                t.dim(),
            ));
        }
        Some(CreateState::Failed(e)) => {
            lines.extend(error_lines(e, t));
            // Kept nowhere else: the raw answer, on screen, as the last resort.
            if let Some(raw) = e.unsaved_raw_answer() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    "The raw answer (copy the client ID and secret from it now):",
                    t.warning(),
                ));
                let text = String::from_utf8_lossy(raw);
                lines.extend(
                    crate::text::visible(&text)
                        .lines()
                        .map(|l| Line::raw(l.to_owned())),
                );
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Your form is kept: nothing you typed is lost.",
                t.ok(),
            ));
        }
        None => {}
    }
    frame.render_widget(prose(lines), area);
}
