//! Step 9: the tokens the authorization produced.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use crate::oauth::expiry_words;
use crate::tui::app::App;
use crate::tui::widgets::prose;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let Some(s) = &app.tokens else {
        return;
    };
    let tokens = &s.tokens;
    let name = app
        .credentials
        .as_ref()
        .map(|c| crate::text::visible_line(c.saved.display_name()))
        .unwrap_or_else(|| "the integration".to_owned());
    let access = if s.revealed {
        Span::styled(tokens.access_token.expose_secret().to_owned(), t.secret())
    } else {
        Span::styled("•".repeat(24) + "  (r reveals)", t.secret())
    };
    let mut lines = vec![
        Line::styled(format!("✔ \"{name}\" works: Webex issued tokens"), t.ok()),
        Line::raw(""),
        Line::styled("Access token", t.dim()),
        Line::from(vec![Span::raw("  "), access]),
        Line::from(vec![
            Span::styled("  expires       ", t.dim()),
            Span::raw(expiry_words(tokens.expires_at(), tokens.expires_in)),
        ]),
        Line::styled("Refresh token", t.dim()),
        Line::from(vec![
            Span::styled("  expires       ", t.dim()),
            Span::raw(match &tokens.refresh_token {
                Some(_) => {
                    expiry_words(tokens.refresh_expires_at(), tokens.refresh_token_expires_in)
                }
                None => "none was issued".into(),
            }),
        ]),
        Line::from(vec![
            Span::styled("Token type      ", t.dim()),
            Span::raw(tokens.token_type.clone()),
        ]),
        Line::from(vec![
            Span::styled("Granted scopes  ", t.dim()),
            Span::raw(if tokens.scopes.is_empty() {
                "(not listed in the answer)".to_owned()
            } else {
                crate::text::visible_line(&tokens.scopes.join(" "))
            }),
        ]),
        Line::raw(""),
    ];
    let mark = |done: bool| if done { "✔" } else { "·" };
    lines.push(Line::raw(format!(
        "{} copied   {} saved{}",
        if s.copied {
            "✔"
        } else if s.sent_to_terminal {
            "?"
        } else {
            "·"
        },
        mark(s.saved_to.is_some()),
        s.saved_to
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default()
    )));
    lines.push(Line::styled(
        "Tokens are never logged; saving writes a 0600 file in the data folder.",
        t.dim(),
    ));
    frame.render_widget(prose(lines), area);
}
