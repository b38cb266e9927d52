//! A container's log as the kubelet keeps it: the newest 256 KiB, cut at a line start (as log
//! rotation drops whole old lines), plus a count of every byte ever written so that followers
//! (`kubectl logs -f`) can tell what is new even after old lines were dropped.

/// The most a container's current log keeps.
pub const LOG_LIMIT: usize = 256 * 1024;

/// One container instance's log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLog {
    text: String,
    written: u64,
}

impl ContainerLog {
    /// Appends output, dropping the oldest lines past the limit.
    pub fn push_str(&mut self, s: &str) {
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
        }
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
