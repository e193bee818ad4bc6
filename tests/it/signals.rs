//! Signals while a create is on its way (issue 10, item 5): the first one waits for Webex's
//! answer and keeps it; a second one leaves at once with a note that the integration may
//! exist, which the wizard shows at its next start.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Action, Home, MockWebex, good_flags};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use webex_wizard::draft::Recovered;
use webex_wizard::tui::app::{Exit, Overlay, Step, TokenSource};
use webex_wizard::tui::message::Message;

const CREATED: &str =
    r#"{"id":"A1","clientId":"C1","clientSecret":"one-time-secret-42","name":"Audit Reader"}"#;

/// `create` against the mock, its stderr lines arriving on a channel.
fn spawn_create(home: &Home, mock: &MockWebex) -> (Child, mpsc::Receiver<String>) {
    let mut child = common::bare(home)
        .env("WEBEX_ADMIN_TOKEN", "admin-token")
        .args(["--api-base", &mock.base, "--timeout", "60"])
        .args(good_flags())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// Wait (at most 20 s) for a stderr line containing `text`.
fn wait_line(lines: &mpsc::Receiver<String>, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(text) => return line,
            Ok(_) => {}
            Err(e) => panic!("no line with {text:?} within 20 s ({e})"),
        }
    }
}

fn wait_for_post(mock: &MockWebex) {
    assert!(
        mock.wait_for("POST /v1/applications", Duration::from_secs(20)),
        "the create was never sent"
    );
}

fn kill(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

fn recovered(home: &Home) -> Vec<Recovered> {
    let dirs = webex_wizard::env::Dirs {
        data: home.path().join("data/webex-wizard"),
        state: home.path().join("state/webex-wizard"),
        store: webex_wizard::env::Store::File,
    };
    webex_wizard::draft::scan_recovery(&dirs)
}

#[test]
fn a_signal_during_create_waits_for_the_answer_and_keeps_it() {
    if common::missing(&["kill"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::AfterRelease(Box::new(Action::json(200, CREATED)))],
    );
    let (child, lines) = spawn_create(&home, &mock);
    wait_for_post(&mock);
    kill(&child, "TERM");
    wait_line(&lines, "Waiting for Webex's answer");
    mock.release();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143));
    let kept = recovered(&home);
    assert!(
        kept.iter()
            .any(|r| matches!(r, Recovered::Credentials { saved, .. }
            if saved.integration.client_id == "C1")),
        "{kept:?}"
    );
}

#[test]
fn a_second_signal_leaves_at_once_with_a_note_that_the_integration_may_exist() {
    if common::missing(&["kill"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![Action::Hang]);
    let (child, lines) = spawn_create(&home, &mock);
    wait_for_post(&mock);
    kill(&child, "INT");
    wait_line(&lines, "Waiting for Webex's answer");
    kill(&child, "TERM");
    let line = wait_line(&lines, "may exist");
    assert!(line.contains("Audit Reader"), "{line}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143));
    let kept = recovered(&home);
    assert!(
        kept.iter().any(
            |r| matches!(r, Recovered::PendingCreate { note, .. } if note.name == "Audit Reader")
        ),
        "{kept:?}"
    );
}

/// The wizard at Review with a valid form, on `mock`.
async fn wizard_at_review(mock: &MockWebex, root: &std::path::Path) -> common::tui::Harness {
    let mut h = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(root),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.key(KeyCode::Right).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.type_text("people_read").await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Review);
    h
}

#[tokio::test]
async fn the_wizard_waits_for_the_answer_on_a_signal_and_leaves_a_note_on_a_second() {
    // First: a signal, then the answer: kept, then the wizard stops.
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::AfterRelease(Box::new(Action::json(200, CREATED)))],
    );
    let root = tempfile::tempdir().unwrap();
    let mut h = wizard_at_review(&mock, root.path()).await;
    h.fire(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(h.app.is_sending());
    h.fire(Message::Signal(15));
    assert_eq!(h.app.exit, None, "the first signal waits");
    assert!(h.screen(80, 24).contains("Waiting for Webex's answer"));
    mock.release();
    h.pump_until(|app| app.exit.is_some()).await;
    assert_eq!(h.app.exit, Some(Exit::Signal(15)));
    let recovery = h.app.recovery_path().unwrap();
    assert!(
        std::fs::read_to_string(recovery)
            .unwrap()
            .contains("one-time-secret-42")
    );

    // Then: Ctrl-C twice while the request hangs: a note, shown at the next start.
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![Action::Hang]);
    let root = tempfile::tempdir().unwrap();
    let mut h = wizard_at_review(&mock, root.path()).await;
    h.fire(Message::Key(KeyEvent::from(KeyCode::Enter)));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    h.fire(Message::Key(ctrl_c));
    assert_eq!(h.app.exit, None);
    h.fire(Message::Key(ctrl_c));
    assert_eq!(h.app.exit, Some(Exit::Signal(2)));
    let mut next = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(root.path()),
    );
    next.start().await;
    assert!(matches!(
        next.app.overlays.last(),
        Some(Overlay::PendingCreate(_))
    ));
    let screen = next.screen(80, 24);
    assert!(
        screen.contains("Audit Reader") && screen.contains("may exist"),
        "{screen}"
    );
    next.key(KeyCode::Enter).await;
    assert!(
        !recovered_in(root.path())
            .iter()
            .any(|r| matches!(r, Recovered::PendingCreate { .. })),
        "the note is removed once understood"
    );
}

