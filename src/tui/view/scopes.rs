//! Step 4: the scope picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::catalog::{FedrampAvailability, Scope};
use crate::tui::app::{App, PRESETS, ScopeRow};
use crate::tui::widgets::prose;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let s = &app.scopes;
    let [title, filter, list, detail, chosen] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(area);
    let matching = s
        .rows
        .iter()
        .filter(|r| matches!(r, ScopeRow::Scope(_)))
        .count();
    frame.render_widget(
        Line::from(vec![
            Span::styled("Scopes", t.title()),
            Span::raw(format!(
                "  {} chosen · {matching} of {} shown",
                s.chosen.len(),
                app.catalog.scopes().len()
            )),
        ]),
        title,
    );
    frame.render_widget(
        Line::from(vec![
            Span::styled("Filter: ", t.dim()),
            Span::raw(s.filter.clone()),
            Span::styled("▏", t.focused()),
            Span::styled(
                if s.filter.is_empty() {
                    "  type to filter by name or summary"
                } else {
                    ""
                },
                t.dim(),
            ),
        ]),
        filter,
    );

    let height = usize::from(list.height);
    // Keep two rows below the cursor in view.
    let offset = (s.cursor + 3).saturating_sub(height);
    let longest = app
        .catalog
        .scopes()
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0);
    let name_width = usize::from(list.width / 2).min(longest);
    for (slot, row) in s.rows.iter().skip(offset).take(height).enumerate() {
        let at = offset + slot;
        let line = row_line(app, *row, name_width, at == s.cursor);
        frame.render_widget(line, Rect::new(list.x, list.y + slot as u16, list.width, 1));
    }
    if s.rows.iter().all(|r| !r.is_choosable()) {
        frame.render_widget(
            Line::styled(
                "No scope matches; Backspace or Ctrl-U widens the filter.",
                t.warning(),
            ),
            list,
        );
    }

    let highlighted = s.rows.get(s.cursor).copied();
    frame.render_widget(prose(detail_lines(app, highlighted)), detail);
    let names = if s.chosen.is_empty() {
        Span::styled("none yet (Space chooses the highlighted scope)", t.dim())
    } else {
        Span::raw(s.chosen.join(", "))
    };
    frame.render_widget(
        prose(vec![Line::from(vec![
            Span::styled("Chosen: ", t.dim()),
            names,
        ])]),
        chosen,
    );
}

fn fedramp_mark(scope: &Scope) -> &'static str {
    match (scope.deprecated, scope.fedramp) {
        (true, _) => " deprecated",
        (false, FedrampAvailability::No) => " not on FedRAMP",
        _ => "",
    }
}

fn row_line(app: &App, row: ScopeRow, name_width: usize, highlighted: bool) -> Line<'static> {
    let t = app.theme;
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
            let scope = &app.catalog.scopes()[i];
            let mark = if app.is_chosen(&scope.name) {
                "[x]"
            } else {
                "[ ]"
            };
            let name = format!("{mark} {:<name_width$}", scope.name);
            Line::from(vec![
                Span::styled(name, base),
                Span::styled(fedramp_mark(scope), t.warning().patch(base)),
                Span::styled(format!(" {}", scope.summary), t.dim().patch(base)),
            ])
        }
    }
}

fn detail_lines(app: &App, row: Option<ScopeRow>) -> Vec<Line<'static>> {
    let t = app.theme;
    match row {
        Some(ScopeRow::Scope(i)) => {
            let scope = &app.catalog.scopes()[i];
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
                "Space chooses {} (again: removes them).",
                PRESETS[p].scopes.join(", ")
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
