//! Whole-program checks on arbitrary input, shared by the fuzz targets (`fuzz/`), the property
//! tests and the regression tests of crashes the fuzzers found. Each one feeds its input to the
//! part of podplay a learner's input reaches, and asserts what must hold whatever the input:
//! no panic (the caller sees one), and memory that stays within the documented limits.

use serde_json::json;

use crate::session::examples::Examples;
use crate::session::Session;
use crate::sim::cluster::ClusterSpec;
use crate::sim::World;

/// Inputs longer than this are cut: the fuzzers look for bugs, not for slow large inputs.
pub const MAX_INPUT: usize = 64 * 1024;

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(&data[..data.len().min(MAX_INPUT)]).into_owned()
}

/// The log and history of a session stay within their caps.
fn assert_bounded(s: &Session) {
    let h = &s.world.history;
    assert!(
        h.changes().len() <= crate::sim::history::MAX_CHANGES,
        "history holds {} changes",
        h.changes().len()
    );
}

/// A manifest (any bytes) applied, then read back every way a learner would.
pub fn manifest(data: &[u8]) {
    let mut s = Session::new(1, Box::new(Examples));
    s.workspace.insert("m.yml".into(), text(data));
    for line in [
        "kubectl apply -f m.yml",
        "kubectl create -f m.yml",
        "kubectl replace -f m.yml",
        "sleep 20",
        "kubectl get pods -o wide",
        "kubectl get pods -o yaml",
        "kubectl describe pods",
        "kubectl delete -f m.yml",
    ] {
        let _ = s.run_script(line);
    }
    assert_bounded(&s);
}

/// One kubectl command line (any text) against a cluster running the tutorial's first pod.
pub fn kubectl_line(data: &[u8]) {
    let line: String = text(data).replace(['\n', '\r'], " ");
    let mut s = Session::new(1, Box::new(Examples));
    let _ = s.run_script("kubectl apply -f examples/examplepod.yml\nsleep 10\n");
    let _ = s.run_script(&format!("kubectl {line}"));
    let _ = s.run_script("kubectl get pods\n");
    assert_bounded(&s);
}

/// A session script (any text), as `podplay run` and the browser terminal run it.
pub fn session_script(data: &[u8]) {
    let mut s = Session::new(1, Box::new(Examples));
    let _ = s.run_script(&text(data));
    assert_bounded(&s);
}

/// A script (any text) run by the busybox shell of a container, then its log read.
pub fn container_shell(data: &[u8]) {
    let script = text(data);
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "sh"},
        "spec": {
            "restartPolicy": "Never",
            "volumes": [{"name": "d", "emptyDir": {}}],
            "containers": [{
                "name": "c",
                "image": "busybox",
                "command": ["sh", "-c", script],
                "volumeMounts": [{"name": "d", "mountPath": "/d"}],
            }],
        },
    });
    let mut s = Session::new(1, Box::new(Examples));
    s.workspace.insert("p.json".into(), pod.to_string());
    let _ = s.run_script(
        "kubectl apply -f p.json\nsleep 30\nkubectl logs sh\nkubectl exec sh -- sh -c 'ls /d'\n",
    );
    assert_bounded(&s);
}

/// A cluster file (any text): refused with an error, or a cluster that runs a pod.
pub fn cluster_file(data: &[u8]) {
    let Ok(spec) = ClusterSpec::parse(&text(data)) else {
        return;
    };
    let Ok(world) = World::with_cluster(1, &spec) else {
        return;
    };
    let mut s = Session::with_world(world, Box::new(Examples));
    let _ = s.run_script("kubectl get nodes -o wide\nkubectl apply -f examples/examplepod.yml\nsleep 30\nkubectl get pods -o wide\nkubectl describe nodes\n");
    assert_bounded(&s);
}
