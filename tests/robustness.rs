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

#[test]
fn shells_nested_without_end_fail_to_fork_instead_of_overflowing() {
    let t = run("kubectl run p --image=busybox -- sh -c 'export X=\"sh -c \\\"\\$X\\\"\"; sh -c \"$X\"'\nsleep 5\nkubectl logs p\nkubectl get pod p -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}'\n");
    assert!(
        t.contains("sh: can't fork: Resource temporarily unavailable\n"),
        "{t}"
    );
    assert!(t.ends_with("\n2"), "{t}");
}

#[test]
fn a_nested_shell_resumes_after_it_sleeps() {
    let t = run("kubectl run p --image=busybox --restart=Never -- sh -c 'sh -c \"sleep 1; echo after\"; echo done'\nsleep 10\nkubectl logs p\n");
    assert!(t.ends_with("$ kubectl logs p\nafter\ndone\n"), "{t}");
}

#[test]
fn memory_runs_out_as_an_oom_kill() {
    // No limit: the simulator's cap applies; a limit below it applies first.
    for limits in ["{}", "{limits: {memory: 1Mi}}"] {
        let t = run(&format!(
            "cat <<'EOF' > m.yml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n    resources: {limits}\n    command: [sh, -c, 'x=a; while true; do x=$x$x; done']\nEOF\nkubectl apply -f m.yml\nsleep 10\nkubectl get pod p\nkubectl get pod p -o jsonpath='{{.status.containerStatuses[0].state.terminated.reason}} {{.status.containerStatuses[0].state.terminated.exitCode}}'\n"
        ));
        assert!(t.contains("p      0/1     OOMKilled"), "{t}");
        assert!(t.ends_with("OOMKilled 137"), "{t}");
    }
}

#[test]
fn a_full_volume_says_no_space_left() {
    let t = run("cat <<'EOF' > v.yml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: v\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: d\n    emptyDir: {}\n  containers:\n  - name: c\n    image: busybox\n    command: [sh, -c, 'echo 0123456789 > /d/f; while cat /d/f >> /d/f; do true; done; echo stopped']\n    volumeMounts:\n    - name: d\n      mountPath: /d\nEOF\nkubectl apply -f v.yml\nsleep 10\nkubectl logs v\n");
    assert!(
        t.ends_with("$ kubectl logs v\nsh: write error: No space left on device\nstopped\n"),
        "{t}"
    );
}

#[test]
fn a_crash_loop_for_1000_hours_keeps_a_bounded_history() {
    let mut s = Session::new(1, Box::new(NoFiles));
    let t = s
        .run_script(
            "kubectl run p --image=busybox -- sh -c 'exit 1'\nsleep 1000h\nkubectl get pods\n",
        )
        .expect("parses");
    assert!(
        t.contains("p      0/1     CrashLoopBackOff   11990 (4m38s ago)   41d"),
        "{t}"
    );
    let h = &s.world.history;
    assert!(h.count() > 30_000, "{}", h.count());
    assert!(h.changes().len() <= podplay::sim::history::MAX_CHANGES);
    // Time travel still reaches back to where the log was folded.
    let base = h.base_at().expect("folded");
    let past = podplay::view::world_at(&s.world, base);
    assert_eq!(past.pods.len(), s.world.pods.len());
}

#[test]
fn durations_past_the_limit_are_refused_and_the_clock_still_works() {
    let t = run("sleep 99999999999999999999\nsleep 1001h\ntimeout 100000h kubectl get pods -w\nkubectl run p --image=busybox -- sleep 3600\nsleep 5\nkubectl get pods\n");
    assert!(
        t.contains(
            "$ sleep 99999999999999999999\nsleep: invalid time interval '99999999999999999999'\n"
        ),
        "{t}"
    );
    assert!(t.contains("$ sleep 1001h\nsleep: invalid time interval '1001h': the playground moves its clock at most 1000h per command\n"), "{t}");
    assert!(t.contains("timeout: invalid time interval '100000h': the playground moves its clock at most 1000h per command\n"), "{t}");
    assert!(
        t.ends_with("p      1/1     Running   0          5s\n"),
        "{t}"
    );
}

#[test]
fn a_long_watch_keeps_its_newest_lines() {
    let t = run("kubectl run p --image=busybox -- sh -c 'sleep 1; exit 1'\ntimeout 1000h kubectl get pods -w\nkubectl get pods\n");
    let watch = t
        .split("$ timeout 1000h kubectl get pods -w\n")
        .nth(1)
        .and_then(|r| r.split("$ kubectl get pods\n").next())
        .expect("the watch ran");
    assert!(
        watch.starts_with("podplay: the first "),
        "{}",
        &watch[..200]
    );
    assert!(watch.len() <= podplay::kubectl::OUTPUT_CAP + 200);
    // It streamed to the end: its last row is the pod six weeks on.
    let last = watch.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("p      0/1     ") && last.ends_with("41d"),
        "{last}"
    );
}

