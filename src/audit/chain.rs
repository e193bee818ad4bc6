//! The trail's hash chain (NIST SP 800-53 AU-9, protection of audit information): each line
//! carries `seq`, its place in the chain, and `prev`, the SHA-256 of the line before it as
//! written; the first chained line of a file carries a random `anchor` as its `prev`. Appends
//! take a lock beside the file around reading the last line and writing the next, so two
//! commands at once keep the chain. `verify` names the first line that was changed, removed or
//! reordered. Lines written before the chain (by older releases) are counted, not judged.
//!
//! What it can't see: a change to the very last line (nothing links to it yet), and a trail
//! rewritten whole with fresh hashes by someone who can write the file. Sending each line to a
//! syslog collector as it is written (`--audit-syslog`) covers both.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// How much of the file's end is read to find its last line (an entry is a few hundred bytes).
const TAIL: u64 = 1024 * 1024;

/// The lock file beside the trail.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            use std::fmt::Write as _;
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The end of the trail, read once for an append: up to [`TAIL`] bytes, and whether they
/// reach back to the file's start.
struct Tail {
    bytes: Vec<u8>,
    whole: bool,
}

impl Tail {
    /// The tail of `path`; none when there is no file yet.
    fn read(path: &Path) -> std::io::Result<Option<Tail>> {
        // Never a FIFO, device or link (opening one could hang, or read what isn't ours): the
        // append that follows refuses those with its own message.
        let mut file = match crate::platform::open_regular(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        let start = len.saturating_sub(TAIL);
        file.seek(SeekFrom::Start(start))?;
        let mut bytes = Vec::new();
        file.take(TAIL).read_to_end(&mut bytes)?;
        Ok(Some(Tail {
            bytes,
            whole: start == 0,
        }))
    }

    /// The file's last line, as written (none when it is blank, or longer than the tail).
    fn last_line(&self) -> Option<&[u8]> {
        let body = self.bytes.strip_suffix(b"\n").unwrap_or(&self.bytes);
        let line = match body.iter().rposition(|b| *b == b'\n') {
            Some(i) => &body[i + 1..],
            None if self.whole => body,
            None => return None,
        };
        (!line.trim_ascii().is_empty()).then_some(line)
    }

    /// The file's last byte is not a newline (a line cut short).
    fn ends_without_newline(&self) -> bool {
        self.bytes.last().is_some_and(|b| *b != b'\n')
    }

    /// The `seq` of the last chained line in the tail, if any (for a last line that is
    /// damaged: the chain goes on from the last good link, not from a new anchor).
    fn last_seq(&self) -> Option<u64> {
        self.bytes.split(|b| *b == b'\n').rev().find_map(|l| {
            let entry: Map<String, Value> = serde_json::from_slice(l).ok()?;
            link(&entry).map(|(seq, _)| seq)
        })
    }
}

/// `seq` and `prev` of a chained line.
fn link(entry: &Map<String, Value>) -> Option<(u64, &str)> {
    Some((entry.get("seq")?.as_u64()?, entry.get("prev")?.as_str()?))
}

/// The chain fields for a line to append after `last` (the file's last line, if any) whose
/// chain had reached `seq`: the next link, or a new anchor when the file has no chained line.
pub(super) fn next_link(last: Option<&[u8]>, seq: Option<u64>) -> Map<String, Value> {
    let mut fields = Map::new();
    let previous = seq;
    if let (Some(seq), Some(line)) = (previous, last) {
        fields.insert("seq".into(), (seq + 1).into());
        fields.insert("prev".into(), sha256_hex(line).into());
    } else {
        let anchor = sha256_hex(&rand::random::<[u8; 32]>());
        fields.insert("seq".into(), 1.into());
        fields.insert("prev".into(), anchor.clone().into());
        fields.insert("anchor".into(), anchor.into());
    }
    fields
}

/// Append `entry` to `path` as the chain's next link, under the lock; the entry with its
/// link, and the line as written (without its newline).
pub(super) fn append_linked(
    path: &Path,
    entry: &Map<String, Value>,
) -> std::io::Result<(Map<String, Value>, String)> {
    use std::io::Write as _;
    // The lock goes beside the trail; where that folder can't take it (an --audit-log file
    // the agency made in a folder of its own), the line is still written, unlocked.
    let _lock = crate::platform::lock_exclusive(&lock_path(path))
        .map_err(|e| tracing::warn!(error = %e, "the audit trail's lock file could not be made; appending without it"))
        .ok();
    let tail = Tail::read(path)?;
    let last = tail.as_ref().and_then(Tail::last_line);
    let mut entry = entry.clone();
    let mut file = crate::platform::open_private_append(path).map_err(std::io::Error::other)?;
    // A line cut short (a full disk, a crash) ends here, so the new one starts on its own line.
    if tail.as_ref().is_some_and(Tail::ends_without_newline) {
        file.write_all(b"\n")?;
    }
    let seq = last.and(tail.as_ref().and_then(Tail::last_seq));
    entry.extend(next_link(last, seq));
    let mut line = serde_json::to_string(&entry).expect("JSON values serialize");
    line.push('\n');
    file.write_all(line.as_bytes())?;
    file.sync_data()?;
    line.pop();
    Ok((entry, line))
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Lines in the file (blank ones not counted).
    pub lines: usize,
    /// Lines before the first chained one (older releases).
    pub before_chain: usize,
    /// The first break: its line number (1-based) and what it is.
    pub broken: Option<(usize, String)>,
}

impl Verdict {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }

