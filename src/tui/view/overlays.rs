//! Windows over the step: help, confirmations, what an earlier session left.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::app::{App, Overlay};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

const HELP: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous field"),
    ("Enter", "next field; on a step's last field, next step"),
    ("Esc", "previous step (nothing typed is lost)"),
    ("Description", "Enter adds a line, Tab leaves"),
    (
        "Redirect URLs",
        "Enter adds a line; on an empty line, next step",
    ),
    ("", "Ctrl-D deletes the line"),
    ("Scopes", "type to filter, ↑↓ move, Space toggles,"),
    ("", "Ctrl-U clears the filter, Enter goes on"),
    ("Review", "Enter sends; nothing is sent before"),
    ("Credentials", "r reveal, c copy secret, i copy ID, s save,"),
    ("", "a authorize, q quit"),
    (
        "Authorize",
        "↑↓ move, Space chooses the URL or toggles a scope,",
    ),
    ("", "Enter opens the browser; then c/^Y copy the URL,"),
    ("", "o/^O open the browser again, v/^Q QR code, Esc cancels"),
    (
        "Tokens",
        "r reveal, c copy the access token, s save, q quit",
    ),
    ("Ctrl-C", "quit (asks while a secret is not stored)"),
    ("F1 / ?", "this help"),
];

pub fn draw(app: &App, overlay: &Overlay, frame: &mut Frame) {
    let t = app.theme;
    let (title, lines, width): (&str, Vec<Line>, u16) = match overlay {
        Overlay::Help => (
            " Keys ",
            HELP.iter()
                .map(|(k, v)| Line::raw(format!("{k:<16}{v}")))
                .collect(),
            66,
        ),
        Overlay::ConfirmQuit => {
            let text = if app.is_sending() {
                "The request is on its way. Quitting now may lose the one-time secret Webex is about to send."
            } else {
                "The client secret is not copied or saved, and Webex never shows it again. A 0600 recovery copy stays in the state folder and is shown at the next start."
            };
            (
                " Quit? ",
                vec![
                    Line::styled(text, t.warning()),
                    Line::raw(""),
                    Line::raw("y: quit anyway    n or Esc: stay"),
                ],
                60,
            )
        }
        Overlay::ConfirmAuthorize => (
            " Go on without storing the secret? ",
            vec![
                Line::styled(
                    "The client secret is not copied or saved yet, and Webex never shows it again. Its 0600 recovery copy stays until you store it.",
                    t.warning(),
                ),
                Line::raw(""),
                Line::raw("y: go on to authorization    n or Esc: stay"),
            ],
            60,
        ),
        Overlay::ResumeDraft(draft) => {
            let name = if draft.name.trim().is_empty() {
                "(no name yet)".to_owned()
            } else {
                format!("\"{}\"", draft.name.trim())
            };
            (
                " Continue where you left off? ",
                vec![
                    Line::raw(format!(
                        "An earlier session left a draft: {name}, {} redirect URL(s), {} scope(s).",
                        draft.redirect_urls.len(),
                        draft.scopes.len()
                    )),
                    Line::raw(""),
                    Line::raw("Enter or y: continue it    n: start afresh"),
                ],
                60,
            )
        }
        Overlay::Unreadable(paths) => {
            let mut lines = vec![
                Line::styled(
                    "An earlier session kept answers it could not read. They may hold a one-time client secret:",
                    t.warning(),
                ),
                Line::raw(""),
            ];
            lines.extend(paths.iter().map(|p| Line::raw(p.display().to_string())));
            lines.push(Line::raw(""));
            lines.push(Line::raw(
                "Open them, store the secret, then delete them. Enter: understood",
            ));
            (" Recovered answers ", lines, 76)
        }
    };
    let inner_width = width.saturating_sub(4).max(1);
    let rows: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_width).max(1))
        .sum();
    let area = centered(frame.area(), width, rows + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title).border_style(t.focused()))
            .style(ratatui::style::Style::default()),
        area,
    );
}
