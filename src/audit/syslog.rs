//! Off to the SIEM (NIST SP 800-53 AU-4, AU-6): each audit line, as it is written, sent as an
//! RFC 5424 syslog message over UDP, TCP (octet-counted framing, RFC 6587) or a unix socket, with
//! the JSON line as the message and structured data for action, outcome and actor. A send that
//! fails is a warning; the local line is written first either way.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

/// How long a send may take before it is given up (a collector that doesn't answer must not
/// hold up a command).
const PATIENCE: Duration = Duration::from_secs(3);
/// Our structured-data ID: RFC 5612's documentation enterprise number, until one is assigned.
const SD_ID: &str = "webex-wizard@32473";
/// Facility 13, log audit (RFC 5424 6.2.1).
const FACILITY: u8 = 13;

/// Where the lines go: `udp://host:port`, `tcp://host:port` or `unix:///path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Udp(String),
    Tcp(String),
    Unix(PathBuf),
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, String> {
        let text = text.trim();
        let host_port = |rest: &str| {
            let ok = rest
                .rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0));
            if ok {
                Ok(rest.to_owned())
            } else {
                Err(format!(
                    "'{text}': give host:port, such as udp://siem.agency.gov:514"
                ))
            }
        };
        if let Some(rest) = text.strip_prefix("udp://") {
            host_port(rest).map(Target::Udp)
        } else if let Some(rest) = text.strip_prefix("tcp://") {
            host_port(rest).map(Target::Tcp)
        } else if let Some(rest) = text.strip_prefix("unix://") {
            if rest.starts_with('/') {
                Ok(Target::Unix(PathBuf::from(rest)))
            } else {
                Err(format!(
                    "'{text}': give an absolute socket path, such as unix:///dev/log"
                ))
            }
        } else {
            Err(format!(
                "'{text}': give udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH"
            ))
        }
    }
}

/// A structured-data parameter value, escaped (RFC 5424 6.3.3: `"`, `\` and `]`).
fn param(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' | ']' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// An RFC 5424 header field: printable US-ASCII without spaces, else `-`.
fn header_field(value: &str, max: usize) -> String {
    let clean: String = value
        .chars()
        .filter(char::is_ascii_graphic)
        .take(max)
        .collect();
    if clean.is_empty() { "-".into() } else { clean }
}

/// An RFC 3339 time as RFC 5424's TIMESTAMP: at most six digits of fraction.
fn timestamp(time: &str) -> String {
    match time.split_once('.') {
        Some((whole, rest)) => {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let zone = &rest[digits.len()..];
            format!("{whole}.{}{zone}", &digits[..digits.len().min(6)])
        }
        None => time.to_owned(),
    }
}

