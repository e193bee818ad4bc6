//! The signals that ask the program to stop: SIGINT, SIGTERM and SIGHUP, as they arrive.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// SIGINT, SIGTERM and SIGHUP, each listened for from creation on (a signal that can't be
/// listened for is simply never reported).
pub struct Signals {
    interrupt: Option<Signal>,
    terminate: Option<Signal>,
    hangup: Option<Signal>,
}

async fn recv(s: &mut Option<Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

impl Signals {
    /// Listen from now on; with no runtime to listen in, nothing is ever reported.
    pub fn new() -> Self {
        Signals {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
            hangup: signal(SignalKind::hangup()).ok(),
        }
    }

    /// The number of the next signal to arrive (2, 15 or 1).
    pub async fn next(&mut self) -> i32 {
        tokio::select! {
            () = recv(&mut self.interrupt) => 2,
            () = recv(&mut self.terminate) => 15,
            () = recv(&mut self.hangup) => 1,
        }
    }
}

impl Default for Signals {
    fn default() -> Self {
        Self::new()
    }
}
