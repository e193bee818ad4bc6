//! Drawing only: every function takes the state by shared reference and decides nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Step};
use super::phase::Phase;
use super::widgets::key_bar;

/// The screen's rows: header, step line, the step's body, the notice, the key bar.
fn rows(app: &App, area: Rect) -> [Rect; 5] {
    let notice_rows = app.notice.as_ref().map_or(1, |n| {
        notice_lines(&n.text, inset(aligned(area)).width).len()
    });
    // The notice may take up to a third of the screen; it never pushes the body away.
    let notice_rows = u16::try_from(notice_rows)
        .unwrap_or(u16::MAX)
        .clamp(1, (area.height / 3).max(1));
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_rows),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The widest the page is; wider screens centre it.
pub const PAGE_WIDTH: u16 = 100;

/// The page inside the body rows: a centred column of readable width, with the step's title,
/// its purpose and a blank line above the step's own drawing.
/// The centred column the page is laid out in (the inset area on a narrow terminal).
fn column(area: Rect) -> Rect {
    let area = inset(area);
    let width = area.width.min(PAGE_WIDTH);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

/// `row` cut to the page's column (one cell left of it, for lines that start with a space),
/// so the header, step line, notice and key bar line up with the page on a wide terminal.
fn aligned(row: Rect) -> Rect {
    let c = column(row);
    Rect {
        x: c.x.saturating_sub(1),
        width: c.width + 1,
        ..row
    }
}

fn page(area: Rect) -> (Rect, Rect) {
    let column = column(area);
    // A blank line under the step line, then title and purpose, then a blank line.
    let [_, heading, _, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(column);
    (heading, body)
}

/// Where the step draws, on a screen of `area`.
pub fn body_area(app: &App, area: Rect) -> Rect {
    page(rows(app, area)[2]).1
}

/// The help window's text at `width` columns, one string per line (for tests and checks).
pub fn help_text(app: &App, width: u16) -> Vec<String> {
    super::overlays::help_lines(app, width)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect()
}

/// The review's furthest scroll on this screen.
pub fn review_max_scroll(app: &App) -> u16 {
    let (w, h) = app.session.screen;
    super::steps::review::max_scroll(&app.session, body_area(app, Rect::new(0, 0, w, h)).height)
}

/// A notice wrapped at `width`, continuation lines indented under its first word.
fn notice_lines(text: &str, width: u16) -> Vec<String> {
    super::widgets::wrap_indented(text, usize::from(width.saturating_sub(1)).max(10), 1)
}

/// Draw the whole screen.
/// The smallest terminal the wizard is laid out for: below it, it says so instead of hiding
/// fields (or typing into one that isn't drawn).
pub const MIN_TERMINAL: (u16, u16) = (80, 24);

impl App {
    /// The terminal is below [`MIN_TERMINAL`]: the step is not drawn.
    pub fn too_small(&self) -> bool {
        self.session.screen.0 < MIN_TERMINAL.0 || self.session.screen.1 < MIN_TERMINAL.1
    }
}

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_TERMINAL.0 || area.height < MIN_TERMINAL.1 {
        too_small(app, frame, area);
        return;
    }
    let [header, steps, body, notice, keys] = rows(app, frame.area());
    let (header, steps, notice) = (aligned(header), aligned(steps), aligned(notice));
    let t = app.session.theme;
    frame.render_widget(
        Line::from(vec![
            Span::styled(" webex-wizard ", t.title()),
            Span::styled(
                format!("· {} · {}", app.session.env.label(), app.session.env.base),
                t.dim(),
            ),
        ]),
        header,
    );
    frame.render_widget(step_line(app), steps);
    let (heading, body) = page(body);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(app.step.title(), t.title()),
            Line::styled(purpose(app), t.dim()),
        ]),
        heading,
    );
    super::route::draw(app, frame, body);
    if let Some(n) = &app.notice {
        let style = if n.is_error { t.error() } else { t.ok() };
        let lines: Vec<Line> = notice_lines(&n.text, inset(notice).width)
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), style))
            .collect();
        frame.render_widget(Paragraph::new(lines), notice);
    }
    let keys_area = column(keys);
    frame.render_widget(
        key_bar(&fit_keys(super::keymap::bar(app), keys_area.width), t),
        keys_area,
    );
    if let Some(top) = app.overlays.last() {
        super::overlays::draw(
            app,
            top,
            frame,
            Rect {
                height: keys.y,
                ..frame.area()
            },
        );
    }
}

/// The step's line on what it is for; Details says it of the bot on the bot path.
fn purpose(app: &App) -> &'static str {
    match (app.step, app.session.intent) {
        (crate::tui::app::Step::Details, crate::tui::app::Intent::CreateBot) => {
            "What people see of the bot, and who to contact about it."
        }
        (step, _) => step.purpose(),
    }
}

