//! The wizard's first screen, and its Manage and Test-a-token paths, on the sandbox: the real
//! update function, effects and HTTP.

use crate::common;

use common::tui::Harness;
use common::{Home, expose, run, wizard};
use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;
use webex_wizard::sandbox::Answers;
use webex_wizard::tui::app::{Listing, Step};

/// An integration made with the CLI; its client ID and secret.
fn created(sandbox: &common::Sandbox, home: &Home) -> (String, String) {
    let file = home.path().join("made.json");
    let r = run(wizard(home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str()])
        .args(common::good_flags())
        .arg("--save")
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    (
        v["clientId"].as_str().unwrap().to_owned(),
        v["clientSecret"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_lists_rotates_with_the_credentials_screen_and_deletes_after_the_name() {
    manage_rotate_and_delete(Answers::Documented).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_rotates_and_deletes_with_the_observed_answers() {
    manage_rotate_and_delete(Answers::Observed).await;
}

/// Manage → rotate (the Credentials screen) → delete, on a sandbox giving `answers`.
#[expect(
    clippy::too_many_lines,
    reason = "one walk through Manage: list, rotate, save beside the old file, delete"
)]
async fn manage_rotate_and_delete(answers: Answers) {
    let sandbox = common::sandbox_with(common::SandboxConfig {
        answers,
        ..Default::default()
    });
    let home = Home::new();
    let (client_id, old_secret) = created(&sandbox, &home);
    // A copy of the old secret saved in the data folder, as the wizard's s leaves it.
    let dirs = common::tui::dirs_in(home.path());
    std::fs::create_dir_all(dirs.credentials()).unwrap();
    let old_copy = dirs.credentials().join("audit-reader.json");
    std::fs::copy(home.path().join("made.json"), &old_copy).unwrap();
    // And under the name the wizard's s gives it: the new secret's s must not be refused by it.
    let short: String = client_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let default_copy = dirs
        .credentials()
        .join(format!("audit-reader-{short}.json"));
    std::fs::copy(home.path().join("made.json"), &default_copy).unwrap();
    let token = expose(sandbox.admin_token());
    let mut h = Harness::new(
        sandbox.base().as_str(),
        Some((&token, webex_wizard::tui::app::TokenSource::Demo)),
        dirs,
    );
    h.launch().await;
    assert_eq!(h.app.step, Step::Start);
    assert!(h.screen(80, 24).contains("▸ Create an integration"));
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Connect);
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Manage, "{}", h.screen(80, 24));
    let Listing::Loaded(apps) = &h.app.session.listing else {
        panic!("{}", h.screen(80, 24))
    };
    assert_eq!(apps.len(), 1);
    assert!(h.screen(80, 24).contains("Audit Reader"));

    // A new secret: confirmed, then the Credentials screen with the same client ID.
    h.key(KeyCode::Char('r')).await;
    assert!(h.screen(80, 24).contains("The old one stops working"));
    // Never by a bare Enter: the old secret dies at once.
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Manage, "rotated by a bare Enter");
    h.type_text("Audit Reader").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(80, 24));
    let c = h.app.session.credentials.as_ref().unwrap();
    assert_eq!(c.saved.integration.client_id, client_id);
    // The documented rotation answer is only the secret: the name comes from the list.
    assert_eq!(c.saved.integration.name.as_deref(), Some("Audit Reader"));
    assert_ne!(
        c.saved.integration.client_secret.expose_secret(),
        old_secret
    );
    assert!(c.recovery.is_some(), "no recovery copy of the new secret");
    let notice = h
        .app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.contains("Superseded") && notice.contains("audit-reader.json"),
        "{notice}"
    );
    assert!(!h.screen(120, 40).contains(&old_secret));
    // s saves the new secret beside the old one's file, never over it, never refused by it.
    h.key(KeyCode::Char('s')).await;
    let saved_to = h
        .app
        .session
        .credentials
        .as_ref()
        .and_then(|c| c.saved_to.clone())
        .unwrap_or_else(|| panic!("not saved: {}", h.screen(80, 24)));
    assert_ne!(saved_to, default_copy);
    assert!(
        saved_to.to_string_lossy().ends_with("-2.json"),
        "{}",
        saved_to.display()
    );
    let old: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&default_copy).unwrap()).unwrap();
    assert_eq!(
        old["clientSecret"],
        old_secret.as_str(),
        "the old file was overwritten"
    );

    // Back to the list, and delete it after typing its name.
    h.app.enter(Step::Manage);
    h.key(KeyCode::Char('d')).await;
    h.type_text("Audit").await;
    h.key(KeyCode::Enter).await;
    assert!(
        matches!(&h.app.session.listing, Listing::Loaded(a) if a.len() == 1),
        "deleted with a wrong name"
    );
    h.type_text(" Reader").await;
    h.key(KeyCode::Enter).await;
    assert!(
        matches!(&h.app.session.listing, Listing::Loaded(a) if a.is_empty()),
        "{}",
        h.screen(80, 24)
    );
    assert!(h.screen(80, 24).contains("can't be restored"));
    // The wizard's delete line names what was deleted by client ID too (walk finding).
    let trail =
        std::fs::read_to_string(common::tui::dirs_in(home.path()).state.join("audit.jsonl"))
            .unwrap();
    let delete: serde_json::Value = serde_json::from_str(
        trail
            .lines()
            .find(|l| l.contains(r#""action":"delete""#))
            .unwrap_or_else(|| panic!("no delete line in {trail}")),
    )
    .unwrap();
    assert_eq!(delete["clientId"], client_id.as_str(), "{delete}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_token_is_probed_for_every_scope() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let mut h = Harness::new(
        sandbox.base().as_str(),
        None,
        common::tui::dirs_in(home.path()),
    );
    h.launch().await;
    for _ in 0..3 {
        h.key(KeyCode::Down).await;
    }
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::TokenTest);
    // The sandbox's admin token stands in for an access token here: every probe may answer.
    h.send(webex_wizard::tui::message::Message::Paste(expose(
        sandbox.admin_token(),
    )))
    .await;
    assert!(
        !h.screen(80, 24).contains("sandbox-admin"),
        "the token is on screen"
    );
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::TestScopes);
    h.pump_until(|app| {
        app.steps
            .scope_test
            .as_ref()
            .is_some_and(webex_wizard::tui::app::ScopeTestState::is_done)
    })
    .await;
    let rows = &h.app.steps.scope_test.as_ref().unwrap().rows;
    assert!(rows.len() > 10, "only {} scopes tried", rows.len());
    // There are no Tokens here: the key bar says where Esc goes.
    let bar = h.screen(80, 24);
    assert!(
        bar.contains("Esc back") && !bar.contains("Esc tokens"),
        "{bar}"
    );
    h.key(KeyCode::Esc).await;
    assert_eq!(
        h.app.step,
        Step::TokenTest,
        "Esc goes back to the pasted token"
    );

    // A token Webex refuses is said to be refused once, not probed scope by scope.
    h.send(webex_wizard::tui::message::Message::Paste(
        "not-a-real-token".into(),
    ))
    .await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| {
        app.steps
            .scope_test
            .as_ref()
            .is_some_and(|t| t.refused.is_some())
    })
    .await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("Webex refused this token"), "{screen}");
    assert!(
        h.app
            .steps
            .scope_test
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .all(|(_, r)| r.is_none()),
        "probes were sent with a refused token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_uses_the_create_editors_and_sends_a_put_without_a_secret() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let (client_id, secret) = created(&sandbox, &home);
    let token = expose(sandbox.admin_token());
    let mut h = Harness::new(
        sandbox.base().as_str(),
        Some((&token, webex_wizard::tui::app::TokenSource::Demo)),
        common::tui::dirs_in(home.path()),
    );
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Manage);
    h.key(KeyCode::Char('u')).await;
    assert_eq!(h.app.step, Step::Details, "{}", h.screen(80, 24));
    assert_eq!(h.app.draft().name, "Audit Reader");
    // Through the editors as for a create: Details, Redirect URLs (add one), Scopes, Review.
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::RedirectUrls, "{}", h.screen(80, 24));
    // Enter on the filled line adds one below it.
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.steps.redirects.lines.len(), 3, "{}", h.screen(80, 24));
    h.type_text("https://new.agency.example.gov/cb").await;
    while h.app.step == Step::RedirectUrls {
        h.key(KeyCode::Enter).await;
    }
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Review, "{}", h.screen(120, 40));
    let screen = h.screen(120, 40);
    assert!(screen.contains("PUT "), "{screen}");
    // What changes comes first, as the update command prints it.
    assert!(screen.contains("Changes:"), "{screen}");
    assert!(
        screen.contains("+ redirect URL https://new.agency.example.gov/cb"),
        "{screen}"
    );
    // The PUT line stays on one row at 80 columns (a long ID is shortened in the middle).
    let narrow = h.screen(80, 24);
    let put = narrow.lines().find(|l| l.contains("PUT ")).unwrap();
    assert!(
        put.contains("/v1/applications/") || put.contains('…'),
        "{narrow}"
    );
    assert!(put.chars().count() <= 80, "{narrow}");
    assert!(!screen.contains(&secret));
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Manage, "{}", h.screen(80, 24));
    assert!(
        h.screen(80, 24).contains("Updated 'Audit Reader'"),
        "{}",
        h.screen(80, 24)
    );
    let url = format!("{}/applications", sandbox.base());
    let listed = tokio::task::spawn_blocking(move || common::get_json(&url, &token).1)
        .await
        .unwrap();
    let app = &listed["items"][0];
    assert_eq!(app["clientId"], client_id.as_str());
    assert!(
        app["redirectUrls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == "https://new.agency.example.gov/cb"),
        "{app}"
    );
    assert!(h.app.session.updating.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_from_the_wizard_ends_on_its_token_kept_like_a_secret() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let mut h = Harness::new(
        sandbox.base().as_str(),
        Some((&token, webex_wizard::tui::app::TokenSource::Demo)),
        common::tui::dirs_in(home.path()),
    );
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
    // The bot's own words, not the integration's consent page.
    assert!(
        h.screen(80, 24).contains("What people see of the bot"),
        "{}",
        h.screen(80, 24)
    );
    h.fill_details_for_bot().await;
    h.type_text("notifier@example.com").await;
    // The e-mail's rule shows while it is typed, before Enter.
    assert!(
        h.screen(80, 24).contains("@webex.bot"),
        "{}",
        h.screen(80, 24)
    );
    assert!(h.screen(80, 24).contains('✗'), "{}", h.screen(80, 24));
    h.key(KeyCode::Enter).await;
    h.type_text("https://cdn.agency.example.gov/bot.png").await;
    h.key(KeyCode::Enter).await;
    assert!(
        h.screen(80, 24).contains("must end in @webex.bot"),
        "{}",
        h.screen(80, 24)
    );
    assert_eq!(h.app.step, Step::Bot, "sent with a bad e-mail");
    h.key(KeyCode::Up).await;
    h.ctrl('u').await;
    h.type_text("agency-notifier@webex.bot").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::BotToken, "{}", h.screen(80, 24));
    let b = h.app.session.bot_token.as_ref().unwrap();
    let bot_token = b.bot.bot_token.expose_secret().to_owned();
    let recovery = b.recovery.clone().expect("a recovery copy");
    assert!(
        std::fs::read_to_string(&recovery)
            .unwrap()
            .contains(&bot_token)
    );
    assert!(
        !h.screen(120, 40).contains(&bot_token),
        "the token shows before r"
    );
    // Quitting asks while it is not stored; saving stores it and quitting drops the copy.
    h.key(KeyCode::Char('q')).await;
    assert!(matches!(
        h.app.overlays.last(),
        Some(webex_wizard::tui::app::Overlay::ConfirmQuit)
    ));
    assert!(
        h.screen(80, 24).contains("bot token is not saved"),
        "{}",
        h.screen(80, 24)
    );
    h.key(KeyCode::Char('n')).await;
    h.key(KeyCode::Char('s')).await;
    let saved = h
        .app
        .session
        .bot_token
        .as_ref()
        .unwrap()
        .saved_to
        .clone()
        .expect("saved");
    assert!(
        std::fs::read_to_string(&saved)
            .unwrap()
            .contains(&bot_token)
    );
    h.key(KeyCode::Char('q')).await;
    assert!(h.app.exit.is_some());
    assert!(
        !recovery.exists(),
        "the recovery copy outlived a stored token"
    );
    let me = format!("{}/people/me", sandbox.base());
    let (status, person) = tokio::task::spawn_blocking(move || common::get_json(&me, &bot_token))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(person["type"], "bot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unstored_bot_token_comes_back_at_the_next_start() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let start = || {
        Harness::new(
            sandbox.base().as_str(),
            Some((&token, webex_wizard::tui::app::TokenSource::Demo)),
            common::tui::dirs_in(home.path()),
        )
    };
    let mut h = start();
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.fill_details_for_bot().await;
    h.type_text("comeback@webex.bot").await;
    h.key(KeyCode::Enter).await;
    h.type_text("https://cdn.agency.example.gov/bot.png").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::BotToken, "{}", h.screen(80, 24));
    let bot_token = h
        .app
        .session
        .bot_token
        .as_ref()
        .unwrap()
        .bot
        .bot_token
        .expose_secret()
        .to_owned();
    let recovery = h
        .app
        .session
        .bot_token
        .as_ref()
        .unwrap()
        .recovery
        .clone()
        .unwrap();
    h.key(KeyCode::Char('q')).await;
    h.key(KeyCode::Char('y')).await;
    assert!(h.app.exit.is_some());
    assert!(recovery.exists(), "the only copy of the bot token is gone");

    let mut next = start();
    next.launch().await;
    assert_eq!(next.app.step, Step::BotToken, "{}", next.screen(80, 24));
    assert!(
        next.screen(80, 24)
            .contains("Recovered from an earlier session")
    );
    let b = next.app.session.bot_token.as_ref().unwrap();
    assert_eq!(b.bot.bot_token.expose_secret(), bot_token);
    next.key(KeyCode::Char('s')).await;
    next.key(KeyCode::Char('q')).await;
    assert!(!recovery.exists(), "a stored token's recovery copy stayed");
    assert_eq!(next.app.step, Step::Start);
    assert!(next.app.exit.is_none());
}

/// Issue 23: the wizard's rotation proves the new secret like `rotate-secret`: the newest saved
/// refresh token of the client is refreshed with it, and the screen says it works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizards_rotation_proves_the_new_secret() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let (_, tokens) = common::create_and_authorize(&sandbox, &home, &["spark:people_read"]);
    let dirs = common::tui::dirs_in(home.path());
    std::fs::create_dir_all(dirs.tokens()).unwrap();
    let saved = dirs.tokens().join("scoped.json");
    std::fs::copy(&tokens, &saved).unwrap();
    let before = std::fs::read(&saved).unwrap();
    let token = expose(sandbox.admin_token());
    let mut h = Harness::new(
        sandbox.base().as_str(),
        Some((&token, webex_wizard::tui::app::TokenSource::Demo)),
        dirs,
    );
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Manage, "{}", h.screen(80, 24));
    h.key(KeyCode::Char('r')).await;
    h.type_text("Scoped").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(80, 24));
    let notice = h
        .app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("The new secret works"), "{notice}");
    assert_ne!(std::fs::read(&saved).unwrap(), before, "not refreshed");
}
