//! The wizard's steps: one module each, holding its state, its key table, its handler and its
//! drawing. What they share is here: dispatch by step, moving between steps, leaving.

pub mod authorize;
pub mod connect;
pub mod creating;
pub mod credentials;
pub mod details;
pub mod redirects;
pub mod review;
pub mod scope_list;
pub mod scope_test;
pub mod scopes;
pub mod tokens;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui_textarea::{CursorMove, TextArea};

use super::app::{
    App, Cause, DETAIL_FIELDS, Exit, Overlay, REDIRECT_PLACEHOLDER, Step, single_line,
};
use super::effects::Effect;
use super::keys::{self, Action, Binding};
use super::update::{problem, problem_about};
use crate::draft::SavedDraft;
use crate::secret;
use crate::validate::Field;

/// A step's key table.
pub fn table(step: Step) -> &'static [Binding] {
    match step {
        Step::Connect => connect::CONNECT,
        Step::Details => details::DETAILS,
        Step::RedirectUrls => redirects::REDIRECTS,
        Step::Scopes => scopes::SCOPES,
        Step::Review => review::REVIEW,
        Step::Creating => creating::CREATING,
        Step::Credentials => credentials::CREDENTIALS,
        Step::Authorize => authorize::AUTHORIZE,
        Step::Tokens => tokens::TOKENS,
        Step::TestScopes => scope_test::TEST_SCOPES,
    }
}

/// Draw the step on screen into `area`.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    match app.step {
        Step::Connect => connect::draw(app, frame, area),
        Step::Details => details::draw(app, frame, area),
        Step::RedirectUrls => redirects::draw(app, frame, area),
        Step::Scopes => scopes::draw(app, frame, area),
        Step::Review => review::draw(app, frame, area),
        Step::Creating => creating::draw(app, frame, area),
        Step::Credentials => credentials::draw(app, frame, area),
        Step::Authorize => authorize::draw(app, frame, area),
        Step::Tokens => tokens::draw(app, frame, area),
        Step::TestScopes => scope_test::draw(app, frame, area),
    }
}

/// SIGTERM, SIGHUP, or Ctrl-C while a create is on its way. Leaving then would lose the
/// one-time secret Webex is about to send: the first one waits for the answer (the request
/// has its timeout) and stops once it is kept; a second one leaves at once, with a note that
/// the integration may exist, which the next start shows.
pub(crate) fn on_signal(app: &mut App, number: i32) -> Vec<Effect> {
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
pub(crate) fn leave_while_sending(app: &mut App, number: i32) -> Vec<Effect> {
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
        return crate::tui::overlays::on_overlay_key(app, key);
    }
    let action = keys::action(app, &key);
    match app.step {
        Step::Connect => connect::on_connect(app, action, key),
        Step::Details => details::on_details(app, action, key),
        Step::RedirectUrls => redirects::on_redirects(app, action, key),
        Step::Scopes => scopes::on_scopes(app, action, key),
        Step::Review => review::on_review(app, action),
        Step::Creating => creating::on_creating(app, action),
        Step::Credentials => credentials::on_credentials(app, action),
        Step::Authorize => authorize::on_authorize(app, action, key),
        Step::Tokens => tokens::on_tokens(app, action),
        Step::TestScopes => scope_test::on_scope_test(app, action),
    }
}

/// Leave the wizard, keeping what the user typed and dropping a recovery copy that did its job.
pub(crate) fn quit(app: &mut App) -> Vec<Effect> {
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
pub(crate) fn step_name(step: Step) -> Option<&'static str> {
    match step {
        Step::Details => Some("details"),
        Step::RedirectUrls => Some("redirect-urls"),
        Step::Scopes => Some("scopes"),
        Step::Review | Step::Creating => Some("review"),
        _ => None,
    }
}

/// The form step a draft file names.
pub(crate) fn step_named(name: &str) -> Option<Step> {
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
pub(crate) fn keep_draft(app: &App) -> Vec<Effect> {
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
pub(crate) fn go(app: &mut App, step: Step) -> Vec<Effect> {
    app.enter(step);
    keep_draft(app)
}

/// A key for a text field that no table binds; Tab, Enter and Esc are always the wizard's.
pub(crate) fn type_into(input: &mut TextArea<'static>, action: Option<Action>, key: KeyEvent) {
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

/// The step and field where a problem is fixed.
pub(crate) fn place_of(field: Field) -> (Step, Option<usize>) {
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
pub(crate) enum Found {
    Locally,
    ByWebex,
}

/// Take the user to where `field` is typed, with `why` on screen.
pub(crate) fn jump_to(
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
        }
        Step::Scopes => {
            app.scopes
                .filter
                .push_str(text.lines().next().unwrap_or(""));
            app.refilter();
        }
        Step::Authorize => authorize::on_paste(app, text),
        _ => {}
    }
}
