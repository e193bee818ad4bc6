//! The scope list: moving through it, choosing scopes and presets, and drawing its rows.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::catalog::{FedrampAvailability, Scope};
use crate::tui::app::{App, PRESETS, ScopeRow};

pub(super) fn move_cursor(app: &mut App, down: bool, steps: usize) {
    let rows = &app.scopes.rows;
    let mut at = app.scopes.cursor;
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
    app.scopes.cursor = at;
}

pub(super) fn toggle_row(app: &mut App) {
    let Some(row) = app.scopes.rows.get(app.scopes.cursor).copied() else {
        return;
    };
    app.scopes.touched = true;
    match row {
        ScopeRow::Scope(i) => {
            let name = app.session.catalog.scopes()[i].name.clone();
            if let Some(at) = app.scopes.chosen.iter().position(|c| *c == name) {
                app.scopes.chosen.remove(at);
            } else {
                app.scopes.chosen.push(name);
            }
        }
        ScopeRow::Preset(p) => {
            let preset = &PRESETS[p];
            if preset.scopes.iter().all(|s| app.is_chosen(s)) {
                app.scopes
                    .chosen
                    .retain(|c| !preset.scopes.contains(&c.as_str()));
            } else {
                for s in preset.scopes {
                    if !app.is_chosen(s) {
                        app.scopes.chosen.push((*s).to_owned());
                    }
                }
            }
        }
        ScopeRow::Header(_) | ScopeRow::PresetHeader => {}
    }
}

fn fedramp_mark(scope: &Scope) -> &'static str {
    match (scope.deprecated, scope.fedramp) {
        (true, _) => " deprecated",
        (false, FedrampAvailability::No) => " not on FedRAMP",
        _ => "",
    }
}

pub(super) fn row_line(
    app: &App,
    row: ScopeRow,
    name_width: usize,
    highlighted: bool,
) -> Line<'static> {
    let line = row_line_coloured(app, row, name_width, highlighted);
    if highlighted {
        // One highlight for the whole row, not a bar in several tones.
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        return Line::styled(text, app.session.theme.highlight());
    }
    line
}

fn row_line_coloured(
    app: &App,
    row: ScopeRow,
    name_width: usize,
    highlighted: bool,
) -> Line<'static> {
    let t = app.session.theme;
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
            let on = preset.scopes.iter().filter(|s| app.is_chosen(s)).count();
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
            let scope = &app.session.catalog.scopes()[i];
            let chosen = app.is_chosen(&scope.name);
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

pub(super) fn detail_lines(app: &App, row: Option<ScopeRow>) -> Vec<Line<'static>> {
    let t = app.session.theme;
    match row {
        Some(ScopeRow::Scope(i)) => {
            let scope = &app.session.catalog.scopes()[i];
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

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
