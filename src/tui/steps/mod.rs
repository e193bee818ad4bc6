//! The wizard's steps: one module each, holding its state, its key table, its handler and its
//! drawing. What they share is here: dispatch by step, moving between steps, leaving.

pub mod scope_list;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Cause, DETAIL_FIELDS, Exit, Overlay};
pub use super::context::Step;
use super::context::StepState;
use super::effects::Effect;
use super::keys::{self, Action};
use super::update::{problem, problem_about};
use crate::draft::SavedDraft;
use crate::validate::Field;

/// Declares the step modules and what each says of itself, from the one list in `tui/mod.rs`.
macro_rules! steps {
    ($($step:ident => $module:ident),+ $(,)?) => {
        $(pub mod $module;)+

    };
}

wizard_steps!(steps);

/// SIGTERM, SIGHUP, or Ctrl-C while a create is on its way. Leaving then would lose the
/// one-time secret Webex is about to send: the first one waits for the answer (the request
/// has its timeout) and stops once it is kept; a second one leaves at once, with a note that
/// the integration may exist, which the next start shows.
pub(crate) fn on_signal(app: &mut App, number: i32) -> Vec<Effect> {
    if !app.secret_in_flight() {
        app.exit = Some(Exit::Signal(number));
        return keep_draft(app);
    }
    if app.stop_after_create.is_none() {
        app.stop_after_create = Some(number);
        problem(
            app,
            "Waiting for Webex's answer so that the one-time secret is kept; the wizard stops once it is. Press Ctrl-C (or send the signal) again to leave now.",
        );
        // A device login waiting between polls stops polling; a poll on its way finishes and
        // its tokens are kept.
        let device = app
            .authorize
            .as_ref()
            .is_some_and(|a| matches!(a.phase, crate::tui::app::AuthPhase::Device { .. }));
        return if device {
            vec![Effect::CancelAuthorization]
        } else {
            Vec::new()
        };
    }
    leave_while_sending(app, number)
}

/// Leave with a secret-carrying request still on its way: keep the draft and, for a create,
/// note that the integration may exist.
pub(crate) fn leave_while_sending(app: &mut App, number: i32) -> Vec<Effect> {
    app.exit = Some(Exit::Signal(number));
    let mut effects = keep_draft(app);
    if app.is_sending() {
        effects.push(Effect::NotePendingCreate(
            app.draft().name.trim().to_owned(),
        ));
    }
    effects
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match keys::global_action(app, &key) {
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
    let action = keys::action(app, &key);
    super::route::step_key(app, action, key)
}

/// Keys while the terminal is too small to draw the step: nothing acts on what can't be seen
/// (a field, a question). Only the keys the small view lists act: s, c and r on a one-time
/// secret that is not stored yet, whichever step is under it.
fn small_terminal_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return Vec::new();
    };
    if app
        .session
        .credentials
        .as_ref()
        .is_some_and(|c| !c.is_stored())
    {
        let action = match c {
            's' => Action::Save,
            'c' => Action::CopySecret,
            'r' => Action::Reveal,
            _ => return Vec::new(),
        };
        return super::route::with_cx!(app, credentials, |st, cx| st.on_key(cx, Some(action), key));
    }
    if app
        .session
        .bot_token
        .as_ref()
        .is_some_and(|b| !b.is_stored())
    {
        let action = match c {
            's' => Action::Save,
            'c' => Action::CopyToken,
            'r' => Action::Reveal,
            _ => return Vec::new(),
        };
        return super::route::with_cx!(app, bot_token, |st, cx| st.on_key(cx, Some(action), key));
    }
    Vec::new()
}

/// A one-time secret's screen was saved (or not): say where, let the screen mark it with
/// `mark` (which returns any effects, such as removing a recovery copy), and quit when the
/// quit question's s asked for it; a failure keeps the wizard and says why.
pub(crate) fn on_secret_saved(
    app: &mut App,
    what: &str,
    result: Result<std::path::PathBuf, crate::files::SaveError>,
    mark: impl FnOnce(&mut super::context::Session, std::path::PathBuf) -> Vec<Effect>,
) -> Vec<Effect> {
    match result {
        Ok(path) => {
            super::update::notice(
                app,
                format!("Saved {what}to {}.", crate::files::saved_where(&path)),
            );
            let mut effects = mark(&mut app.session, path);
            if std::mem::take(&mut app.quit_after_save) {
                effects.extend(quit(app));
            }
            effects
        }
        Err(e) => {
            app.quit_after_save = false;
            problem(app, format!("Not saved, so the wizard stays: {e}"));
            Vec::new()
        }
    }
}

