//! The audit trail as an assessor checks it: `audit verify` finds a changed, removed or
//! reordered line (exit 4), two processes writing at once keep the chain, and each line
//! reaches a real rsyslog (started here with its own configuration) over UDP and TCP.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{self, Home, free_port, missing, run, wizard};

/// A credentials file of the demo sandbox and an age recipient: each `handoff` of it writes one
/// audit line, locally, without a network.
fn handoff_setup(home: &Home) -> (PathBuf, String) {
    let credentials = home.path().join("app.json");
    let r = run(wizard(home)
        .args(["--demo", "create", "--save"])
        .arg(&credentials)
        .args([
            "--from",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/example-integration.json"
            ),
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, recipient) = common::age_key(home.path());
    (credentials, recipient)
}

fn handoff(home: &Home, credentials: &Path, recipient: &str, extra: &[&str]) -> common::Run {
    // A new file each time: a hand-off never overwrites one.
    let out = home
        .path()
        .join(format!("handoff-{:016x}.age", rand::random::<u64>()));
    run(wizard(home)
        .args(extra)
        .args(["handoff", "--credentials"])
        .arg(credentials)
        .args(["--to", recipient, "--out"])
        .arg(out))
}

fn trail(home: &Home) -> PathBuf {
    home.state().join("audit.jsonl")
}

fn verify(home: &Home) -> (i32, Value) {
    let r = run(wizard(home).args(["audit", "verify", "--json"]));
    (
        r.code,
        serde_json::from_str(&r.stdout).unwrap_or(Value::Null),
    )
}

#[test]
fn verify_finds_a_changed_a_removed_and_a_reordered_line() {
    if missing(&["age-keygen"]) {
        return;
    }
    let home = Home::new();
    let (credentials, recipient) = handoff_setup(&home);
    for _ in 0..4 {
        assert_eq!(handoff(&home, &credentials, &recipient, &[]).code, 0);
    }
    let (code, v) = verify(&home);
    assert_eq!((code, v["intact"].as_bool()), (0, Some(true)), "{v}");
    assert_eq!(v["lines"], 5);
    let original = std::fs::read_to_string(trail(&home)).unwrap();
    let lines: Vec<&str> = original.lines().collect();

    // Changed: line 2 says another outcome.
    let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    changed[1] = changed[1].replace("\"outcome\":\"ok\"", "\"outcome\":\"refused\"");
    assert_ne!(changed[1], lines[1]);
    std::fs::write(trail(&home), changed.join("\n") + "\n").unwrap();
    let (code, v) = verify(&home);
    assert_eq!((code, v["brokenAt"].as_u64()), (4, Some(2)), "{v}");
    assert!(v["what"].as_str().unwrap().contains("changed"), "{v}");
    // audit says so above its table.
    let listed = run(wizard(&home).args(["audit"]));
    assert!(
        listed.stderr.contains("BROKEN at line 2"),
        "{}",
        listed.stderr
    );

    // Removed: line 3 is gone.
    let mut removed: Vec<&str> = lines.clone();
    removed.remove(2);
    std::fs::write(trail(&home), removed.join("\n") + "\n").unwrap();
    let (code, v) = verify(&home);
    assert_eq!((code, v["brokenAt"].as_u64()), (4, Some(3)), "{v}");
    assert!(v["what"].as_str().unwrap().contains("removed"), "{v}");

    // Reordered: lines 2 and 4 swapped.
    let mut reordered: Vec<&str> = lines.clone();
    reordered.swap(1, 3);
    std::fs::write(trail(&home), reordered.join("\n") + "\n").unwrap();
    let (code, v) = verify(&home);
    assert_eq!((code, v["brokenAt"].as_u64()), (4, Some(2)), "{v}");
    assert!(v["what"].as_str().unwrap().contains("out of order"), "{v}");

    // Put back, it is intact again.
    std::fs::write(trail(&home), &original).unwrap();
    assert_eq!(verify(&home).0, 0);
}

#[test]
fn two_processes_writing_at_once_keep_the_chain() {
    if missing(&["age-keygen", "sh"]) {
        return;
    }
    let home = Home::new();
    let (credentials, recipient) = handoff_setup(&home);
    let loop_of = |n: usize| {
        let script = format!(
            "for i in $(seq {n}); do \"$W\" handoff --credentials '{}' --to '{recipient}' --out \"$HOME/h-$$-$i.age\" >/dev/null 2>&1 || exit 1; done",
            credentials.display()
        );
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("W", env!("CARGO_BIN_EXE_webex-wizard"))
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (loop_of(12), loop_of(12));
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let (code, v) = verify(&home);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["lines"], 25, "{v}");
}

/// rsyslogd on two loopback ports of its own, writing what arrives to a file; killed at the end.
struct Rsyslog {
    dir: tempfile::TempDir,
    udp: u16,
    tcp: u16,
    child: std::process::Child,
}

impl Rsyslog {
    fn start() -> Rsyslog {
        let dir = tempfile::tempdir().unwrap();
        let (udp, tcp) = (free_port(), free_port());
        let conf = dir.path().join("rsyslog.conf");
        std::fs::write(
            &conf,
            format!(
                r#"global(workDirectory="{d}")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="{udp}")
input(type="imtcp" address="127.0.0.1" port="{tcp}")
template(name="raw" type="string" string="%protocol-version% %app-name% %msgid% %structured-data% %msg%\n")
*.* action(type="omfile" file="{d}/received.log" template="raw")
"#,
                d = dir.path().display()
            ),
        )
        .unwrap();
        let child = Command::new("rsyslogd")
            .args(["-n", "-f"])
            .arg(&conf)
            .arg("-i")
            .arg(dir.path().join("rsyslogd.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Listening once the TCP input accepts (both inputs start together).
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", tcp)).is_err() {
            assert!(Instant::now() < deadline, "rsyslogd did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Rsyslog {
            dir,
            udp,
            tcp,
            child,
        }
    }

    /// The received lines, once there are `n` of them.
    fn received(&self, n: usize) -> Vec<String> {
        let file = self.dir.path().join("received.log");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let lines: Vec<String> = std::fs::read_to_string(&file)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect();
            if lines.len() >= n {
                return lines;
            }
            assert!(Instant::now() < deadline, "rsyslog received only {lines:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn each_line_reaches_a_real_rsyslog_over_udp_and_tcp_intact() {
    if missing(&["age-keygen", "rsyslogd"]) {
        return;
    }
    let home = Home::new();
    let (credentials, recipient) = handoff_setup(&home);
    let rsyslog = Rsyslog::start();
    let udp = format!("udp://127.0.0.1:{}", rsyslog.udp);
    let tcp = format!("tcp://127.0.0.1:{}", rsyslog.tcp);
    assert_eq!(
        handoff(&home, &credentials, &recipient, &["--audit-syslog", &udp]).code,
        0
    );
    assert_eq!(
        handoff(&home, &credentials, &recipient, &["--audit-syslog", &tcp]).code,
        0
    );
    let received = rsyslog.received(2);
    let local: Vec<String> = std::fs::read_to_string(trail(&home))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    // The last two local lines (after the create's) arrived, byte for byte, as the message,
    // with RFC 5424's version, our app name, the action as MSGID and the structured data.
    for (got, sent) in received.iter().zip(&local[local.len() - 2..]) {
        assert!(
            got.starts_with(
                "1 webex-wizard handoff [webex-wizard@32473 action=\"handoff\" outcome=\"ok\""
            ),
            "{got}"
        );
        assert!(got.ends_with(sent.as_str()), "{got}\n{sent}");
    }
    // A collector that isn't there is a warning; the local line is still written.
    let before = local.len();
    let dead = format!("tcp://127.0.0.1:{}", free_port());
    let r = handoff(&home, &credentials, &recipient, &["--audit-syslog", &dead]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("was not sent to syslog"), "{}", r.stderr);
    let after = std::fs::read_to_string(trail(&home))
        .unwrap()
        .lines()
        .count();
    assert_eq!(after, before + 1);
    let _ = std::io::stderr().flush();
}

/// `report` (issue 26, item 4) against the sandbox, in its three formats: every application,
/// its creator's e-mail from /people/{id}, scopes by class, and the broad one flagged.
#[test]
fn report_lists_the_sandboxs_applications_with_flags_in_three_formats() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let token = common::expose(sandbox.admin_token());
    let base = sandbox.base().to_string();
    for (name, scope) in [("Reader", "spark:people_read"), ("Everything", "spark:all")] {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", &token)
            .args([
                "--api-base",
                &base,
                "create",
                "--name",
                name,
                "--description",
                "d",
            ])
            .args(["--contact-email", "a@agency.example.gov"])
            .args([
                "--redirect-url",
                "http://localhost:8080/callback",
                "--scope",
                scope,
            ])
            .args(["--justification", "the report needs one broad integration"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let report = |format: &[&str]| {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", &token)
            .args(["--api-base", &base, "report"])
            .args(format));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let json: Value = serde_json::from_str(&report(&["--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{json}");
    let everything = rows.iter().find(|r| r["name"] == "Everything").unwrap();
    assert_eq!(everything["creator"], "admin@sandbox.example.gov");
    assert_eq!(everything["scopesByClass"]["everything"][0], "spark:all");
    assert!(everything["secretLastSet"].is_string(), "{everything}");
    assert_eq!(everything["flags"][0], "broad scopes");
    let reader = rows.iter().find(|r| r["name"] == "Reader").unwrap();
    assert_eq!(
        reader["scopesByClass"]["read user data"][0],
        "spark:people_read"
    );
    assert_eq!(
        reader["flags"].as_array().map(Vec::len),
        Some(0),
        "{reader}"
    );

    let csv = report(&["--csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("type,name,id,clientId,created,creator,scopesByClass"),
        "{csv}"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    let row = lines.iter().find(|l| l.contains("Everything")).unwrap();
    assert!(
        row.contains("admin@sandbox.example.gov") && row.ends_with("broad scopes"),
        "{row}"
    );

    let table = report(&[]);
    assert!(
        table.contains("everything (1)") && table.contains("broad scopes"),
        "{table}"
    );
    assert!(table.contains("2 application(s), 1 flagged"), "{table}");
}

/// Least privilege in scripts (issue 26, item 3): a policy's denied scope is refused before
/// anything is sent, the rule named; a broad scope needs --justification, which lands in the
/// audit line.
#[test]
fn a_policy_refuses_before_sending_and_a_justification_is_audited() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let token = common::expose(sandbox.admin_token());
    let base = sandbox.base().to_string();
    let policy = home.path().join("policy.toml");
    std::fs::write(&policy, "deny_scopes = [\"spark:all\"]\nmax_scopes = 3\n").unwrap();
    let create = |scope: &str, extra: &[&str]| {
        run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", &token)
            .args(["--api-base", &base])
            .args(extra)
            .args(["create", "--name", "Policy Check", "--description", "d"])
            .args(["--contact-email", "a@agency.example.gov"])
            .args([
                "--redirect-url",
                "http://localhost:8080/callback",
                "--scope",
                scope,
            ]))
    };
    let policy_arg = policy.to_str().unwrap();
    let r = create("spark:all", &["--policy", policy_arg]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("spark:all is denied (deny_scopes in"),
        "{}",
        r.stderr
    );
    let (_, apps) = common::get_json(&format!("{base}/applications"), &token);
    assert_eq!(
        apps["items"].as_array().map(Vec::len),
        Some(0),
        "nothing was sent: {apps}"
    );

    // Without a policy file: admin write asks a reason, and the reason is audited.
    let r = create("spark-admin:people_write", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--justification TEXT"), "{}", r.stderr);
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", &token)
        .args([
            "--api-base",
            &base,
            "create",
            "--name",
            "Provisioner",
            "--description",
            "d",
        ])
        .args(["--contact-email", "a@agency.example.gov"])
        .args(["--redirect-url", "http://localhost:8080/callback"])
        .args(["--scope", "spark-admin:people_write"])
        .args(["--justification", "HR sync creates accounts\nat night"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let last = std::fs::read_to_string(trail(&home))
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let line: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(line["action"], "create");
    assert_eq!(line["justification"], "HR sync creates accounts at night");
}

#[test]
fn audit_export_writes_json_syslog_and_cef_for_a_forwarder() {
    let home = Home::new();
    for extra in [
        &[][..],
        &[
            "--scope",
            "spark:all",
            "--justification",
            "kiosk = all | yes",
        ][..],
    ] {
        let r = run(wizard(&home)
            .args(["--demo", "create", "--from"])
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/example-integration.json"
            ))
            .args(extra));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let export = |format: &str| {
        let r = run(wizard(&home).args(["audit", "export", "--format", format]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let local: Vec<String> = std::fs::read_to_string(trail(&home))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(export("json"), local);
    let syslog = export("syslog");
    assert_eq!(syslog.len(), 2);
    assert!(
        syslog[1].starts_with("<110>1 ") && syslog[1].ends_with(&local[1]),
        "{}",
        syslog[1]
    );
    let cef = export("cef");
    assert_eq!(cef.len(), 2);
    assert!(
        cef[0].starts_with("CEF:0|webex-wizard|webex-wizard|"),
        "{}",
        cef[0]
    );
    assert!(cef[1].contains("|create|create ok|3|"), "{}", cef[1]);
    // CEF's escapes: '=' in an extension value, and the reason kept whole.
    assert!(cef[1].contains("cs4=kiosk \\= all | yes"), "{}", cef[1]);
    assert!(cef[1].contains("cs4Label=justification"), "{}", cef[1]);
}
