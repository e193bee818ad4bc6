//! State + message → new state + effects. No I/O here: this is the part the tests drive.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::app::{App, Cause, CredentialsState, Overlay, Step};
use super::effects::Effect;
use super::keys::Action;
use super::leaving::{ask_or_quit, on_signal};
use super::message::{CopyOutcome, CopyTarget, Message};
use super::route::small_terminal_key;
use super::steps;
use crate::draft::{Recovered, SavedDraft};

/// What the wizard found at start-up.
#[derive(Default)]
pub struct Startup {
    pub recovered: Vec<Recovered>,
    pub draft: Option<SavedDraft>,
    /// What `create` or `bot create` was given on the command line, with fields missing:
    /// finished here.
    pub given: Option<Given>,
}

/// What a command was given, for the wizard to finish.
#[derive(Debug, Clone)]
pub enum Given {
    Integration(crate::integration::IntegrationDraft),
    Bot(crate::bot::BotPrefill),
}

impl App {
    /// Show what an earlier session left behind, and check a token that came with the launch.
    pub fn start(&mut self, startup: Startup) -> Vec<Effect> {
        let mut effects = vec![Effect::ScanTokens];
        if let Some(token) = &self.session.admin.token {
            effects.push(Effect::CheckToken(token.clone()));
        }
        let mut unreadable = Vec::new();
        let mut pending = Vec::new();
        for found in startup.recovered {
            match found {
                Recovered::Credentials { path, saved } => {
                    self.recovered.push((path, *saved));
                    self.recovered_total += 1;
                }
                Recovered::Unreadable { path } => {
                    unreadable.push((path, "an answer that could not be read".to_owned()));
                }
                Recovered::Tokens {
                    path,
                    client_id,
                    api_base,
                } => unreadable.push((
                    path,
                    format!(
                        "tokens of {} for {}, never saved",
                        crate::text::visible_line(&client_id),
                        crate::text::visible_line(&api_base)
                    ),
                )),
                // One at a time: the next start shows the next.
                Recovered::Bot {
                    path,
                    bot,
                    api_base,
                } if self.session.bot_token.is_none() => {
                    let mut state =
                        steps::bot_token::BotTokenState::new(*bot, api_base, Some(path));
                    state.recovered = true;
                    self.session.bot_token = Some(state);
                }
                Recovered::Bot { .. } => {}
                Recovered::PendingCreate { path, note } => pending.push((path, note)),
            }
        }
        // What the command line gave comes before an earlier session's draft, which stays on
        // disk; behind a recovered secret, it is offered like a draft once that is dealt with.
        let (given, bot) = match startup.given {
            Some(Given::Integration(draft)) => (Some(draft), None),
            Some(Given::Bot(prefill)) => (None, Some(prefill)),
            None => (None, None),
        };
        let given = given.map(|draft| SavedDraft {
            step: crate::tui::leaving::step_name(crate::tui::leaving::first_to_finish(
                &draft,
                self.session.catalog,
            ))
            .map(str::to_owned),
            draft,
        });
        self.draft_offer = given.clone().or(startup.draft);
        let showing = self.show_next_recovered();
        if !showing && self.session.bot_token.is_some() {
            self.enter(Step::BotToken);
        } else if !showing && let Some(given) = given {
            self.draft_offer = None;
            effects.extend(super::overlays::resume_draft(self, &given));
            // The first detail that needs typing has the keyboard.
            if let Some(i) = (0..steps::details::DETAIL_FIELDS.len())
                .find(|&i| self.steps.details.problem(i).is_some())
            {
                self.steps.details.focus = i;
            }
            // Until the token is known to be good, Connect shows it and goes on from there.
            if self.step == Step::Start {
                self.enter(Step::Connect);
            }
            self.notify("Filled in from the command line: finish what is missing, then create.");
        } else if !showing && let Some(prefill) = bot {
            self.fill_bot_form(&prefill);
            self.notify(
                "Filled in from the command line: finish what is missing, then create the bot.",
            );
        } else if !showing {
            self.offer_draft();
        }
        if !unreadable.is_empty() {
            self.overlays.push(Overlay::Unreadable(unreadable));
        }
        if !pending.is_empty() {
            self.overlays.push(Overlay::PendingCreate(pending));
        }
        self.sync_draft();
        self.refocus();
        effects
    }

