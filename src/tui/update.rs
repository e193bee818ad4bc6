//! State + message → new state + effects. No I/O here: this is the part the tests drive.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use secrecy::{ExposeSecret, SecretString};

use super::app::{
    App, AuthPhase, AuthorizeState, CreateState, CredentialsState, DETAIL_FIELDS, Exit, Notice,
    Overlay, PRESETS, REDIRECT_PLACEHOLDER, ScopeRow, ScopeTestState, Step, TokenSource,
    TokenStatus, TokensState, single_line, token_input,
};
use super::effects::{AuthorizeJob, Effect};
use super::message::{CopyTarget, Created, Message};
use crate::draft::Recovered;
use crate::oauth::{AuthorizationError, ClientCredentials, FlowError};
use crate::secret;
use crate::validate::{self, Field};
use crate::webex::WebexError;
use crate::webex::applications::IntegrationDraft;

/// What the wizard found at start-up.
#[derive(Default)]
pub struct Startup {
    pub recovered: Vec<Recovered>,
    pub draft: Option<IntegrationDraft>,
}

impl App {
    /// Show what an earlier session left behind, and check a token that came with the launch.
    pub fn start(&mut self, startup: Startup) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(token) = &self.connect.token {
            effects.push(Effect::CheckToken(token.clone()));
        }
        let mut unreadable = Vec::new();
        for found in startup.recovered {
            match found {
                Recovered::Credentials { path, saved } => self.recovered.push((path, *saved)),
                Recovered::Unreadable { path } => unreadable.push(path),
            }
        }
        self.draft_offer = startup.draft;
        if !self.show_next_recovered() {
            self.offer_draft();
        }
        if !unreadable.is_empty() {
            self.overlays.push(Overlay::Unreadable(unreadable));
        }
        effects
    }

    /// Put the next recovered credentials on screen; false when there are none left.
    fn show_next_recovered(&mut self) -> bool {
        if self.recovered.is_empty() {
            return false;
        }
        let (path, saved) = self.recovered.remove(0);
        self.credentials = Some(CredentialsState {
            saved,
            revealed: false,
            copied_secret: false,
            copied_id: false,
            saved_to: None,
            recovery: Some(path),
            recovered: true,
        });
        self.step = Step::Credentials;
        self.refocus();
        true
    }

    fn offer_draft(&mut self) {
        if let Some(draft) = self.draft_offer.take() {
            self.overlays.push(Overlay::ResumeDraft(draft));
        }
    }
}

fn notice(app: &mut App, text: impl Into<String>) {
    app.notice = Some(Notice {
        text: text.into(),
        is_error: false,
    });
}

fn problem(app: &mut App, text: impl Into<String>) {
    app.notice = Some(Notice {
        text: text.into(),
        is_error: true,
    });
}