    /// One sentence for a person.
    pub fn words(&self) -> String {
        match &self.broken {
            None if self.lines == 0 => "empty: no lines written yet".to_owned(),
            None if self.lines == self.before_chain => format!(
                "no chained lines yet: {} line(s) before the chain (written by an older release)",
                self.before_chain
            ),
            None => format!(
                "intact: {} line(s) linked{}",
                self.lines - self.before_chain,
                if self.before_chain > 0 {
                    format!(", {} before the chain", self.before_chain)
                } else {
                    String::new()
                }
            ),
            Some((line, what)) => format!("BROKEN at line {line}: {what}"),
        }
    }
}

/// Check the chain of the trail at `path`.
pub fn verify(path: &Path) -> std::io::Result<Verdict> {
    Ok(verify_bytes(&super::read_bytes(path)?))
}

/// Check the chain of a trail already read.
pub fn verify_bytes(bytes: &[u8]) -> Verdict {
    // Each non-blank line with its line number in the file (what an editor shows).
    let (numbers, lines): (Vec<usize>, Vec<&[u8]>) = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(i, l)| (i + 1, l))
        .unzip();
    let parsed: Vec<Option<Map<String, Value>>> = lines
        .iter()
        .map(|l| serde_json::from_slice(l).ok())
        .collect();
    let seqs: Vec<Option<u64>> = parsed
        .iter()
        .map(|e| e.as_ref().and_then(link).map(|(s, _)| s))
        .collect();
    let mut verdict = Verdict {
        lines: lines.len(),
        before_chain: 0,
        broken: None,
    };
    let mut previous: Option<u64> = None;
    for (i, entry) in parsed.iter().enumerate() {
        let n = numbers[i];
        let mut broken = |what: String| {
            verdict.broken = Some((n, what));
        };
        let Some(entry) = entry else {
            if previous.is_some() {
                broken("not a JSON line (damaged, or a partial line from a full disk)".into());
                return verdict;
            }
            verdict.before_chain += 1;
            continue;
        };
        let Some((seq, prev)) = link(entry) else {
            if previous.is_some() {
                broken("it has no link (seq, prev): a line inserted by hand, or by an older release after the chain began".into());
                return verdict;
            }
            verdict.before_chain += 1;
            continue;
        };
        if let Some(anchor) = entry.get("anchor").and_then(Value::as_str) {
            if previous.is_some() {
                broken(
                    "a new chain starts here: the lines before it may have been cut or replaced"
                        .into(),
                );
                return verdict;
            }
            if seq != 1 || prev != anchor {
                broken("its anchor does not match its link: it was changed".into());
                return verdict;
            }
            previous = Some(seq);
            continue;
        }
        let Some(last) = previous else {
            broken(format!(
                "the chain starts at seq {seq} without its anchor: the lines before it were removed"
            ));
            return verdict;
        };
        let expected = last + 1;
        if seq == expected {
            if prev != sha256_hex(lines[i - 1]) {
                verdict.broken = Some((
                    numbers[i - 1],
                    format!("it was changed (line {n} recorded a different hash of it)"),
                ));
                return verdict;
            }
        } else if seq > expected && seqs[i + 1..].contains(&Some(expected)) {
            broken(format!(
                "out of order: seq {seq} comes before seq {expected}, which is further down"
            ));
            return verdict;
        } else if seq > expected {
            broken(format!(
                "{} line(s) before it were removed (seq {expected} to {})",
                seq - expected,
                seq - 1
            ));
            return verdict;
        } else {
            broken(format!("out of order: seq {seq} comes after seq {last}"));
            return verdict;
        }
        previous = Some(seq);
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(n: usize) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        for i in 0..n {
            let mut entry = Map::new();
            entry.insert("action".into(), format!("step-{i}").into());
            append_linked(&path, &entry).unwrap();
        }
        (dir, path)
    }

    fn lines(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn write(path: &Path, lines: &[String]) {
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn an_untouched_trail_is_intact() {
        let (_dir, path) = trail(5);
        let v = verify(&path).unwrap();
        assert!(v.is_intact(), "{v:?}");
        assert_eq!((v.lines, v.before_chain), (5, 0));
        assert!(v.words().starts_with("intact: 5 line(s) linked"));
    }

    #[test]
    fn a_changed_line_is_named() {
        let (_dir, path) = trail(5);
        let mut l = lines(&path);
        l[2] = l[2].replace("step-2", "step-X");
        write(&path, &l);
        let v = verify(&path).unwrap();
        assert_eq!(v.broken.as_ref().map(|b| b.0), Some(3), "{v:?}");
        assert!(
            v.words().contains("BROKEN at line 3: it was changed"),
            "{}",
            v.words()
        );
    }

    #[test]
    fn a_removed_line_is_named() {
        let (_dir, path) = trail(5);
        let mut l = lines(&path);
        l.remove(2);
        write(&path, &l);
        let v = verify(&path).unwrap();
        assert_eq!(v.broken.as_ref().map(|b| b.0), Some(3), "{v:?}");
        assert!(
            v.words()
                .contains("1 line(s) before it were removed (seq 3 to 3)"),
            "{}",
            v.words()
        );
    }

    #[test]
    fn reordered_lines_are_named() {
        let (_dir, path) = trail(5);
        let mut l = lines(&path);
        l.swap(1, 3);
        write(&path, &l);
        let v = verify(&path).unwrap();
        assert_eq!(v.broken.as_ref().map(|b| b.0), Some(2), "{v:?}");
        assert!(v.words().contains("out of order"), "{}", v.words());
    }

    #[test]
    fn a_cut_head_and_a_second_anchor_are_breaks() {
        let (_dir, path) = trail(4);
        let l = lines(&path);
        write(&path, &l[1..]);
        assert!(
            verify(&path)
                .unwrap()
                .words()
                .contains("without its anchor")
        );
        let (_dir2, path2) = trail(2);
        let mut l2 = lines(&path2);
        l2.extend(lines(&trail(2).1));
        write(&path2, &l2);
        assert!(
            verify(&path2)
                .unwrap()
                .words()
                .contains("a new chain starts here")
        );
    }

    #[test]
    fn lines_before_the_chain_are_counted_not_judged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        std::fs::write(&path, "{\"action\":\"old\"}\n{\"action\":\"older\"}\n").unwrap();
        let mut entry = Map::new();
        entry.insert("action".into(), "new".into());
        append_linked(&path, &entry).unwrap();
        append_linked(&path, &entry).unwrap();
        let v = verify(&path).unwrap();
        assert!(v.is_intact(), "{v:?}");
        assert_eq!((v.lines, v.before_chain), (4, 2));
        assert!(v.words().contains("2 before the chain"));
    }

    #[test]
    fn a_line_cut_short_is_named_and_the_chain_goes_on_after_it() {
        let (_dir, path) = trail(3);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut f, b"{\"action\":\"cut").unwrap();
        drop(f);
        let mut entry = Map::new();
        entry.insert("action".into(), "after".into());
        append_linked(&path, &entry).unwrap();
        append_linked(&path, &entry).unwrap();
        let l = lines(&path);
        assert_eq!(l.len(), 6, "{l:?}");
        // No new anchor after the damage: the chain goes on (seq 4 and 5).
        assert!(
            !l[4].contains("anchor") && l[5].contains("\"seq\":5"),
            "{l:?}"
        );
        let v = verify(&path).unwrap();
        assert_eq!(v.broken.as_ref().map(|b| b.0), Some(4), "{v:?}");
        assert!(v.words().contains("not a JSON line"), "{}", v.words());
    }

    #[test]
    fn line_numbers_are_the_files_blank_lines_included() {
        let (_dir, path) = trail(4);
        let mut l = lines(&path);
        l.insert(1, String::new());
        l[3] = l[3].replace("step-2", "step-X");
        write(&path, &l);
        let v = verify(&path).unwrap();
        // step-2 is on the file's line 4 now (a blank line 2 before it).
        assert_eq!(v.broken.as_ref().map(|b| b.0), Some(4), "{v:?}");
    }

    #[test]
    fn writers_at_once_keep_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for i in 0..25 {
                        let mut entry = Map::new();
                        entry.insert("action".into(), format!("w{w}-{i}").into());
                        append_linked(&path, &entry).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let v = verify(&path).unwrap();
        assert!(v.is_intact(), "{v:?}");
        assert_eq!(v.lines, 100);
    }
}
