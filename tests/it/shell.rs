//! `--version` with build facts, `completions` and `man`: real shells load the scripts and
//! complete with them, `man -l` renders every page.

use std::process::Command;

use crate::common::{Home, bare, missing, wizard};

fn output_of(home: &Home, args: &[&str]) -> String {
    let out = wizard(home).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_build_and_its_crypto_module() {
    let home = Home::new();
    let text = output_of(&home, &["--version"]);
    // The first line as it always was: scripts read it.
    assert_eq!(
        text.lines().next(),
        Some(concat!("webex-wizard ", env!("CARGO_PKG_VERSION")))
    );
    for label in ["commit:", "built:", "features:", "TLS:", "crypto:"] {
        assert!(text.contains(label), "no {label} in:\n{text}");
    }
    assert!(text.contains("rustls 0.23."), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&output_of(&home, &["--version", "--json"])).unwrap();
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["tls"]["fipsMode"], cfg!(feature = "fips"));
    let status = json["cryptoModule"]["cmvp"]["status"].as_str().unwrap();
    if cfg!(feature = "fips") {
        assert!(
            json["cryptoModule"]["name"]
                .as_str()
                .unwrap()
                .starts_with("AWS-LC FIPS "),
            "{json}"
        );
        assert_ne!(status, "not a FIPS module");
    } else {
        assert_eq!(status, "not a FIPS module");
        assert!(text.contains("FIPS mode off"), "{text}");
    }
    // --json alone is not a thing at the top level.
    wizard(&home).arg("--json").assert().code(2);
}

#[test]
fn bash_completes_subcommands_and_flags() {
    if missing(&["bash"]) {
        return;
    }
    let home = Home::new();
    let script = home.path().join("webex-wizard.bash");
    std::fs::write(&script, output_of(&home, &["completions", "bash"])).unwrap();
    // What bash itself offers at `webex-wizard cr<TAB>` and `webex-wizard create --cl<TAB>`.
    let complete = |words: &str, current: usize| {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{words}'; \
             COMP_POINT=${{#COMP_LINE}}; \
             f=$(complete -p webex-wizard | sed -E 's/.* -F ([^ ]+) .*/\\1/'); \
             \"$f\" webex-wizard \"${{COMP_WORDS[$COMP_CWORD]}}\" \
             \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(program)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let subcommands = complete("webex-wizard cr", 1);
    assert!(subcommands.lines().any(|l| l == "create"), "{subcommands}");
    let all = complete("webex-wizard ''", 1);
    for name in [
        "authorize",
        "refresh",
        "tokens",
        "completions",
        "man",
        "doctor",
    ] {
        assert!(all.lines().any(|l| l == name), "no {name} in: {all}");
    }
    let flags = complete("webex-wizard create --cont", 2);
    assert!(flags.lines().any(|l| l == "--contact-email"), "{flags}");
    // A subcommand with a '-' in its name, and a nested one.
    let flags = complete("webex-wizard rotate-secret --handoff-a", 2);
    assert!(flags.lines().any(|l| l == "--handoff-again"), "{flags}");
    let flags = complete("webex-wizard bot create --na", 3);
    assert!(flags.lines().any(|l| l == "--name"), "{flags}");
}

#[test]
fn zsh_and_fish_load_their_scripts() {
    for (shell, loader) in [
        // compinit first: the script registers itself with compdef.
        ("zsh", "autoload -U compinit && compinit -u -D && source"),
        ("fish", "source"),
    ] {
        if missing(&[shell]) {
            continue;
        }
        let home = Home::new();
        let script = home.path().join(format!("webex-wizard.{shell}"));
        std::fs::write(&script, output_of(&home, &["completions", shell])).unwrap();
        let out = Command::new(shell)
            .arg("-c")
            .arg(format!("{loader} {}", script.display()))
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{shell} could not load its completions: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if !missing(&["fish"]) {
        // And fish completes a subcommand from it.
        let home = Home::new();
        let script = home.path().join("webex-wizard.fish");
        std::fs::write(&script, output_of(&home, &["completions", "fish"])).unwrap();
        let out = Command::new("fish")
            .arg("-c")
            .arg(format!(
                "source {}; complete -C 'webex-wizard rot'",
                script.display()
            ))
            .env("HOME", home.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("rotate-secret"), "{text}");
    }
}

#[test]
fn man_renders_every_page() {
    let home = Home::new();
    let dir = home.path().join("man1");
    let out = bare(&home)
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let names: Vec<String> = pages
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // The main page, one per subcommand, and the nested ones.
    for name in [
        "webex-wizard.1",
        "webex-wizard-create.1",
        "webex-wizard-bot-create.1",
    ] {
        assert!(names.iter().any(|n| n == name), "no {name} in {names:?}");
    }
    // The main page also goes to standard output without --dir.
    assert!(output_of(&home, &["man"]).contains(".TH webex-wizard"));
    if missing(&["man"]) {
        return;
    }
    for page in &pages {
        let out = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("NAME"),
            "man -l {} failed: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        // Rendered, not raw roff.
        assert!(!text.contains(".TH "), "{}", page.display());
    }
}