/// Handle one message.
pub fn update(app: &mut App, message: Message) -> Vec<Effect> {
    match message {
        Message::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Message::Key(_) => Vec::new(),
        Message::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Message::Tick(now) => {
            app.spinner = app.spinner.wrapping_add(1);
            if let Some(CreateState::Sending { started, elapsed }) = &mut app.create {
                *elapsed = now.saturating_duration_since(*started);
            }
            if let Some(AuthorizeState {
                phase:
                    AuthPhase::Waiting {
                        started, remaining, ..
                    },
                ..
            }) = &mut app.authorize
            {
                *remaining = app
                    .auth_wait
                    .saturating_sub(now.saturating_duration_since(*started));
            }
            Vec::new()
        }
        Message::Signal(number) => {
            app.exit = Some(Exit::Signal(number));
            keep_draft(app)
        }
        Message::TokenChecked(result) => {
            match result {
                Ok(person) => {
                    app.connect.status = TokenStatus::Valid(person);
                    app.connect.reason = None;
                }
                Err(e) => {
                    // A refused token is useless; after any other failure, Enter tries it again.
                    if e.api_failure()
                        .is_some_and(|f| matches!(f.status, 401 | 403))
                    {
                        app.connect.token = None;
                    }
                    app.connect.status = TokenStatus::Invalid(e);
                }
            }
            app.refocus();
            Vec::new()
        }
        Message::Created(result) => on_created(app, *result),
        Message::Copied(target, ways) => {
            if ways.is_empty() {
                problem(
                    app,
                    format!(
                        "Could not copy the {}: no terminal or clipboard tool took it. Save it with s.",
                        target.label()
                    ),
                );
            } else {
                match (target, &mut app.credentials, &mut app.tokens) {
                    (CopyTarget::ClientSecret, Some(c), _) => c.copied_secret = true,
                    (CopyTarget::ClientId, Some(c), _) => c.copied_id = true,
                    (CopyTarget::AccessToken, _, Some(t)) => t.copied = true,
                    _ => {}
                }
                notice(
                    app,
                    format!("Copied the {} to the clipboard via {ways}.", target.label()),
                );
            }
            Vec::new()
        }
        Message::Saved(result) => {
            match result {
                Ok(path) => {
                    notice(app, format!("Saved to {} (mode 0600).", path.display()));
                    if let Some(c) = &mut app.credentials {
                        c.saved_to = Some(path);
                    }
                }
                Err(e) => problem(app, format!("Not saved: {e}")),
            }
            Vec::new()
        }
        Message::DraftNotSaved(e) => {
            problem(app, format!("The draft could not be saved: {e}"));
            Vec::new()
        }
        Message::AuthorizationWaiting { url, loopback } => {
            if let Some(a) = &mut app.authorize {
                a.phase = AuthPhase::Waiting {
                    url,
                    loopback,
                    started: Instant::now(),
                    remaining: app.auth_wait,
                };
                a.paste = single_line("", "paste the address the browser landed on, then Enter");
            }
            app.refocus();
            Vec::new()
        }
        Message::BrowserOpened(opened) => {
            if let Some(a) = &mut app.authorize {
                a.browser_opened = Some(opened);
            }
            if !opened {
                problem(
                    app,
                    "No browser could be opened here: copy the address (Ctrl-Y) or show its QR code (Ctrl-Q).",
                );
            }
            Vec::new()
        }
        Message::Exchanging => {
            if let Some(a) = &mut app.authorize {
                a.phase = AuthPhase::Exchanging;
            }
            Vec::new()
        }
        Message::Authorized(result) => {
            let Some(a) = &mut app.authorize else {
                return Vec::new();
            };
            match *result {
                Ok(tokens) => {
                    a.phase = AuthPhase::Choose;
                    app.tokens = Some(TokensState {
                        tokens,
                        revealed: false,
                        copied: false,
                        saved_to: None,
                    });
                    app.step = Step::Tokens;
                    app.notice = None;
                }
                Err(FlowError::Authorization(AuthorizationError::Cancelled)) => {
                    a.phase = AuthPhase::Choose;
                    notice(app, "Authorization cancelled; nothing was requested.");
                }
                Err(e) => a.phase = AuthPhase::Failed(Box::new(e)),
            }
            app.refocus();
            Vec::new()
        }
        Message::ProbeDone(index, result) => {
            if let Some(t) = &mut app.scope_test
                && let Some(row) = t.rows.get_mut(index)
            {
                row.1 = Some(*result);
            }
            Vec::new()
        }
        Message::TokenExpiry(result) => {
            if let Some(t) = &mut app.scope_test {
                t.expiry = Some(result);
            }
            Vec::new()
        }
        Message::TokensSaved(result) => {
            match result {
                Ok(path) => {
                    notice(
                        app,
                        format!("Saved the tokens to {} (mode 0600).", path.display()),
                    );
                    if let Some(t) = &mut app.tokens {
                        t.saved_to = Some(path);
                    }
                }
                Err(e) => problem(app, format!("Not saved: {e}")),
            }
            Vec::new()
        }
    }
}

