//! The scale cases of issue 8, each through a whole session as a learner would type it:
//! one `kubectl apply` of a List of 3,000 pods, `kubectl delete pods --all` of them, a pod with
//! 10,000 environment variables, and a crash loop left for 1,000 virtual hours.
//! Run with `cargo bench --bench scale` (prints wall time per case).

use std::time::Instant;

use podplay::session::{NoFiles, Session};

fn timed(label: &str, s: &mut Session, script: &str) {
    #[allow(clippy::disallowed_methods)] // a benchmark measures wall time on purpose
    let start = Instant::now();
    let _ = s.run_script(script).expect("the script parses");
    println!(
        "{label}: {:.3} s ({} pod changes kept, {} queued tasks)",
        start.elapsed().as_secs_f64(),
        s.world.history.changes().len(),
        s.world.queued()
    );
}

fn main() {
    let pods: usize = std::env::var("PODPLAY_BENCH_PODS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3_000);
    let items: String = (0..pods)
        .map(|i| format!("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p{i}\n  spec:\n    containers:\n    - name: c\n      image: busybox\n      command: [sleep, '3600']\n"))
        .collect();
    let mut s = Session::new(1, Box::new(NoFiles));
    s.workspace.insert(
        "pods.yml".into(),
        format!("apiVersion: v1\nkind: List\nitems:\n{items}"),
    );
    timed(
        &format!("apply {pods} pods"),
        &mut s,
        "kubectl apply -f pods.yml\n",
    );
    timed("60 s of virtual time", &mut s, "sleep 60\n");
    timed(
        &format!("delete {pods} pods"),
        &mut s,
        "kubectl delete pods --all\n",
    );

    let env: String = (0..10_000)
        .map(|i| format!("      - name: V{i}\n        value: x{i}\n"))
        .collect();
    let mut s = Session::new(1, Box::new(NoFiles));
    s.workspace.insert("env.yml".into(), format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: env\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sh, -c, 'echo $V9999; sleep 3600']\n    env:\n{env}"));
    timed(
        "a pod with 10,000 env vars, created and started",
        &mut s,
        "kubectl create -f env.yml\nsleep 30\n",
    );

    let mut s = Session::new(1, Box::new(NoFiles));
    timed(
        "a crash loop for 1000 virtual hours",
        &mut s,
        "kubectl run p --image=busybox -- sh -c 'exit 1'\nsleep 1000h\n",
    );
}
