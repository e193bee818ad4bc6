//! What a new user tripped over in the wizard (issue 9): nothing typed is mangled, messages go
//! when their cause does, what is shown can be used, nothing is cut off, help is complete.

use crate::common;

use base64::Engine;
use ratatui::crossterm::event::KeyCode;
use webex_wizard::tui::app::{AuthPhase, Overlay, Step, TokenSource, TokenStatus};
use webex_wizard::tui::message::Message;

use common::MockWebex;
use common::tui::{Harness, dirs_in};

/// A wizard on a mock whose token check passes, on the Details step.
async fn on_details(root: &std::path::Path) -> (MockWebex, Harness) {
    let mock = MockWebex::start();
    let mut h = Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        dirs_in(root),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
    (mock, h)
}

/// From a typed redirect URL: create with `people_read` and wait for the credentials.
async fn to_credentials(h: &mut Harness) {
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.type_text("people_read").await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| app.step == Step::Credentials).await;
}

/// From a typed redirect URL: create, save the secret, start authorizing, and wait until the
/// authorization URL is shown.
async fn to_authorize_waiting(h: &mut Harness) {
    to_credentials(h).await;
    h.key(KeyCode::Char('s')).await;
    h.key(KeyCode::Char('a')).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| {
        matches!(app.steps.authorize.as_ref().map(|a| &a.phase), Some(AuthPhase::Waiting { url, .. }) if !url.is_empty())
    })
    .await;
}

/// The key bar: the last line of the screen.
fn key_bar(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

#[tokio::test]
async fn a_typed_redirect_url_is_sent_exactly_and_the_suggestion_takes_one_key() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.fill_details().await;
    let screen = h.screen(80, 24);
    assert!(key_bar(&screen).contains("→ use suggestion"), "{screen}");
    assert!(
        screen.contains("→ takes http://localhost:8080/callback"),
        "{screen}"
    );
    h.type_text("http://127.0.0.1:9000/cb").await;
    assert_eq!(h.app.draft().redirect_urls, ["http://127.0.0.1:9000/cb"]);
    // The suggestion is gone from a line that holds text.
    assert!(!key_bar(&h.screen(80, 24)).contains("suggestion"));
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Right).await;
    assert_eq!(
        h.app.draft().redirect_urls,
        ["http://127.0.0.1:9000/cb", "http://localhost:8080/callback"]
    );
    // Once listed, it is not offered again.
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Right).await;
    assert_eq!(h.app.draft().redirect_urls.len(), 2);
}

#[tokio::test]
async fn ctrl_u_clears_the_field_and_ctrl_z_undoes_everywhere() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.send(Message::Paste("Pasted Name".into())).await;
    h.ctrl('u').await;
    assert_eq!(h.app.draft().name, "", "Ctrl-U clears the line");
    h.ctrl('z').await;
    assert_eq!(h.app.draft().name, "Pasted Name", "Ctrl-Z undoes the clear");
    h.ctrl('z').await;
    assert_eq!(h.app.draft().name, "", "and then the paste");
    // The same in a redirect line.
    h.fill_details().await;
    h.type_text("https://x.example/cb").await;
    h.ctrl('u').await;
    assert!(h.app.draft().redirect_urls.is_empty());
    h.ctrl('z').await;
    assert_eq!(h.app.draft().redirect_urls, ["https://x.example/cb"]);
}

#[tokio::test]
async fn a_field_that_holds_text_never_looks_empty() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.type_text("Audit Reader").await;
    h.send(Message::Paste("x".repeat(110))).await;
    for width in [80, 120] {
        assert!(h.screen(width, 24).contains("xxxxxxxxxx"));
    }
    for _ in 0..110 {
        h.key(KeyCode::Backspace).await;
    }
    assert_eq!(h.app.draft().name, "Audit Reader");
    for width in [80, 120] {
        let screen = h.screen(width, 24);
        let name_line = screen.lines().find(|l| l.contains("Name")).unwrap();
        assert!(name_line.ends_with("Audit Reader"), "{screen}");
    }
}