fn on_created(app: &mut App, result: Result<Created, WebexError>) -> Vec<Effect> {
    match result {
        Ok(Created { saved, recovery }) => {
            app.create = None;
            let recovery = match recovery {
                Ok(path) => Some(path),
                Err(e) => {
                    problem(
                        app,
                        format!(
                            "No recovery copy could be written ({e}): copy or save the secret now."
                        ),
                    );
                    None
                }
            };
            app.credentials = Some(CredentialsState {
                saved,
                revealed: false,
                copied_secret: false,
                copied_id: false,
                saved_to: None,
                recovery,
                recovered: false,
            });
            app.step = Step::Credentials;
            app.refocus();
            // The form did its work; an old draft would only be offered back by mistake.
            vec![Effect::DiscardDraft]
        }
        Err(e) => {
            app.create = Some(CreateState::Failed(Box::new(e)));
            Vec::new()
        }
    }
}

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'c') {
        return if app.secret_at_risk() || app.is_sending() {
            app.overlays.push(Overlay::ConfirmQuit);
            Vec::new()
        } else {
            quit(app)
        };
    }
    if !app.overlays.is_empty() {
        return on_overlay_key(app, key);
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if key.code == KeyCode::F(1) || (plain && key.code == KeyCode::Char('?') && !app.typing()) {
        app.overlays.push(Overlay::Help);
        return Vec::new();
    }
    match app.step {
        Step::Connect => on_connect_key(app, key),
        Step::Details => on_details_key(app, key),
        Step::RedirectUrls => on_redirect_key(app, key),
        Step::Scopes => on_scopes_key(app, key),
        Step::Review => on_review_key(app, key),
        Step::Creating => on_creating_key(app, key),
        Step::Credentials => on_credentials_key(app, key),
        Step::Authorize => on_authorize_key(app, key),
        Step::Tokens => on_tokens_key(app, key),
        Step::TestScopes => on_scope_test_key(app, key),
    }
}

fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(top) = app.overlays.last() else {
        return Vec::new();
    };
    match (top, key.code) {
        (
            Overlay::Help,
            KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?' | 'q') | KeyCode::Enter,
        ) => {
            app.overlays.pop();
        }
        (Overlay::ConfirmQuit, KeyCode::Char('y' | 'Y')) => {
            app.overlays.clear();
            return quit(app);
        }
        (
            Overlay::ConfirmQuit | Overlay::ConfirmAuthorize,
            KeyCode::Char('n' | 'N') | KeyCode::Esc,
        ) => {
            app.overlays.pop();
        }
        (Overlay::ConfirmAuthorize, KeyCode::Char('y' | 'Y')) => {
            app.overlays.pop();
            return go_authorize(app);
        }
        (Overlay::ResumeDraft(_), KeyCode::Char('y' | 'Y') | KeyCode::Enter) => {
            if let Some(Overlay::ResumeDraft(draft)) = app.overlays.pop() {
                app.load_draft(&draft);
                notice(app, "Your draft is back; nothing you typed was lost.");
            }
        }
        (Overlay::ResumeDraft(_), KeyCode::Char('n' | 'N')) => {
            app.overlays.pop();
            notice(app, "Starting afresh; the old draft is discarded.");
            return vec![Effect::DiscardDraft];
        }
        (Overlay::ResumeDraft(_), KeyCode::Esc) => {
            // Decide later: the draft stays on disk until a step saves a new one.
            app.overlays.pop();
        }
        (Overlay::Unreadable(_), KeyCode::Enter | KeyCode::Esc) => {
            app.overlays.pop();
        }
        _ => {}
    }
    Vec::new()
}

/// Leave the wizard, keeping what the user typed and dropping a recovery copy that did its job.
fn quit(app: &mut App) -> Vec<Effect> {
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

/// Save the draft unless the integration was already created from it.
fn keep_draft(app: &App) -> Vec<Effect> {
    let draft = app.draft();
    if app.credentials.as_ref().is_some_and(|c| !c.recovered)
        || draft == IntegrationDraft::default()
    {
        Vec::new()
    } else {
        vec![Effect::SaveDraft(draft)]
    }
}

/// Move to `step`, saving the draft as every step change does.
fn go(app: &mut App, step: Step) -> Vec<Effect> {
    app.step = step;
    app.notice = None;
    app.refocus();
    keep_draft(app)
}

/// A plain key for a text field; tabs and new lines are the wizard's, not the field's.
fn type_into(input: &mut ratatui_textarea::TextArea<'static>, key: KeyEvent) {
    let code_is_ours = matches!(
        key.code,
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Esc
    );
    if !code_is_ours {
        input.input(key);
    }
}

fn on_connect_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if app.connect_wants_token() {
        if key.code == KeyCode::Enter {
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
            app.connect.token = Some(token.clone());
            app.connect.status = TokenStatus::Checking;
            app.notice = None;
            return vec![Effect::CheckToken(token)];
        }
        type_into(&mut app.connect.input, key);
        return Vec::new();
    }
    match (&app.connect.status, key.code) {
        (TokenStatus::Valid(_), KeyCode::Enter) => {
            let next = app.connect.resume_to.take().unwrap_or(Step::Details);
            go(app, next)
        }
        (TokenStatus::Valid(_), KeyCode::Char('t')) => {
            // Use another token.
            app.connect.token = None;
            app.connect.status = TokenStatus::Missing;
            app.refocus();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The index of the first detail field with a problem, marking every field as touched.
fn first_detail_problem(app: &mut App) -> Option<usize> {
    app.details.touched = [true; 4];
    (0..DETAIL_FIELDS.len()).find(|i| app.detail_problem(*i).is_some())
}

fn on_details_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let d = &mut app.details;
    let last = DETAIL_FIELDS.len() - 1;
    match key.code {
        KeyCode::Tab => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + 1) % DETAIL_FIELDS.len();
        }
        KeyCode::BackTab => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + last) % DETAIL_FIELDS.len();
        }
        KeyCode::Esc => return go(app, Step::Connect),
        KeyCode::Enter if DETAIL_FIELDS[d.focus] == Field::Description => {
            d.inputs[d.focus].insert_newline();
        }
        KeyCode::Enter if d.focus < last => {
            d.touched[d.focus] = true;
            d.focus += 1;
        }
        KeyCode::Enter => {
            return match first_detail_problem(app) {
                Some(bad) => {
                    app.details.focus = bad;
                    app.refocus();
                    problem(app, "Fix the marked field before going on.");
                    Vec::new()
                }
                None => go(app, Step::RedirectUrls),
            };
        }
        _ => type_into(&mut d.inputs[d.focus], key),
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

