//! Leaving the wizard without losing anything: quitting (asked first while a one-time
//! secret is not stored), a signal while a secret-carrying request is on its way, a save the
//! quit question asked for, and the draft kept on the way out.

use super::app::{App, Exit, Overlay, Step};
use super::effect::Effect;
use crate::draft::SavedDraft;

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
        app.problem(
            "Waiting for Webex's answer so that the one-time secret is kept; the \
            wizard stops once it is. Press Ctrl-C (or send the signal) again to leave now.",
        );
        // A device login waiting between polls stops polling; a poll on its way finishes and
        // its tokens are kept.
        let device = app
            .steps
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
            app.notify(format!(
                "Saved {what}to {}.",
                crate::files::saved_where(&path)
            ));
            let mut effects = mark(&mut app.session, path);
            if std::mem::take(&mut app.quit_after_save) {
                effects.extend(quit(app));
            }
            effects
        }
        Err(e) => {
            app.quit_after_save = false;
            app.problem(format!("Not saved, so the wizard stays: {e}"));
            Vec::new()
        }
    }
}

/// Ctrl-C anywhere, and `q` on Tokens: leave, or first ask while a one-time secret (a client
/// secret, a bot token, tokens) is not stored.
pub(crate) fn ask_or_quit(app: &mut App) -> Vec<Effect> {
    // A create, rotation or bot on its way: as Ctrl-C, wait for its answer to be kept.
    if app.secret_in_flight() {
        return on_signal(app, 2);
    }
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
