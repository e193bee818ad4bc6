//! Small pieces the views share: a labelled field with its problem, the key bar, error lines.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

pub mod line_input;
pub mod secret_panel;

use super::keys::Action;
use super::theme::Theme;
use crate::webex::WebexError;

/// Width of the label column of a form.
pub const LABEL_WIDTH: u16 = 16;

/// A labelled text field: the label, the input, and under it its problem or a hint.
pub struct FieldView<'a> {
    pub label: &'a str,
    pub input: &'a TextArea<'static>,
    pub focused: bool,
    pub problem: Option<&'a str>,
    pub hint: &'a str,
    pub theme: Theme,
}

impl FieldView<'_> {
    /// The line under the input: its problem, or the hint.
    fn below_text(&self) -> String {
        match self.problem {
            Some(p) => format!("✗ {p}"),
            None => self.hint.to_owned(),
        }
    }

    /// The text under the input, wrapped in the input's column (never back to column 0).
    fn below_lines(&self, width: u16) -> Vec<String> {
        let text = self.below_text();
        if text.is_empty() {
            return vec![String::new()];
        }
        let indent = usize::from(self.problem.is_some()) * 2;
        wrap_indented(
            &text,
            usize::from(width.saturating_sub(LABEL_WIDTH)).max(8),
            indent,
        )
    }

    /// Rows the field takes at `width` for an input of `input_rows` rows.
    pub fn height(&self, width: u16, input_rows: u16) -> u16 {
        input_rows + u16::try_from(self.below_lines(width).len()).unwrap_or(1)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.height < 2 || area.width <= LABEL_WIDTH + 2 {
            return;
        }
        let t = self.theme;
        let marker = if self.focused { "▸ " } else { "  " };
        let label_style = if self.focused { t.focused() } else { t.dim() };
        let below = self.below_lines(area.width);
        let below_rows = u16::try_from(below.len()).unwrap_or(1).min(area.height - 1);
        let input_rows = area.height - below_rows;
        Line::from(vec![
            Span::styled(marker, t.focused()),
            Span::styled(self.label, label_style),
        ])
        .render(Rect::new(area.x, area.y, LABEL_WIDTH, 1), buf);
        let input_area = Rect::new(
            area.x + LABEL_WIDTH,
            area.y,
            area.width - LABEL_WIDTH,
            input_rows,
        );
        if input_rows == 1 && self.input.wrap_mode() == ratatui_textarea::WrapMode::None {
            line_input::render(self.input, input_area, buf, self.focused);
        } else {
            self.input.render(input_area, buf);
        }
        // The field itself is visible, empty or not: a form's line to write on, grey, and
        // cyan while it has the keyboard.
        let rule = if self.focused { t.focused() } else { t.dim() };
        underline_field(
            buf,
            Rect {
                width: input_area.width.saturating_sub(1),
                ..input_area
            },
            rule,
        );
        let style = if self.problem.is_some() {
            t.error()
        } else {
            t.dim()
        };
        for (i, text) in below.into_iter().take(usize::from(below_rows)).enumerate() {
            let row = Rect::new(
                area.x + LABEL_WIDTH,
                area.y + input_rows + u16::try_from(i).unwrap_or(0),
                area.width - LABEL_WIDTH,
                1,
            );
            Line::styled(text, style).render(row, buf);
        }
    }
}

/// The bottom bar: the keys that work now.
pub fn key_bar(keys: &[(&str, &str)], theme: Theme) -> Line<'static> {
    let mut spans = Vec::with_capacity(keys.len() * 3);
    for (i, (key, what)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ", theme.dim()));
        }
        spans.push(Span::styled((*key).to_owned(), theme.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}

/// A Webex failure as lines: status and message, trackingId, and what to do next.
pub fn error_lines(error: &WebexError, width: u16, theme: Theme) -> Vec<Line<'static>> {
    failure_lines(&error.to_string(), &error.next_step(), width, theme)
}

/// A failure's text (first line marked) and what to do next. Both may carry Webex's or the
/// browser's words, so control characters are made visible.
pub fn failure_lines(text: &str, next: &str, width: u16, theme: Theme) -> Vec<Line<'static>> {
    let text = crate::text::visible(text);
    let next = crate::text::visible_line(next);
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Line::styled(format!("✗ {l}"), theme.error())
            } else {
                Line::raw(format!("  {}", l.trim_start()))
            }
        })
        .collect();
    // What to do next wraps under itself, not under "Next:".
    lines.extend(hanging(
        &Span::styled("  Next: ", theme.key()),
        &next,
        width,
    ));
    lines
}

/// Underline every row of `area` (a text field) across its width; the empty rest of each row,
/// from the right, takes `rule`'s colour, and text inside keeps its own style.
pub fn underline_field(buf: &mut Buffer, area: Rect, rule: ratatui::style::Style) {
    for y in area.top()..area.bottom() {
        let mut blank = true;
        for x in (area.left()..area.right()).rev() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                blank &= cell.symbol() == " " && cell.bg == ratatui::style::Color::Reset;
                if blank {
                    cell.set_style(rule);
                }
                cell.modifier.insert(Modifier::UNDERLINED);
            }
        }
    }
}

