//! Step 8, Authorize: choose the redirect URL and scopes, open the browser, wait for its answer.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;
use secrecy::SecretString;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::authorization::{is_loopback, qr_code};
use crate::oauth::{ClientCredentials, FlowError};
use crate::tui::context::{Cx, Session, Step};
use crate::tui::effect::{AuthorizeJob, Effect};
use crate::tui::keys::Key::{Ctrl, Plain};
use crate::tui::keys::{
    Action, Action as A, Binding, DOWN_TABBING, ENTER, ESC, UP_DOWN_LABEL, UP_TABBING, also, bind,
    clear, undo, when,
};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{
    FieldView, failure_lines, prose, single_line, spinner, type_into, wrapped_rows,
};

/// Where the authorization stands.
pub enum AuthPhase {
    /// Choosing the redirect URL and the scopes.
    Choose,
    /// Listening (or waiting for a paste); the URL is on screen.
    Waiting {
        url: String,
        loopback: bool,
        started: Instant,
        remaining: Duration,
    },
    Exchanging,
    /// A device login: the code and where to enter it, until the approval (or the end).
    Device {
        /// Empty until Webex gave the code.
        user_code: String,
        verification_uri: String,
        complete: Option<String>,
        started: Instant,
        remaining: Duration,
    },
    Failed(Box<FlowError>),
}

/// Step 8: authorize the new integration in the browser.
pub struct AuthorizeState {
    pub redirect: usize,
    /// The registered scopes, each asked for or not.
    pub scopes: Vec<(String, bool)>,
    /// Rows: the redirect URLs, then the scopes.
    pub cursor: usize,
    pub phase: AuthPhase,
    pub show_qr: bool,
    /// Where the user pastes the address the browser landed on (non-loopback redirects).
    pub paste: TextArea<'static>,
    pub browser_opened: Option<crate::authorization::BrowserLaunch>,
    /// Callbacks refused because they were not the answer to this authorization.
    pub refused: usize,
}

/// The paste field's hint while the browser's answer is awaited.
pub(crate) const PASTE_HINT: &str = "paste the address the browser landed on, then Enter";

/// The authorization, once the step was opened.
pub type State = Option<AuthorizeState>;

fn auth_phase(state: &State) -> Option<&AuthPhase> {
    state.as_ref().map(|a| &a.phase)
}

fn auth_choosing(state: &State, _: &Session) -> bool {
    matches!(auth_phase(state), Some(AuthPhase::Choose) | None)
}

/// Waiting for a paste alone (the redirect URL is not loopback): a QR code can help there.
fn auth_pasting_only(state: &State, _: &Session) -> bool {
    matches!(
        auth_phase(state),
        Some(AuthPhase::Waiting {
            loopback: false,
            ..
        })
    )
}

/// Waiting for the browser, with the paste field: for a loopback redirect URL the listener
/// may answer first, for another one only a paste does.
fn auth_pasting(state: &State, _: &Session) -> bool {
    matches!(auth_phase(state), Some(AuthPhase::Waiting { .. }))
}

/// A device login is waiting for its approval.
fn auth_device(state: &State, _: &Session) -> bool {
    matches!(auth_phase(state), Some(AuthPhase::Device { .. }))
}

fn auth_failed(state: &State, _: &Session) -> bool {
    matches!(auth_phase(state), Some(AuthPhase::Failed(_)))
}

