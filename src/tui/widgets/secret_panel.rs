//! The one-time secret's screen, shared by Credentials and Bot token: lines above, the secret in
//! a bordered panel whose border and title say whether it is stored, and lines below.

use std::path::Path;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding};

use super::{prose, wrapped_rows};
use crate::tui::theme::Theme;

/// One thing done (or still to do) to keep the secret.
pub enum Kept {
    /// Done: "✔ {done}".
    Done(&'static str),
    /// Sent somewhere that can't confirm it (an OSC 52 copy): "? {text}".
    Unconfirmed(&'static str),
    /// Still to do, with its key: "○ {todo}".
    ToDo(&'static str),
}

/// The checklist: done things in green with ✔, open ones dim with ○ and the key that does
/// them, so a list of open things never reads as done ones. Items wrap whole at `width`.
pub fn checklist(items: &[Kept], width: usize, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for item in items {
        let span = match item {
            Kept::Done(text) => Span::styled(format!("✔ {text}"), t.ok()),
            Kept::Unconfirmed(text) => Span::styled(format!("? {text}"), t.warning()),
            Kept::ToDo(text) => Span::styled(format!("○ {text}"), t.dim()),
        };
        let w = span.width();
        if used > 0 && used + 3 + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("   "));
            used += 3;
        }
        used += w;
        spans.push(span);
    }
    lines.push(Line::from(spans));
    lines
}

/// `label` and a path on one line when they fit in `width`; else the label alone and the path
/// on the next line, cut in the middle if it must be: a path never breaks across lines, where
/// copying it with the mouse would break it (the wizard prints every path whole when it ends).
pub fn path_lines(label: &str, path: &Path, width: usize, t: Theme) -> Vec<Line<'static>> {
    let path = crate::text::visible_line(&path.display().to_string());
    let label_width = Line::raw(label).width();
    if label_width + Line::raw(path.as_str()).width() <= width {
        return vec![Line::styled(format!("{label}{path}"), t.dim())];
    }
    vec![
        Line::styled(label.trim_end().to_owned(), t.dim()),
        Line::styled(
            format!(
                "  {}",
                crate::text::cut_middle(&path, width.saturating_sub(2))
            ),
            t.dim(),
        ),
    ]
}

/// What the screen shows.
pub struct SecretPanel {
    pub above: Vec<Line<'static>>,
    pub inside: Vec<Line<'static>>,
    pub below: Vec<Line<'static>>,
    pub stored: bool,
    /// "secret" or "token": the panel's title names it.
    pub what: &'static str,
}

impl SecretPanel {
    pub fn render(self, frame: &mut Frame, area: Rect, t: Theme) {
        let (border, label) = if self.stored {
            (t.ok(), format!(" One-time {} · stored ", self.what))
        } else {
            (
                t.warning(),
                format!(" One-time {} · not stored yet ", self.what),
            )
        };
        let panel_width = area.width.saturating_sub(2).max(1);
        let panel_rows =
            wrapped_rows(&self.inside, panel_width.saturating_sub(4)).saturating_sub(1) + 2;
        // Wrapped lines count: a long API base must not push the name off the screen.
        let width = usize::from(area.width.max(1));
        let wraps = self.above.iter().any(|l| l.width() > width);
        let above_rows = u16::try_from(
            self.above
                .iter()
                .map(|l| l.width().div_ceil(width).max(1))
                .sum::<usize>()
                + usize::from(wraps),
        )
        .unwrap_or(1);
        let [top, _, panel, _, rest] = Layout::vertical([
            Constraint::Length(above_rows),
            Constraint::Length(1),
            Constraint::Length(panel_rows),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        frame.render_widget(prose(self.above), top);
        frame.render_widget(
            prose(self.inside).block(
                Block::bordered()
                    .title(label)
                    .border_style(border)
                    .padding(Padding::horizontal(1)),
            ),
            panel,
        );
        frame.render_widget(prose(self.below), rest);
    }
}
