//! A single-line text field drawn so that the visible window always follows the cursor and
//! never shows blank space while text is hidden to its left.
//!
//! ratatui-textarea keeps its horizontal scroll position between frames and only moves it far
//! enough to keep the cursor in view; after deleting from the end of a long line it can show
//! nothing but the cursor while the rest of the text sits left of the window. Here the window
//! is computed from the text and the cursor alone, every frame.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthChar;

/// One character as drawn: control characters (bidirectional ones too, see [`crate::text`]) as
/// a visible replacement, masked text as the mask. One glyph per character keeps the cursor
/// where it is in the text.
fn glyph(c: char, mask: Option<char>) -> (char, u16) {
    let c = match mask {
        Some(m) => m,
        None if crate::text::is_line_hazard(c) => '\u{FFFD}',
        None => c,
    };
    let width = u16::try_from(c.width().unwrap_or(1).max(1)).unwrap_or(1);
    (c, width)
}

/// The first character to draw: the one from which the rest of the text (and the cursor cell
/// after it) fits in `width` cells, or the cursor's own when that is further left. So the
/// window is always full of text when there is text to fill it, and the cursor (an index into
/// `widths`; `widths.len()` is the end) is always in it.
pub fn first_visible(widths: &[u16], cursor: usize, width: u16) -> usize {
    let cursor = cursor.min(widths.len());
    let mut tail = 1u32;
    let mut fill = widths.len();
    while fill > 0 && tail + u32::from(widths[fill - 1]) <= u32::from(width) {
        fill -= 1;
        tail += u32::from(widths[fill]);
    }
    fill.min(cursor)
}

/// Draw `input`'s first line into `area` (one row), with its cursor when `show_cursor`.
pub fn render(input: &TextArea<'_>, area: Rect, buf: &mut Buffer, show_cursor: bool) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let cursor_style = input.cursor_style();
    let line = input.lines().first().map_or("", String::as_str);
    if line.is_empty() {
        // The cursor cell comes first, as ratatui-textarea draws it, so fields line up.
        let x = area.x + 1;
        let first = if show_cursor {
            cursor_style
        } else {
            input.style()
        };
        buf[(area.x, area.y)].set_char(' ').set_style(first);
        let placeholder = input.placeholder_style().unwrap_or_default();
        let room = area.width.saturating_sub(x - area.x);
        buf.set_stringn(
            x,
            area.y,
            input.placeholder_text(),
            usize::from(room),
            placeholder,
        );
        return;
    }
    let glyphs: Vec<(char, u16)> = line.chars().map(|c| glyph(c, input.mask_char())).collect();
    let widths: Vec<u16> = glyphs.iter().map(|g| g.1).collect();
    let cursor = input.cursor().1;
    // A field without the keyboard shows its beginning.
    let start = if show_cursor {
        first_visible(&widths, cursor, area.width)
    } else {
        0
    };
    let right = area.x + area.width;
    let mut x = area.x;
    let style = input.style();
    for (i, (c, w)) in glyphs.iter().enumerate().skip(start) {
        if x + w > right {
            break;
        }
        let cell_style = if show_cursor && i == cursor {
            cursor_style
        } else {
            style
        };
        buf[(x, area.y)].set_char(*c).set_style(cell_style);
        x += w;
    }
    if show_cursor && cursor >= glyphs.len() && x < right {
        buf[(x, area.y)].set_char(' ').set_style(cursor_style);
    }
}

/// What the single-line field shows, for tests: the visible text of `line` at `cursor`.
pub fn visible_text(line: &str, cursor: usize, width: u16) -> String {
    let glyphs: Vec<(char, u16)> = line.chars().map(|c| glyph(c, None)).collect();
    let widths: Vec<u16> = glyphs.iter().map(|g| g.1).collect();
    let start = first_visible(&widths, cursor, width);
    let mut used = 0;
    glyphs[start..]
        .iter()
        .take_while(|(_, w)| {
            used += w;
            used <= width
        })
        .map(|(c, _)| *c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_cursor_and_never_hides_text_behind_blank_space() {
        let name = "Audit Reader";
        let long = format!("{name}{}", "x".repeat(110));
        // At the end of the long text: the tail, cursor cell included.
        let tail = visible_text(&long, long.chars().count(), 20);
        assert_eq!(tail, "x".repeat(19));
        // After deleting back to the name: the whole name shows, not a blank window.
        assert_eq!(visible_text(name, name.len(), 20), name);
        // Home on a long line: its start.
        assert!(visible_text(&long, 0, 20).starts_with("Audit Reader"));
        // The cursor in the middle stays in view.
        let mid = 60;
        let start = first_visible(&vec![1; long.len()], mid, 20);
        assert!(start <= mid && mid < start + 20, "{start}");
    }

    #[test]
    fn wide_characters_and_control_characters_take_cells_they_are_drawn_in() {
        let text = "日本語\u{1b}[2J\u{202E}\t";
        let shown = visible_text(text, text.chars().count(), 40);
        assert!(shown.starts_with("日本語\u{FFFD}"), "{shown}");
        assert!(!shown.contains(['\u{1b}', '\u{202E}', '\t']), "{shown:?}");
    }
}