#[tokio::test]
async fn sigint_during_a_rotation_waits_for_the_new_secret_and_keeps_it() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(
            200,
            r#"{"items":[{"id":"A1","type":"integration","clientId":"C1","name":"Audit Reader","created":"2026-01-01"}]}"#,
        )],
    );
    mock.on(
        "DELETE /v1/applications/A1/clientSecret",
        vec![Action::AfterRelease(Box::new(Action::json(
            200,
            r#"{"clientSecret":"rotated-secret-77"}"#,
        )))],
    );
    let root = tempfile::tempdir().unwrap();
    let mut h = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(root.path()),
    );
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| app.step == Step::Connect).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| app.step == Step::Manage).await;
    h.pump_until(|app| {
        matches!(
            app.session.listing,
            webex_wizard::tui::app::Listing::Loaded(_)
        )
    })
    .await;
    h.key(KeyCode::Char('r')).await;
    h.type_text("Audit Reader").await;
    h.fire(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(h.app.secret_in_flight());
    h.fire(Message::Signal(2));
    assert_eq!(h.app.exit, None, "SIGINT must wait for the new secret");
    mock.release();
    h.pump_until(|app| app.exit.is_some()).await;
    assert_eq!(h.app.exit, Some(Exit::Signal(2)));
    let recovery = h.app.recovery_path().unwrap();
    assert!(
        std::fs::read_to_string(recovery)
            .unwrap()
            .contains("rotated-secret-77")
    );
}

#[test]
fn a_recovery_copy_cut_off_before_its_rename_is_offered() {
    let root = tempfile::tempdir().unwrap();
    let dirs = common::tui::dirs_in(root.path());
    let dir = dirs.recovery();
    std::fs::create_dir_all(&dir).unwrap();
    // What a SIGKILL during the fsync leaves: the hidden temporary file, never renamed.
    let left = dir.join(".webex-wizard-Xy12ab");
    std::fs::write(
        &left,
        r#"{"format":"webex-wizard.credentials.v1","apiBase":"https://api-usgov.webex.com/v1","clientId":"C9","clientSecret":"only-copy-9"}"#,
    )
    .unwrap();
    let old = std::time::SystemTime::now() - webex_wizard::draft::LEFTOVER_AGE;
    std::fs::File::options()
        .write(true)
        .open(&left)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let found = recovered_in(root.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        matches!(&found[0], Recovered::Credentials { .. }),
        "{found:?}"
    );
    assert!(!left.exists());
}

fn recovered_in(root: &std::path::Path) -> Vec<Recovered> {
    webex_wizard::draft::scan_recovery(&common::tui::dirs_in(root))
}
