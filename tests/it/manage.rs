//! After creation: list, show, rotate-secret and delete, on the sandbox and against a Webex
//! that does not offer the (experimental) endpoints.

use crate::common;

use common::{Action, Home, MockWebex, create_and_authorize, expose, run, wizard};

fn admin(home: &Home, sandbox: &common::Sandbox) -> assert_cmd::Command {
    let mut cmd = wizard(home);
    cmd.env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["-v", "--api-base", sandbox.base().as_str()]);
    cmd
}

#[test]
fn list_rotate_and_delete_on_the_sandbox() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let (old_creds, tokens) = create_and_authorize(&sandbox, &home, &["spark:people_read"]);
    let old: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&old_creds).unwrap()).unwrap();
    let client_id = old["clientId"].as_str().unwrap().to_owned();
    let old_secret = old["clientSecret"].as_str().unwrap().to_owned();

    let listed = run(admin(&home, &sandbox).args(["list", "--json"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let apps: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["clientId"], client_id.as_str());
    assert!(!listed.stdout.contains(&old_secret));

    // The old secret dies at once: without a terminal and without --yes, nothing is sent.
    let unconfirmed = run(admin(&home, &sandbox).args(["rotate-secret", "Scoped"]));
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    assert!(
        unconfirmed
            .stderr
            .contains("add --yes to rotate its secret"),
        "{}",
        unconfirmed.stderr
    );
    assert!(!unconfirmed.stdout.contains("Client secret"));

    // The same client ID, a new secret: the old one is refused at /access_token.
    let new_creds = home.path().join("rotated.json");
    let rotated = run(admin(&home, &sandbox)
        .args(["rotate-secret", "Scoped", "--yes", "--save"])
        .arg(&new_creds));
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(
        rotated.stderr.contains("the old one stops working at once"),
        "{}",
        rotated.stderr
    );
    let new: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&new_creds).unwrap()).unwrap();
    assert_eq!(new["clientId"], client_id.as_str());
    let new_secret = new["clientSecret"].as_str().unwrap();
    assert_ne!(new_secret, old_secret);
    assert!(rotated.stdout.contains(new_secret));
    assert!(
        !rotated.stderr.contains(new_secret),
        "the -v log holds the secret"
    );

    let refresh = |creds: &std::path::Path| {
        run(wizard(&home)
            .args([
                "--api-base",
                sandbox.base().as_str(),
                "refresh",
                "--credentials",
            ])
            .arg(creds)
            .arg("--refresh-token-file")
            .arg(&tokens))
    };
    let with_old = refresh(&old_creds);
    assert_eq!(with_old.code, 5, "{}", with_old.stderr);
    assert!(
        with_old.stderr.contains("invalid_client"),
        "{}",
        with_old.stderr
    );
    let with_new = refresh(&new_creds);
    assert_eq!(with_new.code, 0, "{}", with_new.stderr);

    let updated = run(admin(&home, &sandbox).args([
        "update",
        &client_id,
        "--add-redirect-url",
        "https://app.agency.example.gov/cb",
    ]));
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    let shown = run(admin(&home, &sandbox).args(["show", &client_id, "--json"]));
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(
        shown["redirectUrls"][1],
        "https://app.agency.example.gov/cb"
    );
    assert_eq!(shown["clientId"], client_id.as_str());

    // Without a terminal, delete needs --yes, and nothing is deleted without it.
    let refused = run(admin(&home, &sandbox).args(["delete", &client_id]));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("can't be restored"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("add --yes"), "{}", refused.stderr);
    let deleted = run(admin(&home, &sandbox).args(["delete", &client_id, "--yes"]));
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let listed = run(admin(&home, &sandbox).args(["list", "--json"]));
    assert_eq!(listed.stdout.trim(), "[]");
    let shown = run(admin(&home, &sandbox).args(["show", &client_id]));
    assert_eq!(shown.code, 2, "{}", shown.stderr);
}