/// A terminal smaller than [`MIN_TERMINAL`]: what to do, and a secret that is on screen and
/// not stored yet (never hidden by a small window), with the keys that keep it.
fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    use secrecy::ExposeSecret;
    let t = app.session.theme;
    let mut lines = vec![
        Line::styled(
            format!(
                "This terminal is {}x{}; the wizard needs at least {}x{} to show every field.",
                area.width, area.height, MIN_TERMINAL.0, MIN_TERMINAL.1
            ),
            t.warning(),
        ),
        Line::raw(
            "Make the window larger (or the font smaller): nothing is lost meanwhile. Ctrl-C \
                quits.",
        ),
    ];
    let masked = "•".repeat(24);
    if let Some(c) = app.session.credentials.as_ref().filter(|c| !c.is_stored()) {
        let i = &c.saved.integration;
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "One-time secret, not stored yet:",
            t.warning(),
        ));
        lines.push(Line::raw(format!("Client ID {}", i.client_id)));
        lines.push(Line::raw(format!(
            "Secret {}",
            if c.revealed {
                crate::text::visible_line(i.client_secret.expose_secret())
            } else {
                format!("{masked} (r reveals)")
            }
        )));
        lines.push(Line::raw("s save · c copy · r reveal"));
    } else if let Some(b) = app.session.bot_token.as_ref().filter(|b| !b.is_stored()) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Bot token, not stored yet:", t.warning()));
        lines.push(Line::raw(if b.revealed {
            crate::text::visible_line(b.bot.bot_token.expose_secret())
        } else {
            format!("{masked} (r reveals)")
        }));
        lines.push(Line::raw("s save · c copy · r reveal"));
    }
    if let Some(n) = &app.notice {
        // What the last key did (Saved to …), as the full-size screen says it.
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            n.text.clone(),
            if n.is_error { t.error() } else { t.ok() },
        ));
    }
    if !app.overlays.is_empty() {
        // A question (quit?) is waiting; it can't be drawn or answered at this size.
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "A question is waiting: make the window larger to answer it.",
            t.warning(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

/// The keys that fit in `width`: the least important (last) go first; help always stays.
pub fn fit_keys(
    mut keys: Vec<(&'static str, &'static str)>,
    width: u16,
) -> Vec<(&'static str, &'static str)> {
    let width_of = |keys: &[(&str, &str)]| -> usize {
        keys.iter()
            .map(|(k, v)| Line::raw(*k).width() + 1 + Line::raw(*v).width())
            .sum::<usize>()
            + 2 * keys.len().saturating_sub(1)
    };
    while keys.len() > 1 && width_of(&keys) > usize::from(width) {
        // The help entry is last; drop the one before it.
        let at = keys.len() - 2;
        keys.remove(at);
    }
    keys
}

/// One column of margin on each side.
fn inset(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    }
}

fn step_line(app: &App) -> Line<'static> {
    let t = app.session.theme;
    let mut spans = vec![Span::raw(" ")];
    // Two phases: creating the integration, then proving it works; the credentials end the
    // one and, once authorization began, start the other.
    let current = match app.step.phase() {
        Phase::Both if app.steps.authorize.is_some() => Phase::Prove,
        Phase::Both => Phase::Create,
        phase => phase,
    };
    // Each thing to do has its own line of steps; proving an integration works is one line
    // whichever way its secret came.
    let steps: Vec<Step> = match (app.step, app.session.intent) {
        // The first screen's title says "Start" already: no line of one step above it.
        // Saved tokens is one screen of its own: its title says it all too.
        (Step::Start | Step::SavedTokens, _) => vec![],
        (Step::HandOff, _) => vec![app.steps.hand_off.from, Step::HandOff],
        (_, crate::tui::app::Intent::Manage) if app.session.updating.is_some() => vec![
            Step::Connect,
            Step::Manage,
            Step::Details,
            Step::RedirectUrls,
            Step::Scopes,
            Step::Review,
        ],
        (_, crate::tui::app::Intent::Manage) if app.steps.authorize.is_none() => {
            vec![Step::Connect, Step::Manage, Step::Credentials]
        }
        (_, crate::tui::app::Intent::CreateBot) => {
            vec![Step::Connect, Step::Details, Step::Bot, Step::BotToken]
        }
        (_, crate::tui::app::Intent::TestToken) if app.session.tokens.is_none() => {
            vec![Step::TokenTest, Step::TestScopes]
        }
        _ => Step::ALL
            .iter()
            .copied()
            .filter(|s| s.phase().shows_in(current))
            .collect(),
    };
    // Where the step on screen is in this line (by place, not by the steps' order).
    let here = steps.iter().position(|s| *s == app.step);
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", t.dim()));
        }
        let order = here.map_or_else(|| (*step).cmp(&app.step), |h| i.cmp(&h));
        let style = match order {
            std::cmp::Ordering::Equal => t.title().add_modifier(ratatui::style::Modifier::REVERSED),
            std::cmp::Ordering::Less => t.ok(),
            std::cmp::Ordering::Greater => t.dim(),
        };
        spans.push(Span::styled(step.title(), style));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_in_a_notice_stays_on_one_line() {
        let path =
            "/tmp/.tmpRMVuI1/.local/share/webex-wizard/credentials/pty-demo-C667d675bf07.json";
        let lines =
            super::super::widgets::wrap_indented(&format!("Saved to {path} (mode 0600)."), 60, 1);
        assert_eq!(lines.len(), 3, "{lines:?}");
        let shown = lines[1].trim();
        assert!(
            shown.starts_with("/tmp/.tmp") && shown.ends_with("C667d675bf07.json"),
            "{lines:?}"
        );
        assert!(
            shown.contains('…') && lines[1].chars().count() <= 60,
            "{lines:?}"
        );
    }
}