fn on_redirect_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let count = app.redirects.lines.len();
    let focus = app.redirects.focus;
    match key.code {
        _ if is_ctrl(&key, 'd') => {
            if count > 1 {
                app.redirects.lines.remove(focus);
                app.redirects.focus = focus.min(count - 2);
            } else {
                app.redirects.lines[0] = single_line("", REDIRECT_PLACEHOLDER);
            }
        }
        KeyCode::Enter if !redirect_blank(app, focus) => {
            app.redirects.touched = true;
            app.redirects
                .lines
                .insert(focus + 1, single_line("", REDIRECT_PLACEHOLDER));
            app.redirects.focus = focus + 1;
        }
        KeyCode::Enter => return leave_redirects(app),
        KeyCode::Up | KeyCode::BackTab => app.redirects.focus = (focus + count - 1) % count,
        KeyCode::Down | KeyCode::Tab => app.redirects.focus = (focus + 1) % count,
        KeyCode::Esc => return go(app, Step::Details),
        _ => type_into(&mut app.redirects.lines[focus], key),
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
        problem(app, "Add at least one redirect URL.");
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
        problem(app, "Fix the marked URL before going on.");
        return Vec::new();
    }
    app.redirects.focus = app.redirects.lines.len() - 1;
    go(app, Step::Scopes)
}

fn move_scope_cursor(app: &mut App, down: bool, steps: usize) {
    let rows = &app.scopes.rows;
    let mut at = app.scopes.cursor;
    for _ in 0..steps {
        let next = if down {
            (at + 1..rows.len()).find(|i| rows[*i].is_choosable())
        } else {
            (0..at).rev().find(|i| rows[*i].is_choosable())
        };
        match next {
            Some(n) => at = n,
            None => break,
        }
    }
    app.scopes.cursor = at;
}

fn toggle_scope_row(app: &mut App) {
    let Some(row) = app.scopes.rows.get(app.scopes.cursor).copied() else {
        return;
    };
    app.scopes.touched = true;
    match row {
        ScopeRow::Scope(i) => {
            let name = app.catalog.scopes()[i].name.clone();
            if let Some(at) = app.scopes.chosen.iter().position(|c| *c == name) {
                app.scopes.chosen.remove(at);
            } else {
                app.scopes.chosen.push(name);
            }
        }
        ScopeRow::Preset(p) => {
            let preset = &PRESETS[p];
            if preset.scopes.iter().all(|s| app.is_chosen(s)) {
                app.scopes
                    .chosen
                    .retain(|c| !preset.scopes.contains(&c.as_str()));
            } else {
                for s in preset.scopes {
                    if !app.is_chosen(s) {
                        app.scopes.chosen.push((*s).to_owned());
                    }
                }
            }
        }
        ScopeRow::Header(_) | ScopeRow::PresetHeader => {}
    }
}