#[test]
fn an_ambiguous_name_is_refused_with_the_matches() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(
            200,
            r#"{"items":[{"id":"A1","clientId":"C1","name":"Twin","created":"2026-01-01"},{"id":"A2","clientId":"C2","name":"Twin","created":"2026-02-01"}]}"#,
        )],
    );
    let home = Home::new();
    let r = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "show",
        "Twin",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("'Twin' matches 2 applications"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("A1") && r.stderr.contains("A2"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_environment_without_the_endpoints_says_so_and_what_to_do() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(
            200,
            r#"{"items":[{"id":"A1","clientId":"C1","name":"App","created":"2026-01-01"}]}"#,
        )],
    );
    mock.on(
        "DELETE /v1/applications/A1/clientSecret",
        vec![Action::webex_error(405, "Method not allowed", "T405")],
    );
    mock.on(
        "DELETE /v1/applications/A1",
        vec![Action::webex_error(404, "Not found", "T404")],
    );
    let home = Home::new();
    let rotate = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "rotate-secret",
        "App",
        "--yes",
    ]));
    assert_eq!(rotate.code, 3, "{}", rotate.stderr);
    assert!(
        rotate.stderr.contains("can't rotate secrets"),
        "{}",
        rotate.stderr
    );
    assert!(
        rotate.stderr.contains("Create a new integration"),
        "{}",
        rotate.stderr
    );
    assert!(rotate.stderr.contains("T405"), "{}", rotate.stderr);
    let delete = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "delete",
        "App",
        "--yes",
    ]));
    assert_eq!(delete.code, 3, "{}", delete.stderr);
    assert!(
        delete.stderr.contains("does not offer it"),
        "{}",
        delete.stderr
    );

    mock.on(
        "GET /v1/applications/A1",
        vec![Action::json(
            200,
            r#"{"id":"A1","clientId":"C1","type":"integration","name":"App","description":"d","contactEmail":"a@agency.example.gov","redirectUrls":["https://app.example.gov/cb"],"scopes":["spark:people_read"]}"#,
        )],
    );
    mock.on(
        "PUT /v1/applications/A1",
        vec![Action::webex_error(405, "Method not allowed", "T405U")],
    );
    let update = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "update",
        "App",
        "--name",
        "Renamed",
    ]));
    assert_eq!(update.code, 3, "{}", update.stderr);
    assert!(
        update.stderr.contains("does not offer it"),
        "{}",
        update.stderr
    );
    assert!(update.stderr.contains("T405U"), "{}", update.stderr);
}

