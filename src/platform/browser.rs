//! Opening the browser, and saying what really happened: the command that was run, and
//! whether it exited 0, failed, or is still running (a browser that stays open). Every child
//! is waited for, so none is left a zombie.

use std::time::Duration;

/// What opening the browser did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserLaunch {
    /// The command is still running after a moment (a browser in the foreground): it is
    /// waited for in the background.
    Started(String),
    /// The command ran and exited with this status (openers such as xdg-open exit at once).
    Exited { command: String, code: Option<i32> },
    /// Nothing could be run, and why.
    NotOpened(String),
}

impl BrowserLaunch {
    /// Whether a browser may have shown the address.
    pub fn opened(&self) -> bool {
        matches!(
            self,
            BrowserLaunch::Started(_) | BrowserLaunch::Exited { code: Some(0), .. }
        )
    }

    /// What happened, in words.
    pub fn describe(&self) -> String {
        match self {
            BrowserLaunch::Started(c) => format!("started {c}"),
            BrowserLaunch::Exited {
                command,
                code: Some(0),
            } => {
                format!("ran {command}, which exited 0")
            }
            BrowserLaunch::Exited {
                command,
                code: Some(n),
            } => {
                format!("ran {command}, which failed (exit {n})")
            }
            BrowserLaunch::Exited {
                command,
                code: None,
            } => {
                format!("ran {command}, which was killed by a signal")
            }
            BrowserLaunch::NotOpened(why) => why.clone(),
        }
    }
}

/// Programs that open a URL on Linux, in the order tried when `$BROWSER` is not set.
pub const OPENERS: &[&str] = &[
    "xdg-open",
    "gio",
    "x-www-browser",
    "www-browser",
    "sensible-browser",
];

/// `$BROWSER`'s entries as command lines for `url`: `:` separates entries, `%s` is the URL
/// (appended when no entry field has it), `%c` a colon and `%%` a percent sign.
pub fn browser_commands(browser: &str, url: &str) -> Vec<Vec<String>> {
    browser
        .split(':')
        .filter(|e| !e.trim().is_empty())
        .map(|entry| {
            let mut has_url = false;
            let mut words: Vec<String> = entry
                .split_ascii_whitespace()
                .map(|w| {
                    let escaped = w.replace("%%", "\u{0}");
                    has_url |= escaped.contains("%s");
                    escaped
                        .replace("%s", url)
                        .replace("%c", ":")
                        .replace('\u{0}', "%")
                })
                .collect();
            if !has_url {
                words.push(url.to_owned());
            }
            words
        })
        .collect()
}

/// The command lines to try for `url`: `$BROWSER`'s, else the first opener on `PATH` (only
/// with a display to show a window on); or why there is none.
fn candidates(url: &str) -> Result<Vec<Vec<String>>, String> {
    if let Some(b) = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        return Ok(browser_commands(&b, url));
    }
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if cfg!(target_os = "linux") && !display {
        return Err("no display: DISPLAY and WAYLAND_DISPLAY are unset, and no $BROWSER".into());
    }
    let opener = OPENERS
        .iter()
        .find(|o| crate::platform::find_program(o).is_some())
        .ok_or("no browser opener (xdg-open, …) on PATH and no $BROWSER")?;
    let mut command = vec![(*opener).to_owned()];
    if *opener == "gio" {
        command.push("open".into());
    }
    command.push(url.to_owned());
    Ok(vec![command])
}

/// How long a command may run before it counts as a browser that stays open.
const SETTLE: Duration = Duration::from_secs(3);

/// Open `url`: run the first command that can be started, and report what it did.
pub async fn open(url: &str) -> BrowserLaunch {
    let lines = match candidates(url) {
        Ok(lines) => lines,
        Err(why) => return BrowserLaunch::NotOpened(why),
    };
    let mut tried = Vec::new();
    for words in lines {
        let Some((program, args)) = words.split_first() else {
            continue;
        };
        let mut command = tokio::process::Command::new(program);
        command
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = match command.spawn() {
            Ok(c) => c,
            Err(e) => {
                tried.push(format!("{program}: {e}"));
                continue;
            }
        };
        if let Ok(status) = tokio::time::timeout(SETTLE, child.wait()).await {
            return BrowserLaunch::Exited {
                command: program.clone(),
                code: status.ok().and_then(|s| s.code()),
            };
        }
        // Still running: reaped whenever it ends, never left a zombie.
        tokio::spawn(async move {
            let _ = child.wait().await;
        });
        return BrowserLaunch::Started(program.clone());
    }
    BrowserLaunch::NotOpened(format!(
        "no browser command could be run ({})",
        tried.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_entries_take_the_url_where_asked_or_last() {
        let url = "http://127.0.0.1:1/a?b=c";
        assert_eq!(
            browser_commands("firefox --new-tab:lynx %s -x:w3m %%s%c", url),
            vec![
                vec!["firefox".to_owned(), "--new-tab".into(), url.into()],
                vec!["lynx".to_owned(), url.into(), "-x".into()],
                vec!["w3m".to_owned(), "%s:".into(), url.into()],
            ]
        );
    }
}
