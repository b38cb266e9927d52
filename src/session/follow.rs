//! Commands that stream while the clock moves: `kubectl get … -w` and `kubectl logs -f`. The
//! CLI runs them for a fixed virtual time; the browser terminal starts them, then asks for what
//! is new each time the clock has moved, until the learner presses Ctrl+C.

use super::Session;
use crate::kubectl::get::{watch_rows, watch_spec, WatchSpec, WatchState};
use crate::kubectl::{self, Ctx, Output};

/// A running stream.
#[derive(Clone, Debug)]
pub enum Follow {
    /// A pod watch: the change log is read from `seen` on.
    Watch {
        spec: WatchSpec,
        state: WatchState,
        seen: usize,
    },
    /// A container log, the first `seen` bytes written to it printed so far (`None` once the
    /// command failed).
    Logs {
        uid: String,
        container: String,
        seen: Option<u64>,
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
    /// Starts `line` as a stream if it is a pod watch or a followed log: prints what the command
    /// prints at once and returns the stream to poll. Other lines give `None` and run nothing.
    pub fn start_follow(&mut self, line: &str) -> Option<(Output, Follow)> {
        let args = kubectl_words(line)?;
        match args.first().map(String::as_str) {
            Some("get") => {
                let spec = watch_spec(&args[1..])?;
                let out = self.run_kubectl_now(&args);
                if out.code != 0 {
                    return Some((
                        out,
                        Follow::Logs {
                            uid: String::new(),
                            container: String::new(),
                            seen: None,
                        },
                    ));
                }
                let state = WatchState::new(&spec);
                let seen = self.world.changes.len();
                Some((out, Follow::Watch { spec, state, seen }))
            }
            Some("logs") => {
                let follow = args
                    .iter()
                    .any(|a| a == "-f" || a == "--follow" || a == "--follow=true");
                if !follow {
                    return None;
                }
                let out = self.run_kubectl_now(&args);
                let (uid, container) = self.log_target(&args[1..]).unwrap_or_default();
                let seen = self
                    .world
                    .container_log_buffer(&uid, &container)
                    .map(|l| l.written())
                    .filter(|_| out.code == 0);
                Some((
                    out,
                    Follow::Logs {
                        uid,
                        container,
                        seen,
                    },
                ))
            }
            _ => None,
        }
    }

    /// What a stream has to print since the last poll. `None` once it has ended by itself
    /// (the command failed, or the container's log was reset by a restart).
    pub fn poll_follow(&self, f: &mut Follow) -> Option<String> {
        match f {
            Follow::Watch { spec, state, seen } => {
                let text = watch_rows(&self.world, *seen, spec, state);
                *seen = self.world.changes.len();
                Some(text)
            }
            Follow::Logs {
                uid,
                container,
                seen,
            } => {
                let log = self.world.container_log_buffer(uid, container)?;
                // A restart began another log: this stream is over, as with kubectl.
                let new = log.since((*seen)?)?.to_string();
                *seen = Some(log.written());
                Some(new)
            }
        }
    }

    /// Runs a kubectl command with no watch time (the stream goes on from its poll).
    fn run_kubectl_now(&mut self, args: &[String]) -> Output {
        self.history
            .push(format!("kubectl {}", shell_words::join(args)));
        let files = super::SessionFiles {
            workspace: &self.workspace,
            source: self.source.as_ref(),
            stdin: None,
        };
        let mut ctx = Ctx {
            world: &mut self.world,
            files: &files,
            watch_ms: Some(0),
            interactive: false,
        };
        kubectl::run(&mut ctx, args)
    }

    /// The pod uid and container `kubectl logs` arguments name.
    fn log_target(&self, args: &[String]) -> Option<(String, String)> {
        let mut ns = "default".to_string();
        let mut container = None;
        let mut pod = None;
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "-n" | "--namespace" => {
                    i += 1;
                    ns = args.get(i)?.clone();
                }
                "-c" | "--container" => {
                    i += 1;
                    container = args.get(i).cloned();
                }
                _ if a.starts_with("--namespace=") => ns = a["--namespace=".len()..].into(),
                _ if a.starts_with("--container=") => {
                    container = Some(a["--container=".len()..].into())
                }
                _ if a.starts_with('-') => {}
                _ if pod.is_none() => pod = Some(a.strip_prefix("pod/").unwrap_or(a).to_string()),
                _ => container = container.or_else(|| Some(a.to_string())),
            }
            i += 1;
        }
        let p = self.world.pods.get(&(ns, pod?))?;
        let container = container.or_else(|| p.spec.containers.first().map(|c| c.name.clone()))?;
        Some((p.meta.uid.clone(), container))
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
        let (first, mut f) = s.start_follow("kubectl get pods -w").expect("a watch");
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
        let (first, mut f) = s.start_follow("kubectl logs -f t").expect("a stream");
        let before = first.text().lines().count();
        assert!(before > 3);
        s.world.advance(3_000);
        let more = s.poll_follow(&mut f).expect("streams");
        assert_eq!(more, "tick\ntick\ntick\n");
    }
}
