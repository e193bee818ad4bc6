//! The interactive wizard (ratatui): state in [`app`], messages in [`message`], the pure
//! [`update`] function, side effects in [`effects`], drawing in [`view`].

/// The wizard's steps, in order: each line names a step and the module that is all of it (its
/// state, its keys, its handlers, its drawing). Adding a step is one module and one line here;
/// `context` declares the `Step` enum from this list, `steps` the modules and `app` the routing.
macro_rules! wizard_steps {
    ($then:ident) => {
        $then! {
            Start => start,
            Connect => connect,
            Details => details,
            RedirectUrls => redirects,
            Scopes => scopes,
            Review => review,
            Creating => creating,
            Credentials => credentials,
            Authorize => authorize,
            Tokens => tokens,
            TestScopes => scope_test,
            Manage => manage,
            TokenTest => token_test,
            Bot => bot,
            BotToken => bot_token,
            HandOff => hand_off,
            SavedTokens => saved_tokens,
        }
    };
}

pub mod app;
pub mod context;
pub mod delivery;
pub mod effect;
pub mod effects;
pub mod keymap;
pub mod keys;
pub mod leaving;
mod manage_effects;
pub mod message;
pub mod overlays;
pub mod phase;
pub mod route;
pub mod steps;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
pub mod widgets;

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::catalog::Catalog;
use crate::error::{CliError, Ended};
use crate::secret;
use crate::session::Context;
use app::{App, AppConfig, Exit, TokenSource};
use effects::{EffectRunner, TerminalSink};
use message::Message;
use update::{Startup, update};

/// The admin token the wizard starts with, if any.
fn starting_token(ctx: &Context) -> Result<Option<(secrecy::SecretString, TokenSource)>, CliError> {
    if ctx.is_demo() {
        return Ok(Some((ctx.admin_token()?, TokenSource::Demo)));
    }
    if ctx.has_token_file() {
        return Ok(Some((ctx.admin_token()?, TokenSource::File)));
    }
    if let Some(token) = secret::secret_from_env(crate::session::ADMIN_TOKEN_VAR) {
        return Ok(Some((token, TokenSource::Environment)));
    }
    // What `webex-wizard login` kept, unless it expired (then Connect says so and asks).
    Ok(match ctx.kept_login() {
        Ok(Some(login)) if !login.is_expired(time::OffsetDateTime::now_utc()) => {
            Some((login.token.clone(), TokenSource::Keyring))
        }
        _ => None,
    })
}

/// Why Connect asks for a token although `webex-wizard login` kept one: it expired.
fn expired_login(ctx: &Context) -> Option<String> {
    match ctx.kept_login() {
        Ok(Some(login))
            if ctx.token_source().is_none()
                && login.is_expired(time::OffsetDateTime::now_utc()) =>
        {
            Some(format!(
                "The admin token kept in the OS keyring ({}) expired at {}: it was not sent. \
                    Paste a fresh one, or run webex-wizard login.",
                crate::text::visible_line(&login.person),
                crate::types::rfc3339(login.expires_at)
            ))
        }
        _ => None,
    }
}

/// Run the wizard in this terminal until the user quits or a signal arrives.
pub async fn run(ctx: &Context) -> Result<Ended, CliError> {
    run_with(ctx, None).await
}

pub use update::Given;

