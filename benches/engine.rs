//! Engine throughput: pods with probes on many nodes for one virtual hour.
//! Run with `cargo bench --bench engine` (prints tasks per second of wall time).

use std::time::Instant;

use podplay::sim::cluster::ClusterSpec;
use podplay::sim::World;
use serde_json::json;

fn run(pods: usize, nodes: u32, hours: u64) {
    let spec = ClusterSpec {
        workers: Some(nodes),
        ..ClusterSpec::default()
    };
    let mut w = World::with_cluster(1, &spec).expect("cluster builds");
    for n in &mut w.nodes.values_mut() {
        n.max_pods = 10_000;
        n.cpu_milli = 1_000_000;
        n.memory = 1 << 40;
    }
    for i in 0..pods {
        let pod = json!({
            "metadata": {"name": format!("p{i}")},
            "spec": {"containers": [{
                "name": "app", "image": "busybox:1.36",
                "command": ["sh", "-c", "while true; do sleep 30; done"],
                "livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 10, "failureThreshold": 1000000},
                "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 10}
            }]}
        });
        w.create_pod(&pod, "default").expect("pod is valid");
    }
    #[allow(clippy::disallowed_methods)] // a benchmark measures wall time on purpose
    let start = Instant::now();
    let mut steps: u64 = 0;
    let end = w.now().plus_secs(hours * 3600);
    while w.next_event_at().is_some_and(|t| t <= end) {
        w.step();
        steps += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{pods} pods on {nodes} nodes, {hours} virtual hour(s): {steps} tasks in {secs:.2} s = {:.0} tasks/s",
        steps as f64 / secs
    );
}

fn main() {
    let pods = std::env::var("PODPLAY_BENCH_PODS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_000);
    run(pods, 100, 1);
}
