//! Which keys work now: the top window's table, or the step's, and those that work
//! everywhere. The handler, the key bar and help all ask here.

use ratatui::crossterm::event::KeyEvent;

use super::app::App;
use super::keys::{Action, EVERYWHERE, Row, Typing, applying};
use super::overlays::overlay_table;

/// The bindings that apply now: the top window's, or the step's.
pub fn active(app: &App) -> Vec<Row> {
    match app.overlays.last() {
        Some(o) => applying(overlay_table(o), app, &app.session),
        None => super::route::step_keys(app),
    }
}

/// What `event` asks for now.
pub fn action(app: &App, event: &KeyEvent) -> Option<Action> {
    active(app)
        .into_iter()
        .find(|b| b.answers(event))
        .map(|b| b.action)
}

/// What `event` asks for among the keys that work everywhere (quit, help).
pub fn global_action(app: &App, event: &KeyEvent) -> Option<Action> {
    applying(EVERYWHERE, &Typing(app.typing()), &app.session)
        .into_iter()
        .find(|b| b.answers(event))
        .map(|b| b.action)
}

/// The key bar: what works now, most important first, help last.
pub fn bar(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys: Vec<(&str, &str)> = active(app)
        .into_iter()
        .filter(|b| !b.bar.is_empty())
        .map(|b| (b.label, b.bar))
        .collect();
    if app.overlays.is_empty() {
        // A step whose own bar already says "q quit" needs no "^C quit" beside it.
        let own_quit = keys.iter().any(|(_, bar)| *bar == "quit");
        if !own_quit {
            keys.push(("^C", "quit"));
        }
        keys.push(if app.typing() {
            ("F1", "help")
        } else {
            ("?", "help")
        });
    }
    keys
}
