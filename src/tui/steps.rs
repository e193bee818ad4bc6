//! Keys and pastes, step by step. Every key is first turned into an [`Action`] through the
//! step's table in [`keys`](super::keys); a key no table binds is typed into the focused field.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};
use secrecy::{ExposeSecret, SecretString};

use super::app::{
    App, Cause, CreateState, DEFAULT_REDIRECT_URL, DETAIL_FIELDS, Exit, Overlay,
    REDIRECT_PLACEHOLDER, Step, TokenSource, TokenStatus, single_line, token_input,
};
use super::effects::Effect;
use super::keys::{self, Action};
use super::message::CopyTarget;
use super::result_steps;
use super::update::{problem, problem_about};
use crate::draft::SavedDraft;
use crate::secret;
use crate::validate::{self, Field};

/// SIGTERM, SIGHUP, or Ctrl-C while a create is on its way. Leaving then would lose the
/// one-time secret Webex is about to send: the first one waits for the answer (the request
/// has its timeout) and stops once it is kept; a second one leaves at once, with a note that
/// the integration may exist, which the next start shows.
pub(super) fn on_signal(app: &mut App, number: i32) -> Vec<Effect> {
    if !app.is_sending() {
        app.exit = Some(Exit::Signal(number));
        return keep_draft(app);
    }
    if app.stop_after_create.is_none() {
        app.stop_after_create = Some(number);
        problem(
            app,
            "Waiting for Webex's answer so that the one-time secret is kept; the wizard stops once it is. Press Ctrl-C (or send the signal) again to leave now.",
        );
        return Vec::new();
    }
    leave_while_sending(app, number)
}

/// Leave with the create still on its way: keep the draft and note that it may exist.
fn leave_while_sending(app: &mut App, number: i32) -> Vec<Effect> {
    app.exit = Some(Exit::Signal(number));
    let mut effects = keep_draft(app);
    effects.push(Effect::NotePendingCreate(
        app.draft().name.trim().to_owned(),
    ));
    effects
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match keys::global_action(app, &key) {
        // Ctrl-C while the create is on its way is SIGINT's case: wait for the answer first.
        Some(Action::Quit) if app.is_sending() => return on_signal(app, 2),
        Some(Action::Quit) => {
            return if app.secret_at_risk() {
                if !matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)) {
                    app.overlays.push(Overlay::ConfirmQuit);
                }
                Vec::new()
            } else {
                quit(app)
            };
        }
        Some(Action::Help) if app.overlays.is_empty() => {
            app.overlays.push(Overlay::Help(0));
            return Vec::new();
        }
        _ => {}
    }
    if !app.overlays.is_empty() {
        return result_steps::on_overlay_key(app, key);
    }
    let action = keys::action(app, &key);
    match app.step {
        Step::Connect => on_connect(app, action, key),
        Step::Details => on_details(app, action, key),
        Step::RedirectUrls => on_redirects(app, action, key),
        Step::Scopes => on_scopes(app, action, key),
        Step::Review => on_review(app, action),
        Step::Creating => on_creating(app, action),
        Step::Credentials => result_steps::on_credentials(app, action),
        Step::Authorize => result_steps::on_authorize(app, action, key),
        Step::Tokens => result_steps::on_tokens(app, action),
        Step::TestScopes => result_steps::on_scope_test(app, action),
    }
}

/// Leave the wizard, keeping what the user typed and dropping a recovery copy that did its job.
pub(super) fn quit(app: &mut App) -> Vec<Effect> {
    app.exit = Some(Exit::Quit);
    let mut effects = keep_draft(app);
    if let Some(c) = &app.credentials
        && c.is_stored()
        && let Some(path) = &c.recovery
    {
        effects.push(Effect::RemoveRecovery(path.clone()));
    }
    effects
}

/// The name a draft file gives a form step, to resume there.
fn step_name(step: Step) -> Option<&'static str> {
    match step {
        Step::Details => Some("details"),
        Step::RedirectUrls => Some("redirect-urls"),
        Step::Scopes => Some("scopes"),
        Step::Review | Step::Creating => Some("review"),
        _ => None,
    }
}

/// The form step a draft file names.
pub(super) fn step_named(name: &str) -> Option<Step> {
    [
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
    ]
    .into_iter()
    .find(|s| step_name(*s) == Some(name))
}

/// Save the draft unless the integration was already created from it. A form with nothing
/// typed in it is no draft and saves nothing (an earlier draft the user put off stays).
pub(super) fn keep_draft(app: &App) -> Vec<Effect> {
    let draft = app.draft();
    if app.credentials.as_ref().is_some_and(|c| !c.recovered)
        || draft == crate::integration::IntegrationDraft::default()
    {
        return Vec::new();
    }
    vec![Effect::SaveDraft(SavedDraft {
        draft,
        step: step_name(app.step).map(str::to_owned),
    })]
}