#[tokio::test]
async fn an_untouched_form_leaves_no_draft_and_a_draft_resumes_where_it_was_left() {
    let root = tempfile::tempdir().unwrap();
    let (mock, mut h) = on_details(root.path()).await;
    h.ctrl('c').await;
    assert!(
        !webex_wizard::draft::path(&h.dirs).exists(),
        "nothing typed, no draft"
    );

    let mut h = Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    h.start().await;
    assert!(h.app.overlays.is_empty(), "no draft is offered");
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.key(KeyCode::Right).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Scopes);
    h.ctrl('c').await;

    let mut again = Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    again.start().await;
    assert!(matches!(
        again.app.overlays.last(),
        Some(Overlay::ResumeDraft(_))
    ));
    again.key(KeyCode::Enter).await;
    assert_eq!(again.app.step, Step::Scopes, "back where the user left");
    assert_eq!(again.app.draft().name, "Audit Reader");
}

#[tokio::test]
async fn problem_messages_go_away_once_their_cause_is_fixed() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    for _ in 0..3 {
        h.key(KeyCode::Tab).await;
    }
    h.key(KeyCode::Enter).await;
    assert!(h.screen(80, 24).contains("Fix the marked field"));
    h.type_text("Audit Reader").await;
    assert!(
        !h.screen(80, 24).contains("Fix the marked field"),
        "{}",
        h.screen(80, 24)
    );

    h.key(KeyCode::Tab).await;
    h.type_text("d").await;
    h.key(KeyCode::Tab).await;
    h.type_text("a@agency.example.gov").await;
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert!(h.screen(80, 24).contains("Add at least one redirect URL"));
    h.type_text("https://x.example/cb").await;
    assert!(!h.screen(80, 24).contains("Add at least one redirect URL"));

    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Scopes);
    h.key(KeyCode::Enter).await;
    assert!(h.screen(80, 24).contains("Choose at least one scope"));
    h.type_text("people_read").await;
    h.key(KeyCode::Char(' ')).await;
    assert!(!h.screen(80, 24).contains("Choose at least one scope"));
}

#[tokio::test]
async fn esc_after_asking_for_another_token_returns_to_the_sandbox_token() {
    let sandbox = common::sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    h.key(KeyCode::Char('t')).await;
    assert!(h.app.connect_wants_token());
    assert!(
        key_bar(&h.screen(80, 24)).contains("Esc"),
        "{}",
        h.screen(80, 24)
    );
    h.key(KeyCode::Esc).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    assert_eq!(h.app.session.admin.source, TokenSource::Demo);
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
}

#[tokio::test]
async fn review_copies_the_exact_curl_scrolls_to_its_end_and_opens_at_the_top() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.fill_details().await;
    h.type_text("https://app.agency.example.gov/a-rather-long-path/that/goes/on/and/on/callback")
        .await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.type_text("people_read").await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Review);
    let screen = h.screen(80, 24);
    // Nothing is wrapped inside a string: every JSON line on screen is whole or cut, never
    // continued on the next row.
    assert!(screen.contains("\"type\": \"integration\""), "{screen}");
    assert!(screen.contains("more line"), "{screen}");
    assert!(screen.contains("long lines go on"), "{screen}");

    h.key(KeyCode::Char('y')).await;
    let curl = h.app.draft().curl_command(&h.app.session.env.base);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&curl);
    assert!(
        h.terminal_output()
            .ends_with(&format!("\x1b]52;c;{encoded}\x07"))
    );

    for _ in 0..200 {
        h.key(KeyCode::Down).await;
    }
    let end = h.app.steps.review.scroll;
    assert!(end > 0 && end < 200, "scrolling stops at the end ({end})");
    let screen = h.screen(80, 24);
    assert!(screen.contains("--data-raw"), "{screen}");
    assert!(!screen.contains("more line"), "{screen}");
    h.key(KeyCode::Up).await;
    assert_eq!(
        h.app.steps.review.scroll,
        end - 1,
        "one Up moves one line back"
    );

    h.key(KeyCode::Esc).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.steps.review.scroll, 0, "Review opens at the top");
}

#[tokio::test]
async fn nothing_is_cut_off_at_80x24() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.fill_details().await;
    h.type_text("http://app.agency.example.gov/cb").await;
    let screen = h.screen(80, 24);
    // The whole message, wrapped under the field, not at column 0.
    let joined: String = screen.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains("localhost, 127.0.0.1 or [::1])"),
        "{screen}"
    );
    let problem: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains('✗'))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(problem.len() > 1, "{screen}");
    for line in &problem {
        assert!(
            line.starts_with(&" ".repeat(17)),
            "wrapped at column 0: {line:?}"
        );
    }
    // Below the size the wizard is laid out for, it says so instead of hiding fields.
    let small = h.screen(60, 15);
    assert!(small.contains("needs at least 80x24"), "{small}");
}

