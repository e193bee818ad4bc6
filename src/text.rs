//! Outside text made safe to show a person. Webex answers, callback parameters and pasted text
//! can carry terminal control sequences (set the title, clear the screen, write the clipboard)
//! or bidirectional overrides (make text read differently than it is). Both front ends show
//! outside text only through [`visible`]; `--json` output stays exact JSON instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is.
fn is_hazard(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Whether `c` must not reach a terminal inside one line: new line and tab too.
pub fn is_line_hazard(c: char) -> bool {
    c == '\n' || c == '\t' || is_hazard(c)
}

/// `text` with every control character made visible: C0 (but new line and tab) and DEL as their
/// Unicode control pictures (`␛`, `␡`), C1 and bidirectional controls as `<U+009B>`.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !is_hazard(c) => out.push(c),
            '\u{7f}' => out.push('␡'),
            // U+2400 + n is the control picture of C0 character n.
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            c => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// [`visible`], for one line: new lines and tabs become visible too.
pub fn visible_line(text: &str) -> String {
    visible(text).replace('\n', "␊").replace('\t', "␉")
}

/// `text` in at most `width` columns: whole, or cut at the end with "…" (a name in a column).
pub fn cut_end(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` in at most `width` columns: whole, or its start and end around a "…" (a path or URL,
/// whose both ends say the most and which must stay on one line).
pub fn cut_middle(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width || width < 5 {
        return text.to_owned();
    }
    let head_room = (width - 1) / 2;
    let mut tail_room = width - 1 - head_room;
    let mut head = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_room {
            break;
        }
        used += w;
        head.push(c);
    }
    tail_room += head_room - used;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
}

/// Text made safe to put inside HTML (the callback pages, the sandbox's consent page).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        // Set the window title, clear the screen, write the clipboard, 8-bit CSI, DEL.
        let hostile = "ok\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{7f}";
        let shown = visible(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(shown, "ok␛]0;pwned␇␛[2J␛]52;c;ZXZpbA==␇<U+009B>31m␡");
    }

    #[test]
    fn new_lines_and_tabs_stay_and_plain_text_is_not_copied() {
        assert!(matches!(visible("a\tb\nc"), Cow::Borrowed(_)));
        assert_eq!(visible_line("a\tb\nc"), "a␉b␊c");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn bidirectional_overrides_are_shown() {
        let shown = visible("run \u{202E}txt.exe");
        assert_eq!(shown, "run <U+202E>txt.exe");
    }

    #[test]
    fn cut_text_fits_its_columns_and_says_it_was_cut() {
        assert_eq!(cut_end("short", 10), "short");
        assert_eq!(cut_end("integration-name", 8), "integra…");
        // Wide characters count as two columns.
        assert_eq!(cut_end("日本語のなまえ", 7), "日本語…");
        let path = "/home/admin/.local/share/webex-wizard/credentials/my-integration-Y2lz.json";
        let cut = cut_middle(path, 30);
        assert_eq!(unicode_width::UnicodeWidthStr::width(cut.as_str()), 30);
        assert!(
            cut.starts_with("/home/admin/") && cut.ends_with("-Y2lz.json"),
            "{cut}"
        );
        assert!(cut.contains('…'));
        assert_eq!(cut_middle(path, 200), path);
    }
}
