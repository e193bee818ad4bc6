//! Signals while a one-time secret is on its way. Stopping in the middle of a create would
//! leave an integration at Webex whose secret nobody saw; stopping in the middle of a save
//! would leave a temporary file holding it. So the first SIGINT, SIGTERM or SIGHUP waits for
//! the work to finish (it is bounded by the request timeout), and only a second one leaves at
//! once, after `abandon` has left a note of what may have happened.

use std::future::Future;
use std::time::Duration;

use crate::platform::signals::Signals;

/// Run `work` shielded: returns its output and the first signal that arrived meanwhile.
/// `waiting` is said on the first signal; a second one runs `abandon` and exits 128 + n.
pub async fn shield<T>(
    work: impl Future<Output = T>,
    waiting: &str,
    abandon: impl FnOnce(),
) -> (T, Option<i32>) {
    let mut signals = Signals::new();
    tokio::pin!(work);
    let mut first = None;
    let mut abandon = Some(abandon);
    loop {
        tokio::select! {
            biased;
            output = &mut work => {
                // A signal that came while the work ran without yielding (a save) counts too.
                if first.is_none()
                    && let Ok(n) = tokio::time::timeout(Duration::ZERO, signals.next()).await
                {
                    first = Some(n);
                }
                return (output, first);
            }
            n = signals.next() => {
                if first.is_none() {
                    first = Some(n);
                    eprintln!("{waiting} Send the signal again (or press Ctrl-C again) to leave now.");
                } else {
                    if let Some(abandon) = abandon.take() {
                        abandon();
                    }
                    std::process::exit(128 + n);
                }
            }
        }
    }
}
