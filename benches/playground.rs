//! What one animation frame of the browser playground costs: 100 pods (a crash-looping one in
//! every ten, the others serving with probes) on 10 nodes, played at 60× (one virtual second per
//! 16.7 ms frame), each frame running the engine and building what the map and the timeline
//! draw (`view::cluster`, `view::timeline::timeline`). Native code; wasm in Chromium is slower
//! by a small factor. Run with `cargo bench --bench playground`.

use std::time::Instant;

use podplay::sim::cluster::ClusterSpec;
use podplay::sim::World;
use podplay::view;
use serde_json::json;

fn main() {
    let spec = ClusterSpec {
        workers: Some(9),
        ..ClusterSpec::default()
    };
    let mut w = World::with_cluster(1, &spec).expect("cluster builds");
    w.track_history();
    for i in 0..100 {
        let container = if i % 10 == 0 {
            json!({"name": "app", "image": "busybox", "command": ["sh", "-c", "echo starting; sleep 5; exit 1"]})
        } else {
            json!({
                "name": "web", "image": "nginx",
                "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5},
                "livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 10}
            })
        };
        let pod =
            json!({"metadata": {"name": format!("p{i}")}, "spec": {"containers": [container]}});
        w.create_pod(&pod, "default").expect("pod is valid");
    }
    let frames = 1800; // 30 virtual minutes at 60×
    let mut worst = 0f64;
    let mut lanes = 0;
    #[allow(clippy::disallowed_methods)] // a benchmark measures wall time on purpose
    let start = Instant::now();
    for _ in 0..frames {
        #[allow(clippy::disallowed_methods)]
        let t0 = Instant::now();
        let target = w.now().plus_ms(1000);
        w.run_until(target);
        let c = view::cluster(&w);
        let t = view::timeline::timeline(&w, false);
        lanes = t.lanes.len();
        std::hint::black_box(&c);
        worst = worst.max(t0.elapsed().as_secs_f64());
    }
    let total = start.elapsed().as_secs_f64();
    println!(
        "100 pods on 10 nodes at 60x: {frames} frames, {:.2} ms per frame on average, {:.2} ms at worst ({lanes} timeline lanes, {} pod changes recorded)",
        total / f64::from(frames) * 1000.0,
        worst * 1000.0,
        w.history.count()
    );
}