    /// The bot form: Details, then the bot's own fields, filled from what `bot create` was
    /// given; through Connect until the token is known to be good, on to the first place
    /// something is missing.
    fn fill_bot_form(&mut self, prefill: &crate::bot::BotPrefill) {
        // The bot form: Details, then the bot's own fields; through Connect until the
        // token is known to be good, on to the first place something is missing.
        self.session.intent = super::context::Intent::CreateBot;
        self.load_draft(&crate::integration::IntegrationDraft {
            name: prefill.name.clone(),
            description: prefill.description.clone(),
            contact_email: prefill.contact_email.clone(),
            ..crate::integration::IntegrationDraft::default()
        });
        self.steps.bot.fill(prefill);
        let detail = (0..3).find(|&i| self.steps.details.problem(i).is_some());
        if let Some(i) = detail {
            self.steps.details.focus = i;
        }
        self.steps.connect.resume_to = Some(if detail.is_some() {
            Step::Details
        } else {
            Step::Bot
        });
        self.enter(Step::Connect);
    }

    /// Put the next recovered credentials on screen; false when there are none left.
    pub(super) fn show_next_recovered(&mut self) -> bool {
        if self.recovered.is_empty() {
            return false;
        }
        let (path, saved) = self.recovered.remove(0);
        let mut state = CredentialsState::new(saved, Some(path), true);
        state.recovered_of = Some((
            self.recovered_total - self.recovered.len(),
            self.recovered_total,
        ));
        self.session.credentials = Some(state);
        self.enter(Step::Credentials);
        true
    }

    pub(super) fn offer_draft(&mut self) {
        if let Some(draft) = self.draft_offer.take() {
            self.overlays.push(Overlay::ResumeDraft(draft));
        }
    }
}

/// Drop a problem message whose cause is gone.
fn settle_notice(app: &mut App) {
    let Some(cause) = app.notice.as_ref().and_then(|n| n.cause) else {
        return;
    };
    let gone = match cause {
        Cause::Detail(i) => app.steps.details.problem(i).is_none(),
        Cause::NoRedirectUrl => !app.draft().redirect_urls.is_empty(),
        Cause::RedirectUrl(i) => {
            i >= app.steps.redirects.lines.len() || app.steps.redirects.problem(i).is_none()
        }
        Cause::NoScope => !app.steps.scopes.chosen.is_empty(),
    };
    if gone {
        app.notice = None;
    }
}

/// Handle one message.
pub fn update(app: &mut App, message: Message) -> Vec<Effect> {
    let key = matches!(message, Message::Key(_));
    let effects = handle(app, message);
    app.sync_draft();
    if key && app.step == Step::Review {
        clamp_review_scroll(app);
    }
    settle_notice(app);
    // Focus is settled once, here, whatever the message changed.
    app.refocus();
    effects
}

