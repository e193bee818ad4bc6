//! The Manage step's handler and screen.

use super::super::testing::{app_on, press, type_text};
use super::*;
use crate::tui::app::App;
use serde_json::json;

fn loaded() -> App {
    let mut app = app_on(Step::Manage);
    app.session.admin.token = Some(secrecy::SecretString::from("admin"));
    crate::tui::update::update(
        &mut app,
        crate::tui::message::Message::AppsListed(Ok(vec![
            json!({"id": "A1", "name": "Old", "type": "integration", "created": "2026-01-01"}),
            json!({"id": "A2", "name": "New", "type": "integration", "created": "2026-02-01"}),
        ])),
    );
    app
}

#[test]
fn newest_first_and_rotation_is_confirmed_before_it_is_sent() {
    let mut app = loaded();
    let Listing::Loaded(apps) = &app.session.listing else {
        panic!()
    };
    assert_eq!(apps[0]["name"], "New");
    assert!(
        press(&mut app, KeyCode::Char('r')).is_empty(),
        "sent before confirmation"
    );
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "rotated by a bare Enter"
    );
    type_text(&mut app, "New");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::RotateSecret { application, .. }] if application["id"] == "A2")
    );
}

#[test]
fn delete_needs_the_exact_name() {
    let mut app = loaded();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "old");
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "deleted with a wrong name"
    );
    assert!(app.notice.is_some());
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "Old");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "A1"));
}

#[test]
fn an_application_without_a_name_is_never_deleted_by_a_bare_enter() {
    let mut app = app_on(Step::Manage);
    app.session.admin.token = Some(secrecy::SecretString::from("admin"));
    crate::tui::update::update(
        &mut app,
        crate::tui::message::Message::AppsListed(Ok(vec![json!({"id": "B1", "type": "bot"})])),
    );
    press(&mut app, KeyCode::Char('d'));
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "deleted by a bare Enter"
    );
    type_text(&mut app, "B1");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "B1"));
}

#[test]
fn ctrl_u_clears_the_confirmation_field() {
    use super::super::testing::ctrl;
    let mut app = loaded();
    press(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "Nwe");
    ctrl(&mut app, 'u');
    type_text(&mut app, "New");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "A2"));
}

#[test]
fn an_empty_list_offers_nothing_to_open_or_change() {
    let mut app = app_on(Step::Manage);
    crate::tui::update::update(
        &mut app,
        crate::tui::message::Message::AppsListed(Ok(vec![])),
    );
    let offered: Vec<&str> = State::KEYS
        .iter()
        .filter(|b| (b.when)(&app.steps.manage, &app.session))
        .map(|b| b.bar)
        .collect();
    for key in ["new secret", "update", "delete", "details"] {
        assert!(!offered.contains(&key), "{key} offered on an empty list");
    }
}

/// Walk finding: 8 rows at any size and no word of the rest. The list takes half the page
/// and says which of how many it shows.
#[test]
fn a_long_list_says_which_rows_it_shows() {
    let mut app = app_on(Step::Manage);
    app.session.admin.token = Some(secrecy::SecretString::from("admin"));
    let apps: Vec<Value> = (1..=30)
        .map(|n| json!({"id": format!("A{n}"), "name": format!("App {n:02}"), "type": "integration", "created": "2026-01-01"}))
        .collect();
    crate::tui::update::update(&mut app, crate::tui::message::Message::AppsListed(Ok(apps)));
    let screen = |app: &App| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| crate::tui::view::draw(app, f)).unwrap();
        format!("{:?}", terminal.backend().buffer())
    };
    let first = screen(&app);
    assert!(first.contains("of 30, ↑↓ for more"), "{first}");
    assert!(
        first.contains("App 12"),
        "more than 8 rows at 120x40: {first}"
    );
    for _ in 0..29 {
        press(&mut app, KeyCode::Down);
    }
    let last = screen(&app);
    assert!(last.contains("App 30") && last.contains("of 30"), "{last}");
}

/// Leaving an update's form empties it and saves no draft: the application's fields must not
/// come back as the user's own work (a new integration, a bot, or the next start's offer).
#[test]
fn leaving_an_update_empties_the_form_and_saves_no_draft() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.step, Step::Details);
    assert_eq!(
        app.draft().name,
        "New",
        "the update's form is the application"
    );
    let effects = press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Manage);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SaveDraft(_))),
        "{effects:?}"
    );
    assert_eq!(app.draft(), crate::integration::IntegrationDraft::default());
    assert!(app.session.update_from.is_none() && app.session.updating.is_none());
    // A second update opens on its first field.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!((app.step, app.steps.details.focus), (Step::Details, 0));
    assert_eq!(app.draft().name, "Old");
}

/// A rotation whose recovery copy could not be written keeps saying so after the new secret
/// is proven (the proof's words used to replace the warning at once).
#[test]
fn a_rotations_missing_recovery_copy_outlives_the_proof() {
    let mut app = loaded();
    app.steps.manage.busy = Some(ROTATING);
    let saved = serde_json::from_str(
        r#"{"apiBase":"https://api-usgov.webex.com/v1","clientId":"C2","clientSecret":"NEW","name":"New","redirectUrls":["http://localhost:8080/callback"],"scopes":["spark:people_read"]}"#,
    )
    .expect("a credentials file");
    let full = crate::files::SaveError::Io {
        path: "/state/recovery.json".into(),
        source: std::io::Error::from(std::io::ErrorKind::StorageFull),
    };
    let effects = crate::tui::update::update(
        &mut app,
        crate::tui::message::Message::Rotated(Box::new(Ok(Created {
            saved,
            recovery: Err(full),
            superseded: vec!["old.json".into()],
        }))),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::ProveSecret(_)]),
        "{effects:?}"
    );
    assert_eq!(app.step, Step::Credentials);
    crate::tui::update::update(
        &mut app,
        crate::tui::message::Message::SecretProven {
            words: "Not proven: no saved tokens of this integration.".into(),
            works: true,
        },
    );
    let notice = app.notice.as_ref().expect("a message");
    assert!(notice.is_error, "{notice:?}");
    for said in [
        "No recovery copy could be written",
        "old.json",
        "Not proven",
    ] {
        assert!(notice.text.contains(said), "{said}: {notice:?}");
    }
}

/// While a rotation is on its way its one-time secret is coming back here: Esc does not
/// leave, and `q` elsewhere waits for the answer as Ctrl-C does.
#[test]
fn nothing_leaves_while_a_rotation_is_on_its_way() {
    let mut app = loaded();
    app.steps.manage.busy = Some(ROTATING);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Manage, "left while rotating");
    assert!(app.secret_in_flight());
    let effects = crate::tui::leaving::ask_or_quit(&mut app);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.exit, None, "quit with the new secret on its way");
    assert_eq!(app.stop_after_create, Some(2));
}