fn on_scopes_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        _ if is_ctrl(&key, 'u') => {
            app.scopes.filter.clear();
            app.refilter();
        }
        KeyCode::Char(' ') => toggle_scope_row(app),
        KeyCode::Char(c) if plain => {
            app.scopes.filter.push(c);
            app.refilter();
        }
        KeyCode::Backspace => {
            app.scopes.filter.pop();
            app.refilter();
        }
        KeyCode::Up | KeyCode::BackTab => move_scope_cursor(app, false, 1),
        KeyCode::Down | KeyCode::Tab => move_scope_cursor(app, true, 1),
        KeyCode::PageUp => move_scope_cursor(app, false, 10),
        KeyCode::PageDown => move_scope_cursor(app, true, 10),
        KeyCode::Home => move_scope_cursor(app, false, usize::MAX),
        KeyCode::End => move_scope_cursor(app, true, usize::MAX),
        KeyCode::Enter if app.scopes.chosen.is_empty() => {
            app.scopes.touched = true;
            problem(
                app,
                "Choose at least one scope: Space toggles the highlighted one.",
            );
        }
        KeyCode::Enter => return go(app, Step::Review),
        KeyCode::Esc => return go(app, Step::RedirectUrls),
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

/// Take the user to where `field` is typed, with `why` on screen.
fn jump_to(app: &mut App, field: Field, index: Option<usize>, why: String) -> Vec<Effect> {
    let (step, detail) = place_of(field);
    if let Some(d) = detail {
        app.details.focus = d;
        app.details.touched[d] = true;
    }
    if step == Step::RedirectUrls {
        app.redirects.touched = true;
        if let Some(i) = index.filter(|i| *i < app.redirects.lines.len()) {
            app.redirects.focus = i;
        }
    }
    let effects = go(app, step);
    problem(app, why);
    effects
}

fn on_review_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => submit(app),
        KeyCode::Up => {
            app.review_scroll = app.review_scroll.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Down => {
            app.review_scroll = app.review_scroll.saturating_add(1);
            Vec::new()
        }
        KeyCode::PageUp => {
            app.review_scroll = app.review_scroll.saturating_sub(10);
            Vec::new()
        }
        KeyCode::PageDown => {
            app.review_scroll = app.review_scroll.saturating_add(10);
            Vec::new()
        }
        KeyCode::Esc => go(app, Step::Scopes),
        _ => Vec::new(),
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let draft = app.draft();
    if let Some(p) = validate::validate(&draft, app.catalog)
        .into_iter()
        .find(|p| p.is_error())
    {
        let why = format!("Not sent: {}", p.message);
        return jump_to(app, p.field, p.index, why);
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

fn on_creating_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(error) = app.create_failure() else {
        return Vec::new();
    };
    let status = error.api_failure().map(|f| f.status);
    match key.code {
        KeyCode::Enter if status == Some(401) => {
            app.create = None;
            app.connect.token = None;
            app.connect.status = TokenStatus::Missing;
            app.connect.resume_to = Some(Step::Review);
            app.connect.reason = Some(
                "Webex refused the admin token (401): it expired or is wrong. Control Hub admin tokens last at most 12 hours; paste a fresh one. Your form is kept.".into(),
            );
            go(app, Step::Connect)
        }
        KeyCode::Enter if status.is_some_and(|s| (400..500).contains(&s)) => {
            let message = app
                .api_failure()
                .map(|f| {
                    let mut all = f.message.clone().unwrap_or_default();
                    for e in &f.errors {
                        all.push_str("; ");
                        all.push_str(e);
                    }
                    all
                })
                .unwrap_or_default();
            app.create = None;
            match Field::mentioned_in(&message) {
                Some(field) => jump_to(app, field, None, format!("Webex: {message}")),
                None => go(app, Step::Review),
            }
        }
        KeyCode::Enter | KeyCode::Esc => {
            app.create = None;
            go(app, Step::Review)
        }
        _ => Vec::new(),
    }
}

fn on_credentials_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(c) = &mut app.credentials else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('r') => {
            c.revealed = !c.revealed;
            Vec::new()
        }
        KeyCode::Char('c') => vec![Effect::Copy(
            CopyTarget::ClientSecret,
            c.saved.integration.client_secret.clone(),
        )],
        KeyCode::Char('i') => vec![Effect::Copy(
            CopyTarget::ClientId,
            SecretString::from(c.saved.integration.client_id.clone()),
        )],
        KeyCode::Char('s') => match &c.saved_to {
            Some(path) => {
                let text = format!("Already saved to {}.", path.display());
                notice(app, text);
                Vec::new()
            }
            None => vec![Effect::SaveCredentials(Box::new(c.saved.clone()))],
        },
        KeyCode::Char('a') if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmAuthorize);
            Vec::new()
        }
        KeyCode::Char('a') => go_authorize(app),
        KeyCode::Char('q') if !c.is_stored() => {
            app.overlays.push(Overlay::ConfirmQuit);
            Vec::new()
        }
        KeyCode::Char('q') if c.recovered => {
            let done = c.recovery.clone();
            app.credentials = None;
            if !app.show_next_recovered() {
                app.step = Step::Connect;
                app.refocus();
                app.offer_draft();
            }
            notice(
                app,
                "The recovered credentials are stored; their recovery copy is removed.",
            );
            done.map(Effect::RemoveRecovery).into_iter().collect()
        }
        KeyCode::Char('q') => quit(app),
        _ => Vec::new(),
    }
}