fn handle(app: &mut App, message: Message) -> Vec<Effect> {
    match message {
        Message::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Message::Key(_) => Vec::new(),
        Message::Paste(text) => super::route::on_paste(app, &text),
        Message::Resize(columns, rows) => {
            app.session.screen = (columns, rows);
            clamp_review_scroll(app);
            Vec::new()
        }
        Message::Tick(now) => {
            app.session.spinner = app.session.spinner.wrapping_add(1);
            steps::creating::on_tick(&mut app.steps.creating, now);
            steps::authorize::on_tick(&mut app.steps.authorize, app.session.auth_wait, now);
            Vec::new()
        }
        Message::Signal(number) => crate::tui::leaving::on_signal(app, number),
        Message::BotSaved(result) => {
            crate::tui::leaving::on_secret_saved(app, "", result, |session, path| {
                if let Some(b) = &mut session.bot_token {
                    b.saved_to = Some(path);
                }
                Vec::new()
            })
        }
        Message::Copied(target, outcome) => {
            on_copied(app, target, outcome);
            Vec::new()
        }
        Message::Saved(result) => {
            crate::tui::leaving::on_secret_saved(app, "", result, |session, path| {
                if let Some(c) = &mut session.credentials {
                    c.saved_to = Some(path);
                }
                Vec::new()
            })
        }
        Message::DraftNotSaved(e) => {
            app.problem(format!("The draft could not be saved: {e}"));
            Vec::new()
        }
        Message::SecretProven { words, works } => {
            on_secret_proven(app, &words, works);
            Vec::new()
        }
        Message::TokenRadar { due, dead } => {
            app.session.token_radar = Some((due, dead));
            Vec::new()
        }
        Message::TokensSaved(result) => {
            crate::tui::leaving::on_secret_saved(app, "the tokens ", result, |session, path| {
                session
                    .tokens
                    .as_mut()
                    .and_then(|t| t.mark_saved(path))
                    .map(Effect::RemoveRecovery)
                    .into_iter()
                    .collect()
            })
        }
        // Listed, not caught: a new message must be given a place here.
        answer @ (Message::TokenChecked(_)
        | Message::Created(_)
        | Message::AppsListed(_)
        | Message::Deleted(_)
        | Message::Updated(_)
        | Message::BotCreated(_)
        | Message::HandedOff(_)
        | Message::Rotated(_)
        | Message::AuthorizationWaiting { .. }
        | Message::DeviceCode { .. }
        | Message::BrowserOpened(_)
        | Message::CallbacksRefused(_)
        | Message::Exchanging
        | Message::Authorized(_)
        | Message::ProbeDone(..)
        | Message::TokenRefused(_)
        | Message::TokenExpiry(_)
        | Message::SavedTokensListed(_)
        | Message::SavedRefreshed(_)
        | Message::TokensKept(_)) => answer_to_step(app, answer),
    }
}

