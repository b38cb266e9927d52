//! Golden transcripts: each `tests/sessions/NAME.sh` runs as `podplay run` would run it, and
//! its transcript must equal `tests/sessions/NAME.out`. The expected files were written from
//! Kubernetes' behaviour (the tutorial, `../shared/reference/k8s-runtime.md`, kubectl's source)
//! and checked line by line; identifiers a real cluster makes up at random (UIDs, container
//! IDs, the token volume's suffix, resource versions) are replaced by placeholders on both sides.

use std::path::{Path, PathBuf};

use podplay::host::DiskFiles;
use podplay::session::Session;

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sessions")
}

/// Replaces the values a real cluster generates at random with placeholders (the same rules
/// `podplay run --check` applies).
pub fn normalize(text: &str) -> String {
    podplay::host::check::normalize(text)
}

fn run(name: &str) -> String {
    let dir = sessions_dir();
    let script = std::fs::read_to_string(dir.join(format!("{name}.sh"))).expect("script exists");
    // A session may come with its own cluster file: NAME.cluster.yaml.
    let world = match std::fs::read_to_string(dir.join(format!("{name}.cluster.yaml"))) {
        Ok(text) => {
            let spec =
                podplay::sim::cluster::ClusterSpec::parse(&text).expect("cluster file parses");
            podplay::sim::World::with_cluster(0, &spec).expect("cluster builds")
        }
        Err(_) => podplay::sim::World::new(0),
    };
    let mut session = Session::with_world(world, Box::new(DiskFiles::new(dir)));
    session.run_script(&script).expect("script parses")
}

fn check(name: &str) {
    let got = normalize(&run(name));
    let path = sessions_dir().join(format!("{name}.out"));
    // A new session's transcript is written for review (never over an existing golden file).
    if !path.exists() && std::env::var_os("PODPLAY_NEW_GOLDEN").is_some() {
        std::fs::write(&path, &got).expect("golden file written");
    }
    let want = std::fs::read_to_string(&path).expect("golden file exists");
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(8)
            .map(|(i, (a, b))| format!("line {}:\n  want: {a}\n  got:  {b}", i + 1))
            .collect();
        panic!(
            "{name}: transcript differs from {} ({} vs {} lines)\n{}",
            path.display(),
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn section_1_and_2_create_and_query() {
    check("01-create-and-query");
}

#[test]
fn section_3_modify() {
    check("03-modify");
}

#[test]
fn section_4_delete() {
    check("04-delete");
}

#[test]
fn section_5_template() {
    check("05-template");
}

#[test]
fn section_6_pods_and_containers() {
    check("06-pods-and-containers");
}

#[test]
fn section_7_lifecycle() {
    check("07-lifecycle");
}

#[test]
fn section_8_health_checks() {
    check("08-health-checks");
}

#[test]
fn network_pod_ips_host_ports_and_traces() {
    check("network");
}

#[test]
fn node_failure_and_eviction() {
    check("node-failure");
}

#[test]
fn kubelet_back_off_oom_image_errors_probes_and_grace_periods() {
    check("kubelet-cases");
}

#[test]
fn scheduling_on_a_custom_host_gw_cluster() {
    check("scheduling");
}

#[test]
fn kubectl_errors_and_validation() {
    check("validation");
}

#[test]
fn services_endpoints_kube_proxy_and_dns() {
    check("services");
}

#[test]
fn dns_policies_hosts_files_headless_services_and_node_ports() {
    check("dns");
}

#[test]
fn busybox_and_curl_inside_containers() {
    check("busybox");
}

#[test]
fn kubectl_client_side_as_kubectl_1_32_prints_it() {
    check("kubectl-client");
}

#[test]
fn kubectl_everyday_commands() {
    check("kubectl-basics");
}

#[test]
fn same_script_same_transcript() {
    let a = run("tutorial");
    let b = run("tutorial");
    assert_eq!(a, b, "two runs of tutorial.sh with seed 0 differ");
}
