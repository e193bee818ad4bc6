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

/// What the system clipboard tools need from the session: the folders searched for programs
/// and which displays are set. Read from the environment, or given (tests).
pub struct Desktop {
    pub path: std::ffi::OsString,
    pub wayland: bool,
    pub x11: bool,
}

impl Desktop {
    /// This process's session.
    pub fn from_env() -> Self {
        let set = |v: &str| std::env::var_os(v).is_some_and(|v| !v.is_empty());
        Desktop {
            path: std::env::var_os("PATH").unwrap_or_default(),
            wayland: set("WAYLAND_DISPLAY"),
            x11: set("DISPLAY"),
        }
    }

    /// The tools that could run here, in order, with their full paths and arguments.
    fn tools(
        &self,
    ) -> impl Iterator<Item = (&'static str, std::path::PathBuf, &'static [&'static str])> + '_
    {
        TOOLS
            .iter()
            .filter(|(tool, _, _)| *tool != "pbcopy" || cfg!(target_os = "macos"))
            .filter(|(_, _, needs)| match *needs {
                Some("WAYLAND_DISPLAY") => self.wayland,
                Some(_) => self.x11,
                None => true,
            })
            .filter_map(|(tool, args, _)| {
                crate::platform::find_program_in(tool, &self.path).map(|p| (*tool, p, *args))
            })
    }
}

/// The system clipboard tool a copy would use now (installed, with its display set), if any;
/// without one, only OSC 52 through the terminal is left.
pub fn system_tool() -> Option<&'static str> {
    Desktop::from_env().tools().next().map(|(tool, _, _)| tool)
}

/// Put `text` on the system clipboard with the first tool that is installed and has a display.
/// Returns the tool's name only when it took the text and exited 0: that is a copy we can
/// vouch for. `None` when this machine has no system clipboard to use, or none confirmed.
pub fn copy_to_system(text: &SecretString) -> Option<&'static str> {
    copy_with(text, &Desktop::from_env())
}

/// [`copy_to_system`] in the session `desktop`.
pub fn copy_with(text: &SecretString, desktop: &Desktop) -> Option<&'static str> {
    for (tool, program, args) in desktop.tools() {
        // The secret goes through the tool's standard input, never its arguments.
        let Ok(mut child) = Command::new(program)
            .args(args)
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