#[tokio::test]
async fn a_small_terminal_never_hides_an_unstored_secret() {
    let sandbox = common::sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = fresh_secret(&sandbox, root.path()).await;
    let small = h.screen(60, 15);
    assert!(small.contains("not stored yet"), "{small}");
    let client_id = h
        .app
        .session
        .credentials
        .as_ref()
        .unwrap()
        .saved
        .integration
        .client_id
        .clone();
    assert!(
        small.replace('\n', "").contains(&client_id[..20]),
        "{small}"
    );
    h.key(KeyCode::Char('r')).await;
    let secret = common::expose(
        &h.app
            .session
            .credentials
            .as_ref()
            .unwrap()
            .saved
            .integration
            .client_secret,
    );
    assert!(
        h.screen(60, 15)
            .replace(['\n', ' '], "")
            .contains(&secret[..16]),
        "{}",
        h.screen(60, 15)
    );
}

#[tokio::test]
async fn help_lists_every_key_of_every_step_and_leaves_the_key_bar_visible() {
    let root = tempfile::tempdir().unwrap();
    let (_mock, mut h) = on_details(root.path()).await;
    h.key(KeyCode::F(1)).await;
    assert!(matches!(h.app.overlays.last(), Some(Overlay::Help(_))));
    let lines = webex_wizard::tui::view::help_text(&h.app, 72).join("\n");
    for &step in Step::ALL {
        assert!(
            lines.contains(step.title()),
            "no section for {}",
            step.title()
        );
        for b in step.keys().iter().filter(|b| !b.label.is_empty()) {
            let first_words: String = b.help.split(' ').take(3).collect::<Vec<_>>().join(" ");
            assert!(lines.contains(b.label), "{}: {}", step.title(), b.label);
            assert!(lines.contains(&first_words), "{}: {}", step.title(), b.help);
        }
    }
    let screen = h.screen(80, 24);
    assert!(key_bar(&screen).contains("close help"), "{screen}");
    // Wrapped help lines go on under the description, not at the box's edge.
    let narrow = webex_wizard::tui::view::help_text(&h.app, 40);
    let continued: Vec<&String> = narrow
        .iter()
        .filter(|l| l.starts_with(' ') || l.is_empty())
        .collect();
    assert!(
        continued.iter().any(|l| !l.is_empty()),
        "nothing wrapped at 40 columns"
    );
    for line in continued.iter().filter(|l| !l.is_empty()) {
        assert!(line.starts_with(&" ".repeat(12)), "{line:?}");
    }
    let before = screen.clone();
    for _ in 0..5 {
        h.key(KeyCode::Down).await;
    }
    assert_ne!(h.screen(80, 24), before, "help scrolls");
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlays.is_empty());
}

#[tokio::test]
async fn a_browser_that_could_not_open_is_information_not_an_error() {
    let sandbox = common::approving_sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.type_text("https://app.agency.example.gov/cb").await;
    to_authorize_waiting(&mut h).await;
    h.send(Message::BrowserOpened(
        webex_wizard::authorization::BrowserLaunch::NotOpened("no display".into()),
    ))
    .await;
    assert!(h.app.notice.as_ref().is_none_or(|n| !n.is_error));
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("No browser was opened here (no display)"),
        "{screen}"
    );
    // Off loopback, the QR code is offered and shows.
    h.ctrl('q').await;
    assert!(h.screen(120, 72).contains('▀'), "{}", h.screen(120, 72));
}

#[tokio::test]
async fn a_terminal_copy_alone_is_not_storage_and_quitting_still_asks() {
    let sandbox = common::sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.key(KeyCode::Right).await;
    to_credentials(&mut h).await;
    // OSC 52 goes to the terminal (this harness has no clipboard tool), unconfirmed.
    h.key(KeyCode::Char('c')).await;
    assert!(h.terminal_output().contains("\x1b]52;c;"));
    let screen = h.screen(80, 24);
    assert!(screen.contains("can't be confirmed"), "{screen}");
    assert!(h.app.secret_at_risk());
    h.key(KeyCode::Char('q')).await;
    assert!(matches!(h.app.overlays.last(), Some(Overlay::ConfirmQuit)));
    // Copied: "stored it myself" is a word to type, never one habitual key.
    assert!(
        h.screen(80, 24).contains("Type \"kept\""),
        "{}",
        h.screen(80, 24)
    );
    h.key(KeyCode::Char('y')).await;
    let recovery = h.app.recovery_path().unwrap();
    assert!(recovery.exists(), "quitting anyway keeps the recovery copy");
}