impl StepState for State {
    const TITLE: &'static str = "Authorize";
    const PURPOSE: &'static str =
        "Prove it works: consent in the browser, and the code comes back here.";
    const PHASE: Phase = Phase::Prove;
    const KEYS: &'static [Binding<Self>] = &[
        when(
            bind(
                UP_DOWN_LABEL,
                UP_TABBING,
                A::Up,
                "move",
                "before starting: previous / next row",
            ),
            auth_choosing,
        ),
        when(also(DOWN_TABBING, A::Down), auth_choosing),
        when(
            bind(
                "Space",
                &[Plain(KeyCode::Char(' '))],
                A::Toggle,
                "choose/toggle",
                "choose the redirect URL, or ask for a scope or not",
            ),
            auth_choosing,
        ),
        when(
            bind(
                "Enter",
                ENTER,
                A::Enter,
                "authorize",
                "open the browser and wait for its answer",
            ),
            auth_choosing,
        ),
        when(
            bind("Esc", ESC, A::Back, "back", "back to the credentials"),
            auth_choosing,
        ),
        when(
            bind(
                "d",
                &[Plain(KeyCode::Char('d'))],
                A::DeviceLogin,
                "device",
                "sign in with a code on any device, for SSH sessions (needs Webex's three \
                device-helper redirect URLs)",
            ),
            auth_choosing,
        ),
        when(
            bind(
                "^Y",
                &[Ctrl('y')],
                A::CopyUrl,
                "copy address",
                "device login: copy the address (with the code in it)",
            ),
            auth_device,
        ),
        when(
            bind("Esc", ESC, A::Back, "cancel", "cancel the device login"),
            auth_device,
        ),
        when(
            bind(
                "Enter",
                ENTER,
                A::Enter,
                "submit",
                "while pasting: submit the address the browser landed on",
            ),
            auth_pasting,
        ),
        when(
            bind(
                "^Y",
                &[Ctrl('y')],
                A::CopyUrl,
                "copy URL",
                "while pasting: copy the address",
            ),
            auth_pasting,
        ),
        when(
            bind(
                "^O",
                &[Ctrl('o')],
                A::OpenBrowser,
                "open browser",
                "while pasting: open the browser again",
            ),
            auth_pasting,
        ),
        when(
            bind(
                "^Q",
                &[Ctrl('q')],
                A::ToggleQr,
                "QR code",
                "while pasting: show the address as a QR code, for another device",
            ),
            auth_pasting_only,
        ),
        when(
            bind("Esc", ESC, A::Back, "cancel", "cancel the authorization"),
            auth_pasting,
        ),
        when(clear(), auth_pasting),
        when(undo(), auth_pasting),
        when(
            bind(
                "Enter",
                ENTER,
                A::Enter,
                "try again",
                "after a failure: try again",
            ),
            auth_failed,
        ),
        when(
            bind(
                "Esc",
                ESC,
                A::Back,
                "credentials",
                "back to the credentials",
            ),
            auth_failed,
        ),
    ];

    /// Opened from the credentials: the loopback redirect URL and every scope, chosen.
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        let Some(c) = &mut cx.session.credentials else {
            return Vec::new();
        };
        // Leaving a stored secret's screen: its recovery copy has done its job.
        let effects: Vec<Effect> = if c.is_stored() {
            c.recovery
                .take()
                .map(Effect::RemoveRecovery)
                .into_iter()
                .collect()
        } else {
            Vec::new()
        };
        if self.is_none() {
            let integration = &c.saved.integration;
            let redirect = integration
                .redirect_urls
                .iter()
                .position(|u| crate::authorization::is_loopback(u))
                .unwrap_or(0);
            *self = Some(AuthorizeState {
                redirect,
                scopes: integration
                    .scopes
                    .iter()
                    .map(|s| (s.clone(), true))
                    .collect(),
                cursor: redirect,
                phase: AuthPhase::Choose,
                show_qr: false,
                paste: single_line("", PASTE_HINT),
                browser_opened: None,
                refused: 0,
            });
        }
        cx.enter(step);
        effects
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        match self {
            Some(a) => a.on_key(cx, action, key),
            None => Vec::new(),
        }
    }

    /// Pasted text: the address the browser landed on, while waiting for it.
    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        // Listening or not, a paste lands in the field; Enter sends it to the waiting
        // authorization, like the listener's answer would.
        if let Some(a) = self
            && let AuthPhase::Waiting { .. } = a.phase
        {
            a.paste.insert_str(text.trim());
        }
        Vec::new()
    }

    /// Listening or not: an address typed by hand holds `?`, which must stay text.
    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        self.as_ref().and_then(|a| match a.phase {
            AuthPhase::Waiting { .. } => Some(&a.paste),
            _ => None,
        })
    }

    fn busy(&self, _session: &Session, _on_screen: bool) -> bool {
        self.as_ref().is_some_and(|a| {
            matches!(
                a.phase,
                AuthPhase::Waiting { .. } | AuthPhase::Exchanging | AuthPhase::Device { .. }
            )
        })
    }

    fn secret_in_flight(&self) -> bool {
        self.as_ref()
            .is_some_and(|a| matches!(a.phase, AuthPhase::Device { .. } | AuthPhase::Exchanging))
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        view::draw(self.as_ref(), session, frame, area);
    }
}

