//! Shared helpers for the end-to-end tests: the binary, a scriptable mock Webex, the sandbox.
#![allow(dead_code)]

pub mod tls;
pub mod tui;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

pub use webex_wizard::sandbox::{Sandbox, SandboxConfig};

/// Whether any of `programs` is missing from `PATH`. A missing one prints
/// `skipped: <program> not found` so the caller can return, unless
/// `WEBEX_WIZARD_TEST_REQUIRE=all` is set (CI sets it): then the test fails instead.
pub fn missing(programs: &[&str]) -> bool {
    let absent: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|p| find_program(p).is_none())
        .collect();
    if absent.is_empty() {
        return false;
    }
    skip(&format!("{} not found", absent.join(", ")));
    true
}

/// Say `skipped: WHY` where it is seen, so the caller can return; under
/// `WEBEX_WIZARD_TEST_REQUIRE=all` (CI sets it) fail instead.
pub fn skip(why: &str) {
    let required = std::env::var("WEBEX_WIZARD_TEST_REQUIRE").is_ok_and(|v| v == "all");
    assert!(
        !required,
        "{why}, and WEBEX_WIZARD_TEST_REQUIRE=all requires everything a test needs"
    );
    // Straight to the process's stderr, past the test harness's capture, so a skip is seen.
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// The first executable called `program` on `PATH` (the binary's own lookup).
pub fn find_program(program: &str) -> Option<PathBuf> {
    webex_wizard::platform::find_program(program)
}

/// A temporary HOME with XDG folders, so tests never touch the real one.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn state(&self) -> PathBuf {
        self.path().join("state/webex-wizard")
    }
    pub fn data(&self) -> PathBuf {
        self.path().join("data/webex-wizard")
    }
}

/// The binary, with a clean environment pointing at `home`.
pub fn wizard(home: &Home) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("webex-wizard").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("NO_COLOR", "1");
    cmd
}

/// The binary as a plain `std::process::Command` (for odd standard outputs, signals, limits),
/// with the same clean environment as [`wizard`] (colour left on).
pub fn bare(home: &Home) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_webex-wizard"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd
}

/// `inner` run by `sh -c "PREFIX exec ..."`: the shell first applies `prefix` (a limit, a
/// closed descriptor), then becomes the command, with its arguments and environment.
pub fn through_shell(inner: &std::process::Command, prefix: &str) -> std::process::Command {
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("{prefix} exec \"$0\" \"$@\""))
        .arg(inner.get_program())
        .args(inner.get_args())
        .env_clear()
        .envs(inner.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
    sh
}

/// Output of a finished run, as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// GET a JSON document with a bearer token (for checking the sandbox's side).
pub fn get_json(url: &str, token: &str) -> (u16, serde_json::Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    })
}

/// What the mock does with a request.
#[derive(Clone)]
pub enum Action {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Never answer (until the mock is dropped).
    Hang,
    /// Close the connection without answering.
    Drop,
    /// Write these bytes as they are (a status line, headers, part of a body), then close.
    Raw(Vec<u8>),
    /// A 200 with a chunked body that never ends; stops when the client goes away.
    Endless,
    /// Wait until the test calls [`MockWebex::release`], then do the inner action.
    AfterRelease(Box<Action>),
}

impl Action {
    pub fn json(status: u16, body: &str) -> Self {
        Action::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
        }
    }
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Action::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
    pub fn webex_error(status: u16, message: &str, tracking: &str) -> Self {
        Action::json(
            status,
            &format!(
                r#"{{"message":"{message}","errors":[{{"description":"{message}"}}],"trackingId":"{tracking}"}}"#
            ),
        )
    }
}

/// One request the mock received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

type Script = Arc<Mutex<HashMap<String, Vec<Action>>>>;

/// A raw HTTP/1.1 mock of Webex: per "METHOD /path", a queue of actions (the last repeats).
pub struct MockWebex {
    pub base: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Notified each time a request is recorded in `received`.
    arrived: Arc<std::sync::Condvar>,
    /// How many TCP connections the client opened.
    connections: Arc<std::sync::atomic::AtomicUsize>,
    script: Script,
    release_tx: mpsc::Sender<()>,
    release_rx: Arc<Mutex<mpsc::Receiver<()>>>,
}

