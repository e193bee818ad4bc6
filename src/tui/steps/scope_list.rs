//! The scope list: moving through it, choosing scopes and presets, and drawing its rows.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::catalog::{Audience, Catalog, FedrampAvailability, Scope};
use crate::tui::context::Session;

/// A preset offered above the scope list.
pub struct Preset {
    pub label: &'static str,
    pub scopes: &'static [&'static str],
}

/// The presets; a unit test checks that every scope is in the catalog.
pub const PRESETS: &[Preset] = &[
    Preset {
        label: "Read my profile",
        scopes: &["spark:people_read"],
    },
    Preset {
        label: "Messaging as a user",
        scopes: &[
            "spark:people_read",
            "spark:rooms_read",
            "spark:messages_read",
            "spark:messages_write",
        ],
    },
    Preset {
        label: "Admin audit",
        scopes: &["audit:events_read", "spark-admin:people_read"],
    },
    Preset {
        label: "Meetings (read)",
        scopes: &["meeting:schedules_read", "meeting:recordings_read"],
    },
];

/// One row of the scope list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRow {
    Header(Audience),
    PresetHeader,
    Preset(usize),
    Scope(usize),
}

impl ScopeRow {
    pub fn is_choosable(self) -> bool {
        matches!(self, ScopeRow::Preset(_) | ScopeRow::Scope(_))
    }
}

/// Step 4.
#[derive(Default)]
pub struct ScopeState {
    pub filter: String,
    pub rows: Vec<ScopeRow>,
    /// Index into `rows`; always a choosable row when there is one.
    pub cursor: usize,
    /// Chosen scopes, in the order they were chosen.
    pub chosen: Vec<String>,
    pub touched: bool,
}