fn on_paste(app: &mut App, text: &str) {
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
        Step::Authorize => {
            if let Some(a) = &mut app.authorize
                && matches!(
                    a.phase,
                    AuthPhase::Waiting {
                        loopback: false,
                        ..
                    }
                )
            {
                a.paste.insert_str(text.trim());
            }
        }
        _ => {}
    }
}

/// Leave the credentials for the authorization step.
fn go_authorize(app: &mut App) -> Vec<Effect> {
    let Some(c) = &mut app.credentials else {
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
    if app.authorize.is_none() {
        let integration = &c.saved.integration;
        let redirect = integration
            .redirect_urls
            .iter()
            .position(|u| crate::authorization::is_loopback(u))
            .unwrap_or(0);
        app.authorize = Some(AuthorizeState {
            redirect,
            scopes: integration
                .scopes
                .iter()
                .map(|s| (s.clone(), true))
                .collect(),
            cursor: redirect,
            phase: AuthPhase::Choose,
            show_qr: false,
            paste: single_line("", ""),
            browser_opened: None,
        });
    }
    app.step = Step::Authorize;
    app.notice = None;
    app.refocus();
    effects
}

fn start_authorization(app: &mut App) -> Vec<Effect> {
    let (Some(a), Some(c)) = (&mut app.authorize, &app.credentials) else {
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
        problem(
            app,
            "The integration has no redirect URL to authorize with.",
        );
        return Vec::new();
    };
    if scopes.is_empty() {
        problem(
            app,
            "Ask for at least one scope: Space toggles the highlighted one.",
        );
        return Vec::new();
    }
    a.phase = AuthPhase::Waiting {
        url: String::new(),
        loopback: true,
        started: Instant::now(),
        remaining: app.auth_wait,
    };
    a.browser_opened = None;
    let job = AuthorizeJob {
        credentials: ClientCredentials {
            client_id: integration.client_id.clone(),
            client_secret: integration.client_secret.clone(),
        },
        redirect_uri: redirect,
        scopes,
        wait: app.auth_wait,
    };
    app.notice = None;
    vec![Effect::Authorize(Box::new(job))]
}

/// What a key does while the authorization waits.
enum WaitAction {
    CopyUrl,
    OpenBrowser,
    ToggleQr,
}

fn on_authorize_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(a) = &mut app.authorize else {
        return Vec::new();
    };
    let redirects = app
        .credentials
        .as_ref()
        .map(|c| c.saved.integration.redirect_urls.len())
        .unwrap_or(0);
    let rows = redirects + a.scopes.len();
    match &a.phase {
        AuthPhase::Choose => match key.code {
            KeyCode::Up | KeyCode::BackTab => a.cursor = a.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => a.cursor = (a.cursor + 1).min(rows.saturating_sub(1)),
            KeyCode::Char(' ') if a.cursor < redirects => a.redirect = a.cursor,
            KeyCode::Char(' ') => {
                if let Some(s) = a.scopes.get_mut(a.cursor - redirects) {
                    s.1 = !s.1;
                }
            }
            KeyCode::Enter => return start_authorization(app),
            KeyCode::Esc => {
                app.step = Step::Credentials;
                app.refocus();
            }
            _ => {}
        },
        AuthPhase::Waiting { url, loopback, .. } => {
            let url = url.clone();
            let loopback = *loopback;
            // Letters while listening; with Ctrl they also work while the paste field has the keys.
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            let action = match (key.code, ctrl, loopback) {
                (KeyCode::Char('y'), true, _) | (KeyCode::Char('c' | 'y'), false, true) => {
                    Some(WaitAction::CopyUrl)
                }
                (KeyCode::Char('o'), true, _) | (KeyCode::Char('o'), false, true) => {
                    Some(WaitAction::OpenBrowser)
                }
                (KeyCode::Char('q'), true, _) | (KeyCode::Char('v'), false, true) => {
                    Some(WaitAction::ToggleQr)
                }
                _ => None,
            };
            match (action, key.code) {
                (_, KeyCode::Esc) => return vec![Effect::CancelAuthorization],
                (Some(_), _) if url.is_empty() => {}
                (Some(WaitAction::CopyUrl), _) => {
                    return vec![Effect::Copy(
                        CopyTarget::AuthorizationUrl,
                        SecretString::from(url),
                    )];
                }
                (Some(WaitAction::OpenBrowser), _) => return vec![Effect::OpenBrowser(url)],
                (Some(WaitAction::ToggleQr), _) => a.show_qr = !a.show_qr,
                (None, KeyCode::Enter) if !loopback => {
                    let text = a.paste.lines().join("");
                    a.paste =
                        single_line("", "paste the address the browser landed on, then Enter");
                    app.refocus();
                    return vec![Effect::SubmitPaste(text)];
                }
                (None, _) if !loopback => type_into(&mut a.paste, key),
                _ => {}
            }
        }
        AuthPhase::Exchanging => {}
        AuthPhase::Failed(_) => match key.code {
            KeyCode::Enter => a.phase = AuthPhase::Choose,
            KeyCode::Esc => {
                a.phase = AuthPhase::Choose;
                app.step = Step::Credentials;
                app.refocus();
            }
            _ => {}
        },
    }
    app.refocus();
    Vec::new()
}

