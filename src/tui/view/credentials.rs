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
        format!(
            "✔ Created \"{}\"",
            crate::text::visible_line(c.saved.display_name())
        ),
        t.ok(),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Client ID", t.dim()));
    lines.push(Line::raw(format!(
        "  {}",
        crate::text::visible_line(&integration.client_id)
    )));
    let secret = match app.secret_text() {
        Some(s) => Span::styled(crate::text::visible_line(s), t.secret()),
        None => Span::styled("•".repeat(24) + "  (r reveals)", t.secret()),
    };
    lines.push(Line::styled("Client secret", t.dim()));
    lines.push(Line::from(vec![Span::raw("  "), secret]));
    lines.push(Line::from(vec![
        Span::styled("Scopes  ", t.dim()),
        Span::raw(crate::text::visible_line(&integration.scopes.join(" "))),
    ]));
    lines.push(Line::raw(""));
    if c.is_stored() {
        lines.push(Line::styled(
            "✔ The secret is stored. Webex will never show it again.",
            t.ok(),
        ));
    } else {
        lines.push(Line::styled(
            "⚠ Webex shows this secret only once. Save it (s) or copy it (c) before you leave.",
            t.warning(),
        ));
    }
    let mark = |done: bool| if done { "✔" } else { "·" };
    let copied = if c.copied_secret {
        "✔ secret copied".to_owned()
    } else if c.sent_to_terminal {
        "? secret sent to the terminal's clipboard (can't be confirmed)".to_owned()
    } else {
        "· secret copied".to_owned()
    };
    lines.push(Line::raw(format!(
        "{copied}   {} ID copied   {} saved{}",
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
