//! The real terminal: raw mode and the alternate screen, restored on every way out.

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use tokio::sync::mpsc::UnboundedSender;

use super::message::Message;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether the alternate screen is on (so leaving it may clear it first).
static IN_ALTERNATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Enter raw mode and the alternate screen, with a panic hook that leaves them first.
pub fn enter() -> io::Result<Tui> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    IN_ALTERNATE.store(true, std::sync::atomic::Ordering::SeqCst);
    Terminal::new(CrosstermBackend::new(out))
}

/// Leave raw mode and the alternate screen; safe to call more than once. The alternate screen
/// is cleared first: a terminal that was resized meanwhile may carry some of its rows over to
/// the normal screen (tmux does), and a revealed secret must not stay there.
pub fn restore() {
    let mut out = io::stdout();
    if IN_ALTERNATE.swap(false, std::sync::atomic::Ordering::SeqCst) {
        let _ = execute!(
            out,
            ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All),
            cursor::MoveTo(0, 0)
        );
    }
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Read terminal events on a thread of their own and send them as messages.
pub fn spawn_event_reader(tx: UnboundedSender<Message>) {
    std::thread::spawn(move || {
        loop {
            let message = match event::read() {
                Ok(Event::Key(key)) => Message::Key(key),
                Ok(Event::Paste(text)) => Message::Paste(text),
                Ok(Event::Resize(columns, rows)) => Message::Resize(columns, rows),
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(message).is_err() {
                break;
            }
        }
    });
}
