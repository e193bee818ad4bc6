//! The real binary in a real terminal: tmux gives it an 80x24 pseudo-terminal, the test types
//! keys and reads the screen. `.ci/run` installs tmux.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), with one 80x24 window running the wizard.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(home: &Path, args: &[&str]) -> Tmux {
        Tmux::start_with(home, &[], args)
    }

    fn start_with(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Tmux {
        let socket = format!(
            "webex-wizard-test-{}-{}",
            std::process::id(),
            home.file_name().unwrap().to_string_lossy()
        );
        let tmux = Tmux { socket };
        let mut command = vec![
            "env".to_owned(),
            // Run over SSH or not, the wizard under test must not think it is remote.
            "-u".to_owned(),
            "SSH_CONNECTION".to_owned(),
            "-u".to_owned(),
            "SSH_TTY".to_owned(),
            format!("HOME={}", home.display()),
            "NO_COLOR=1".to_owned(),
            "TERM=xterm-256color".to_owned(),
        ];
        command.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        command.push(env!("CARGO_BIN_EXE_webex-wizard").to_owned());
        command.extend(args.iter().map(|a| (*a).to_owned()));
        let out = tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            // The shell prints the wizard's exit status once the wizard is gone.
            &format!("{}; echo \"EXIT=$?\"", shell_words(&command)),
        ]);
        assert!(out.status.success(), "tmux could not start: {out:?}");
        // Keep the pane after the wizard exits, to read its exit status and last screen;
        // take OSC 52 from the wizard into tmux's paste buffer.
        tmux.run(&["set-option", "-g", "remain-on-exit", "on"]);
        tmux.run(&["set-option", "-g", "set-clipboard", "on"]);
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend(keys);
        assert!(self.run(&args).status.success());
    }

    fn text(&self, text: &str) {
        assert!(self.run(&["send-keys", "-l", text]).status.success());
    }

    fn format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Wait until the screen shows `text` (a condition, not a fixed sleep).
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Wait until the wizard's process ended; its exit status.
    fn wait_exit(&self) -> i32 {
        let screen = self.wait_for("EXIT=");
        let at = screen.find("EXIT=").unwrap() + 5;
        screen[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// The wizard's process ID (the pane runs a shell that runs the wizard).
    fn wizard_pid(&self) -> String {
        let shell = self.format("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The redirect URL the tests type, as a person would.
const TYPED_REDIRECT: &str = "http://127.0.0.1:9000/cb";

/// From launch to the credentials screen, typing like a user.
fn to_credentials(t: &Tmux) {
    // The first screen: creating an integration is the highlighted choice.
    t.wait_for("Create an integration");
    t.keys(&["Enter"]);
    t.wait_for("The token belongs to");
    t.keys(&["Enter"]);
    t.wait_for("What users see when they consent");
    t.text("PTY Demo");
    t.keys(&["Enter"]);
    t.text("Created in a real terminal");
    t.keys(&["Tab"]);
    t.text("admin@agency.example.gov");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("URL 1");
    // Typed on a fresh step, exactly this is sent: the suggestion is only a suggestion.
    t.text(TYPED_REDIRECT);
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Filter:");
    t.text("people_read");
    t.keys(&["Space"]);
    t.wait_for("1 chosen");
    t.keys(&["Enter"]);
    t.wait_for("Nothing has been sent yet");
    t.keys(&["Enter"]);
    t.wait_for("only once");
}

#[test]
fn demo_in_a_real_terminal_from_launch_to_the_secret_copied_and_saved() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(home.path(), &["--demo"]);
    to_credentials(&t);
    let screen = t.screen();
    assert!(screen.contains("Client ID"), "{screen}");
    assert!(screen.contains("••••"), "{screen}");
    assert!(
        t.format("#{alternate_on}") == "1",
        "the wizard is not on the alternate screen"
    );

    // tmux takes OSC 52, but no terminal confirms it: the secret is not "stored" by that.
    t.keys(&["c"]);
    t.wait_for("can't be confirmed");
    t.keys(&["s"]);
    let screen = t.wait_for("✔ saved");
    assert!(screen.contains("The secret is stored"), "{screen}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        t.format("#{alternate_on}"),
        "0",
        "the terminal was not restored"
    );

    let folder = home.path().join(".local/share/webex-wizard/credentials");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let secret = saved["clientSecret"].as_str().unwrap();
    assert!(!secret.is_empty());
    assert_eq!(saved["redirectUrls"], serde_json::json!([TYPED_REDIRECT]));
    // OSC 52 reached the terminal: tmux put the secret in its paste buffer.
    let buffer = t.run(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), secret);
    let recovery = home.path().join(".local/state/webex-wizard/recovery");
    assert_eq!(std::fs::read_dir(recovery).unwrap().count(), 0);
}

/// Walk finding (issue 20): a window resized while the wizard ran kept rows of the alternate
/// screen on the normal one after quitting (tmux carries them over), a revealed secret among
/// them. The wizard clears the alternate screen before leaving it.
#[test]
fn a_revealed_secret_stays_off_the_normal_screen_after_a_resize_and_quit() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(home.path(), &["--demo"]);
    t.run(&["resize-window", "-x", "60", "-y", "15"]);
    t.wait_for("needs at least 80x24");
    t.run(&["resize-window", "-x", "80", "-y", "24"]);
    to_credentials(&t);
    t.keys(&["r"]);
    t.keys(&["s"]);
    t.wait_for("✔ saved");
    let folder = home.path().join(".local/share/webex-wizard/credentials");
    let file = std::fs::read_dir(&folder)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let secret = saved["clientSecret"].as_str().unwrap().to_owned();
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    let everything = t.run(&["capture-pane", "-p", "-S", "-1000"]);
    let everything = String::from_utf8_lossy(&everything.stdout);
    assert!(
        !everything.contains(&secret),
        "the secret is on the normal screen:\n{everything}"
    );
    assert!(!everything.contains("Client secret"), "{everything}");
}

#[test]
fn sigterm_and_sighup_on_the_secret_screen_lose_nothing_and_restore_the_terminal() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    // SIGINT too (kill -INT, not the Ctrl-C key): it used to end the wizard at once, in the
    // alternate screen.
    for (signal, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let home = tempfile::tempdir().unwrap();
        let t = Tmux::start(home.path(), &["--demo"]);
        to_credentials(&t);
        let pid = t.wizard_pid();
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(t.wait_exit(), code, "SIG{signal}");
        assert_eq!(
            t.format("#{alternate_on}"),
            "0",
            "SIG{signal}: terminal not restored"
        );
        let recovery = home.path().join(".local/state/webex-wizard/recovery");
        let kept: Vec<_> = std::fs::read_dir(&recovery)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(kept.len(), 1, "SIG{signal}: {kept:?}");
        let text = std::fs::read_to_string(&kept[0]).unwrap();
        assert!(text.contains("\"clientSecret\""), "SIG{signal}");

        // The next start shows them before anything else.
        let again = Tmux::start(home.path(), &["--demo"]);
        let screen = again.wait_for("Recovered from an earlier session");
        assert!(screen.contains("PTY Demo"), "{screen}");
    }
}