/// The wizard, with `given` (what `create` or `bot create` was given, fields missing) filled
/// in and the first step to finish on screen.
pub async fn run_with(ctx: &Context, given: Option<Given>) -> Result<Ended, CliError> {
    let mut app = App::new(AppConfig {
        env: ctx.env.clone(),
        catalog: Catalog::embedded(),
        token: starting_token(ctx)?,
        theme: theme::Theme::from_env(),
        auth_wait: crate::authorization::DEFAULT_WAIT,
        fedramp: ctx.env.cloud == crate::env::Cloud::Fedramp
            || (ctx.is_demo() && ctx.sandbox_is_fedramp()),
    });
    app.session.remote = crate::authorization::RemoteSession::detect();
    app.session.policy = ctx.policy.clone();
    if let Some(why) = expired_login(ctx) {
        app.steps.connect.reason = Some(why);
    }
    let startup = Startup {
        recovered: crate::draft::scan_recovery(&ctx.dirs),
        draft: crate::draft::load(&ctx.dirs),
        given,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink: TerminalSink = Arc::new(Mutex::new(std::io::stdout()));
    let mut runner = EffectRunner::new(ctx.client()?, ctx.dirs.clone(), tx.clone(), sink, true);
    runner.audit = ctx.audit_log.clone();
    // Over SSH a browser started here would be on the wrong machine.
    runner.open_browser = app.session.remote.is_none();
    // SIGINT too: by default it would end the wizard at once, even with a secret on its way.
    let mut signals = crate::platform::signals::Signals::new();

    let mut terminal = terminal::enter().map_err(CliError::Terminal)?;
    if let Ok(size) = terminal.size() {
        app.session.screen = (size.width, size.height);
    }
    terminal::spawn_event_reader(tx);
    for effect in app.start(startup) {
        runner.run(effect);
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let result = loop {
        if let Err(e) = terminal.draw(|frame| view::draw(&app, frame)) {
            break Err(CliError::Terminal(e));
        }
        let message = tokio::select! {
            Some(message) = rx.recv() => message,
            _ = ticker.tick(), if app.is_busy() => Message::Tick(Instant::now()),
            n = signals.next() => Message::Signal(n),
        };
        for effect in update(&mut app, message) {
            runner.run(effect);
        }
        match app.exit {
            Some(Exit::Quit) => break Ok(Ended::Quit),
            Some(Exit::Signal(n)) => break Ok(Ended::Signal(n)),
            None => {}
        }
    };
    terminal::restore();
    // Every path whole, once the screen is gone: on screen a long one is cut in the middle.
    let mut err = std::io::stderr();
    for line in exit_summary(&app) {
        let _ = writeln!(err, "{line}");
    }
    result
}

/// What the session left on disk, one line each, and what was not stored and where its 0600
/// copy waits.
fn exit_summary(app: &App) -> Vec<String> {
    let mut lines = Vec::new();
    let mut say = |what: &str, saved: Option<&PathBuf>, handed: Option<&PathBuf>| {
        if let Some(path) = saved {
            lines.push(format!(
                "{what} saved to {}.",
                crate::files::saved_where(path)
            ));
        }
        if let Some(path) = handed {
            lines.push(format!(
                "{what} handed off in {} (age, mode 0600).",
                path.display()
            ));
        }
    };
    if let Some(c) = &app.session.credentials {
        say("Credentials", c.saved_to.as_ref(), c.handed_off.as_ref());
    }
    if let Some(b) = &app.session.bot_token {
        say(
            "The bot and its token",
            b.saved_to.as_ref(),
            b.handed_off.as_ref(),
        );
    }
    if let Some(t) = &app.session.tokens {
        say("Tokens", t.saved_to.as_ref(), None);
    }
    let unstored = [
        (
            "The client secret was",
            app.session
                .credentials
                .as_ref()
                .filter(|c| !c.is_stored())
                .and_then(|c| c.recovery.as_ref()),
        ),
        (
            "The bot token was",
            app.session
                .bot_token
                .as_ref()
                .filter(|b| !b.is_stored())
                .and_then(|b| b.recovery.as_ref()),
        ),
        (
            "The tokens were",
            app.session
                .tokens
                .as_ref()
                .filter(|t| !t.is_stored())
                .and_then(|t| t.recovery.as_ref()),
        ),
    ];
    for (what, path) in unstored {
        if let Some(path) = path {
            lines.push(format!(
                "{what} not stored. A 0600 copy is kept in {}; the wizard shows it at the \
                    next start.",
                path.display()
            ));
        }
    }
    lines
}