/// Ctrl-C anywhere, and `q` on Tokens: leave, or first ask while a one-time secret (a client
/// secret, a bot token, tokens) is not stored.
pub(crate) fn ask_or_quit(app: &mut App) -> Vec<Effect> {
    if !app.secret_at_risk() {
        return quit(app);
    }
    if !matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)) {
        app.overlays.push(Overlay::ConfirmQuit);
    }
    Vec::new()
}

/// Leave the wizard, keeping what the user typed and dropping a recovery copy that did its job.
pub(crate) fn quit(app: &mut App) -> Vec<Effect> {
    app.exit = Some(Exit::Quit);
    let mut effects = keep_draft(app);
    if let Some(c) = &app.session.credentials
        && c.is_stored()
        && let Some(path) = &c.recovery
    {
        effects.push(Effect::RemoveRecovery(path.clone()));
    }
    if let Some(b) = &app.session.bot_token
        && b.is_stored()
        && let Some(path) = &b.recovery
    {
        effects.push(Effect::RemoveRecovery(path.clone()));
    }
    if let Some(t) = &app.session.tokens
        && t.is_stored()
        && let Some(path) = &t.recovery
    {
        effects.push(Effect::RemoveRecovery(path.clone()));
    }
    effects
}

/// A signal came while a secret-carrying request was on its way: its answer is kept (the
/// caller goes on to show it and its recovery copy), then the wizard stops.
pub(crate) fn stop_if_signalled(app: &mut App) {
    if let Some(n) = app.stop_after_create.take() {
        app.exit = Some(Exit::Signal(n));
    }
}

