//! `webex-wizard doctor`: every check, as a table and as JSON, against the sandbox, a TLS
//! server signed by a private CA, a busy redirect port, and an SSH session.

use crate::common;

use common::tls::{CA_NAME, PrivateCa, TlsFront};
use common::{Home, expose, run, wizard};
use serde_json::Value;

fn checks(stdout: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(stdout).unwrap();
    doc["checks"].as_array().unwrap().clone()
}

fn check<'a>(all: &'a [Value], name: &str) -> &'a Value {
    all.iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {all:?}"))
}

#[test]
fn demo_passes_every_check_and_names_the_admin() {
    let home = Home::new();
    let r = run(wizard(&home).args(["--demo", "doctor", "--json"]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let all = checks(&r.stdout);
    let names: Vec<&str> = all.iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "environment",
            "proxy",
            "dns",
            "tcp",
            "tls",
            "clock",
            "fips",
            "admin token",
            "redirect ports",
            "clipboard",
            "browser",
            "terminal",
            "keyring",
            "saved tokens"
        ]
    );
    assert!(all.iter().all(|c| c["status"] != "fail"), "{all:?}");
    assert_eq!(check(&all, "proxy")["data"]["proxy"], Value::Null);
    assert!(
        check(&all, "proxy")["detail"]
            .as_str()
            .unwrap()
            .contains("loopback")
    );
    assert!(
        check(&all, "admin token")["detail"]
            .as_str()
            .unwrap()
            .contains("Sandbox Admin")
    );
    assert!(check(&all, "admin token")["data"]["expires"].is_string());
    assert!(
        check(&all, "clock")["data"]["skewSeconds"]
            .as_i64()
            .unwrap()
            .abs()
            < 300
    );
    assert_eq!(
        check(&all, "fips")["data"]["fips"],
        Value::Bool(cfg!(feature = "fips"))
    );

    let table = run(wizard(&home).args(["--demo", "doctor"]));
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.starts_with("CHECK "), "{}", table.stdout);
    assert!(
        table.stdout.contains("Every check passed."),
        "{}",
        table.stdout
    );
}

#[test]
fn a_private_ca_fails_tls_with_advice_and_passes_with_ca_bundle() {
    let sandbox = common::sandbox();
    let ca = PrivateCa::new(&["127.0.0.1".into()]);
    let front = TlsFront::start(&ca, "127.0.0.1".parse().unwrap(), sandbox.addr());
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let refused = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", &token).args([
        "--api-base",
        &front.base(),
        "doctor",
        "--json",
    ]));
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    let all = checks(&refused.stdout);
    let tls = check(&all, "tls");
    assert_eq!(tls["status"], "fail");
    assert!(tls["detail"].as_str().unwrap().contains(CA_NAME), "{tls}");
    assert!(
        tls["advice"].as_str().unwrap().contains("--ca-bundle"),
        "{tls}"
    );
    assert_eq!(check(&all, "admin token")["status"], "skip");

    let ca_file = ca.write_ca(home.path());
    let trusted = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", &token)
        .arg("--ca-bundle")
        .arg(&ca_file)
        .args(["--api-base", &front.base(), "doctor", "--json"]));
    assert_eq!(trusted.code, 0, "{}\n{}", trusted.stdout, trusted.stderr);
    let all = checks(&trusted.stdout);
    let tls = check(&all, "tls");
    assert_eq!(tls["status"], "ok");
    assert!(
        tls["data"]["issuer"].as_str().unwrap().contains(CA_NAME),
        "{tls}"
    );
    assert_eq!(
        tls["data"]["trustedBy"],
        format!("--ca-bundle {}", ca_file.display())
    );
    assert_eq!(check(&all, "admin token")["status"], "ok");
}

#[test]
fn a_busy_redirect_port_fails_and_ssh_means_no_browser() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let creds = home.path().join("creds.json");
    std::fs::write(
        &creds,
        serde_json::json!({
            "format": "webex-wizard.credentials.v1",
            "apiBase": sandbox.base().as_str(),
            "id": "A1", "clientId": "C1", "clientSecret": "S1", "name": "N",
            "redirectUrls": [format!("http://127.0.0.1:{port}/cb"), "https://app.example.gov/cb"],
            "scopes": ["spark:people_read"]
        })
        .to_string(),
    )
    .unwrap();
    let r = run(wizard(&home)
        .env("SSH_CONNECTION", "203.0.113.9 50000 192.0.2.2 22")
        .env("USER", "admin")
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["doctor", "--json", "--credentials"])
        .arg(&creds));
    assert_eq!(r.code, 4, "{}\n{}", r.stdout, r.stderr);
    let all = checks(&r.stdout);
    let ports = check(&all, "redirect ports");
    assert_eq!(ports["status"], "fail", "{ports}");
    assert!(
        ports["detail"]
            .as_str()
            .unwrap()
            .contains(&port.to_string())
    );
    assert!(ports["advice"].is_string());
    let browser = check(&all, "browser");
    assert_eq!(browser["data"]["ssh"], true);
    assert!(
        browser["detail"]
            .as_str()
            .unwrap()
            .contains("admin@192.0.2.2"),
        "{browser}"
    );
    drop(busy);
    // The file's base is never where the admin token goes: the sandbox is named explicitly.
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str()])
        .args(["doctor", "--json", "--credentials"])
        .arg(&creds));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(check(&checks(&r.stdout), "redirect ports")["status"], "ok");
}