pub const PERSON: &str = r#"{"id":"P1","emails":["admin@agency.example.gov"],"displayName":"Agency Admin","orgId":"O1"}"#;

impl MockWebex {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(std::sync::Condvar::new());
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = connections.clone();
        let script: Script = Arc::new(Mutex::new(HashMap::new()));
        script
            .lock()
            .unwrap()
            .insert("GET /v1/people/me".into(), vec![Action::json(200, PERSON)]);
        let (tx, rx) = mpsc::channel();
        let release_rx = Arc::new(Mutex::new(rx));
        let (r2, s2, rel2, a2) = (
            received.clone(),
            script.clone(),
            release_rx.clone(),
            arrived.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (r3, s3, rel3, a3) = (r2.clone(), s2.clone(), rel2.clone(), a2.clone());
                std::thread::spawn(move || serve(&stream, (&r3, &a3), &s3, &rel3));
            }
        });
        MockWebex {
            base,
            received,
            arrived,
            connections,
            script,
            release_tx: tx,
            release_rx,
        }
    }

    /// Let one waiting [`Action::AfterRelease`] go on.
    pub fn release(&self) {
        let _ = self.release_tx.send(());
    }

    /// Script the answers for "METHOD /v1/path".
    pub fn on(&self, route: &str, actions: Vec<Action>) {
        self.script.lock().unwrap().insert(route.into(), actions);
    }

    pub fn count(&self, route: &str) -> usize {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| format!("{} {}", r.method, r.path) == route)
            .count()
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many TCP connections were opened to the mock so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Wait (on the mock's notification, not a spin) until "METHOD /v1/path" was received;
    /// false when `within` passed first.
    pub fn wait_for(&self, route: &str, within: std::time::Duration) -> bool {
        let seen = |r: &Vec<Received>| {
            r.iter()
                .any(|r| format!("{} {}", r.method, r.path) == route)
        };
        let guard = self.received.lock().unwrap();
        let (guard, _) = self
            .arrived
            .wait_timeout_while(guard, within, |r| !seen(r))
            .unwrap();
        seen(&guard)
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "the mock server's loop: read a request, act on its script"
)]
fn serve(
    stream: &TcpStream,
    (received, arrived): (&Mutex<Vec<Received>>, &std::sync::Condvar),
    script: &Script,
    release: &Mutex<mpsc::Receiver<()>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream.try_clone().unwrap();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        let path = target.split('?').next().unwrap_or("").to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let route = format!("{method} {path}");
        received.lock().unwrap().push(Received {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        arrived.notify_all();
        let action = {
            let mut s = script.lock().unwrap();
            match s.get_mut(&route) {
                Some(q) if q.len() > 1 => q.remove(0),
                Some(q) if q.len() == 1 => q[0].clone(),
                _ => Action::webex_error(
                    404,
                    "The requested resource could not be found.",
                    "MOCK_404",
                ),
            }
        };
        let action = match action {
            Action::AfterRelease(inner) => {
                if release.lock().unwrap().recv().is_err() {
                    return;
                }
                *inner
            }
            other => other,
        };
        match action {
            Action::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                for (k, v) in headers {
                    let _ = write!(head, "{k}: {v}\r\n");
                }
                head.push_str("\r\n");
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
            }
            Action::Hang => {
                // Blocks until the mock is dropped: the client's timeout has to end the wait.
                let _ = release.lock().unwrap().recv();
                return;
            }
            Action::Drop | Action::AfterRelease(_) => return,
            Action::Raw(bytes) => {
                let _ = writer.write_all(&bytes);
                return;
            }
            Action::Endless => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                // Bounded: at most 1 GiB, far past any cap, but it ends by itself.
                for _ in 0..16_384 {
                    if writer.write_all(chunk.as_bytes()).is_err() {
                        return;
                    }
                }
                return;
            }
        }
    }
}

/// The sandbox on a thread of its own, on a free loopback port.
pub fn sandbox() -> Sandbox {
    Sandbox::start_in_thread(SandboxConfig::default()).unwrap()
}

/// The sandbox approving every authorization at once (no consent page to click).
pub fn approving_sandbox() -> Sandbox {
    sandbox_with(SandboxConfig {
        auto_approve: true,
        ..SandboxConfig::default()
    })
}

pub fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start_in_thread(config).unwrap()
}

