//! How the Authorize step looks: the choice, the wait with the address, the QR code.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{
    AuthPhase, AuthorizeState, FieldView, Session, failure_lines, is_loopback, prose, qr_code,
    spinner, wrapped_rows,
};

#[expect(
    clippy::too_many_lines,
    reason = "one section per phase of the authorization"
)]
pub fn draw(state: Option<&AuthorizeState>, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let (Some(a), Some(c)) = (state, &session.credentials) else {
        return;
    };
    let integration = &c.saved.integration;
    let mut lines = vec![Line::from(vec![
        Span::styled("Integration  ", t.dim()),
        Span::raw(crate::text::visible_line(c.saved.display_name())),
    ])];
    match &a.phase {
        AuthPhase::Choose => {
            lines.push(Line::styled(
                "The authorization-code flow with PKCE: the browser asks you to consent, then \
                    comes back here.",
                t.dim(),
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled("Redirect URL", t.dim()));
            let mut row = 0;
            for (i, url) in integration.redirect_urls.iter().enumerate() {
                let mark = if i == a.redirect { "(•)" } else { "( )" };
                let style = if a.cursor == row {
                    t.highlight()
                } else {
                    Style::default()
                };
                lines.push(Line::styled(
                    format!("  {mark} {}", crate::text::visible_line(url)),
                    style,
                ));
                row += 1;
            }
            lines.push(Line::styled("Scopes to ask for", t.dim()));
            for (scope, on) in &a.scopes {
                let mark = if *on { "[x]" } else { "[ ]" };
                let style = if a.cursor == row {
                    t.highlight()
                } else {
                    Style::default()
                };
                lines.push(Line::styled(
                    format!("  {mark} {}", crate::text::visible_line(scope)),
                    style,
                ));
                row += 1;
            }
            lines.push(Line::raw(""));
            let loopback = integration
                .redirect_urls
                .get(a.redirect)
                .is_some_and(|u| is_loopback(u));
            // Over SSH, or after a launch that did not work, Enter can't promise a browser.
            let no_browser =
                session.remote.is_some() || a.browser_opened.as_ref().is_some_and(|l| !l.opened());
            let opens = if no_browser {
                "Enter shows the address to open in your browser"
            } else {
                "Enter opens the browser"
            };
            lines.push(Line::raw(if loopback {
                format!("{opens}; the wizard listens on that loopback address for the answer.")
            } else {
                format!("{opens}; this URL is not loopback, so you paste the address it lands on.")
            }));
            // Over SSH a code entered on any device needs no way back to this machine.
            let device_ready =
                crate::oauth::device::missing_helpers(&integration.redirect_urls).is_empty();
            if session.remote.is_some() || device_ready {
                lines.push(Line::styled(
                    if device_ready {
                        "Or d: device login, a code you enter on any device (no redirect back \
                            here; experimental on FedRAMP)."
                    } else {
                        "Over SSH, d (device login) would need no tunnel, but this \
                            integration lacks Webex's device-helper redirect URLs."
                    },
                    t.dim(),
                ));
            }
        }
        AuthPhase::Device {
            user_code,
            verification_uri,
            complete,
            remaining,
            ..
        } => {
            lines.push(Line::raw(""));
            if user_code.is_empty() {
                lines.push(Line::raw(format!(
                    "{} Asking Webex for a device code (POST {}) …",
                    spinner(session.spinner),
                    session.env.base.join("/device/authorize")
                )));
            } else {
                let secs = remaining.as_secs();
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", spinner(session.spinner))),
                    Span::styled("Waiting for the approval", t.focused()),
                    Span::raw(format!(
                        " · {}:{:02} left · Esc cancels",
                        secs / 60,
                        secs % 60
                    )),
                ]));
                lines.push(Line::styled(
                    "Open this address in any browser (a phone will do):",
                    t.dim(),
                ));
                lines.push(Line::raw(crate::text::visible_line(verification_uri)));
                lines.push(Line::styled("and enter the code:", t.dim()));
                lines.push(Line::styled(
                    format!("  {}", crate::text::visible_line(user_code)),
                    t.key(),
                ));
                if let Some(complete) = complete {
                    lines.push(Line::styled(
                        "Or open this, with the code in it (^Y copies it):",
                        t.dim(),
                    ));
                    lines.push(Line::raw(crate::text::visible_line(complete)));
                    // Said only where the QR code is drawn: below, if it fits.
                    if device_qr_fits(complete, wrapped_rows(&lines, area.width) + 1, area) {
                        lines.push(Line::styled("Or scan the QR code below.", t.dim()));
                    }
                }
            }
        }
        AuthPhase::Waiting {
            url,
            loopback,
            remaining,
            ..
        } => {
            if url.is_empty() {
                lines.push(Line::raw(format!(
                    "{} Starting …",
                    spinner(session.spinner)
                )));
            } else {
                let secs = remaining.as_secs();
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", spinner(session.spinner))),
                    Span::styled(
                        if *loopback {
                            "Waiting for the browser to come back"
                        } else {
                            "Waiting for you to paste the address the browser lands on"
                        },
                        t.focused(),
                    ),
                    Span::raw(format!(
                        " · {}:{:02} left · Esc cancels",
                        secs / 60,
                        secs % 60
                    )),
                ]));
                lines.push(Line::styled(
                    match &a.browser_opened {
                        _ if session.remote.is_some() => {
                            "This is an SSH session, so no browser was started here. Open \
                                this address in your own browser:"
                                .to_owned()
                        }
                        // Say what was run and how it ended, not that a browser opened.
                        Some(launch) if launch.opened() => format!(
                            "Browser: {}. If none showed up, open this address:",
                            crate::text::visible_line(&launch.describe())
                        ),
                        Some(launch) if *loopback => format!(
                            "No browser was opened here ({}). Open this address in a browser \
                                on this machine:",
                            crate::text::visible_line(&launch.describe())
                        ),
                        Some(launch) => format!(
                            "No browser was opened here ({}). Open this address on any device \
                                (^Q shows a QR code):",
                            crate::text::visible_line(&launch.describe())
                        ),
                        None => "Opening the browser … The address:".to_owned(),
                    },
                    t.dim(),
                ));
                lines.push(Line::raw(url.clone()));
                if *loopback && let Some(remote) = &session.remote {
                    let redirect = session
                        .credentials
                        .as_ref()
                        .and_then(|c| c.saved.integration.redirect_urls.get(a.redirect));
                    if let Some(line) = redirect.and_then(|r| remote.tunnel(r, &session.env.base)) {
                        lines.push(Line::styled(
                            "So that your browser can come back here, first run on your own \
                                machine:",
                            t.dim(),
                        ));
                        lines.push(Line::styled(line, t.key()));
                    }
                    lines.push(Line::styled(
                        "Or paste the address your browser lands on into this terminal.",
                        t.dim(),
                    ));
                }
                if a.refused > 0 {
                    lines.push(Line::styled(
                        format!(
                            "⚠ Refused {} answer(s) on the redirect URL that did not belong \
                                to this authorization; still waiting for the right one.",
                            a.refused
                        ),
                        t.warning(),
                    ));
                }
            }
        }
        AuthPhase::Exchanging => {
            lines.push(Line::raw(""));
            lines.push(Line::raw(format!(
                "{} The browser came back with a code. Exchanging it for tokens (POST {}) …",
                spinner(session.spinner),
                session.env.base.token_url()
            )));
        }
        AuthPhase::Failed(e) => {
            lines.push(Line::raw(""));
            lines.extend(failure_lines(&e.to_string(), &e.next_step(), area.width, t));
            // Tokens kept nowhere else: the raw answer, on screen, as the last resort.
            if let crate::oauth::FlowError::Token(e) = e.as_ref()
                && let Some(raw) = e.unsaved_raw_answer()
            {
                lines.extend(crate::tui::widgets::raw_answer_lines(raw, "the tokens", t));
            }
        }
    }
    // Listening too: the browser may be on another machine, and what is typed goes here, never
    // to a key.
    let paste = matches!(a.phase, AuthPhase::Waiting { ref url, .. } if !url.is_empty());
    let [text, field, qr] = Layout::vertical([
        Constraint::Length(wrapped_rows(&lines, area.width)),
        Constraint::Length(if paste { 3 } else { 0 }),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(prose(lines), text);
    if paste {
        FieldView {
            label: "Landed on",
            input: &a.paste,
            focused: true,
            problem: None,
            hint: "the whole address (or just the code); Enter submits",
            theme: t,
        }
        .render(field, frame.buffer_mut());
    }
    // The QR code where it fits (the address and the code are above it anyway).
    if let AuthPhase::Device {
        complete: Some(complete),
        ..
    } = &a.phase
        && device_qr_fits(complete, text.height, area)
    {
        draw_qr(session, complete, frame, qr);
    }
    // A phone would land on its own localhost: the QR code only for a non-loopback URL.
    if let AuthPhase::Waiting {
        url,
        loopback: false,
        ..
    } = &a.phase
        && a.show_qr
        && !url.is_empty()
    {
        draw_qr(session, url, frame, qr);
    }
}

/// Whether the QR code of `url` fits under `above` rows of text in `area`.
fn device_qr_fits(url: &str, above: u16, area: Rect) -> bool {
    qr_code(url).is_some_and(|code| {
        code.lines().count() + usize::from(above) <= usize::from(area.height)
            && code.lines().map(|l| l.chars().count()).max().unwrap_or(0) <= usize::from(area.width)
    })
}

fn draw_qr(session: &Session, url: &str, frame: &mut Frame, area: Rect) {
    let Some(code) = qr_code(url) else {
        return;
    };
    let rows: Vec<&str> = code.lines().collect();
    let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    if rows.len() > usize::from(area.height) || width > usize::from(area.width) {
        frame.render_widget(
            prose(vec![Line::styled(
                format!(
                    "The QR code needs {width}x{} cells; make the terminal larger, or copy \
                        the address.",
                    rows.len()
                ),
                session.theme.warning(),
            )]),
            area,
        );
        return;
    }
    let lines: Vec<Line> = rows.into_iter().map(|r| Line::raw(r.to_owned())).collect();
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), area);
}
