//! Copying to the clipboard: OSC 52 through the terminal (works over SSH), plus the system
//! clipboard tool when there is a desktop session.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

/// The OSC 52 escape sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &SecretString) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.expose_secret());
    format!("\x1b]52;c;{encoded}\x07")
}

/// The clipboard programs we know, in the order we try them, with the environment each needs.
const TOOLS: &[(&str, &[&str], Option<&str>)] = &[
    ("wl-copy", &[], Some("WAYLAND_DISPLAY")),
    ("xclip", &["-selection", "clipboard"], Some("DISPLAY")),
    ("xsel", &["--clipboard", "--input"], Some("DISPLAY")),
    ("pbcopy", &[], None),
];

/// How long a clipboard tool may take to take the text and exit (the usual ones fork to serve
/// the selection and their first process exits at once).
const TOOL_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The system clipboard tool a copy would use now (installed, with its display set), if any;
/// without one, only OSC 52 through the terminal is left.
pub fn system_tool() -> Option<&'static str> {
    TOOLS
        .iter()
        .filter(|(tool, _, _)| *tool != "pbcopy" || cfg!(target_os = "macos"))
        .filter(|(_, _, needs)| {
            needs.is_none_or(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()))
        })
        .map(|(tool, _, _)| *tool)
        .find(|tool| crate::files::on_path(tool).is_some())
}

/// Put `text` on the system clipboard with the first tool that is installed and has a display.
/// Returns the tool's name only when it took the text and exited 0: that is a copy we can
/// vouch for. `None` when this machine has no system clipboard to use, or none confirmed.
pub fn copy_to_system(text: &SecretString) -> Option<&'static str> {
    for (tool, args, needs) in TOOLS {
        if let Some(var) = needs
            && std::env::var_os(var).is_none_or(|v| v.is_empty())
        {
            continue;
        }
        if *tool == "pbcopy" && !cfg!(target_os = "macos") {
            continue;
        }
        // The secret goes through the tool's standard input, never its arguments.
        let Ok(mut child) = Command::new(tool)
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            continue;
        };
        let written = child
            .stdin
            .take()
            .is_some_and(|mut stdin| stdin.write_all(text.expose_secret().as_bytes()).is_ok());
        // Wait for its exit on a thread of its own, which also reaps it if it outlives us.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait().is_ok_and(|s| s.success()));
        });
        let exited_ok = rx.recv_timeout(TOOL_WAIT).unwrap_or(false);
        if written && exited_ok {
            return Some(tool);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        let seq = osc52(&SecretString::from("s3cr3t"));
        assert_eq!(seq, "\x1b]52;c;czNjcjN0\x07");
    }
}