impl ScopeState {
    /// Rebuild the visible scope rows for the current filter, keeping the cursor on the same row if it stays.
    pub fn refilter(&mut self, catalog: &Catalog) {
        let before = self.rows.get(self.cursor).copied();
        let needle = self.filter.trim().to_ascii_lowercase();
        let mut rows = Vec::with_capacity(catalog.scopes().len() + 10);
        if needle.is_empty() {
            rows.push(ScopeRow::PresetHeader);
            rows.extend((0..PRESETS.len()).map(ScopeRow::Preset));
        }
        let scopes = catalog.scopes();
        for audience in Audience::ALL {
            let header_at = rows.len();
            rows.extend(
                scopes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.audience == audience && s.matches(&needle))
                    .map(|(i, _)| ScopeRow::Scope(i)),
            );
            if rows.len() > header_at {
                rows.insert(header_at, ScopeRow::Header(audience));
            }
        }
        self.rows = rows;
        self.cursor = before
            .and_then(|b| self.rows.iter().position(|r| *r == b))
            .or_else(|| self.rows.iter().position(|r| r.is_choosable()))
            .unwrap_or(0);
    }

    pub fn scope_at(catalog: &Catalog, row: ScopeRow) -> Option<&Scope> {
        match row {
            ScopeRow::Scope(i) => catalog.scopes().get(i),
            _ => None,
        }
    }

    pub fn is_chosen(&self, name: &str) -> bool {
        self.chosen.iter().any(|c| c == name)
    }
    pub(super) fn move_cursor(&mut self, down: bool, steps: usize) {
        let rows = &self.rows;
        let mut at = self.cursor;
        for _ in 0..steps {
            let next = if down {
                (at + 1..rows.len()).find(|i| rows[*i].is_choosable())
            } else {
                (0..at).rev().find(|i| rows[*i].is_choosable())
            };
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        self.cursor = at;
    }

    pub(super) fn toggle_row(&mut self, catalog: &Catalog) {
        let Some(row) = self.rows.get(self.cursor).copied() else {
            return;
        };
        self.touched = true;
        match row {
            ScopeRow::Scope(i) => {
                let name = catalog.scopes()[i].name.clone();
                if let Some(at) = self.chosen.iter().position(|c| *c == name) {
                    self.chosen.remove(at);
                } else {
                    self.chosen.push(name);
                }
            }
            ScopeRow::Preset(p) => {
                let preset = &PRESETS[p];
                if preset.scopes.iter().all(|s| self.is_chosen(s)) {
                    self.chosen.retain(|c| !preset.scopes.contains(&c.as_str()));
                } else {
                    for s in preset.scopes {
                        if !self.is_chosen(s) {
                            self.chosen.push((*s).to_owned());
                        }
                    }
                }
            }
            ScopeRow::Header(_) | ScopeRow::PresetHeader => {}
        }
    }

    pub(super) fn row_line(
        &self,
        session: &Session,
        row: ScopeRow,
        name_width: usize,
        highlighted: bool,
    ) -> Line<'static> {
        let line = self.row_line_coloured(session, row, name_width, highlighted);
        if highlighted {
            // One highlight for the whole row, not a bar in several tones.
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            return Line::styled(text, session.theme.highlight());
        }
        line
    }

    fn row_line_coloured(
        &self,
        session: &Session,
        row: ScopeRow,
        name_width: usize,
        highlighted: bool,
    ) -> Line<'static> {
        let t = session.theme;
        let base = if highlighted {
            t.highlight()
        } else {
            Style::default()
        };
        match row {
            ScopeRow::PresetHeader => Line::styled("── Presets", t.title()),
            ScopeRow::Header(audience) => Line::styled(
                format!("── {} scopes", capitalise(audience.label())),
                t.title(),
            ),
            ScopeRow::Preset(p) => {
                let preset = &PRESETS[p];
                let on = preset.scopes.iter().filter(|s| self.is_chosen(s)).count();
                let mark = match on {
                    0 => "[ ]",
                    n if n == preset.scopes.len() => "[x]",
                    _ => "[-]",
                };
                Line::from(vec![
                    Span::styled(format!("{mark} ★ {}", preset.label), base),
                    Span::styled(
                        format!("  {}", preset.scopes.join(" ")),
                        t.dim().patch(base),
                    ),
                ])
            }
            ScopeRow::Scope(i) => {
                let scope = &session.catalog.scopes()[i];
                let chosen = self.is_chosen(&scope.name);
                let mark = if chosen { "[x]" } else { "[ ]" };
                let name = format!("{mark} {:<name_width$}", scope.name);
                // Chosen scopes stand out by more than their mark: bold, in the "done" colour.
                let name_style = if chosen {
                    t.ok().add_modifier(Modifier::BOLD).patch(base)
                } else {
                    base
                };
                Line::from(vec![
                    Span::styled(name, name_style),
                    Span::styled(fedramp_mark(scope), t.warning().patch(base)),
                    Span::styled(format!(" {}", scope.summary), t.dim().patch(base)),
                ])
            }
        }
    }

    pub(super) fn detail_lines(session: &Session, row: Option<ScopeRow>) -> Vec<Line<'static>> {
        let t = session.theme;
        match row {
            Some(ScopeRow::Scope(i)) => {
                let scope = &session.catalog.scopes()[i];
                let fedramp = match scope.fedramp {
                    FedrampAvailability::Yes => "offered on FedRAMP",
                    FedrampAvailability::No => "NOT offered on FedRAMP",
                    FedrampAvailability::Unknown => "FedRAMP availability unverified",
                };
                let mut head = format!("{} · {} · {}", scope.name, scope.audience.label(), fedramp);
                if scope.deprecated {
                    head.push_str(" · deprecated");
                }
                let mut body = scope.summary.clone();
                if let Some(note) = &scope.note {
                    body.push_str(" — ");
                    body.push_str(note);
                }
                vec![Line::styled(head, t.focused()), Line::raw(body)]
            }
            Some(ScopeRow::Preset(p)) => vec![
                Line::styled(format!("Preset: {}", PRESETS[p].label), t.focused()),
                Line::raw(format!(
                    "Space chooses {} (again: removes {}).",
                    PRESETS[p].scopes.join(", "),
                    if PRESETS[p].scopes.len() == 1 {
                        "it"
                    } else {
                        "them"
                    }
                )),
            ],
            _ => Vec::new(),
        }
    }
}

fn fedramp_mark(scope: &Scope) -> &'static str {
    match (scope.deprecated, scope.fedramp) {
        (true, _) => " deprecated",
        (false, FedrampAvailability::No) => " not on FedRAMP",
        _ => "",
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
