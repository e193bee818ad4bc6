//! Moving through the scope list and choosing scopes and presets.

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
            let name = app.catalog.scopes()[i].name.clone();
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