fn on_tokens_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(t) = &mut app.tokens else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('r') => t.revealed = !t.revealed,
        KeyCode::Char('c') => {
            return vec![Effect::Copy(
                CopyTarget::AccessToken,
                t.tokens.access_token.clone(),
            )];
        }
        KeyCode::Char('s') => {
            if let Some(path) = &t.saved_to {
                let text = format!("Already saved to {}.", path.display());
                notice(app, text);
                return Vec::new();
            }
            let Some(c) = &app.credentials else {
                return Vec::new();
            };
            return vec![Effect::SaveTokens {
                tokens: Box::new(t.tokens.clone()),
                client_id: c.saved.integration.client_id.clone(),
                name: c.saved.display_name().to_owned(),
            }];
        }
        KeyCode::Char('t') => return start_scope_test(app),
        KeyCode::Char('q') => return quit(app),
        KeyCode::Esc => {
            app.step = Step::Authorize;
            app.refocus();
        }
        _ => {}
    }
    Vec::new()
}

/// Probe every granted scope (or, when the answer listed none, every scope asked for).
fn start_scope_test(app: &mut App) -> Vec<Effect> {
    let Some(t) = &app.tokens else {
        return Vec::new();
    };
    let mut scopes = t.tokens.scopes.clone();
    if scopes.is_empty()
        && let Some(a) = &app.authorize
    {
        scopes = a
            .scopes
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.clone())
            .collect();
    }
    app.scope_test = Some(ScopeTestState {
        rows: scopes.iter().map(|s| (s.clone(), None)).collect(),
        cursor: 0,
        open: false,
        expiry: None,
    });
    let token = t.tokens.access_token.clone();
    app.step = Step::TestScopes;
    app.notice = None;
    app.refocus();
    vec![Effect::TestScopes {
        token,
        scopes,
        fedramp: app.fedramp,
    }]
}

fn on_scope_test_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(t) = &mut app.scope_test else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Up => t.cursor = t.cursor.saturating_sub(1),
        KeyCode::Down => t.cursor = (t.cursor + 1).min(t.rows.len().saturating_sub(1)),
        KeyCode::Enter => t.open = !t.open,
        KeyCode::Char('r') if t.is_done() => return start_scope_test(app),
        KeyCode::Char('q') => return quit(app),
        KeyCode::Esc => {
            app.step = Step::Tokens;
            app.refocus();
        }
        _ => {}
    }
    Vec::new()
}
