//! `bot create`: checked before sending, an avatar URL as JSON and a local image as multipart,
//! and a `botToken` that works and is kept like a client secret.

use crate::common;

use std::os::unix::fs::PermissionsExt;

use common::{Action, Home, MockWebex, expose, get_json, run, wizard};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-a-real-image";

fn bot(home: &Home, base: &str, token: &str, email: &str) -> assert_cmd::Command {
    let mut cmd = wizard(home);
    cmd.env("WEBEX_ADMIN_TOKEN", token).args([
        "-v",
        "--api-base",
        base,
        "bot",
        "create",
        "--name",
        "Agency Notifier",
        "--bot-email",
        email,
        "--description",
        "Posts alerts to the duty room",
        "--contact-email",
        "admin@agency.example.gov",
    ]);
    cmd
}

#[test]
fn a_bot_with_an_avatar_url_or_file_gets_a_working_token_kept_like_a_secret() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let admin = expose(sandbox.admin_token());
    let base = sandbox.base().as_str();

    let saved = home.path().join("bot.json");
    let by_url = run(bot(&home, base, &admin, "notifier-url@webex.bot")
        .args([
            "--avatar-url",
            "https://cdn.agency.example.gov/bot.png",
            "--save",
        ])
        .arg(&saved));
    assert_eq!(by_url.code, 0, "{}", by_url.stderr);
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(file["format"], "webex-wizard.bot.v1");
    let token = file["botToken"].as_str().unwrap();
    assert!(by_url.stdout.contains(token));
    assert!(!by_url.stderr.contains(token), "the token is in the log");
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (status, me) = get_json(&format!("{base}/people/me"), token);
    assert_eq!(status, 200);
    assert_eq!(me["emails"][0], "notifier-url@webex.bot");
    assert_eq!(me["type"], "bot");

    let avatar = home.path().join("avatar.png");
    std::fs::write(&avatar, PNG).unwrap();
    let by_file = run(bot(&home, base, &admin, "notifier-file@webex.bot")
        .arg("--avatar-file")
        .arg(&avatar)
        .arg("--json"));
    assert_eq!(by_file.code, 0, "{}", by_file.stderr);
    let answer: serde_json::Value = serde_json::from_str(&by_file.stdout).unwrap();
    let token = answer["botToken"].as_str().unwrap();
    assert_eq!(get_json(&format!("{base}/people/me"), token).0, 200);

    // The same e-mail again: Webex's refusal, with advice.
    let again = run(bot(&home, base, &admin, "notifier-file@webex.bot")
        .args(["--avatar-url", "https://cdn.agency.example.gov/bot.png"]));
    assert_eq!(again.code, 3, "{}", again.stderr);
    assert!(again.stderr.contains("must be unique"), "{}", again.stderr);
}

#[test]
fn a_local_avatar_goes_as_multipart_and_bad_input_is_refused_before_sending() {
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::json(
            200,
            r#"{"id":"B1","type":"bot","name":"Agency Notifier","botEmail":"n@webex.bot","botToken":"BOT-TOKEN-1"}"#,
        )],
    );
    let home = Home::new();
    let avatar = home.path().join("avatar.png");
    std::fs::write(&avatar, PNG).unwrap();
    let sent = run(bot(&home, &mock.base, "t", "n@webex.bot")
        .arg("--avatar-file")
        .arg(&avatar));
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let post = mock
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("the bot was sent");
    let content_type = &post.headers["content-type"];
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert!(
        post.body.contains("name=\"type\"\r\n\r\nbot\r\n"),
        "{}",
        post.body
    );
    assert!(
        post.body
            .contains("name=\"logo\"; filename=\"avatar.png\"\r\nContent-Type: image/png"),
        "{}",
        post.body
    );

    let text = home.path().join("avatar.txt");
    std::fs::write(&text, "not an image").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--avatar-file".into(), text.display().to_string()],
            "not a PNG, JPEG or GIF",
        ),
        (
            vec!["--avatar-url".into(), "http://cdn.example.gov/a.png".into()],
            "must be https",
        ),
    ];
    for (args, expected) in cases {
        let r = run(bot(&home, &mock.base, "t", "n@webex.bot").args(&args));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(expected), "{}", r.stderr);
    }
    let bad_email = run(bot(&home, &mock.base, "t", "n@example.com")
        .args(["--avatar-url", "https://cdn.example.gov/a.png"]));
    assert_eq!(bad_email.code, 2, "{}", bad_email.stderr);
    assert!(
        bad_email.stderr.contains("must end in @webex.bot"),
        "{}",
        bad_email.stderr
    );
    assert_eq!(
        mock.count("POST /v1/applications"),
        1,
        "an invalid bot was sent"
    );
}