/// Move to `step`, saving the draft as every step change does.
pub(super) fn go(app: &mut App, step: Step) -> Vec<Effect> {
    if step == Step::Review && app.step != Step::Review {
        app.review_scroll = 0;
        app.review_column = 0;
    }
    app.step = step;
    app.notice = None;
    app.refocus();
    keep_draft(app)
}

/// A key for a text field that no table binds; Tab, Enter and Esc are always the wizard's.
pub(super) fn type_into(input: &mut TextArea<'static>, action: Option<Action>, key: KeyEvent) {
    match action {
        Some(Action::ClearLine) => {
            // readline's Ctrl-U, for the whole line; undoable like any edit.
            input.move_cursor(CursorMove::End);
            input.delete_line_by_head();
        }
        Some(Action::Undo) => {
            input.undo();
        }
        Some(_) => {}
        None => {
            let ours = matches!(
                key.code,
                KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Esc
            );
            // Ctrl-M and Ctrl-J would break a line; the widget's own Ctrl-U undoes instead of
            // clearing: none of them reach it.
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            let odd = ctrl && matches!(key.code, KeyCode::Char('m' | 'j' | 'u' | 'z'));
            if !ours && !odd {
                input.input(key);
            }
        }
    }
}

fn on_connect(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    if app.connect_wants_token() {
        match action {
            Some(Action::Enter) => return check_typed_token(app),
            Some(Action::Back) => {
                if let Some((token, source, person)) = app.connect.previous.take() {
                    app.connect.token = Some(token);
                    app.connect.source = source;
                    app.connect.status = TokenStatus::Valid(person);
                    app.connect.input = token_input();
                    app.notice = None;
                    app.refocus();
                }
            }
            other => type_into(&mut app.connect.input, other, key),
        }
        return Vec::new();
    }
    match action {
        Some(Action::Enter) => {
            let next = app.connect.resume_to.take().unwrap_or(Step::Details);
            go(app, next)
        }
        Some(Action::OtherToken) => {
            if let (Some(token), TokenStatus::Valid(person)) = (
                app.connect.token.take(),
                std::mem::replace(&mut app.connect.status, TokenStatus::Missing),
            ) {
                app.connect.previous = Some((token, app.connect.source, person));
            }
            app.refocus();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn check_typed_token(app: &mut App) -> Vec<Effect> {
    let typed = secret::clean_token(&app.connect.input.lines().join(""));
    // A fresh field: the typed token must not linger in the old one's undo history.
    app.connect.input = token_input();
    app.refocus();
    let token = match (typed.is_empty(), &app.connect.token) {
        (false, _) => SecretString::from(typed),
        (true, Some(earlier)) => earlier.clone(),
        (true, None) => {
            problem(app, "Paste or type the admin token first.");
            return Vec::new();
        }
    };
    if app
        .connect
        .token
        .as_ref()
        .is_none_or(|t| t.expose_secret() != token.expose_secret())
    {
        app.connect.source = TokenSource::Typed;
    }
    app.connect.previous = None;
    app.connect.token = Some(token.clone());
    app.connect.status = TokenStatus::Checking;
    app.notice = None;
    vec![Effect::CheckToken(token)]
}

/// The index of the first detail field with a problem, marking every field as touched.
fn first_detail_problem(app: &mut App) -> Option<usize> {
    app.details.touched = [true; 4];
    (0..DETAIL_FIELDS.len()).find(|i| app.detail_problem(*i).is_some())
}

fn on_details(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let d = &mut app.details;
    let count = DETAIL_FIELDS.len();
    match action {
        Some(Action::NextField) => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + 1) % count;
        }
        Some(Action::PrevField) => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + count - 1) % count;
        }
        Some(Action::Back) => return go(app, Step::Connect),
        Some(Action::NewLine) => d.inputs[d.focus].insert_newline(),
        Some(Action::Enter) if d.focus < count - 1 => {
            d.touched[d.focus] = true;
            d.focus += 1;
        }
        Some(Action::Enter) => {
            return match first_detail_problem(app) {
                Some(bad) => {
                    app.details.focus = bad;
                    app.refocus();
                    problem_about(
                        app,
                        Cause::Detail(bad),
                        "Fix the marked field before going on.",
                    );
                    Vec::new()
                }
                None => go(app, Step::RedirectUrls),
            };
        }
        other => type_into(&mut d.inputs[d.focus], other, key),
    }
    app.refocus();
    Vec::new()
}

fn redirect_blank(app: &App, index: usize) -> bool {
    app.redirects.lines[index]
        .lines()
        .join("")
        .trim()
        .is_empty()
}

