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

/// Put `text` on the system clipboard with the first tool that is installed and has a display.
/// Returns the tool's name, or `None` when this machine has no system clipboard to use.
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
            .map(|mut stdin| stdin.write_all(text.expose_secret().as_bytes()).is_ok())
            .unwrap_or(false);
        // wl-copy and xclip stay alive to serve the selection; only a quick failure counts.
        let failed = matches!(child.try_wait(), Ok(Some(status)) if !status.success());
        // Reap the tool whenever it ends, so it never lingers as a zombie.
        std::thread::spawn(move || child.wait());
        if written && !failed {
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
