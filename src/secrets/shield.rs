//! Signals while a one-time secret is on its way. Stopping in the middle of a create would
//! leave an integration at Webex whose secret nobody saw; stopping in the middle of a save
//! would leave a temporary file holding it. So the first SIGINT, SIGTERM or SIGHUP waits for
//! the work to finish (it is bounded by the request timeout), and only a second one leaves at
//! once, after `abandon` has left a note of what may have happened.

use std::future::Future;

use crate::platform::signals::Signals;

/// The signal that has arrived already, if any: never waited for. Yielding first lets the
/// runtime look at its driver (without a timeout), where an arrived signal is noticed.
async fn arrived_already(signals: &mut Signals) -> Option<i32> {
    tokio::task::yield_now().await;
    let next = signals.next();
    tokio::pin!(next);
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match next.as_mut().poll(cx) {
            std::task::Poll::Ready(n) => Some(n),
            std::task::Poll::Pending => None,
        })
    })
    .await
}

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
                // A signal that came while the work ran without yielding (a save) counts too:
                // asked once, without waiting (a zero timeout would wait for the timer's next
                // millisecond).
                if first.is_none()
                    && let Some(n) = arrived_already(&mut signals).await
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