/// `line` in at most `width` columns: whole, or cut with "…" in the style of the span it cut
/// (a row of a list, which must stay one row and must not end mid-word without saying so).
pub fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.width();
        if used + w < width {
            used += w;
            spans.push(span);
            continue;
        }
        let text = crate::text::cut_end(&span.content, width - used);
        spans.push(Span::styled(text, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

/// `label` then `text`, wrapped at `width` with every line after the first indented under the
/// text (a hanging indent), never back to column 0.
pub fn hanging(label: &Span<'static>, text: &str, width: u16) -> Vec<Line<'static>> {
    let indent = label.width();
    let parts = wrap_indented(text, usize::from(width).saturating_sub(indent).max(8), 0);
    let mut lines = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let lead = if i == 0 {
            label.clone()
        } else {
            Span::raw(" ".repeat(indent))
        };
        lines.push(Line::from(vec![lead, Span::raw(part)]));
    }
    lines
}

/// Word-wrap `text` at `width` columns; lines after the first start `indent` columns in.
pub fn wrap_indented(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0;
        let limit = |out: &Vec<String>| {
            if out.is_empty() {
                width
            } else {
                width.saturating_sub(indent).max(1)
            }
        };
        for word in paragraph.split(' ') {
            let w = Line::raw(word).width();
            if line_width > 0 && line_width + 1 + w > limit(&out) {
                out.push(std::mem::take(&mut line));
                line_width = 0;
            }
            // A word longer than a line (a path, a URL) stays on one line, cut in the middle:
            // broken across lines, copying it with the mouse would break it. The wizard prints
            // every path whole when it ends.
            let mut word = word.to_owned();
            if w > width.saturating_sub(indent).max(1) {
                if line_width > 0 {
                    out.push(std::mem::take(&mut line));
                    line_width = 0;
                }
                word = crate::text::cut_middle(&word, limit(&out));
            }
            if line_width > 0 {
                line.push(' ');
                line_width += 1;
            }
            line_width += Line::raw(word.as_str()).width();
            line.push_str(&word);
        }
        out.push(line);
    }
    let pad = " ".repeat(indent);
    out.into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

/// A wrapped paragraph of lines.
pub fn prose(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Rows `lines` take when wrapped at `width`, with one spare row for word-wrap losses.
pub fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(rows + 1).unwrap_or(u16::MAX)
}

/// The spinner frame for a tick count.
pub fn spinner(tick: usize) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[tick % FRAMES.len()]
}

/// An answer kept nowhere else, on screen as the last resort: a heading saying what to copy
/// from it, then its text with control characters made visible.
pub fn raw_answer_lines(raw: &[u8], copy_what: &str, t: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("The raw answer (copy {copy_what} from it now):"),
        t.warning(),
    )];
    let text = String::from_utf8_lossy(raw);
    lines.extend(
        crate::text::visible(&text)
            .lines()
            .map(|l| Line::raw(l.to_owned())),
    );
    lines
}

pub fn single_line(text: &str, placeholder: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_owned()]);
    area.set_cursor_line_style(Style::default());
    area.set_placeholder_text(placeholder);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

pub fn multi_line(text: &str, placeholder: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut area = TextArea::new(lines);
    area.set_cursor_line_style(Style::default());
    area.set_placeholder_text(placeholder);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// A key for a text field that no table binds; Tab, Enter and Esc are always the wizard's.
pub fn type_into(input: &mut TextArea<'static>, action: Option<Action>, key: KeyEvent) {
    match action {
        Some(Action::ClearLine) => {
            // readline's Ctrl-U, for the whole line; undoable like any edit.
            input.move_cursor(CursorMove::End);
            input.delete_line_by_head();
        }
        Some(Action::Undo) => {
            input.undo();
        }
        Some(_) => {}
        None => {
            let ours = matches!(
                key.code,
                KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Esc
            );
            // Ctrl-M and Ctrl-J would break a line; the widget's own Ctrl-U undoes instead of
            // clearing: none of them reach it.
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            let odd = ctrl && matches!(key.code, KeyCode::Char('m' | 'j' | 'u' | 'z'));
            if !ours && !odd {
                input.input(key);
            }
        }
    }
}

/// Show the cursor in `input` when it has the keyboard (`on`), and its placeholder dimmed.
pub fn show_cursor(input: &mut TextArea<'static>, theme: Theme, on: bool) {
    input.set_placeholder_style(theme.placeholder());
    input.set_cursor_style(if on {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    });
}

/// A pasted token into a masked field: cleaned as a typed one is, on one line.
pub fn paste_token(input: &mut TextArea<'static>, text: &str) {
    input.insert_str(crate::secret::clean_token(text).replace(['\r', '\n'], ""));
}
