//! Step 7: the client ID and the one-time secret.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::widgets::prose;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let Some(c) = &app.credentials else {
        return;
    };
    let integration = &c.saved.integration;
    let mut lines = Vec::new();
    if c.recovered {
        lines.push(Line::styled(
            "Recovered from an earlier session: these credentials were never stored.",
            t.warning(),
        ));
    }
    lines.push(Line::styled(
        format!("✔ Created \"{}\"", c.saved.display_name()),
        t.ok(),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Client ID", t.dim()));
    lines.push(Line::raw(format!("  {}", integration.client_id)));
    let secret = match app.secret_text() {
        Some(s) => Span::styled(s.to_owned(), t.secret()),
        None => Span::styled("•".repeat(24) + "  (r reveals)", t.secret()),
    };
    lines.push(Line::styled("Client secret", t.dim()));
    lines.push(Line::from(vec![Span::raw("  "), secret]));
    lines.push(Line::from(vec![
        Span::styled("Scopes  ", t.dim()),
        Span::raw(integration.scopes.join(" ")),
    ]));
    lines.push(Line::raw(""));
    if c.is_stored() {
        lines.push(Line::styled(
            "✔ The secret is stored. Webex will never show it again.",
            t.ok(),
        ));
    } else {
        lines.push(Line::styled(
            "⚠ Webex shows this secret only once. Copy it (c) or save it (s) before you leave.",
            t.error(),
        ));
    }
    let mark = |done: bool| if done { "✔" } else { "·" };
    lines.push(Line::raw(format!(
        "{} secret copied   {} ID copied   {} saved{}",
        mark(c.copied_secret),
        mark(c.copied_id),
        mark(c.saved_to.is_some()),
        c.saved_to
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default()
    )));
    if let Some(path) = &c.recovery {
        lines.push(Line::styled(
            format!(
                "Until then a 0600 recovery copy waits in {}",
                path.display()
            ),
            t.dim(),
        ));
    }
    frame.render_widget(prose(lines), area);
}
