//! Colours, or none: `NO_COLOR` leaves only bold, reverse and underline.

use ratatui::style::{Color, Modifier, Style};

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// Secondary text: a mid grey that reads on dark and light backgrounds alike.
    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::Indexed(244))
        } else {
            Style::default()
        }
    }
    /// Example text in an empty field: grey, or dim italics without colour.
    pub fn placeholder(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC | Modifier::DIM)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn focused(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn highlight(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn secret(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
}
