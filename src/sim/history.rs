//! The pod change log behind watches, the timeline and time travel, kept in bounded memory.
//!
//! Every change stores the whole pod as it became, which is what a watch event carries. Left
//! alone, a crash-looping pod and a long `sleep` would grow it without end, so once the log
//! holds `MAX_CHANGES` entries its older half is folded into a base: the state of every pod
//! at the last folded change. Watches keep absolute positions, so folding never moves them;
//! time travel reaches back as far as the base.

use std::collections::BTreeMap;

use super::pod::Pod;
use super::time::SimTime;

/// How many changes the log keeps before it folds its older half into the base.
pub const MAX_CHANGES: usize = 4096;

/// One change of a pod, kept for watches and time travel.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub at: SimTime,
    pub key: (String, String),
    /// The pod as it was after the change; `None` once deleted.
    pub pod: Option<Pod>,
    pub deleted: bool,
}

#[derive(Clone, Debug, Default)]
pub struct PodHistory {
    changes: Vec<Change>,
    /// How many changes were folded into `base`.
    folded: usize,
    /// Every pod that existed just after the last folded change, and when that was.
    base: BTreeMap<(String, String), Pod>,
    base_at: Option<SimTime>,
}

impl PodHistory {
    pub(crate) fn record(&mut self, change: Change) {
        self.changes.push(change);
        if self.changes.len() > MAX_CHANGES {
            self.fold(MAX_CHANGES / 2);
        }
    }

    fn fold(&mut self, n: usize) {
        for ch in self.changes.drain(..n) {
            match ch.pod {
                Some(p) => {
                    self.base.insert(ch.key, p);
                }
                None => {
                    self.base.remove(&ch.key);
                }
            }
            self.base_at = Some(ch.at);
        }
        self.folded += n;
    }

    /// How many changes were ever recorded: a position that stays valid as the log folds.
    pub fn count(&self) -> usize {
        self.folded + self.changes.len()
    }

    /// The changes recorded from position `from` on (those still kept, if some were folded).
    pub fn since(&self, from: usize) -> &[Change] {
        let i = from.saturating_sub(self.folded).min(self.changes.len());
        &self.changes[i..]
    }

    /// The changes still kept, oldest first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The pods as they were at `base_at()`, before the kept changes.
    pub fn base(&self) -> &BTreeMap<(String, String), Pod> {
        &self.base
    }

    /// The earliest time the history can show in full (`None` while nothing was folded).
    pub fn base_at(&self) -> Option<SimTime> {
        self.base_at
    }

    /// Whether a pod has any record, folded or kept.
    pub fn knows(&self, key: &(String, String)) -> bool {
        self.base.contains_key(key) || self.changes.iter().any(|c| &c.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(i: usize, deleted: bool) -> Change {
        let mut p = Pod::default();
        p.meta.name = format!("p{}", i % 10);
        Change {
            at: SimTime::ZERO.plus_ms(i as u64),
            key: ("default".into(), p.meta.name.clone()),
            pod: (!deleted).then_some(p),
            deleted,
        }
    }

    #[test]
    fn folding_keeps_positions_and_the_latest_state() {
        let mut h = PodHistory::default();
        for i in 0..10_000 {
            h.record(change(i, i % 10 == 9 && i > 9_000));
        }
        assert_eq!(h.count(), 10_000);
        assert!(h.changes().len() <= MAX_CHANGES);
        assert_eq!(h.since(9_990).len(), 10);
        assert_eq!(h.since(0).len(), h.changes().len());
        assert_eq!(h.base().len(), 10);
        assert!(h.base_at().is_some());
    }
}