impl AuthorizeState {
    /// Start a device login with the chosen scopes, once the integration lists Webex's helper URLs.
    fn start_device_login(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let a = self;
        let Some(c) = &cx.session.credentials else {
            return Vec::new();
        };
        let integration = &c.saved.integration;
        let missing = crate::oauth::device::missing_helpers(&integration.redirect_urls);
        if !missing.is_empty() {
            let which = integration.id.clone().unwrap_or_default();
            cx.problem(format!(
                "Device login needs Webex's three device-helper redirect URLs, and this \
                    integration lacks {}: add them with webex-wizard update {} --device-login \
                    (or create with --device-login).",
                missing.len(),
                crate::text::visible_line(&which)
            ));
            return Vec::new();
        }
        let scopes: Vec<String> = a
            .scopes
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.clone())
            .collect();
        if scopes.is_empty() {
            cx.problem("Ask for at least one scope: Space toggles the highlighted one.");
            return Vec::new();
        }
        a.phase = AuthPhase::Device {
            user_code: String::new(),
            verification_uri: String::new(),
            complete: None,
            started: Instant::now(),
            remaining: Duration::ZERO,
        };
        let job = crate::tui::effect::DeviceJob {
            credentials: ClientCredentials {
                client_id: integration.client_id.clone(),
                client_secret: integration.client_secret.clone(),
            },
            scopes,
        };
        cx.clear_notice();
        vec![Effect::DeviceLogin(Box::new(job))]
    }

    fn start_authorization(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let a = self;
        let wait = cx.session.auth_wait;
        let Some(c) = &cx.session.credentials else {
            return Vec::new();
        };
        let integration = &c.saved.integration;
        let scopes: Vec<String> = a
            .scopes
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.clone())
            .collect();
        let Some(redirect) = integration.redirect_urls.get(a.redirect).cloned() else {
            cx.problem("The integration has no redirect URL to authorize with.");
            return Vec::new();
        };
        if scopes.is_empty() {
            cx.problem("Ask for at least one scope: Space toggles the highlighted one.");
            return Vec::new();
        }
        a.phase = AuthPhase::Waiting {
            url: String::new(),
            loopback: true,
            started: Instant::now(),
            remaining: wait,
        };
        a.browser_opened = None;
        a.refused = 0;
        let job = AuthorizeJob {
            credentials: ClientCredentials {
                client_id: integration.client_id.clone(),
                client_secret: integration.client_secret.clone(),
            },
            redirect_uri: redirect,
            scopes,
            wait,
        };
        cx.clear_notice();
        vec![Effect::Authorize(Box::new(job))]
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let redirects = cx
            .session
            .credentials
            .as_ref()
            .map_or(0, |c| c.saved.integration.redirect_urls.len());
        let a = self;
        let rows = redirects + a.scopes.len();
        match &a.phase {
            AuthPhase::Choose => match action {
                Some(Action::Up) => a.cursor = a.cursor.saturating_sub(1),
                Some(Action::Down) => a.cursor = (a.cursor + 1).min(rows.saturating_sub(1)),
                Some(Action::Toggle) if a.cursor < redirects => a.redirect = a.cursor,
                Some(Action::Toggle) => {
                    if let Some(s) = a.scopes.get_mut(a.cursor - redirects) {
                        s.1 = !s.1;
                    }
                }
                Some(Action::Enter) => return a.start_authorization(cx),
                Some(Action::DeviceLogin) => return a.start_device_login(cx),
                Some(Action::Back) => cx.go(Step::Credentials),
                _ => {}
            },
            AuthPhase::Device {
                verification_uri,
                complete,
                ..
            } => match action {
                Some(Action::Back) => return vec![Effect::CancelAuthorization],
                Some(Action::CopyUrl) if !verification_uri.is_empty() => {
                    let address = complete.clone().unwrap_or_else(|| verification_uri.clone());
                    return vec![Effect::Copy(
                        CopyTarget::AuthorizationUrl,
                        SecretString::from(address),
                    )];
                }
                _ => {}
            },
            AuthPhase::Waiting { url, loopback, .. } => {
                let (url, loopback) = (url.clone(), *loopback);
                match action {
                    Some(Action::Back) => return vec![Effect::CancelAuthorization],
                    Some(Action::CopyUrl | Action::OpenBrowser | Action::ToggleQr)
                        if url.is_empty() => {}
                    Some(Action::CopyUrl) => {
                        return vec![Effect::Copy(
                            CopyTarget::AuthorizationUrl,
                            SecretString::from(url),
                        )];
                    }
                    // Over SSH a browser started here would be on the wrong machine.
                    Some(Action::OpenBrowser) if cx.session.remote.is_some() => {
                        cx.notify(
                            "This is an SSH session: no browser is started here. Open the address \
                            in your own browser (c copies it).",
                        );
                    }
                    Some(Action::OpenBrowser) => return vec![Effect::OpenBrowser(url)],
                    // A QR code only helps where another device can follow the address.
                    Some(Action::ToggleQr) if !loopback => a.show_qr = !a.show_qr,
                    Some(Action::Enter) => {
                        let text = a.paste.lines().join("");
                        a.paste = single_line("", PASTE_HINT);
                        // While listening, an empty Enter leaves the wait to the listener.
                        if loopback && text.trim().is_empty() {
                            return Vec::new();
                        }
                        return vec![Effect::SubmitPaste(text)];
                    }
                    other => type_into(&mut a.paste, other, key),
                }
            }
            AuthPhase::Exchanging => {}
            AuthPhase::Failed(_) => match action {
                Some(Action::Enter) => a.phase = AuthPhase::Choose,
                Some(Action::Back) => {
                    a.phase = AuthPhase::Choose;
                    cx.go(Step::Credentials);
                }
                _ => {}
            },
        }
        Vec::new()
    }
}

mod view;

mod progress;
pub(crate) use progress::{on_message, on_tick};

#[cfg(test)]
mod tests;
