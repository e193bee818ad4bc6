//! Drive the wizard's real update function and effect runner by feeding it keys.

use std::path::Path;
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use webex_wizard::catalog::Catalog;
use webex_wizard::env::{ApiBase, Dirs, Environment};
use webex_wizard::tui::app::{App, AppConfig, Step, TokenSource};
use webex_wizard::tui::effects::{Effect, EffectRunner};
use webex_wizard::tui::message::Message;
use webex_wizard::tui::theme::Theme;
use webex_wizard::tui::update::{Startup, update};
use webex_wizard::tui::view;
use webex_wizard::webex::{Timeouts, WebexClient};

pub fn dirs_in(root: &Path) -> Dirs {
    Dirs {
        data: root.join("data"),
        state: root.join("state"),
        store: webex_wizard::env::Store::File,
    }
}

pub struct Harness {
    pub app: App,
    runner: EffectRunner,
    rx: UnboundedReceiver<Message>,
    /// What the wizard wrote to "the terminal" (OSC 52 sequences).
    pub terminal: Arc<Mutex<Vec<u8>>>,
    pub dirs: Dirs,
}

impl Harness {
    /// A wizard on `base`, with a token from the launch (or none: the user types one).
    pub fn new(base: &str, token: Option<(&str, TokenSource)>, dirs: Dirs) -> Self {
        let base = ApiBase::parse(base).unwrap();
        let app = App::new(AppConfig {
            env: Environment::sandbox(base.clone()),
            catalog: Catalog::embedded(),
            token: token.map(|(t, s)| (SecretString::from(t.to_owned()), s)),
            theme: Theme { color: false },
            auth_wait: std::time::Duration::from_secs(300),
            fedramp: true,
        });
        let (tx, rx) = unbounded_channel();
        let terminal = Arc::new(Mutex::new(Vec::new()));
        let sink: webex_wizard::tui::effects::TerminalSink = terminal.clone();
        let client = WebexClient::new(
            base,
            Timeouts::default(),
            &webex_wizard::net::Network::from_environment().unwrap(),
        )
        .unwrap();
        let mut runner = EffectRunner::new(client, dirs.clone(), tx, sink, false);
        // The tests play the browser themselves.
        runner.open_browser = false;
        Harness {
            app,
            runner,
            rx,
            terminal,
            dirs,
        }
    }

    /// A started wizard on `sandbox` with its admin token, as under `--demo`.
    pub async fn on_sandbox(sandbox: &super::Sandbox, root: &Path) -> Self {
        let token = super::expose(sandbox.admin_token());
        let mut h = Harness::new(
            sandbox.base().as_str(),
            Some((&token, TokenSource::Demo)),
            dirs_in(root),
        );
        h.start().await;
        h
    }

    /// Launch, and take the first screen's highlighted choice (create an integration) as a
    /// user's first Enter does.
    pub async fn start(&mut self) {
        self.launch().await;
        if self.app.step == Step::Start && self.app.overlays.is_empty() {
            self.key(KeyCode::Enter).await;
        }
    }

    /// Launch: the first screen, with whatever an earlier session left behind.
    pub async fn launch(&mut self) {
        let startup = Startup {
            recovered: webex_wizard::draft::scan_recovery(&self.dirs),
            draft: webex_wizard::draft::load(&self.dirs),
            given: None,
        };
        let effects = self.app.start(startup);
        self.run(effects).await;
    }

    /// Run effects; wait for the answers of network effects, take the instant ones.
    async fn run(&mut self, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let awaited = effects
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        Effect::CheckToken(_)
                            | Effect::ScanTokens
                            | Effect::Create { .. }
                            | Effect::ListApplications(_)
                            | Effect::RotateSecret { .. }
                            | Effect::ProveSecret(_)
                            | Effect::DeleteApplication { .. }
                            | Effect::UpdateApplication { .. }
                            | Effect::CreateBot { .. }
                            | Effect::HandOff { .. }
                    )
                })
                .count();
            for e in effects.drain(..) {
                self.runner.run(e);
            }
            for _ in 0..awaited {
                let m = self.rx.recv().await.expect("the effect answers");
                effects.extend(update(&mut self.app, m));
            }
            while let Ok(m) = self.rx.try_recv() {
                effects.extend(update(&mut self.app, m));
            }
        }
    }

    /// Take messages from running effects until `done` holds (at most 20 s).
    pub async fn pump_until(&mut self, done: impl Fn(&App) -> bool) {
        while !done(&self.app) {
            let m = tokio::time::timeout(std::time::Duration::from_secs(20), self.rx.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "the wizard did not get there in 20 s:\n{}",
                        self.screen(120, 40)
                    )
                })
                .expect("the channel is open");
            let effects = update(&mut self.app, m);
            self.run(effects).await;
        }
    }

    /// Handle `message` and start its effects without waiting for network answers (a request
    /// stays on its way; `pump_until` takes its answer later).
    pub fn fire(&mut self, message: Message) {
        for e in update(&mut self.app, message) {
            self.runner.run(e);
        }
    }

    pub async fn send(&mut self, message: Message) {
        let effects = update(&mut self.app, message);
        self.run(effects).await;
    }

    pub async fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.send(Message::Key(KeyEvent::new(code, modifiers)))
            .await;
    }

    pub async fn key(&mut self, code: KeyCode) {
        self.key_with(code, KeyModifiers::NONE).await;
    }

    pub async fn ctrl(&mut self, c: char) {
        self.key_with(KeyCode::Char(c), KeyModifiers::CONTROL).await;
    }

    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// On the Details step: fill name, description and contact validly and go on to the
    /// redirect URLs.
    pub async fn fill_details(&mut self) {
        self.type_text("Audit Reader").await;
        self.key(KeyCode::Tab).await;
        self.type_text("Reads the audit log").await;
        self.key(KeyCode::Tab).await;
        self.type_text("admin@agency.example.gov").await;
        self.key(KeyCode::Tab).await;
        self.key(KeyCode::Enter).await;
        assert_eq!(
            self.app.step,
            webex_wizard::tui::app::Step::RedirectUrls,
            "{}",
            self.screen(80, 24)
        );
    }

    /// On the Details step of a bot: fill name, description and contact validly and go on to
    /// the bot's own fields.
    pub async fn fill_details_for_bot(&mut self) {
        self.type_text("Agency Notifier").await;
        self.key(KeyCode::Tab).await;
        self.type_text("Posts alerts").await;
        self.key(KeyCode::Tab).await;
        self.type_text("admin@agency.example.gov").await;
        self.key(KeyCode::Tab).await;
        self.key(KeyCode::Enter).await;
        assert_eq!(self.app.step, Step::Bot, "{}", self.screen(80, 24));
    }

    /// The screen as text, drawn by the real view.
    pub fn screen(&self, width: u16, height: u16) -> String {
        render(&self.app, width, height)
    }

    pub fn terminal_output(&self) -> String {
        String::from_utf8_lossy(&self.terminal.lock().unwrap()).into_owned()
    }
}

/// The screen as text, one line per row, drawn by the real view into a test backend.
pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