#[test]
fn demo_goes_on_from_the_credentials_to_tokens_and_the_scope_table() {
    if common::missing(&["tmux", "pgrep", "curl"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    // The browser: a program that fetches the URL and follows redirects, as a browser would.
    let browser = common::following_browser(home.path());
    let t = Tmux::start_with(
        home.path(),
        &[("BROWSER", browser.to_str().unwrap())],
        &["--demo"],
    );
    to_credentials(&t);
    t.keys(&["s"]);
    t.wait_for("✔ saved");
    t.keys(&["a"]);
    t.wait_for("Scopes to ask for");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Webex issued tokens");
    assert!(screen.contains("(in 14 days)"), "{screen}");
    assert!(
        screen.contains("Granted scopes  spark:people_read"),
        "{screen}"
    );
    assert!(screen.contains("••••"), "{screen}");
    // And on to the scope table.
    t.keys(&["t"]);
    let screen = t.wait_for("1 of 1 scopes probed");
    assert!(screen.contains("GET /people/me"), "{screen}");
    assert!(screen.contains("200"), "{screen}");
    assert!(screen.contains("works"), "{screen}");
    // The tokens are not saved yet: q asks first, and s saves them, then quits.
    t.keys(&["q"]);
    t.wait_for("s: save and quit");
    t.keys(&["s"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn an_encrypted_ssh_key_asks_for_its_passphrase_on_the_terminal_only() {
    if common::missing(&["tmux", "pgrep", "age", "age-keygen", "ssh-keygen"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let creds = dir.join("app.json");
    let made = Command::new(env!("CARGO_BIN_EXE_webex-wizard"))
        .env("HOME", dir)
        .args([
            "--demo",
            "create",
            "--from",
            "assets/example-integration.json",
            "--save",
        ])
        .arg(&creds)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (key, public) = common::ssh_key(dir, "correct horse");
    let sealed = dir.join("app.json.age");
    let encrypted = Command::new("age")
        .arg("-R")
        .arg(&public)
        .arg("-o")
        .arg(&sealed)
        .arg(&creds)
        .status()
        .unwrap();
    assert!(encrypted.success());
    let (dev, recipient) = common::age_key(dir);
    let out = dir.join("for-dev.age");
    let t = Tmux::start(
        dir,
        &[
            "handoff",
            "--credentials",
            sealed.to_str().unwrap(),
            "--identity",
            key.to_str().unwrap(),
            "--to",
            &recipient,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let prompt = t.wait_for("passphrase");
    // age wraps the path in Unicode isolation marks; they never reach the screen.
    assert!(!prompt.contains(['\u{2068}', '\u{2069}']), "{prompt:?}");
    t.text("correct horse");
    t.keys(&["Enter"]);
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
    assert!(
        !t.screen().contains("correct horse"),
        "the passphrase was echoed"
    );
    let plain = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&dev)
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&plain.stdout).contains("clientSecret"));

    // Without a terminal the passphrase can't be asked, and the message says so (it used to
    // be age's "No matching keys found").
    if common::missing(&["setsid"]) {
        return;
    }
    let detached = Command::new("setsid")
        .arg(env!("CARGO_BIN_EXE_webex-wizard"))
        .env("HOME", dir)
        .args(["handoff", "--credentials"])
        .arg(&sealed)
        .arg("--identity")
        .arg(&key)
        .args(["--to", &recipient, "--out"])
        .arg(dir.join("second.age"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&detached.stderr);
    // "No usable terminal" is exit 1 (README), not a usage error.
    assert_eq!(detached.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no terminal to ask it on"), "{stderr}");
}

/// Issue 24, "ask, don't just refuse": `create` in a terminal with fields missing opens the
/// wizard with what was given filled in, at the first field to finish, and creates from there;
/// `--no-input` keeps the error list and exit 2.
#[test]
fn create_with_fields_missing_asks_for_them_in_the_wizard() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        home.path(),
        &[
            "--demo",
            "create",
            "--name",
            "Audit Reader",
            "--scope",
            "audit:events_read",
            "--redirect-url",
            "http://localhost:8080/callback",
        ],
    );
    let screen = t.wait_for("Press Enter to finish the details.");
    assert!(
        screen.contains("Filled in from the command line"),
        "{screen}"
    );
    t.keys(&["Enter"]);
    let screen = t.wait_for("What users see when they consent");
    assert!(screen.contains("Audit Reader"), "{screen}");
    // The keyboard is in the first empty field: what is typed lands in Description.
    t.text("Reads the audit log");
    t.keys(&["Tab"]);
    t.text("me@agency.example.gov");
    t.wait_for("me@agency.example.gov");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Where Webex sends the browser");
    t.keys(&["Enter"]);
    t.wait_for("(empty: Enter goes to the next step)");
    t.keys(&["Enter"]);
    t.wait_for("1 chosen");
    t.keys(&["Tab", "Enter"]);
    let screen = t.wait_for("Nothing has been sent yet");
    assert!(
        screen.contains("\"description\": \"Reads the audit log\""),
        "{screen}"
    );
    assert!(
        screen.contains("\"contactEmail\": \"me@agency.example.gov\""),
        "{screen}"
    );
    t.keys(&["Enter"]);
    t.wait_for("Client secret");
    drop(t);

    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        home.path(),
        &["--demo", "create", "--name", "X", "--no-input"],
    );
    assert_eq!(t.wait_exit(), 2);
    let screen = t.screen();
    assert!(
        screen.contains("description: the description must not be blank"),
        "{screen}"
    );
    assert!(
        !screen.contains("Filled in from the command line"),
        "{screen}"
    );
}

/// Issue 24: device login in the wizard, as over SSH: ^G on Redirect URLs adds Webex's three
/// device-helper URLs, and d on Authorize shows the code and address (no browser, no tunnel),
/// then the demo sandbox approves and the tokens arrive.
#[test]
fn the_wizard_signs_in_with_a_device_code_over_ssh() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start_with(
        home.path(),
        &[("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")],
        &[
            "--demo",
            "create",
            "--name",
            "Device Demo",
            "--description",
            "Signs in over SSH",
            "--contact-email",
            "me@agency.example.gov",
            "--scope",
            "spark:people_read",
        ],
    );
    t.wait_for("Press Enter to finish the redirect URLs.");
    t.keys(&["Enter"]);
    t.wait_for("Where Webex sends the browser");
    t.keys(&["C-g"]);
    let screen = t.wait_for("Added 3 device-helper redirect URL(s)");
    assert!(screen.contains("helper-r.wbx2.com"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("URL 4");
    t.keys(&["Enter"]);
    t.wait_for("1 chosen");
    t.keys(&["Tab", "Enter"]);
    t.wait_for("Nothing has been sent yet");
    t.keys(&["Enter"]);
    t.wait_for("Client secret");
    t.keys(&["s"]);
    t.wait_for("The secret is stored");
    t.keys(&["a"]);
    let screen = t.wait_for("d device");
    assert!(screen.contains("Or d: device login"), "{screen}");
    t.keys(&["d"]);
    let screen = t.wait_for("and enter the code:");
    assert!(screen.contains("/v1/device/verify"), "{screen}");
    assert!(!screen.contains("ssh -L"), "{screen}");
    // The demo sandbox approves at once; the first poll (after Webex's interval) brings them.
    let screen = t.wait_for("Webex issued tokens");
    assert!(
        screen.contains("Granted scopes  spark:people_read"),
        "{screen}"
    );
}

/// `bot create` in a terminal with fields missing opens the wizard's bot form with what was
/// given; without a terminal the problems are listed, all at once, and nothing is sent.
#[test]
fn bot_create_with_fields_missing_asks_for_them_in_the_wizard() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        home.path(),
        &[
            "--demo",
            "bot",
            "create",
            "--name",
            "Agency Notifier",
            "--avatar-url",
            "https://example.gov/bot.png",
        ],
    );
    t.wait_for("Press Enter to finish the details.");
    t.keys(&["Enter"]);
    let screen = t.wait_for("What people see of the bot");
    assert!(screen.contains("Agency Notifier"), "{screen}");
    t.text("Posts agency notices");
    t.keys(&["Tab"]);
    t.text("me@agency.example.gov");
    t.wait_for("me@agency.example.gov");
    t.keys(&["Enter", "Enter"]);
    let screen = t.wait_for("https://example.gov/bot.png");
    // The keyboard is in the bot e-mail, the one thing left.
    assert!(screen.contains("The bot's address and picture"), "{screen}");
    t.text("agency-notifier@webex.bot");
    t.wait_for("agency-notifier@webex.bot");
    t.keys(&["Enter", "Enter"]);
    let screen = t.wait_for("Store the bot's token now");
    assert!(screen.contains("agency-notifier@webex.bot"), "{screen}");

    let home = tempfile::tempdir().unwrap();
    let out = common::wizard(&common::Home::new())
        .env("HOME", home.path())
        .args(["--demo", "bot", "create", "--name", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--bot-email: the bot e-mail must not be blank"),
        "{stderr}"
    );
    assert!(stderr.contains("--avatar-url or --avatar-file"), "{stderr}");
}

/// Least privilege in the wizard (issue 26, item 3): a policy's denied scope is refused on
/// Review before anything is sent; a broad scope asks for a one-line reason, then sends.
#[test]
fn the_wizard_enforces_the_scope_policy_before_sending() {
    if common::missing(&["tmux", "pgrep"]) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let policy = home.path().join("policy.toml");
    std::fs::write(&policy, "deny_scopes = [\"spark:all\"]\n").unwrap();
    let args = |scope: &'static str, policy: &str| -> Vec<String> {
        let mut a: Vec<String> = [
            "--demo",
            "--policy",
            policy,
            "create",
            "--name",
            "Least",
            "--description",
            "d",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        a.extend(["--contact-email", "me@agency.example.gov", "--scope", scope].map(str::to_owned));
        a
    };
    let denied = args("spark:all", policy.to_str().unwrap());
    let t = Tmux::start(
        home.path(),
        &denied.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    send_from_redirects(&t);
    let screen = t.wait_for("Not sent: the scope policy refuses it");
    assert!(screen.contains("spark:all is denied"), "{screen}");
    drop(t);

    // No policy file: spark:all asks why, and then it is sent.
    let home = tempfile::tempdir().unwrap();
    let none = home.path().join("none.toml");
    std::fs::write(&none, "").unwrap();
    let broad = args("spark:all", none.to_str().unwrap());
    let t = Tmux::start(
        home.path(),
        &broad.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    send_from_redirects(&t);
    let screen = t.wait_for("why these scopes?");
    assert!(
        screen.contains("spark:all") && screen.contains("(everything)"),
        "{screen}"
    );
    t.text("kiosk needs all");
    t.wait_for("Why: kiosk needs all");
    t.keys(&["Enter"]);
    t.wait_for("Client secret");
    let trail =
        std::fs::read_to_string(home.path().join(".local/state/webex-wizard/audit.jsonl")).unwrap();
    assert!(
        trail.contains("\"justification\":\"kiosk needs all\""),
        "{trail}"
    );
}

/// From Connect (redirect URLs still to finish): take the suggested loopback URL, keep the
/// scope given, and press Enter on Review.
fn send_from_redirects(t: &Tmux) {
    t.wait_for("Press Enter to finish the redirect URLs.");
    t.keys(&["Enter"]);
    t.wait_for("Where Webex sends the browser");
    t.keys(&["Right", "Enter"]);
    t.wait_for("URL 2");
    t.keys(&["Enter"]);
    t.wait_for("1 chosen");
    t.keys(&["Tab", "Enter"]);
    t.wait_for("Nothing has been sent yet");
    t.keys(&["Enter"]);
}
