//! A container's log as the kubelet keeps it: the newest 256 KiB, cut at a line start (as log
//! rotation drops whole old lines), plus a count of every byte ever written so that followers
//! (`kubectl logs -f`) can tell what is new even after old lines were dropped.

/// The most a container's current log keeps.
pub const LOG_LIMIT: usize = 256 * 1024;

use std::collections::VecDeque;

use super::time::SimTime;

/// One container instance's log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLog {
    text: String,
    written: u64,
    /// When each kept line began: (absolute byte offset of the line start, time), as the
    /// runtime stamps every line it writes to the log file.
    stamps: VecDeque<(u64, SimTime)>,
    /// Whether the last byte written ended a line.
    open_line: bool,
}

impl ContainerLog {
    /// Appends output written at `at`, dropping the oldest lines past the limit.
    pub fn write(&mut self, at: SimTime, s: &str) {
        let mut offset = self.written;
        for piece in s.split_inclusive('\n') {
            if !self.open_line {
                self.stamps.push_back((offset, at));
            }
            self.open_line = !piece.ends_with('\n');
            offset += piece.len() as u64;
        }
        self.push_str(s);
    }

    /// Appends output, dropping the oldest lines past the limit.
    pub fn push_str(&mut self, s: &str) {
        if self.stamps.is_empty() && !s.is_empty() && self.text.is_empty() {
            self.stamps.push_back((self.written, SimTime::ZERO));
            self.open_line = !s.ends_with('\n');
        }
        self.text.push_str(s);
        self.written += s.len() as u64;
        if self.text.len() > LOG_LIMIT {
            let mut cut = self.text.len() - LOG_LIMIT;
            // Never inside a character: output may be any UTF-8.
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            let at = self.text[cut..].find('\n').map_or(cut, |p| cut + p + 1);
            self.text.drain(..at);
            let base = self.written - self.text.len() as u64;
            while self.stamps.len() > 1 && self.stamps[1].0 <= base {
                self.stamps.pop_front();
            }
            if let Some(first) = self.stamps.front_mut() {
                first.0 = first.0.max(base);
            }
        }
    }

    /// The kept lines with the time each began (the last may lack its newline).
    pub fn lines(&self) -> Vec<(SimTime, &str)> {
        let base = self.written - self.text.len() as u64;
        let mut out = Vec::new();
        let mut pos = 0usize;
        let mut stamp = 0usize;
        let mut when = self.stamps.front().map_or(SimTime::ZERO, |s| s.1);
        for line in self.text.split_inclusive('\n') {
            let abs = base + pos as u64;
            while stamp < self.stamps.len() && self.stamps[stamp].0 <= abs {
                when = self.stamps[stamp].1;
                stamp += 1;
            }
            out.push((when, line));
            pos += line.len();
        }
        out
    }

    pub fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Bytes written since the container started, including those dropped since.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// What was written after the first `seen` bytes, as far as it is still kept; `None` if
    /// `seen` is more than was ever written (another instance's log).
    pub fn since(&self, seen: u64) -> Option<&str> {
        let new = self.written.checked_sub(seen)?;
        let new = usize::try_from(new)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // Appended text is whole UTF-8, so its start is a character boundary; dropped lines
        // only move the start further on, to a line start.
        let mut start = self.text.len() - new;
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        Some(&self.text[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_whole_lines_of_any_text() {
        let mut log = ContainerLog::default();
        for _ in 0..200_000 {
            log.push_str("🚀\n");
        }
        assert!(log.as_str().len() <= LOG_LIMIT);
        assert!(log.as_str().starts_with("🚀\n"));
        assert_eq!(log.written(), 200_000 * 5);
        let seen = log.written();
        log.push_str("après\n");
        assert_eq!(log.since(seen), Some("après\n"));
        assert_eq!(log.since(0).map(str::len), Some(log.as_str().len()));
        assert_eq!(log.since(log.written() + 1), None);
    }
}
