//! How Manage looks: the list, and under it the open application, a confirmation or what is
//! running.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use serde_json::Value;

use super::{Confirm, Listing, ManageState, text};
use crate::text::visible_line;
use crate::tui::context::Session;
use crate::tui::widgets::{FieldView, error_lines, prose, spinner};

fn detail_lines(a: &Value) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (label, key) in [
        ("Type", "type"),
        ("Bot e-mail", "botEmail"),
        ("Description", "description"),
        ("Contact", "contactEmail"),
        ("Created", "created"),
    ] {
        if !text(a, key).is_empty() {
            // A time to the second: the nanoseconds some answers carry say nothing to a person.
            let value = match key {
                "created" => text(a, key).get(..19).map_or_else(
                    || text(a, key).to_owned(),
                    |s| format!("{} UTC", s.replace('T', " ")),
                ),
                _ => text(a, key).to_owned(),
            };
            lines.push(Line::raw(format!("  {label:<13}{}", visible_line(&value))));
        }
    }
    // Long identifiers on a line of their own, so they are never broken across two.
    for (label, key) in [("Client ID", "clientId")] {
        if !text(a, key).is_empty() {
            lines.push(Line::raw(format!("  {label}")));
            lines.push(Line::raw(format!("    {}", visible_line(text(a, key)))));
        }
    }
    for (label, key) in [("Redirect URLs", "redirectUrls"), ("Scopes", "scopes")] {
        let items: Vec<String> = a[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(visible_line))
            .collect();
        if !items.is_empty() {
            lines.push(Line::raw(format!("  {label}:")));
            lines.extend(items.into_iter().map(|i| Line::raw(format!("    {i}"))));
        }
    }
    lines
}

pub(super) fn draw(m: &ManageState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let apps = match &session.listing {
        Listing::Loading => {
            frame.render_widget(
                prose(vec![Line::raw(format!(
                    "{} Reading the applications …",
                    spinner(session.spinner)
                ))]),
                area,
            );
            return;
        }
        Listing::Failed(e) => {
            frame.render_widget(prose(error_lines(e, area.width, t)), area);
            return;
        }
        Listing::Loaded(apps) if apps.is_empty() => {
            frame.render_widget(
                prose(vec![Line::raw(
                    "No applications yet. Esc goes back to \
                create one.",
                )]),
                area,
            );
            return;
        }
        Listing::Loaded(apps) => apps,
    };
    // Half the page for the list (at least 8 rows), the rest for the chosen one; when not all
    // fit, the heading says which are shown.
    let rows = usize::from(area.height / 2).max(8).min(apps.len());
    let [list, below] = Layout::vertical([
        Constraint::Length(u16::try_from(rows).unwrap_or(8) + 1),
        Constraint::Min(0),
    ])
    .areas(area);
    let first = m.cursor.saturating_sub(rows.saturating_sub(1));
    let shown = if apps.len() > rows {
        format!(
            "   ({}–{} of {}, ↑↓ for more)",
            first + 1,
            first + rows,
            apps.len()
        )
    } else {
        String::new()
    };
    let mut lines = vec![Line::styled(
        format!("  {:<32} {:<12} CREATED{shown}", "NAME", "TYPE"),
        t.dim(),
    )];
    for (i, a) in apps.iter().enumerate().skip(first).take(rows) {
        let on = i == m.cursor;
        let name = crate::text::cut_end(&visible_line(text(a, "name")), 32);
        let created: String = text(a, "created").chars().take(10).collect();
        lines.push(Line::from(vec![
            Span::styled(if on { "▸ " } else { "  " }, t.title()),
            Span::styled(
                format!("{name:<32} {:<12} {created}", visible_line(text(a, "type"))),
                if on {
                    t.title()
                } else {
                    ratatui::style::Style::default()
                },
            ),
        ]));
    }
    frame.render_widget(prose(lines), list);
    if let Some(a) = apps.get(m.cursor) {
        draw_below(m, a, session, frame, below);
    }
}

/// Under the list: the confirmation being typed, what is running, or the open application.
fn draw_below(m: &ManageState, a: &Value, session: &Session, frame: &mut Frame, below: Rect) {
    let t = session.theme;
    match &m.confirm {
        Some(confirm @ (Confirm::Rotate(field) | Confirm::Delete(field))) => {
            let name = visible_line(text(a, "name"));
            let (question, style, hint) = if matches!(confirm, Confirm::Rotate(_)) {
                (
                    format!(
                        "Give '{name}' a new client secret? The old one stops working at \
                    once, for every developer and copy that has it."
                    ),
                    t.warning(),
                    "Enter rotates; Esc cancels.",
                )
            } else {
                (
                    format!(
                        "Delete '{name}'? It can't be restored: its client ID stops working \
                    for every developer and user."
                    ),
                    t.error(),
                    "Enter deletes; Esc cancels.",
                )
            };
            let [warn, input, _] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(4),
                Constraint::Min(0),
            ])
            .areas(below);
            frame.render_widget(
                prose(vec![Line::raw(""), Line::styled(question, style)]),
                warn,
            );
            let label = if text(a, "name").is_empty() {
                "Type its ID"
            } else {
                "Type its name"
            };
            FieldView {
                label,
                input: field,
                focused: true,
                problem: None,
                hint,
                theme: t,
            }
            .render(input, frame.buffer_mut());
        }
        None if m.busy.is_some() => frame.render_widget(
            prose(vec![
                Line::raw(""),
                Line::raw(format!(
                    "{} {} …",
                    spinner(session.spinner),
                    m.busy.unwrap_or("")
                )),
            ]),
            below,
        ),
        None if m.open => {
            let mut lines = vec![Line::raw("")];
            lines.extend(detail_lines(a));
            frame.render_widget(prose(lines), below);
        }
        None => {}
    }
}