pub fn expose(s: &secrecy::SecretString) -> String {
    use secrecy::ExposeSecret;
    s.expose_secret().to_owned()
}

/// Every flag of a valid integration.
pub fn good_flags() -> Vec<&'static str> {
    vec![
        "create",
        "--name",
        "Audit Reader",
        "--description",
        "Reads the admin audit log",
        "--contact-email",
        "admin@agency.example.gov",
        "--company",
        "Agency",
        "--redirect-url",
        "http://localhost:8080/callback",
        "--redirect-url",
        "https://app.agency.example.gov/oauth",
        "--scope",
        "audit:events_read",
        "--scope",
        "spark:people_read",
    ]
}

/// A loopback port nobody listens on right now, from below the kernel's ephemeral range
/// (32768 and up), so neither a concurrent test's outgoing connection nor a server bound to
/// port 0 can take it before the caller uses it.
pub fn free_port() -> u16 {
    loop {
        let port = 20_000 + rand::random::<u16>() % 12_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A FIFO at `path` and what is written into it, delivered once its writer closes it: a
/// notification from a child process (say, the URL a `$BROWSER` script was given).
pub fn fifo(path: &Path) -> mpsc::Receiver<String> {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
    let (tx, rx) = mpsc::channel();
    let path = path.to_owned();
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&path) {
            let _ = f.read_to_string(&mut text);
        }
        let _ = tx.send(text);
    });
    rx
}

/// Wait for `child` to exit, on a thread that waits for it (no spinning): its status, or
/// `None` (and the child killed) when `within` passed first.
pub fn exit_within(
    child: std::process::Child,
    within: std::time::Duration,
) -> Option<std::process::ExitStatus> {
    let pid = child.id().to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut child = child;
        let _ = tx.send(child.wait().ok());
    });
    if let Ok(status) = rx.recv_timeout(within) {
        status
    } else {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status();
        None
    }
}

/// A `$BROWSER` program: a shell script that gets the URL as `$1` (and its state as `$STATE`).
pub fn browser_script(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("browser.sh");
    std::fs::write(
        &path,
        format!("#!/bin/sh\nset -u\nSTATE=$(printf %s \"$1\" | sed -n 's/.*[?&]state=\\([^&]*\\).*/\\1/p')\n{body}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A browser that fetches the URL and follows redirects, as a browser would.
pub fn following_browser(dir: &Path) -> PathBuf {
    browser_script(dir, "exec curl -sS -L -o /dev/null \"$1\"")
}

/// An integration created on `sandbox` (which must auto-approve) with `scopes`, authorized
/// through the binary: the credentials file and the tokens file.
pub fn create_and_authorize(sandbox: &Sandbox, home: &Home, scopes: &[&str]) -> (PathBuf, PathBuf) {
    let redirect = format!("http://localhost:{}/callback", free_port());
    let credentials = home.path().join("creds.json");
    let mut create = wizard(home);
    create
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "create",
            "--name",
            "Scoped",
        ])
        .args([
            "--description",
            "d",
            "--contact-email",
            "a@agency.example.gov",
        ])
        .args(["--redirect-url", &redirect, "--save"])
        .arg(&credentials);
    for s in scopes {
        create.args(["--scope", s]);
    }
    let created = run(&mut create);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let tokens = home.path().join("tokens.json");
    let authorized = run(wizard(home)
        .env("BROWSER", following_browser(home.path()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "authorize",
            "--credentials",
        ])
        .arg(&credentials)
        .arg("--save")
        .arg(&tokens));
    assert_eq!(authorized.code, 0, "{}", authorized.stderr);
    (credentials, tokens)
}

/// An age key pair made by `age-keygen`: the identity file and the recipient.
pub fn age_key(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("key.txt");
    let out = std::process::Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::process::Command::new("age-keygen")
        .arg("-y")
        .arg(&key)
        .output()
        .unwrap();
    (
        key,
        String::from_utf8(public.stdout).unwrap().trim().to_owned(),
    )
}

/// An ed25519 SSH key pair made by `ssh-keygen`, protected by `passphrase` ("" for none).
pub fn ssh_key(dir: &Path, passphrase: &str) -> (PathBuf, PathBuf) {
    let key = dir.join("id_ed25519");
    let out = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            passphrase,
            "-C",
            "dev@agency",
            "-f",
        ])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (key.clone(), key.with_extension("pub"))
}