fn on_redirects(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let count = app.redirects.lines.len();
    let focus = app.redirects.focus;
    match action {
        Some(Action::AcceptSuggestion) => {
            if let Some(url) = app.redirect_suggestion() {
                app.redirects.lines[focus].insert_str(url);
            }
        }
        Some(Action::DeleteLine) => {
            if count > 1 {
                app.redirects.lines.remove(focus);
                app.redirects.focus = focus.min(count - 2);
            } else {
                app.redirects.lines[0] = single_line("", REDIRECT_PLACEHOLDER);
            }
        }
        Some(Action::Enter) if !redirect_blank(app, focus) => {
            app.redirects.touched = true;
            app.redirects
                .lines
                .insert(focus + 1, single_line("", REDIRECT_PLACEHOLDER));
            app.redirects.focus = focus + 1;
        }
        Some(Action::Enter) => return leave_redirects(app),
        Some(Action::Up) => app.redirects.focus = (focus + count - 1) % count,
        Some(Action::Down) => app.redirects.focus = (focus + 1) % count,
        Some(Action::Back) => return go(app, Step::Details),
        other => type_into(&mut app.redirects.lines[focus], other, key),
    }
    app.refocus();
    Vec::new()
}

fn leave_redirects(app: &mut App) -> Vec<Effect> {
    app.redirects.touched = true;
    // Blank lines are just where the user stopped typing.
    let kept: Vec<_> = (0..app.redirects.lines.len())
        .filter(|i| !redirect_blank(app, *i))
        .collect();
    if kept.is_empty() {
        app.redirects.focus = 0;
        app.refocus();
        problem_about(
            app,
            Cause::NoRedirectUrl,
            format!("Add at least one redirect URL (→ takes {DEFAULT_REDIRECT_URL})."),
        );
        return Vec::new();
    }
    let lines = std::mem::take(&mut app.redirects.lines);
    app.redirects.lines = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| kept.contains(i))
        .map(|(_, l)| l)
        .collect();
    if let Some(bad) = (0..app.redirects.lines.len()).find(|i| app.redirect_problem(*i).is_some()) {
        app.redirects.focus = bad;
        app.refocus();
        problem_about(
            app,
            Cause::RedirectUrl(bad),
            "Fix the marked URL before going on.",
        );
        return Vec::new();
    }
    app.redirects.focus = app.redirects.lines.len() - 1;
    go(app, Step::Scopes)
}

fn on_scopes(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    use super::scope_list::{move_cursor, toggle_row};
    match action {
        Some(Action::ClearLine) => {
            app.scopes.filter.clear();
            app.refilter();
        }
        Some(Action::Toggle) => toggle_row(app),
        Some(Action::Filter) => {
            match key.code {
                KeyCode::Char(c) => app.scopes.filter.push(c),
                _ => {
                    app.scopes.filter.pop();
                }
            }
            app.refilter();
        }
        Some(Action::Up) => move_cursor(app, false, 1),
        Some(Action::Down) => move_cursor(app, true, 1),
        Some(Action::PageUp) => move_cursor(app, false, 10),
        Some(Action::PageDown) => move_cursor(app, true, 10),
        Some(Action::Home) => move_cursor(app, false, usize::MAX),
        Some(Action::End) => move_cursor(app, true, usize::MAX),
        Some(Action::Enter) if app.scopes.chosen.is_empty() => {
            app.scopes.touched = true;
            problem_about(
                app,
                Cause::NoScope,
                "Choose at least one scope: Space toggles the highlighted one.",
            );
        }
        Some(Action::Enter) => return go(app, Step::Review),
        Some(Action::Back) => return go(app, Step::RedirectUrls),
        _ => {}
    }
    Vec::new()
}

/// The step and field where a problem is fixed.
fn place_of(field: Field) -> (Step, Option<usize>) {
    match field {
        Field::RedirectUrls => (Step::RedirectUrls, None),
        Field::Scopes => (Step::Scopes, None),
        other => (
            Step::Details,
            DETAIL_FIELDS.iter().position(|f| *f == other),
        ),
    }
}

/// Where a problem was found: our own rules (the message goes once the field passes them) or
/// Webex (the message stays until the user moves on: only Webex can say it is fixed).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    Locally,
    ByWebex,
}

/// Take the user to where `field` is typed, with `why` on screen.
fn jump_to(
    app: &mut App,
    field: Field,
    index: Option<usize>,
    why: String,
    found: Found,
) -> Vec<Effect> {
    let (step, detail) = place_of(field);
    let mut cause = None;
    if let Some(d) = detail {
        app.details.focus = d;
        app.details.touched[d] = true;
        cause = Some(Cause::Detail(d));
    }
    if step == Step::RedirectUrls {
        app.redirects.touched = true;
        if let Some(i) = index.filter(|i| *i < app.redirects.lines.len()) {
            app.redirects.focus = i;
            cause = Some(Cause::RedirectUrl(i));
        } else if app.draft().redirect_urls.is_empty() {
            cause = Some(Cause::NoRedirectUrl);
        }
    }
    if step == Step::Scopes && app.scopes.chosen.is_empty() {
        cause = Some(Cause::NoScope);
    }
    let effects = go(app, step);
    match cause {
        Some(c) if found == Found::Locally => problem_about(app, c, why),
        _ => problem(app, why),
    }
    effects
}