#[test]
fn a_webex_without_the_list_says_so_for_list_and_every_command_that_finds_by_name() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::webex_error(
            404,
            "The requested resource could not be found.",
            "T404L",
        )],
    );
    let home = Home::new();
    for args in [
        vec!["list"],
        vec!["show", "App"],
        vec!["delete", "App", "--yes"],
    ] {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", "t")
            .args(["--api-base", &mock.base])
            .args(&args));
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("does not offer it"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("T404L"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn update_adds_a_redirect_url_shows_the_difference_and_never_sends_a_secret() {
    let mock = MockWebex::start();
    let app = r#"{"id":"A1","clientId":"C1","clientSecret":"leaked-S3CRET","type":"integration","name":"App","description":"d","contactEmail":"a@agency.example.gov","redirectUrls":["https://app.example.gov/cb"],"scopes":["spark:people_read"],"created":"2026-01-01"}"#;
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, &format!(r#"{{"items":[{app}]}}"#))],
    );
    mock.on("GET /v1/applications/A1", vec![Action::json(200, app)]);
    mock.on("PUT /v1/applications/A1", vec![Action::json(200, app)]);
    let home = Home::new();
    let update = |extra: &[&str]| {
        run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", "t")
            .args(["--api-base", &mock.base, "update", "App"])
            .args(extra))
    };
    let dry = update(&[
        "--add-redirect-url",
        "http://localhost:9000/cb",
        "--dry-run",
    ]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stderr
            .contains("+ redirect URL http://localhost:9000/cb"),
        "{}",
        dry.stderr
    );
    assert_eq!(
        mock.count("PUT /v1/applications/A1"),
        0,
        "a dry run sent the update"
    );

    let bad = update(&["--add-redirect-url", "ftp://nowhere"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert_eq!(
        mock.count("PUT /v1/applications/A1"),
        0,
        "an invalid update was sent"
    );

    let done = update(&[
        "--add-redirect-url",
        "http://localhost:9000/cb",
        "--remove-scope",
        "spark:people_read",
        "--add-scope",
        "spark:rooms_read",
    ]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    let put = mock
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("the update was sent");
    let body: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(
        body["redirectUrls"],
        serde_json::json!(["https://app.example.gov/cb", "http://localhost:9000/cb"])
    );
    assert_eq!(body["scopes"], serde_json::json!(["spark:rooms_read"]));
    assert!(
        !put.body.contains("leaked-S3CRET") && !put.body.contains("clientSecret"),
        "{}",
        put.body
    );

    let missing = update(&["--remove-scope", "audit:events_read"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("is not on the application"),
        "{}",
        missing.stderr
    );
}

#[test]
fn authorizations_list_the_grant_and_revoking_it_ends_its_tokens() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let (creds, tokens) = create_and_authorize(&sandbox, &home, &["spark:people_read"]);
    let client_id = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&creds).unwrap())
        .unwrap()["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&tokens).unwrap())
        .unwrap()["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = format!("{}/people/me", sandbox.base());
    assert_eq!(common::get_json(&me, &access).0, 200);

    let listed = run(admin(&home, &sandbox).args([
        "authorizations",
        "list",
        "--person-email",
        "admin@sandbox.example.gov",
        "--json",
    ]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let grants: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0]["clientId"], client_id.as_str());
    assert_eq!(grants[0]["applicationName"], "Scoped");
    assert!(!listed.stdout.contains(&access) && !listed.stderr.contains(&access));

    let unconfirmed =
        run(admin(&home, &sandbox).args(["authorizations", "revoke", "--client-id", &client_id]));
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    assert_eq!(
        common::get_json(&me, &access).0,
        200,
        "revoked without --yes"
    );

    let unknown =
        run(admin(&home, &sandbox).args(["authorizations", "revoke", "--id", "nope", "--yes"]));
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("authorizations list"),
        "{}",
        unknown.stderr
    );

    let revoked = run(admin(&home, &sandbox).args([
        "authorizations",
        "revoke",
        "--id",
        grants[0]["id"].as_str().unwrap(),
        "--yes",
    ]));
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    assert_eq!(
        common::get_json(&me, &access).0,
        401,
        "the access token still works"
    );
    let refresh = run(wizard(&home)
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "refresh",
            "--credentials",
        ])
        .arg(&creds)
        .arg("--refresh-token-file")
        .arg(&tokens));
    assert_eq!(refresh.code, 5, "{}", refresh.stderr);
}

#[test]
fn rotation_names_the_saved_files_that_hold_the_old_secret() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let made = home.path().join("made.json");
    let created = run(admin(&home, &sandbox)
        .args(common::good_flags())
        .arg("--save")
        .arg(&made));
    assert_eq!(created.code, 0, "{}", created.stderr);
    // What the wizard's s and h leave in the data folder.
    let folder = home.data().join("credentials");
    std::fs::create_dir_all(&folder).unwrap();
    let kept = folder.join("audit-reader.json");
    std::fs::copy(&made, &kept).unwrap();
    let sealed = folder.join("audit-reader.json.age");
    std::fs::write(&sealed, "age-encryption.org/v1\n").unwrap();
    let other = folder.join("other.json");
    std::fs::write(&other, r#"{"clientId":"C-other","clientSecret":"x"}"#).unwrap();
    // A hand-off alone (the wizard's h without s): unreadable without its key, found by the
    // short client ID in its name.
    let client_id =
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&made).unwrap())
            .unwrap()["clientId"]
            .as_str()
            .unwrap()
            .to_owned();
    let short: String = client_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let lone = folder.join(format!("audit-reader-{short}.json.age"));
    std::fs::write(&lone, "age-encryption.org/v1\n").unwrap();
    let r = run(admin(&home, &sandbox).args(["rotate-secret", "Audit Reader", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = r.stderr.split("Superseded").nth(1).unwrap_or_default();
    assert!(
        after.contains(&kept.display().to_string())
            && after.contains(&sealed.display().to_string())
            && after.contains(&lone.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(!after.contains("other.json"), "{}", r.stderr);
}
