//! The Authorize step's handler.

use ratatui::crossterm::event::KeyCode;

use crate::tui::app::Step;
use crate::tui::steps::testing::{press, with_credentials};

#[test]
fn it_starts_on_the_loopback_url_with_every_scope_and_space_toggles() {
    let mut app = with_credentials(Step::Credentials);
    app.session.credentials.as_mut().unwrap().saved_to = Some("c.json".into());
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.step, Step::Authorize);
    let a = app.steps.authorize.as_ref().unwrap();
    assert_eq!(a.redirect, 0, "the loopback URL is chosen");
    assert!(a.scopes.iter().all(|(_, on)| *on));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    assert!(!app.steps.authorize.as_ref().unwrap().scopes[0].1);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Credentials);
}
