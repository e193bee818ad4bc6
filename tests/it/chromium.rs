//! One real browser end to end: headless Chromium (Debian's `chromium` and `chromium-driver`,
//! which `.ci/run` installs), driven over `WebDriver`, opens the sandbox's consent page, clicks
//! Allow, lands on webex-wizard's loopback listener, and the test reads the page it shows.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use common::{Home, free_port, run, wizard};

/// Kill the child when the test ends, however it ends.
struct Reaped(Child);
impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A few `WebDriver` calls (W3C protocol) over HTTP.
struct WebDriver {
    http: reqwest::Client,
    base: String,
}

impl WebDriver {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            request = request.json(&b);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        answer["value"].clone()
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = self.http.get(format!("{}/status", self.base)).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                return;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the first element matching `css`, once there is one.
    async fn text_of(&self, session: &str, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    &format!("/session/{session}/element"),
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            if let Some(id) = found
                .as_object()
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
            {
                let text = self
                    .call(
                        reqwest::Method::GET,
                        &format!("/session/{session}/element/{id}/text"),
                        None,
                    )
                    .await;
                if let Some(t) = text.as_str() {
                    return t.to_owned();
                }
            }
            assert!(Instant::now() < deadline, "no element {css} appeared");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Headless Chromium under chromedriver, one session; all of it ends with the value.
struct Browser {
    wd: WebDriver,
    session: String,
    _profile: tempfile::TempDir,
    _driver: Reaped,
}

impl Browser {
    async fn start(chromium: &std::path::Path, chromedriver: &std::path::Path) -> Browser {
        let port = free_port();
        let driver = Reaped(
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let wd = WebDriver {
            http: reqwest::Client::new(),
            base: format!("http://127.0.0.1:{port}"),
        };
        wd.wait_ready().await;
        let profile = tempfile::tempdir().unwrap();
        let session = wd
            .call(
                reqwest::Method::POST,
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium.to_str().expect("a UTF-8 path"),
                        "args": [
                            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            format!("--user-data-dir={}", profile.path().display()),
                        ]
                    }
                }}})),
            )
            .await;
        let session = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {session}"))
            .to_owned();
        Browser {
            wd,
            session,
            _profile: profile,
            _driver: driver,
        }
    }

    async fn open(&self, url: &str) {
        self.wd
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/url", self.session),
                Some(json!({ "url": url })),
            )
            .await;
    }

    async fn text_of(&self, css: &str) -> String {
        self.wd.text_of(&self.session, css).await
    }

    async fn click(&self, css: &str) {
        let found = self
            .wd
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element", self.session),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned();
        self.wd
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element/{id}/click", self.session),
                Some(json!({})),
            )
            .await;
    }

    async fn url(&self) -> String {
        self.wd
            .call(
                reqwest::Method::GET,
                &format!("/session/{}/url", self.session),
                None,
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn close(&self) {
        self.wd
            .call(
                reqwest::Method::DELETE,
                &format!("/session/{}", self.session),
                None,
            )
            .await;
    }
}

#[tokio::test]
async fn headless_chromium_consents_on_the_sandbox_and_lands_on_our_listener() {
    if common::missing(&["chromium", "chromedriver"]) {
        return;
    }
    let chromium = common::find_program("chromium").expect("checked above");
    let chromedriver = common::find_program("chromedriver").expect("checked above");
    // The consent page is shown: no auto-approve.
    let sandbox = common::sandbox();
    let home = Home::new();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let credentials = home.path().join("creds.json");
    let created = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", common::expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str(), "create"])
        .args(["--name", "Chromium Check", "--description", "d"])
        .args([
            "--contact-email",
            "a@agency.example.gov",
            "--redirect-url",
            &redirect,
        ])
        .args(["--scope", "spark:people_read", "--save"])
        .arg(&credentials));
    assert_eq!(created.code, 0, "{}", created.stderr);

    // webex-wizard "opens the browser" by running $BROWSER, which hands the URL to the test.
    let opened = home.path().join("opened-url");
    let browser = home.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf %s \"$1\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let tokens = home.path().join("tokens.json");
    let mut authorize = Reaped(
        Command::new(env!("CARGO_BIN_EXE_webex-wizard"))
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BROWSER", &browser)
            .args([
                "--api-base",
                sandbox.base().as_str(),
                "--timeout",
                "60",
                "authorize",
            ])
            .arg("--credentials")
            .arg(&credentials)
            .arg("--save")
            .arg(&tokens)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !opened.exists() {
        assert!(
            Instant::now() < deadline,
            "webex-wizard did not open a browser"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let url = std::fs::read_to_string(&opened).unwrap();

    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.open(&url).await;
    let heading = browser.text_of("h1").await;
    assert!(heading.contains("Authorize Chromium Check"), "{heading}");
    browser.click("#allow").await;
    let result = browser.text_of("#result").await;
    let page = browser.text_of("body").await;
    let current = browser.url().await;
    browser.close().await;

    assert_eq!(
        result, "Authorization received, now exchanging it",
        "{page}"
    );
    assert!(page.contains("return to the terminal"), "{page}");
    assert!(
        current.starts_with(&format!("{redirect}?code=")),
        "{current}"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = authorize.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "webex-wizard did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success());
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&tokens).unwrap()).unwrap();
    assert_eq!(saved["scope"], "spark:people_read");
}

/// Device login (issue 24): the person opens the complete address webex-wizard showed in a real
/// browser, sees the integration, clicks Allow, and the waiting command saves the tokens.
#[tokio::test]
async fn headless_chromium_approves_a_device_login() {
    if common::missing(&["chromium", "chromedriver"]) {
        return;
    }
    let chromium = common::find_program("chromium").expect("checked above");
    let chromedriver = common::find_program("chromedriver").expect("checked above");
    let sandbox = crate::device_login::quick_sandbox();
    let home = Home::new();
    let credentials = crate::device_login::integration(&sandbox, &home, true);
    let tokens = home.path().join("tokens.json");
    let (child, shown, rx) = crate::device_login::start_device_login(
        &home,
        sandbox.base().as_str(),
        &credentials,
        &tokens,
    );
    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.open(&shown.complete).await;
    let page = browser.text_of("body").await;
    assert!(page.contains("Device Check"), "{page}");
    browser.click("#allow").await;
    let result = browser.text_of("#result").await;
    browser.close().await;
    assert!(result.starts_with("Approved"), "{result}");
    let (code, said) = tokio::task::spawn_blocking(move || crate::device_login::finish(child, &rx))
        .await
        .unwrap();
    assert_eq!(code, Some(0), "{said}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&tokens).unwrap()).unwrap();
    assert_eq!(saved["scope"], "spark:people_read");
}
