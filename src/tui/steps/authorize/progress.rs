//! What the running authorization reports while the step waits: the URL it waits on, the
//! device code, the browser it ran, refused callbacks, the exchange, how it ended, and the
//! countdown.

use std::time::{Duration, Instant};

use super::{AuthPhase, AuthorizeState, PASTE_HINT, State};
use crate::tui::context::{Cx, Step};
use crate::tui::effect::Effect;
use crate::tui::message::Message;
use crate::tui::widgets::single_line;

/// What the running authorization reports: the URL it waits on, the browser it ran, refused
/// callbacks, the exchange, and how it ended.
pub(crate) fn on_message(state: &mut State, cx: &mut Cx, message: Message) -> Vec<Effect> {
    match message {
        Message::AuthorizationWaiting { url, loopback } => {
            if let Some(a) = state {
                a.phase = AuthPhase::Waiting {
                    url,
                    loopback,
                    started: Instant::now(),
                    remaining: cx.session.auth_wait,
                };
                a.paste = single_line("", PASTE_HINT);
            }
            Vec::new()
        }
        Message::DeviceCode {
            user_code,
            verification_uri,
            complete,
            expires_in,
        } => {
            if let Some(a) = state {
                a.phase = AuthPhase::Device {
                    user_code,
                    verification_uri,
                    complete,
                    started: Instant::now(),
                    remaining: expires_in,
                };
            }
            Vec::new()
        }
        Message::BrowserOpened(opened) => {
            if let Some(a) = state {
                a.browser_opened = Some(opened);
            }
            Vec::new()
        }
        Message::CallbacksRefused(count) => {
            if let Some(a) = state {
                a.refused = count;
            }
            Vec::new()
        }
        Message::Exchanging => {
            if let Some(a) = state {
                a.phase = AuthPhase::Exchanging;
            }
            Vec::new()
        }
        Message::Authorized(result) => {
            let Some(a) = state else {
                return Vec::new();
            };
            match *result {
                Ok(tokens) => {
                    a.phase = AuthPhase::Choose;
                    let mut kept = crate::tui::delivery::TokensState::new(tokens);
                    kept.asked = a
                        .scopes
                        .iter()
                        .filter(|(_, on)| *on)
                        .map(|(s, _)| s.clone())
                        .collect();
                    cx.session.tokens = Some(kept);
                    cx.enter(Step::Tokens);
                }
                Err(crate::oauth::FlowError::Authorization(
                    crate::oauth::AuthorizationError::Cancelled,
                )) => {
                    a.phase = AuthPhase::Choose;
                    cx.notify("Authorization cancelled; nothing was requested.");
                }
                Err(e) => a.phase = AuthPhase::Failed(Box::new(e)),
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A tick while waiting for the browser or a device's approval: the countdown on screen.
pub(crate) fn on_tick(state: &mut State, wait: Duration, now: std::time::Instant) {
    if let Some(AuthorizeState {
        phase: AuthPhase::Device {
            started, remaining, ..
        },
        ..
    }) = state
    {
        let gone = now.saturating_duration_since(*started);
        *started = now;
        *remaining = remaining.saturating_sub(gone);
        return;
    }
    if let Some(AuthorizeState {
        phase: AuthPhase::Waiting {
            started, remaining, ..
        },
        ..
    }) = state
    {
        *remaining = wait.saturating_sub(now.saturating_duration_since(*started));
    }
}
