//! How the windows look: centred over the step, the key bar left visible.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{stored_word_offered, tokens_alone_at_risk};
use crate::tui::app::{App, Overlay, Step};
use crate::tui::keys;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Clear `area` and one column and row around it, within `bounds` (above the key bar): the text
/// underneath never touches a border.
fn clear_around(frame: &mut Frame, area: Rect, bounds: Rect) {
    let margin = Rect {
        x: area.x.saturating_sub(1),
        y: area.y.saturating_sub(1),
        width: area.width + 2,
        height: area.height + 2,
    }
    .intersection(bounds);
    frame.render_widget(Clear, margin);
}

/// Width of the key column in help.
const KEY_COLUMN: usize = 12;

/// Help, from the key tables: this step first, then everywhere, then the other steps.
pub fn help_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = app.session.theme;
    let text_width = usize::from(width).saturating_sub(KEY_COLUMN).max(10);
    let mut lines = Vec::new();
    let section = |title: String, table: Vec<keys::Row>, lines: &mut Vec<Line<'static>>| {
        lines.push(Line::styled(title, t.title()));
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for b in table
            .into_iter()
            .filter(|b| !b.label.is_empty() && !b.help.is_empty())
        {
            if seen.contains(&(b.label, b.help)) {
                continue;
            }
            seen.push((b.label, b.help));
            for (i, part) in crate::tui::widgets::wrap_indented(b.help, text_width, 0)
                .into_iter()
                .enumerate()
            {
                let key = if i == 0 { b.label } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("{key:<KEY_COLUMN$}"), t.key()),
                    Span::raw(part),
                ]));
            }
        }
        lines.push(Line::raw(""));
    };
    section(
        format!("This step: {}", app.step.title()),
        app.step.keys(),
        &mut lines,
    );
    section(
        "Everywhere".into(),
        keys::rows(keys::EVERYWHERE),
        &mut lines,
    );
    for step in Step::ALL.iter().copied().filter(|s| *s != app.step) {
        section(step.title().to_owned(), step.keys(), &mut lines);
    }
    lines.pop();
    lines
}

