//! Inputs that used to end the whole process (issue 8's reproducers), each now a test: the
//! session keeps going and prints what a real cluster would.
#![cfg(not(target_arch = "wasm32"))]

use podplay::session::{NoFiles, Session};

fn run(script: &str) -> String {
    let mut s = Session::new(1, Box::new(NoFiles));
    s.run_script(script).expect("the script parses")
}

#[test]
fn a_log_of_endless_emoji_is_trimmed_at_whole_lines() {
    let t = run("kubectl run p --image=busybox -- sh -c 'while true; do echo 🚀; done'\nsleep 60\nkubectl logs p --tail=2\ntimeout 3s kubectl logs -f p --tail=1\n");
    assert!(
        t.contains("$ kubectl logs p --tail=2\n🚀\n🚀\n$ timeout 3s"),
        "{}",
        &t[..t.len().min(400)]
    );
    // The follower keeps streaming after old lines were dropped.
    let followed = t.rsplit("--tail=1\n").next().unwrap_or_default();
    assert!(followed.lines().count() > 10);
    assert!(followed.lines().all(|l| l == "🚀"));
}