/// The RFC 5424 message for one audit line.
pub fn message(entry: &Map<String, Value>, line: &str) -> String {
    let text = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("");
    let outcome = text("outcome");
    // Informational when it went as asked; a warning when it did not.
    let severity = if outcome == "ok" { 6 } else { 4 };
    let actor = entry
        .get("actor")
        .and_then(|a| a.get("email"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut sd = format!(
        "[{SD_ID} action=\"{}\" outcome=\"{}\"",
        param(text("action")),
        param(outcome)
    );
    if !actor.is_empty() {
        let _ = write!(sd, " actor=\"{}\"", param(actor));
    }
    if let Some(seq) = entry.get("seq").and_then(Value::as_u64) {
        let _ = write!(sd, " seq=\"{seq}\"");
    }
    sd.push(']');
    format!(
        "<{}>1 {} {} webex-wizard {} {} {sd} {line}",
        FACILITY * 8 + severity,
        header_field(&timestamp(text("time")), 64),
        header_field(&crate::platform::hostname().unwrap_or_default(), 255),
        std::process::id(),
        header_field(text("action"), 32),
    )
}

/// A CEF value, escaped (`\`, `=`, and line breaks in extensions; `|` in the header).
fn cef(value: &str, header: bool) -> String {
    let mut out = String::new();
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' if header => out.push_str("\\|"),
            '=' if !header => out.push_str("\\="),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One trail line as an `ArcSight` Common Event Format record (for `audit export`).
pub fn cef_record(entry: &Map<String, Value>) -> String {
    let text = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("");
    let action = text("action");
    let outcome = text("outcome");
    let severity = if outcome == "ok" { 3 } else { 6 };
    let actor = entry
        .get("actor")
        .and_then(|a| a.get("email"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut ext = vec![
        // CEF's rt: milliseconds since the epoch.
        format!(
            "rt={}",
            time::OffsetDateTime::parse(
                text("time"),
                &time::format_description::well_known::Rfc3339
            )
            .map(|t| (t.unix_timestamp_nanos() / 1_000_000).to_string())
            .unwrap_or_default()
        ),
        format!("act={}", cef(action, false)),
        format!("outcome={}", cef(outcome, false)),
    ];
    for (key, field) in [
        ("suser", actor),
        ("cs1", text("clientId")),
        ("cs2", text("name")),
        ("cs3", text("apiBase")),
        ("cs4", text("justification")),
    ] {
        if !field.is_empty() {
            ext.push(format!("{key}={}", cef(field, false)));
        }
    }
    for (label, key) in [
        ("cs1Label", "clientId"),
        ("cs2Label", "name"),
        ("cs3Label", "apiBase"),
        ("cs4Label", "justification"),
    ] {
        if !text(key).is_empty() {
            ext.push(format!("{label}={key}"));
        }
    }
    format!(
        "CEF:0|webex-wizard|webex-wizard|{}|{}|{}|{severity}|{}",
        env!("CARGO_PKG_VERSION"),
        cef(action, true),
        cef(&format!("{action} {outcome}"), true),
        ext.join(" ")
    )
}

/// Send one message.
pub fn send(target: &Target, message: &str) -> std::io::Result<()> {
    match target {
        Target::Udp(address) => {
            let to = address
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| std::io::Error::other("no address"))?;
            let socket = UdpSocket::bind(if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" })?;
            socket.send_to(message.as_bytes(), to).map(drop)
        }
        Target::Tcp(address) => {
            let to = address
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| std::io::Error::other("no address"))?;
            let mut stream = TcpStream::connect_timeout(&to, PATIENCE)?;
            stream.set_write_timeout(Some(PATIENCE))?;
            // RFC 6587 3.4.1, octet counting: MSG-LEN SP SYSLOG-MSG.
            let framed = format!("{} {message}", message.len());
            stream.write_all(framed.as_bytes())?;
            stream.flush()
        }
        Target::Unix(path) => crate::platform::send_to_unix_socket(path, message.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_has_at_most_six_fraction_digits() {
        assert_eq!(
            timestamp("2026-12-01T17:58:43.162061290Z"),
            "2026-12-01T17:58:43.162061Z"
        );
        assert_eq!(
            timestamp("2026-12-01T17:58:43.1Z"),
            "2026-12-01T17:58:43.1Z"
        );
        assert_eq!(timestamp("2026-12-01T17:58:43Z"), "2026-12-01T17:58:43Z");
    }

    #[test]
    fn targets_are_read_and_wrong_ones_refused() {
        assert_eq!(
            Target::parse("udp://127.0.0.1:514").unwrap(),
            Target::Udp("127.0.0.1:514".into())
        );
        assert_eq!(
            Target::parse("tcp://siem.agency.gov:6514").unwrap(),
            Target::Tcp("siem.agency.gov:6514".into())
        );
        assert_eq!(
            Target::parse("unix:///dev/log").unwrap(),
            Target::Unix("/dev/log".into())
        );
        assert!(Target::parse("udp://nohost").is_err());
        assert!(Target::parse("http://x:1").is_err());
        assert!(Target::parse("unix://relative").is_err());
    }

    #[test]
    fn the_message_is_rfc_5424_with_structured_data() {
        let line = r#"{"action":"create","actor":{"email":"a\"b]@x.gov"},"outcome":"ok","seq":7,"time":"2026-12-01T10:00:00.000Z"}"#;
        let entry: Map<String, Value> = serde_json::from_str(line).unwrap();
        let m = message(&entry, line);
        assert!(m.starts_with("<110>1 2026-12-01T10:00:00.000Z "), "{m}");
        assert!(m.contains(" webex-wizard "), "{m}");
        assert!(
            m.contains(
                r#"[webex-wizard@32473 action="create" outcome="ok" actor="a\"b\]@x.gov" seq="7"]"#
            ),
            "{m}"
        );
        assert!(m.ends_with(line), "{m}");
        let failed: Map<String, Value> =
            serde_json::from_str(r#"{"action":"create","outcome":"refused"}"#).unwrap();
        assert!(message(&failed, "{}").starts_with("<108>1 - "));
    }
}