/// What proving the rotated secret found, after what the rotation already said.
pub(crate) fn on_secret_proven(app: &mut App, words: &str, proven: bool) {
    let before = app
        .notice
        .as_ref()
        .filter(|n| !n.is_error)
        .map(|n| n.text.clone());
    let text = before.map_or_else(|| words.to_owned(), |b| format!("{b}\n{words}"));
    if proven {
        super::update::notice(app, text);
    } else {
        problem(app, text);
    }
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

/// The first form step where `draft` has an error to put right (Review when none has).
pub(crate) fn first_to_finish(
    draft: &crate::integration::IntegrationDraft,
    catalog: &crate::catalog::Catalog,
) -> Step {
    use crate::validate::Field;
    let fields: Vec<Field> = crate::validate::validate(draft, catalog)
        .into_iter()
        .filter(crate::validate::Problem::is_error)
        .map(|p| p.field)
        .collect();
    if fields.iter().any(|f| {
        matches!(
            f,
            Field::Name | Field::Description | Field::ContactEmail | Field::CompanyName
        )
    }) {
        Step::Details
    } else if fields.contains(&Field::RedirectUrls) {
        Step::RedirectUrls
    } else if fields.contains(&Field::Scopes) {
        Step::Scopes
    } else {
        Step::Review
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
    // An update's form is the application as it is: no draft of a new integration.
    if app.session.updating.is_some()
        || app.session.intent == crate::tui::app::Intent::CreateBot
        || app
            .session
            .credentials
            .as_ref()
            .is_some_and(|c| !c.recovered)
        || draft == crate::integration::IntegrationDraft::default()
    {
        return Vec::new();
    }
    vec![Effect::SaveDraft(SavedDraft {
        draft,
        step: step_name(app.step).map(str::to_owned),
    })]
}

/// Carry out what a step asked of the wizard as a whole.
pub(crate) fn carry_out(app: &mut App, request: super::context::Request) -> Vec<Effect> {
    use super::context::Request;
    match request {
        Request::Open(step) => super::route::open(app, step),
        Request::Quit => quit(app),
        Request::AskToQuit => ask_or_quit(app),
        Request::JumpTo {
            field,
            index,
            why,
            found,
        } => jump_to(app, field, index, why, found),
        Request::AskForToken { resume_to, reason } => {
            super::route::with_cx!(app, connect, |st, cx| {
                st.ask_for_token(cx, resume_to, reason);
                Vec::new()
            })
        }
        Request::ResumeAfterSignIn(step) => {
            app.connect.resume_to = Some(step);
            Vec::new()
        }
        Request::DoneWithRecovered => {
            app.session.credentials = None;
            if !app.show_next_recovered() {
                app.enter(Step::Start);
                app.offer_draft();
            }
            super::update::notice(
                app,
                "The recovered credentials are stored; their recovery copy is removed.",
            );
            Vec::new()
        }
        Request::SendUpdate => super::route::with_cx!(app, manage, |st, cx| st.send_update(cx)),
        Request::LoadDraft(draft) => {
            app.load_draft(&draft);
            Vec::new()
        }
    }
}

/// Move to `step`, saving the draft as every step change does.
pub(crate) fn go(app: &mut App, step: Step) -> Vec<Effect> {
    app.enter(step);
    keep_draft(app)
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

pub(crate) use super::context::Found;

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
        app.details.focus_field(d);
        cause = Some(Cause::Detail(d));
    }
    if step == Step::RedirectUrls {
        if let Some(i) = app.redirects.focus_line(index) {
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

/// What the steps' unit tests share: a wizard on Webex for Government and a way to press keys through the
/// real key tables and update function.
#[cfg(test)]
pub(crate) mod testing {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    use crate::tui::app::{App, AppConfig, CredentialsState, Step};
    use crate::tui::effects::Effect;
    use crate::tui::message::Message;

    /// A wizard with no token yet, on `step`.
    pub fn app_on(step: Step) -> App {
        let mut app = App::new(AppConfig {
            env: crate::env::Environment::fedramp(),
            catalog: crate::catalog::Catalog::embedded(),
            token: None,
            theme: crate::tui::theme::Theme { color: false },
            auth_wait: std::time::Duration::from_secs(300),
            fedramp: true,
        });
        app.step = step;
        app
    }

    /// The same, with a created integration on screen.
    pub fn with_credentials(step: Step) -> App {
        let mut app = app_on(step);
        let saved = serde_json::from_str(
            r#"{"apiBase":"https://api-usgov.webex.com/v1","clientId":"C1","clientSecret":"S3CRET","name":"Audit Reader","redirectUrls":["http://localhost:8080/callback","https://app.example.gov/cb"],"scopes":["spark:people_read","audit:events_read"]}"#,
        )
        .expect("a credentials file");
        app.session.credentials = Some(CredentialsState::new(saved, None, false));
        app
    }

    pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        crate::tui::update::update(app, Message::Key(KeyEvent::from(code)))
    }

    pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
        let key = KeyEvent::new(
            KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        );
        crate::tui::update::update(app, Message::Key(key))
    }

    pub fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }
}

#[cfg(test)]
mod small_terminal_tests {
    use ratatui::crossterm::event::KeyCode;

    use super::testing::{app_on, press, type_text, with_credentials};
    use crate::tui::app::{Overlay, Step};
    use crate::tui::effects::Effect;

    #[test]
    fn keys_do_not_type_into_a_field_the_small_view_does_not_draw() {
        let mut app = app_on(Step::Details);
        app.session.screen = (60, 15);
        type_text(&mut app, "hidden");
        assert_eq!(
            app.details.inputs[0].lines().join(""),
            "",
            "typed into a field not on screen"
        );
        app.session.screen = (80, 24);
        type_text(&mut app, "seen");
        assert_eq!(app.details.inputs[0].lines().join(""), "seen");
    }

    #[test]
    fn the_keys_the_small_view_lists_keep_the_secret_from_any_step() {
        // A rotated secret, not stored, with Manage underneath: s still saves it.
        let mut app = with_credentials(Step::Manage);
        app.session.screen = (60, 15);
        let effects = press(&mut app, KeyCode::Char('s'));
        assert!(
            matches!(effects.as_slice(), [Effect::SaveCredentials(_)]),
            "{effects:?}"
        );
        press(&mut app, KeyCode::Char('r'));
        assert!(app.session.credentials.as_ref().is_some_and(|c| c.revealed));
        // A question can't be answered unseen: its keys wait for a larger window.
        app.overlays.push(Overlay::ConfirmQuit);
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)));
    }
}