/// The wizard on Credentials with a fresh secret on `sandbox`.
async fn fresh_secret(sandbox: &common::Sandbox, root: &std::path::Path) -> Harness {
    let mut h = Harness::on_sandbox(sandbox, root).await;
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.key(KeyCode::Right).await;
    to_credentials(&mut h).await;
    h
}

#[tokio::test]
async fn s_in_the_quit_question_saves_and_only_the_typed_word_says_stored() {
    let sandbox = common::sandbox();
    // Unrevealed and unsaved: q then s (as the screen says, "save it") saves, then quits.
    let root = tempfile::tempdir().unwrap();
    let mut h = fresh_secret(&sandbox, root.path()).await;
    let recovery = h.app.recovery_path().unwrap().clone();
    h.key(KeyCode::Char('q')).await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("s: save and quit"), "{screen}");
    assert!(
        !screen.contains("Type \"kept\""),
        "offered before the secret was seen: {screen}"
    );
    h.key(KeyCode::Char('s')).await;
    h.pump_until(|app| app.exit.is_some()).await;
    let saved = h
        .app
        .session
        .credentials
        .as_ref()
        .unwrap()
        .saved_to
        .clone()
        .unwrap();
    let secret = common::expose(
        &h.app
            .session
            .credentials
            .as_ref()
            .unwrap()
            .saved
            .integration
            .client_secret,
    );
    assert!(std::fs::read_to_string(&saved).unwrap().contains(&secret));
    assert!(!recovery.exists(), "stored, so the recovery copy went");

    // Never seen: typing the word does nothing, and the recovery copy stays.
    let root = tempfile::tempdir().unwrap();
    let mut h = fresh_secret(&sandbox, root.path()).await;
    h.key(KeyCode::Char('q')).await;
    h.type_text("kept").await;
    assert_eq!(h.app.exit, None);
    assert!(!h.app.session.credentials.as_ref().unwrap().is_stored());

    // Revealed: typing "kept" says it was stored elsewhere, and quits.
    h.key(KeyCode::Esc).await;
    h.key(KeyCode::Char('r')).await;
    h.key(KeyCode::Char('q')).await;
    assert!(
        h.screen(80, 24).contains("Type \"kept\""),
        "{}",
        h.screen(80, 24)
    );
    h.type_text("kept").await;
    assert!(h.app.exit.is_some());
    assert!(h.app.session.credentials.as_ref().unwrap().is_stored());
}

#[tokio::test]
async fn over_ssh_the_wizard_shows_the_tunnel_and_takes_a_pasted_address_while_listening() {
    let sandbox = common::approving_sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    h.app.session.remote = Some(webex_wizard::authorization::RemoteSession {
        login: Some("alice@10.0.0.2".into()),
    });
    let port = common::free_port();
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.type_text(&format!("http://127.0.0.1:{port}/cb")).await;
    to_authorize_waiting(&mut h).await;
    let screen = h.screen(100, 30);
    // Both ports: the listener's, and the sandbox's, whose /authorize page the browser loads.
    let api = sandbox.addr().port();
    assert!(
        screen.contains(&format!(
            "ssh -L {port}:127.0.0.1:{port} -L {api}:127.0.0.1:{api} alice@10.0.0.2"
        )),
        "{screen}"
    );
    let url = match &h.app.steps.authorize.as_ref().unwrap().phase {
        AuthPhase::Waiting { url, .. } => url.clone(),
        _ => unreachable!(),
    };
    // Ctrl-O starts no browser here: it would open on the wrong machine.
    let effects = webex_wizard::tui::update::update(
        &mut h.app,
        Message::Key(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char('o'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, webex_wizard::tui::effects::Effect::OpenBrowser(_))),
        "{effects:?}"
    );
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("SSH session")),
        "{}",
        h.screen(100, 30)
    );
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let landed = no_redirects.get(&url).send().await.unwrap();
    let location = landed.headers()["location"].to_str().unwrap().to_owned();
    // The pasted address lands in the field shown while listening; Enter sends it.
    h.send(Message::Paste(location)).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| app.step == Step::Tokens).await;
}