#[test]
fn podplay_run_goes_on_after_a_failure_and_exits_1_naming_the_lines() {
    let dir = std::env::temp_dir().join(format!("podplay-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("s.sh");
    std::fs::write(
        &script,
        "# a comment\nkubectl get pod nope\n\nkubectl get pods\nkubectl delete pod nope\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_podplay"))
        .arg("run")
        .arg(&script)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "$ kubectl get pod nope\nError from server (NotFound): pods \"nope\" not found\n$ kubectl get pods\nNo resources found in default namespace.\n$ kubectl delete pod nope\nError from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("2 commands failed (lines 2, 5)\n"));
    std::fs::write(&script, "kubectl get pods\n").expect("write");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_podplay"))
        .arg("run")
        .arg(&script)
        .output()
        .expect("runs");
    assert_eq!(ok.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_selector_deletes_nothing() {
    let t = run("kubectl run web --image=nginx -l app=web\nkubectl run db --image=busybox -l app=db -- sleep 3600\nkubectl delete pods -l '!app=web'\nkubectl get pods -l 'app in (web' -o name\nkubectl get pods -o name\nkubectl get pods -l '!app' -o name\nkubectl get pods -l 'app notin (web)' -o name\n");
    assert!(t.contains("$ kubectl delete pods -l '!app=web'\nError from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"!app=web\", field selector \"\": found '=', expected: ',' or 'end of string'\n"), "{t}");
    assert!(t.contains("Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"app in (web\", field selector \"\": unable to parse requirement: found '', expected: ',' or ')'\n"), "{t}");
    assert!(
        t.contains("$ kubectl get pods -o name\npod/db\npod/web\n"),
        "{t}"
    );
    assert!(
        t.contains(
            "$ kubectl get pods -l '!app' -o name\nNo resources found in default namespace.\n"
        ),
        "{t}"
    );
    assert!(
        t.ends_with("$ kubectl get pods -l 'app notin (web)' -o name\npod/db\n"),
        "{t}"
    );
}

#[test]
fn label_annotate_and_patch_validate_every_write() {
    let t = run("kubectl run p --image=nginx:1.25\nsleep 5\nkubectl label pod p 'a b=c'\nkubectl label pod p app=a@b\nkubectl annotate pod p a/b/c=1\nkubectl patch pod p -p '{\"metadata\":{\"labels\":{\"n\":1}}}'\nkubectl patch pod p -p '{\"spec\":{\"containers\":[{\"name\":\"p\",\"image\":\"nginx:1.27\"}]}}'\nkubectl patch pod p --type=json -p '[{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"web\"}]'\nkubectl patch pod p --type=merge -p '{\"metadata\":{\"labels\":{\"tier\":null}}}'\nkubectl patch pod p --type=foo -p '{}'\nsleep 30\nkubectl get pod p -o jsonpath='{.spec.containers[0].image} {.metadata.labels}'\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n  - name: c\n    image: nginx\nEOF\n");
    assert!(t.contains("$ kubectl label pod p 'a b=c'\nThe Pod \"p\" is invalid: metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters"), "{t}");
    assert!(t.contains("$ kubectl label pod p app=a@b\nerror: invalid label value: \"app=a@b\": a valid label must be an empty string"), "{t}");
    assert!(t.contains("$ kubectl annotate pod p a/b/c=1\nThe Pod \"p\" is invalid: metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of"), "{t}");
    assert!(t.contains("nginx:1.27\"}]}}'\npod/p patched\n"), "{t}");
    assert!(
        t.contains("error: --type must be one of [json merge strategic], not \"foo\"\n"),
        "{t}"
    );
    assert!(t.contains("nginx:1.27 {\"run\":\"p\"}"), "{t}");
}

#[test]
fn pipes_and_redirections_work_or_say_they_do_not() {
    let t = run("kubectl run web --image=nginx\nkubectl run db --image=busybox -- sleep 3600\nsleep 10\nkubectl get pods | grep web\nkubectl get pods --no-headers | wc -l\nkubectl get pod web -o yaml > web.yml\nkubectl delete pod web --wait=false > /dev/null\nsleep 40\nkubectl apply -f web.yml\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\nmetadata:\n  name: piped\nspec:\n  containers:\n  - name: c\n    image: nginx\nEOF\nkubectl get pod nope 2>/dev/null\nkubectl get pods -o name | sort -r | head -n 1\nkubectl get pods $(echo web)\nkubectl get pods && kubectl get nodes\n");
    assert!(
        t.contains("$ kubectl get pods | grep web\nweb    1/1     Running   0          10s\n"),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl get pods --no-headers | wc -l\n2\n"),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl apply -f web.yml\npod/web created\n"),
        "{t}"
    );
    assert!(t.contains("pod/piped created\n"), "{t}");
    assert!(t.contains("$ kubectl get pod nope 2>/dev/null\n$ "), "{t}");
    assert!(t.contains("| head -n 1\npod/web\n"), "{t}");
    assert!(t.contains("podplay: command substitution $(…) is not supported in the playground's terminal; run each command on its own line\n"), "{t}");
    assert!(t.ends_with("podplay: `&&` is not supported in the playground's terminal; run each command on its own line\n"), "{t}");
}

#[test]
fn log_flags_are_checked_as_kubectl_checks_them() {
    let t = run("kubectl run p --image=busybox -- sh -c 'echo one; echo two; sleep 3600'\nsleep 5\nkubectl logs p --tail=abc\nkubectl logs p --tail=-5\nkubectl logs p --since=-1s\nkubectl logs p --since=1x\nkubectl logs p --since=1s --since-time=2024-01-01T00:00:00Z\nkubectl logs p --limit-bytes=5\n");
    assert!(t.contains("$ kubectl logs p --tail=abc\nerror: invalid argument \"abc\" for \"--tail\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl logs --help' for usage.\n"), "{t}");
    assert!(
        t.contains(
            "$ kubectl logs p --tail=-5\nerror: --tail must be greater than or equal to -1\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl logs p --since=-1s\nerror: --since must be greater than 0\n"),
        "{t}"
    );
    assert!(t.contains("error: invalid argument \"1x\" for \"--since\" flag: time: unknown unit \"x\" in duration \"1x\"\n"), "{t}");
    assert!(
        t.contains("error: at most one of `sinceTime` or `sinceSeconds` may be specified\n"),
        "{t}"
    );
    assert!(t.ends_with("--limit-bytes=5\none\nt"), "{t}");
}

#[test]
fn the_shell_does_arithmetic_functions_and_script_files() {
    let t = run("kubectl run a --image=busybox --restart=Never -- sh -c 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo n=$i $(( (i * 10) % 7 )); done; echo \"echo from \\$0 \\$1; greet() { echo hello \\$1; return 3; }\" > /tmp/t.sh; sh /tmp/t.sh arg; . /tmp/t.sh dot; greet you; echo status=$?; echo $((1/0)); sh /nope'\nkubectl run bomb --image=busybox --restart=Never -- sh -c ':(){ :|:& };:'\nkubectl run bashbomb --image=ubuntu --restart=Never -- bash -c ':(){ :|:& };:'\nsleep 10\nkubectl logs a\nkubectl logs bashbomb | sort | uniq\nkubectl get pods\n");
    assert!(t.contains("$ kubectl logs a\nn=1 3\nn=2 6\nn=3 2\nfrom /tmp/t.sh arg\nfrom sh dot\nhello you\nstatus=3\nsh: divide by zero\n\nsh: can't open '/nope': No such file or directory\n"), "{t}");
    // busybox finds the special builtin `:` before a function of that name; bash does not.
    assert!(
        t.contains(
            "$ kubectl logs bashbomb | sort | uniq\nbash: fork: Resource temporarily unavailable\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("bomb       0/1     Completed   0          10s\n"),
        "{t}"
    );
    assert!(
        t.contains("bashbomb   1/1     Running     0          10s\n"),
        "{t}"
    );
}

#[test]
fn the_cluster_refuses_pods_past_its_limit() {
    let mut w = podplay::sim::World::new(1);
    let pod = |i: usize| serde_json::json!({"metadata": {"name": format!("p{i}")}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}});
    let system = w.pods.len();
    for i in 0..podplay::sim::api::MAX_PODS - system {
        w.create_pod(&pod(i), "default").expect("room left");
    }
    let refused = w
        .create_pod(&pod(99_999), "default")
        .map(|_| ())
        .expect_err("full");
    assert_eq!(
        refused.to_string(),
        "pods \"p99999\" is forbidden: the playground's cluster holds at most 5000 pods"
    );
}

#[test]
fn an_assignment_before_a_command_stays_with_that_command() {
    let t = run("kubectl run a --image=busybox --restart=Never -- sh -c 'X=1 true; echo \"x=$X\"; Y=2 sh -c \"echo y=\\$Y\"; echo \"y=$Y\"'\nsleep 5\nkubectl logs a\n");
    assert!(t.ends_with("$ kubectl logs a\nx=\ny=2\ny=\n"), "{t}");
}
