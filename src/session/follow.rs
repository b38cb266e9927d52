//! Commands that stream while the clock moves: `kubectl get … -w` and `kubectl logs -f`. The
//! CLI runs them for a fixed virtual time; the browser terminal starts them, then asks for what
//! is new each time the clock has moved, until the learner presses Ctrl+C.

use super::Session;
use crate::kubectl::get::{watch_rows, watch_spec, WatchSpec, WatchState};
use crate::kubectl::misc::{logs_follow, logs_target};
use crate::kubectl::Output;

/// A running stream.
#[derive(Clone, Debug)]
pub enum Follow {
    /// A pod watch: the change log is read from `seen` on.
    Watch {
        spec: WatchSpec,
        state: WatchState,
        seen: usize,
    },
    /// A container log, the first `seen` bytes written to it printed so far.
    Logs {
        uid: String,
        container: String,
        seen: u64,
    },
}

/// The words of a `kubectl …` line (without `kubectl`), if it is one.
fn kubectl_words(line: &str) -> Option<Vec<String>> {
    let words = shell_words::split(line).ok()?;
    match words.first().map(String::as_str) {
        Some("kubectl" | "k") => Some(words[1..].to_vec()),
        _ => None,
    }
}

impl Session {
    /// Starts `line` as a stream if it is a pod watch or a followed log: runs the command for no
    /// virtual time, and returns what it printed and, unless it failed, the stream to poll.
    /// Other lines give `None` and run nothing.
    pub fn start_follow(&mut self, line: &str) -> Option<(Output, Option<Follow>)> {
        let args = kubectl_words(line)?;
        match args.first().map(String::as_str) {
            Some("get") => {
                let spec = watch_spec(&args[1..])?;
                let out = self.run_now(&args);
                let follow = (out.code == 0).then(|| Follow::Watch {
                    state: WatchState::new(&spec),
                    spec,
                    seen: self.world.history.count(),
                });
                Some((out, follow))
            }
            Some("logs") if logs_follow(&args[1..]) => {
                let out = self.run_now(&args);
                let follow = (out.code == 0)
                    .then(|| logs_target(&self.world, &args[1..]))
                    .flatten()
                    .and_then(|(uid, container)| {
                        let seen = self.world.container_log_buffer(&uid, &container)?.written();
                        Some(Follow::Logs {
                            uid,
                            container,
                            seen,
                        })
                    });
                Some((out, follow))
            }
            _ => None,
        }
    }

    /// Runs the start of a stream: no virtual time passes (the poll goes on from there).
    fn run_now(&mut self, args: &[String]) -> Output {
        self.history
            .push(format!("kubectl {}", shell_words::join(args)));
        self.run_kubectl(args, None, Some(0), false)
    }

    /// What a stream has to print since the last poll. `None` once it has ended by itself
    /// (the container's log was reset by a restart, or the pod is gone).
    pub fn poll_follow(&self, f: &mut Follow) -> Option<String> {
        match f {
            Follow::Watch { spec, state, seen } => {
                let text = watch_rows(&self.world, *seen, spec, state);
                *seen = self.world.history.count();
                Some(text)
            }
            Follow::Logs {
                uid,
                container,
                seen,
            } => {
                let log = self.world.container_log_buffer(uid, container)?;
                // A restart began another log: this stream is over, as with kubectl.
                let new = log.since(*seen)?.to_string();
                *seen = log.written();
                Some(new)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::NoFiles;

    #[test]
    fn a_watch_streams_new_rows_as_the_clock_moves() {
        let mut s = Session::new(1, Box::new(NoFiles));
        s.run_script("kubectl run web --image=nginx\n")
            .expect("runs");
        let (first, f) = s.start_follow("kubectl get pods -w").expect("a watch");
        let mut f = f.expect("the watch runs");
        assert!(
            first.text().starts_with("NAME   READY   STATUS"),
            "{}",
            first.text()
        );
        assert!(first.text().contains("ContainerCreating") || first.text().contains("Pending"));
        s.world.advance(20_000);
        let more = s.poll_follow(&mut f).expect("still streaming");
        assert!(more.contains("web    1/1     Running"), "{more}");
        s.world.advance(1_000);
        assert_eq!(s.poll_follow(&mut f).as_deref(), Some(""));
        assert!(s.start_follow("kubectl get pods").is_none());
    }

    #[test]
    fn logs_follow_prints_new_lines_only() {
        let mut s = Session::new(1, Box::new(NoFiles));
        s.run_script("kubectl run t --image=busybox -- sh -c 'while true; do echo tick; sleep 1; done'\nsleep 10\n")
            .expect("runs");
        let (first, f) = s.start_follow("kubectl logs -f t").expect("a stream");
        let mut f = f.expect("the log is there");
        let before = first.text().lines().count();
        assert!(before > 3);
        s.world.advance(3_000);
        let more = s.poll_follow(&mut f).expect("streams");
        assert_eq!(more, "tick\ntick\ntick\n");
    }
}