fn on_review(app: &mut App, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Enter) => return submit(app),
        Some(Action::CopyCurl) => {
            let curl = app.draft().curl_command(&app.env.base);
            return vec![Effect::Copy(
                CopyTarget::CurlCommand,
                SecretString::from(curl),
            )];
        }
        Some(Action::Up) => app.review_scroll = app.review_scroll.saturating_sub(1),
        Some(Action::Down) => app.review_scroll = app.review_scroll.saturating_add(1),
        Some(Action::PageUp) => app.review_scroll = app.review_scroll.saturating_sub(10),
        Some(Action::PageDown) => app.review_scroll = app.review_scroll.saturating_add(10),
        Some(Action::Left) => app.review_column = app.review_column.saturating_sub(8),
        Some(Action::Right) => app.review_column = app.review_column.saturating_add(8),
        Some(Action::Back) => return go(app, Step::Scopes),
        _ => {}
    }
    app.clamp_review_scroll();
    Vec::new()
}

fn submit(app: &mut App) -> Vec<Effect> {
    let draft = app.draft();
    if let Some(p) = validate::validate(&draft, app.catalog)
        .into_iter()
        .find(|p| p.is_error())
    {
        let why = format!("Not sent: {}", p.message);
        return jump_to(app, p.field, p.index, why, Found::Locally);
    }
    let Some(token) = app.connect.token.clone() else {
        app.connect.resume_to = Some(Step::Review);
        let effects = go(app, Step::Connect);
        problem(app, "Enter an admin token first; the form is kept.");
        return effects;
    };
    app.create = Some(CreateState::Sending {
        started: Instant::now(),
        elapsed: Duration::ZERO,
    });
    app.step = Step::Creating;
    app.notice = None;
    app.refocus();
    let mut effects = keep_draft(app);
    effects.push(Effect::Create { token, draft });
    effects
}

fn on_creating(app: &mut App, action: Option<Action>) -> Vec<Effect> {
    let Some(error) = app.create_failure() else {
        return Vec::new();
    };
    let unauthorized = error.api_failure().is_some_and(|f| f.status == 401);
    match action {
        Some(Action::Enter) if unauthorized => {
            app.create = None;
            app.connect.token = None;
            app.connect.status = TokenStatus::Missing;
            app.connect.resume_to = Some(Step::Review);
            app.connect.reason = Some(
                "Webex refused the admin token (401): it expired or is wrong. Control Hub admin tokens last at most 12 hours; paste a fresh one. Your form is kept.".into(),
            );
            go(app, Step::Connect)
        }
        Some(Action::Enter) => {
            let field = app.failed_field();
            let message = app.api_failure().map(|f| f.all_text()).unwrap_or_default();
            app.create = None;
            match field {
                Some(field) => jump_to(
                    app,
                    field,
                    None,
                    format!("Webex: {message}"),
                    Found::ByWebex,
                ),
                None => go(app, Step::Review),
            }
        }
        Some(Action::Back) => {
            app.create = None;
            go(app, Step::Review)
        }
        _ => Vec::new(),
    }
}

/// Pasted text goes where typing would go.
pub fn on_paste(app: &mut App, text: &str) {
    if !app.overlays.is_empty() {
        return;
    }
    match app.step {
        Step::Connect if app.connect_wants_token() => {
            app.connect
                .input
                .insert_str(secret::clean_token(text).replace(['\r', '\n'], ""));
        }
        Step::Details => {
            let d = &mut app.details;
            if DETAIL_FIELDS[d.focus] == Field::Description {
                d.inputs[d.focus].insert_str(text.replace("\r\n", "\n"));
            } else {
                d.inputs[d.focus].insert_str(text.replace(['\r', '\n'], " ").trim_end());
            }
        }
        Step::RedirectUrls => {
            // Several lines pasted: one URL each, below the current line.
            let mut urls = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let focus = app.redirects.focus;
            if let Some(first) = urls.next() {
                app.redirects.lines[focus].insert_str(first);
            }
            for (n, url) in urls.enumerate() {
                app.redirects
                    .lines
                    .insert(focus + 1 + n, single_line(url, REDIRECT_PLACEHOLDER));
                app.redirects.focus = focus + 1 + n;
            }
            app.refocus();
        }
        Step::Scopes => {
            app.scopes
                .filter
                .push_str(text.lines().next().unwrap_or(""));
            app.refilter();
        }
        Step::Authorize => result_steps::on_paste(app, text),
        _ => {}
    }
}
