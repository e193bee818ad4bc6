//! The sandbox as a running server: start it (on the runtime or a thread of its own), adopt an
//! integration, stop it by dropping the handle.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::{
    App, SandboxConfig, Shared, State, lock, persist, random_hex, router, uuid_like, webex_id,
};
use crate::types::ApiBase;

/// A running sandbox. Dropping the handle stops it.
pub struct Sandbox {
    base: ApiBase,
    addr: SocketAddr,
    admin_token: SecretString,
    state: Shared,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sandbox {
    /// Start on `addr` (port 0 picks a free port) on the current tokio runtime.
    pub async fn start(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Sandbox> {
        let saved = config.state_file.as_deref().and_then(persist::load);
        let listener = match saved.as_ref().map(|s| s.port) {
            // The port of the last run keeps the `apiBase` in files saved then right.
            Some(port) if addr.port() == 0 && port != 0 => {
                match TcpListener::bind(SocketAddr::new(addr.ip(), port)).await {
                    Ok(l) => l,
                    Err(_) => TcpListener::bind(addr).await?,
                }
            }
            _ => TcpListener::bind(addr).await?,
        };
        let addr = listener.local_addr()?;
        let mut state = State {
            probe_rate_limit_left: config.rate_limit_probes,
            config,
            admin_token: format!("sandbox-admin-{}", random_hex(24)),
            org_id: webex_id("ORGANIZATION", &uuid_like()),
            admin_id: webex_id("PEOPLE", &uuid_like()),
            apps: Vec::new(),
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            authorizations: Vec::new(),
            consents: HashMap::new(),
            devices: HashMap::new(),
            sequence: 0,
            generation: 0,
            clock_ahead: std::time::Duration::ZERO,
        };
        // A state file that exists already holds what another process needs (the admin token
        // above all), so it is not written again before the first request (which writes it
        // anyway): no fsync delays a wizard's first frame. A first run writes it at once, so
        // that a second process started meanwhile takes this admin token, not a new one.
        let fresh = saved.is_none();
        if let Some(saved) = saved {
            persist::take(&mut state, saved);
        }
        if fresh {
            persist::save_locked(&mut state, addr.port());
        }
        let admin_token = state.admin_token.clone();
        let shared: Shared = Arc::new(Mutex::new(state));
        let app = router(shared.clone(), addr.port());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "sandbox server stopped");
            }
        });
        let base =
            ApiBase::parse(&format!("http://{addr}/v1")).expect("a loopback http base is valid");
        tracing::info!(%base, "sandbox listening");
        Ok(Sandbox {
            base,
            addr,
            admin_token: SecretString::from(admin_token),
            state: shared,
            shutdown: Some(tx),
            thread: None,
        })
    }

    /// Start on a free loopback port, on a thread of its own (for tests and benchmarks).
    pub fn start_in_thread(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sandbox".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                let runtime = match runtime {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await {
                        Ok(mut sandbox) => {
                            let (stop_tx, stop_rx) = oneshot::channel();
                            let inner_stop = sandbox.shutdown.replace(stop_tx);
                            let _ = ready_tx.send(Ok(sandbox));
                            let _ = stop_rx.await;
                            if let Some(s) = inner_stop {
                                let _ = s.send(());
                            }
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let mut sandbox = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the sandbox thread ended before it was ready"))??;
        sandbox.thread = Some(thread);
        Ok(sandbox)
    }

    /// The API base, e.g. `http://127.0.0.1:40123/v1`.
    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Register an integration created elsewhere (an earlier `--demo` run), so `--demo
    /// authorize --credentials FILE` works in a fresh sandbox. Known client IDs are left as they are.
    pub fn adopt(
        &self,
        client_id: &str,
        client_secret: &SecretString,
        redirect_urls: &[String],
        scopes: &[String],
    ) {
        let mut state = lock(&self.state);
        if state.app_by_client_id(client_id).is_some() {
            return;
        }
        // A credentials file is outside text: only redirect URLs create's rules accept.
        let redirect_urls: Vec<String> = redirect_urls
            .iter()
            .filter(|u| crate::validate::check_redirect_url(u).is_ok())
            .cloned()
            .collect();
        state.apps.push(App {
            client_id: client_id.to_owned(),
            client_secret: client_secret.expose_secret().to_owned(),
            redirect_urls,
            scopes: scopes.to_vec(),
            public: serde_json::json!({ "clientId": client_id, "type": "integration" }),
            bot_token: None,
        });
        persist::save_locked(&mut state, self.addr.port());
    }

    /// Move this sandbox's clock on by `by` (tests: see tokens expire without waiting).
    pub fn advance_clock(&self, by: std::time::Duration) {
        let mut state = lock(&self.state);
        state.clock_ahead += by;
    }

    /// The demo admin token the sandbox accepts.
    pub fn admin_token(&self) -> &SecretString {
        &self.admin_token
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