/// A Webex answer (or a running job's report) goes to the step that asked for it.
fn answer_to_step(app: &mut App, message: Message) -> Vec<Effect> {
    match message {
        Message::TokenChecked(result) => super::route::with_cx!(app, connect, |st, cx| {
            st.token_checked(cx, result);
            Vec::new()
        }),
        Message::Created(result) => {
            crate::tui::leaving::stop_if_signalled(app);
            super::route::with_cx!(app, creating, |st, cx| {
                steps::creating::on_created(st, cx, *result)
            })
        }
        Message::AppsListed(result) => {
            super::route::with_cx!(app, manage, |st, cx| st.on_listed(cx, result))
        }
        Message::Deleted(result) => {
            super::route::with_cx!(app, manage, |st, cx| st.on_deleted(cx, result))
        }
        Message::Updated(result) => {
            super::route::with_cx!(app, manage, |st, cx| st.on_updated(cx, result))
        }
        Message::BotCreated(result) => {
            crate::tui::leaving::stop_if_signalled(app);
            super::route::with_cx!(app, bot, |st, cx| st.on_created(cx, *result))
        }
        Message::HandedOff(result) => {
            super::route::with_cx!(app, hand_off, |st, cx| st.on_written(cx, result))
        }
        Message::Rotated(result) => {
            crate::tui::leaving::stop_if_signalled(app);
            super::route::with_cx!(app, manage, |st, cx| {
                steps::manage::on_rotated(st, cx, *result)
            })
        }
        m @ (Message::AuthorizationWaiting { .. }
        | Message::DeviceCode { .. }
        | Message::BrowserOpened(_)
        | Message::CallbacksRefused(_)
        | Message::Exchanging
        | Message::Authorized(_)) => {
            let authorized = matches!(m, Message::Authorized(_));
            let effects = super::route::with_cx!(app, authorize, |st, cx| {
                steps::authorize::on_message(st, cx, m)
            });
            // A signal came while this was on its way: now that it is kept, stop.
            if authorized {
                crate::tui::leaving::stop_if_signalled(app);
            }
            effects
        }
        m @ (Message::ProbeDone(..) | Message::TokenRefused(_) | Message::TokenExpiry(_)) => {
            steps::scope_test::on_message(&mut app.steps.scope_test, m);
            Vec::new()
        }
        Message::SavedTokensListed(rows) => super::route::with_cx!(app, saved_tokens, |st, cx| {
            st.on_listed(cx, rows);
            Vec::new()
        }),
        Message::SavedRefreshed(result) => {
            super::route::with_cx!(app, saved_tokens, |st, cx| st.on_refreshed(cx, result))
        }
        Message::TokensKept(result) => super::route::with_cx!(app, tokens, |_st, cx| {
            steps::tokens::on_kept(cx, result)
        }),
        // The wizard's own messages never come here (see `handle`).
        _ => Vec::new(),
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match super::keymap::global_action(app, &key) {
        // Ctrl-C while the create is on its way is SIGINT's case: wait for the answer first.
        Some(Action::Quit) if app.secret_in_flight() => return on_signal(app, 2),
        Some(Action::Quit) => return ask_or_quit(app),
        Some(Action::Help) if app.overlays.is_empty() => {
            app.overlays.push(Overlay::Help(0));
            return Vec::new();
        }
        _ => {}
    }
    if app.too_small() {
        return small_terminal_key(app, key);
    }
    if !app.overlays.is_empty() {
        return crate::tui::overlays::on_overlay_key(app, key);
    }
    let action = super::keymap::action(app, &key);
    super::route::step_key(app, action, key)
}

/// What proving the rotated secret found, after what the rotation already said.
pub(crate) fn on_secret_proven(app: &mut App, words: &str, proven: bool) {
    // What the rotation said stays (a missing recovery copy, superseded files), and stays an
    // error if it was one.
    let before = app.notice.as_ref().map(|n| (n.text.clone(), n.is_error));
    let earlier_error = before.as_ref().is_some_and(|(_, error)| *error);
    let text = before.map_or_else(|| words.to_owned(), |(b, _)| format!("{b}\n{words}"));
    if proven && !earlier_error {
        app.notify(text);
    } else {
        app.problem(text);
    }
}

/// The step that showed what was copied marks it: copied (`confirmed`, a clipboard tool took
/// it), or sent to the terminal, which can't be confirmed.
fn mark_copied(app: &mut App, target: CopyTarget, confirmed: bool) {
    match target {
        CopyTarget::ClientSecret | CopyTarget::ClientId => {
            if let Some(c) = &mut app.session.credentials {
                c.mark_copied(target, confirmed);
            }
        }
        CopyTarget::BotToken => {
            if let Some(b) = &mut app.session.bot_token {
                b.mark_copied(confirmed);
            }
        }
        CopyTarget::AccessToken => {
            if let Some(t) = &mut app.session.tokens {
                t.mark_copied(confirmed);
            }
        }
        _ => {}
    }
}

/// Say where a copy went. Only a clipboard tool's copy is known to have landed; OSC 52 is
/// sent to the terminal, which never says whether it took it.
fn on_copied(app: &mut App, target: CopyTarget, outcome: CopyOutcome) {
    let label = target.label();
    match (outcome.tool, outcome.terminal) {
        (Some(tool), _) => {
            mark_copied(app, target, true);
            app.notify(format!("Copied the {label} to the clipboard ({tool})."));
        }
        (None, true) => {
            mark_copied(app, target, false);
            let keep = if matches!(
                target,
                CopyTarget::ClientSecret | CopyTarget::AccessToken | CopyTarget::BotToken
            ) {
                " Paste it somewhere to check, or save it with s."
            } else {
                ""
            };
            app.notify(format!(
                "Sent the {label} to the terminal's clipboard (can't be confirmed).{keep}"
            ));
        }
        (None, false) => app.problem(format!(
            "Could not copy the {label}: no terminal or clipboard tool took it."
        )),
    }
}

/// Keep the review's scroll within what there is to see on this screen.
pub fn clamp_review_scroll(app: &mut App) {
    app.steps.review.scroll = app
        .steps
        .review
        .scroll
        .min(super::view::review_max_scroll(app));
}