/// Draw `overlay` centred in `area` (the screen above the key bar, which stays visible).
#[expect(clippy::too_many_lines, reason = "one arm per window")]
pub fn draw(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    if let Overlay::Help(scroll) = overlay {
        draw_help(app, *scroll, frame, area);
        return;
    }
    let (title, lines, width): (&str, Vec<Line>, u16) = match overlay {
        Overlay::Help(_) => unreachable!("drawn above"),
        Overlay::ConfirmQuit => {
            let text = if app
                .session
                .bot_token
                .as_ref()
                .is_some_and(|b| !b.is_stored())
            {
                "The bot token is not saved, and no clipboard tool confirmed a copy (a \
                    terminal copy can't be confirmed). Webex never shows it again. A 0600 \
                    recovery copy stays in the state folder."
            } else if tokens_alone_at_risk(app, &app.session) {
                "The access and refresh tokens are not saved, and Webex gives a refresh token \
                    only at an authorization. A 0600 recovery copy stays in the state folder \
                    until you save them."
            } else if app.secret_in_flight() {
                "The request is on its way. Quitting now may lose the one-time secret Webex \
                    is about to send."
            } else {
                "The client secret is not saved, and no clipboard tool confirmed a copy (a \
                    terminal copy can't be confirmed). Webex never shows it again. A 0600 \
                    recovery copy stays in the state folder and is shown at the next start."
            };
            let choices = if app.secret_at_risk() {
                "s: save and quit    y: quit anyway    n or Esc: stay"
            } else {
                "y: quit anyway    n or Esc: stay"
            };
            let mut lines = vec![
                Line::styled(text, t.warning()),
                Line::raw(""),
                Line::raw(choices),
            ];
            if stored_word_offered(app, &app.session) {
                lines.push(Line::raw(format!(
                    "Stored it yourself (a password manager)? Type \"{}\" to say so and quit{}",
                    crate::tui::app::STORED_WORD,
                    if app.quit_typed.is_empty() {
                        String::new()
                    } else {
                        format!("   [{}]", app.quit_typed)
                    }
                )));
            }
            (" Quit? ", lines, 64)
        }
        Overlay::ConfirmAuthorize => (
            " Go on without storing the secret? ",
            vec![
                Line::styled(
                    "The client secret is not saved yet (a terminal copy can't be confirmed), \
                        and Webex never shows it again. Its 0600 recovery copy stays until \
                        you store it.",
                    t.warning(),
                ),
                Line::raw(""),
                Line::raw("y: go on to authorization    n or Esc: stay"),
            ],
            60,
        ),
        Overlay::ResumeDraft(saved) => {
            let draft = &saved.draft;
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
        Overlay::PendingCreate(notes) => {
            let mut lines = vec![
                Line::styled(
                    "An earlier session was stopped before Webex answered a create. These \
                        integrations may exist at Webex, and nobody has their secret:",
                    t.warning(),
                ),
                Line::raw(""),
            ];
            lines.extend(notes.iter().map(|(_, n)| {
                Line::raw(format!(
                    "\"{}\" on {} ({})",
                    crate::text::visible_line(&n.name),
                    crate::text::visible_line(&n.api_base),
                    n.started_at
                ))
            }));
            lines.push(Line::raw(""));
            lines.push(Line::raw(
                "Check Control Hub (or the Applications API) before creating them again, and \
                    delete any that exist. Enter: understood",
            ));
            (" Stopped while creating ", lines, 76)
        }
        Overlay::Justify(typed) => {
            let draft = app.draft();
            let needing = app.session.policy.needs_justification(&draft.scopes);
            let mut lines = vec![
                Line::raw(format!(
                    "{} asks for more than reading: {}.",
                    if app.session.updating.is_some() {
                        "This change"
                    } else {
                        "This integration"
                    },
                    needing
                        .iter()
                        .map(|(s, c)| format!("{} ({})", crate::text::visible_line(s), c.label()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Line::raw(
                    "Say in one line why it needs them; the reason goes into the audit trail \
                        with the create.",
                ),
                Line::raw(""),
                Line::styled(format!("Why: {typed}▏"), t.focused()),
                Line::raw(""),
                Line::raw("Enter: send    Esc: back to the review"),
            ];
            if let Some(source) = &app.session.policy.source {
                lines.insert(
                    2,
                    Line::styled(format!("(policy: {})", source.display()), t.dim()),
                );
            }
            (" Least privilege: why these scopes? ", lines, 72)
        }
        Overlay::Unreadable(paths) => {
            let mut lines = vec![
                Line::styled(
                    "An earlier session kept what it could not deliver (0600 copies in the \
                        state folder); each may hold a one-time secret:",
                    t.warning(),
                ),
                Line::raw(""),
            ];
            for (path, what) in paths {
                lines.push(Line::raw(format!("{what}:")));
                lines.push(Line::styled(format!("  {}", path.display()), t.dim()));
            }
            lines.push(Line::raw(""));
            lines.push(Line::raw(
                "Store what they hold, then remove them (webex-wizard recovery lists and \
                    removes them). Enter: understood",
            ));
            (" Kept from an earlier session ", lines, 76)
        }
    };
    // Padded inside (two columns, one row), with one clear column and row around the border so
    // the text underneath never touches it; the lines are wrapped here, so the height is exact.
    let width = width.min(area.width.saturating_sub(2)).max(20);
    let inner_width = usize::from(width.saturating_sub(6)).max(1);
    let mut wrapped = Vec::new();
    for line in lines {
        let style = line
            .spans
            .first()
            .map_or(line.style, |s| line.style.patch(s.style));
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        for part in crate::tui::widgets::wrap_indented(&text, inner_width, 0) {
            wrapped.push(Line::styled(part, style));
        }
    }
    let rows = u16::try_from(wrapped.len()).unwrap_or(u16::MAX);
    let bounds = area;
    let area = centered(area, width, rows + 4);
    clear_around(frame, area, bounds);
    frame.render_widget(
        Paragraph::new(wrapped).block(
            Block::bordered()
                .title(title)
                .border_style(t.focused())
                .padding(ratatui::widgets::Padding::symmetric(2, 1)),
        ),
        area,
    );
}

/// Help: as wide as fits (at most 76), as tall as the screen above the key bar, scrolled.
fn draw_help(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let width = area.width.min(76);
    let inner = width.saturating_sub(4);
    let lines = help_lines(app, inner);
    let height = area
        .height
        .min(u16::try_from(lines.len()).unwrap_or(u16::MAX) + 2);
    let visible = usize::from(height.saturating_sub(2));
    let scroll = usize::from(scroll).min(lines.len().saturating_sub(visible));
    let below = lines.len().saturating_sub(scroll + visible);
    let title = if below > 0 || scroll > 0 {
        format!(
            " Keys ({}–{} of {}, ↑↓ scroll) ",
            scroll + 1,
            scroll + visible,
            lines.len()
        )
    } else {
        " Keys ".to_owned()
    };
    let bounds = area;
    let area = centered(area, width, height);
    clear_around(frame, area, bounds);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0))
            .block(
                Block::bordered()
                    .title(title)
                    .border_style(t.focused())
                    .padding(ratatui::widgets::Padding::horizontal(1)),
            ),
        area,
    );
}
