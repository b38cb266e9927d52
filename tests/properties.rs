//! Property tests: no input panics the engine, the store stays consistent, and a session is a
//! pure function of its script and seed.

use std::collections::BTreeSet;

use podplay::session::{Entry, NoFiles, Session};
use podplay::sim::process::{Dialect, Process, Step, Sys};
use podplay::sim::time::SimTime;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "kubectl",
    "get",
    "pods",
    "pod",
    "po",
    "describe",
    "delete",
    "apply",
    "create",
    "replace",
    "logs",
    "exec",
    "run",
    "label",
    "annotate",
    "patch",
    "explain",
    "version",
    "nodes",
    "ns",
    "events",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "-n",
    "test",
    "default",
    "-A",
    "-l",
    "app=web",
    "--all",
    "--force",
    "--grace-period=0",
    "-f",
    "pod.yaml",
    "-",
    "--",
    "sh",
    "-c",
    "echo hi",
    "web",
    "--image=nginx",
    "--image=busybox",
    "-w",
    "--previous",
    "--tail=2",
    "-p",
    "{\"metadata\":{}}",
    "--show-labels",
    "-it",
    "x=y",
    "x-",
    "--overwrite",
    "--recursive",
    "pod.spec",
    "jsonpath={.items[*].metadata.name}",
    "--template={{.status.podIP}}",
    "sleep",
    "30s",
    "timeout",
    "5s",
    "namespace",
    "configmap",
    "--from-literal=a=b",
    "cat",
    "secret",
    "generic",
    "--restart=Never",
    "--dry-run=client",
    "'unterminated",
    "=",
    "\"\"",
];

const MANIFEST_LINES: &[&str] = &[
    "apiVersion: v1",
    "kind: Pod",
    "kind: Namespace",
    "kind: ConfigMap",
    "metadata:",
    "  name: web",
    "  name: Web_1",
    "  namespace: test",
    "  labels:",
    "    app: web",
    "  - a",
    "spec:",
    "  containers:",
    "  - name: c",
    "    image: busybox",
    "    image: \"\"",
    "    command: [sh, -c, 'echo hi; sleep 5']",
    "    ports:",
    "    - containerPort: 80",
    "      hostPort: 99999",
    "    resources:",
    "      limits: {memory: 64Mi, cpu: 2}",
    "      requests: {cpu: x}",
    "    livenessProbe:",
    "      exec:",
    "        command: [true]",
    "      successThreshold: 3",
    "  restartPolicy: Never",
    "  restartPolicy: Sometimes",
    "  initContainers:",
    "  volumes:",
    "  - name: v",
    "    emptyDir: {}",
    "---",
    "data:",
    "  k: v",
    "[",
    "}",
    ": :",
    "\t",
    "  nodeName: worker-1",
    "  nodeSelector: {disk: ssd}",
    "  activeDeadlineSeconds: 0",
    "  terminationGracePeriodSeconds: 1",
];

fn consistent(s: &Session) -> Result<(), String> {
    let w = &s.world;
    let mut ips = BTreeSet::new();
    for ((ns, name), p) in &w.pods {
        if &p.meta.namespace != ns || &p.meta.name != name {
            return Err(format!("pod {ns}/{name} stored under the wrong key"));
        }
        if !w.namespaces.contains_key(ns) {
            return Err(format!("pod {ns}/{name} in a missing namespace"));
        }
        if let Some(ip) = p.status.pod_ip.as_ref().filter(|_| !p.spec.host_network) {
            if p.meta.deletion.is_none() && !ips.insert(ip.clone()) {
                return Err(format!("IP {ip} given to two pods"));
            }
        }
        if !p.spec.node_name.is_empty() && !w.nodes.contains_key(&p.spec.node_name) {
            return Err(format!("pod {name} bound to an unknown node"));
        }
    }
    Ok(())
}

fn entry(line: &str, heredoc: Option<String>) -> Entry {
    Entry {
        text: line.to_string(),
        line: line.to_string(),
        heredoc,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn random_command_lines_never_panic(cmds in prop::collection::vec(prop::collection::vec(prop::sample::select(WORDS), 1..7), 1..12)) {
        let mut s = Session::new(7, Box::new(NoFiles));
        for words in &cmds {
            let line = words.join(" ");
            let _ = s.run_entry(&entry(&line, None));
            prop_assert!(consistent(&s).is_ok(), "{:?}", consistent(&s));
        }
    }

    #[test]
    fn random_manifests_never_panic_and_rejections_change_nothing(lines in prop::collection::vec(prop::sample::select(MANIFEST_LINES), 0..24), advance in 0u64..120) {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let mut s = Session::new(3, Box::new(NoFiles));
        let before = s.world.pods.len();
        let out = s.run_entry(&entry("kubectl apply -f -", Some(body.clone())));
        if out.code != 0 && !out.text().contains(" created") {
            prop_assert_eq!(s.world.pods.len(), before, "a refused manifest changed the store: {}", out.text());
        }
        let _ = s.run_entry(&entry(&format!("sleep {advance}"), None));
        let _ = s.run_entry(&entry("kubectl get pods -A -o yaml", None));
        let _ = s.run_entry(&entry("kubectl describe pods", None));
        let _ = s.run_entry(&entry("kubectl delete -f -", Some(body)));
        prop_assert!(consistent(&s).is_ok(), "{:?}", consistent(&s));
    }

    #[test]
    fn pod_churn_keeps_addresses_unique_and_constraints_met(ops in prop::collection::vec((0u8..4, 0u8..12), 1..60)) {
        let mut s = Session::new(11, Box::new(NoFiles));
        for (op, n) in ops {
            let line = match op {
                0 => format!("kubectl run p{n} --image=busybox -- sleep 3600"),
                1 => format!("kubectl delete pod p{n} --wait=false"),
                2 => format!("sleep {}", n * 3),
                _ => format!("kubectl run s{n} --image=busybox --overrides={{}} -- sleep 3600"),
            };
            let _ = s.run_entry(&entry(&line, None));
        }
        let _ = s.run_entry(&entry("sleep 40", None));
        let w = &s.world;
        let mut seen = BTreeSet::new();
        // hostNetwork pods (the system's) share their node's address by design.
        for p in w.pods.values().filter(|p| !p.spec.host_network && p.meta.namespace == "default") {
            let Some(ip) = p.status.pod_ip.as_deref() else { continue };
            let node = &w.nodes[&p.spec.node_name];
            let addr: std::net::Ipv4Addr = ip.parse().expect("pod IPs parse");
            prop_assert!(node.pod_cidr.contains(addr), "{ip} outside {}", node.pod_cidr);
            prop_assert_ne!(addr, node.pod_cidr.nth(1), "a pod got the gateway address");
            prop_assert!(seen.insert(ip.to_string()), "{ip} given twice");
            prop_assert!(!node.is_control_plane(), "a pod without tolerations landed on the control plane");
            prop_assert!(podplay::sim::scheduler::affinity_matches(p, node));
        }
    }

    #[test]
    fn churn_on_random_clusters_keeps_addresses_and_placement_right(
        workers in prop::collection::vec((any::<bool>(), any::<bool>(), 1u32..4), 1..5),
        subnet_len in 24u8..29,
        host_gw in any::<bool>(),
        ops in prop::collection::vec((0u8..6, 0u8..16, 0u32..1600, any::<bool>()), 1..50),
    ) {
        // A cluster file: a control plane plus workers, some labelled `zone: a`, some tainted,
        // with small CPU capacities and (with SubnetLen up to 28) small pod subnets.
        let mut file = String::from("nodes:\n- name: cp\n  role: control-plane\n");
        for (i, (zoned, tainted, cpus)) in workers.iter().enumerate() {
            file.push_str(&format!("- name: w{i}\n  capacity: {{cpu: \"{cpus}\"}}\n"));
            if *zoned {
                file.push_str("  labels: {zone: a}\n");
            }
            if *tainted {
                file.push_str("  taints:\n  - {key: dedicated, value: db, effect: NoSchedule}\n");
            }
        }
        let backend = if host_gw { "host-gw" } else { "vxlan" };
        file.push_str(&format!("network:\n  Network: 10.244.0.0/16\n  SubnetLen: {subnet_len}\n  Backend:\n    Type: {backend}\n"));
        let spec = podplay::sim::cluster::ClusterSpec::parse(&file).expect("the generated cluster file parses");
        let world = podplay::sim::World::with_cluster(5, &spec).expect("the generated cluster builds");
        let mut s = Session::with_world(world, Box::new(NoFiles));
        for (op, n, cpu, flag) in ops {
            let (line, body) = match op {
                0 | 1 => {
                    let selector = if flag { "  nodeSelector: {zone: a}\n" } else { "" };
                    let toleration = if op == 1 { "  tolerations:\n  - {key: dedicated, operator: Exists, effect: NoSchedule}\n" } else { "" };
                    let body = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{n}\nspec:\n{selector}{toleration}  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n    resources:\n      requests: {{cpu: {cpu}m}}\n");
                    ("kubectl apply -f -".to_string(), Some(body))
                }
                2 => (format!("kubectl delete pod p{n} --wait=false"), None),
                3 => (format!("sleep {}", n * 5), None),
                4 => (format!("podplay node {} w{}", if flag { "stop" } else { "start" }, n as usize % workers.len()), None),
                _ => (format!("kubectl delete pod p{n} --grace-period=0 --force"), None),
            };
            let _ = s.run_entry(&entry(&line, body));
            prop_assert!(consistent(&s).is_ok(), "{:?}", consistent(&s));
        }
        let _ = s.run_entry(&entry("sleep 40", None));
        let w = &s.world;
        let mut seen = BTreeSet::new();
        let mut cpu_used: std::collections::BTreeMap<&str, i128> = Default::default();
        for p in w.pods.values().filter(|p| p.meta.namespace == "default" && !p.spec.node_name.is_empty()) {
            let node = &w.nodes[&p.spec.node_name];
            prop_assert!(podplay::sim::scheduler::affinity_matches(p, node), "{} on {} breaks its selector", p.meta.name, node.meta.name);
            for t in node.taints.iter().filter(|t| t.key == "dedicated") {
                prop_assert!(
                    p.spec.tolerations.iter().any(|tol| tol.tolerates(&t.key, &t.value, &t.effect)),
                    "{} on {} does not tolerate {}", p.meta.name, node.meta.name, t.key
                );
            }
            if matches!(p.status.phase.as_str(), "Succeeded" | "Failed") {
                continue;
            }
            *cpu_used.entry(node.meta.name.as_str()).or_default() += podplay::sim::scheduler::pod_requests(p, false).0;
            let Some(ip) = p.status.pod_ip.as_deref() else { continue };
            let addr: std::net::Ipv4Addr = ip.parse().expect("pod IPs parse");
            prop_assert!(node.pod_cidr.contains(addr), "{ip} outside {}", node.pod_cidr);
            prop_assert_ne!(addr, node.pod_cidr.nth(1), "a pod got the gateway address");
            prop_assert!(seen.insert(ip.to_string()), "{ip} given twice");
        }
        for (name, used) in cpu_used {
            let cap = w.nodes[name].cpu_milli;
            prop_assert!(used <= cap, "{name}: {used}m requested of {cap}m");
        }
    }

    #[test]
    fn dry_runs_change_nothing(cmds in prop::collection::vec((prop::sample::select(&["delete", "label", "annotate", "patch", "run", "create", "apply", "cordon", "taint", "drain", "replace", "expose"][..]), prop::collection::vec(prop::sample::select(WORDS), 0..5)), 1..8), server in any::<bool>()) {
        let mut s = Session::new(13, Box::new(NoFiles));
        let _ = s.run_entry(&entry("kubectl run web --image=nginx", None));
        let _ = s.run_entry(&entry("sleep 5", None));
        let flag = if server { "--dry-run=server" } else { "--dry-run=client" };
        for (verb, words) in &cmds {
            let line = format!("kubectl {verb} {} {flag}", words.join(" "));
            let before = (s.world.pods.clone(), s.world.namespaces.len(), s.world.configmaps.len(), s.world.secrets.len(), s.world.services.clone(), s.world.now());
            let _ = s.run_entry(&entry(&line, None));
            let after = (s.world.pods.clone(), s.world.namespaces.len(), s.world.configmaps.len(), s.world.secrets.len(), s.world.services.clone(), s.world.now());
            prop_assert!(before == after, "{line} changed the cluster");
        }
    }

    #[test]
    fn same_script_and_seed_same_transcript(cmds in prop::collection::vec(prop::collection::vec(prop::sample::select(WORDS), 1..6), 1..8), seed in 0u64..1000) {
        let script: String = cmds.iter().map(|w| format!("{}\n", w.join(" "))).collect();
        let a = Session::new(seed, Box::new(NoFiles)).run_script(&script);
        let b = Session::new(seed, Box::new(NoFiles)).run_script(&script);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn shell_scripts_never_panic_and_the_step_budget_holds(src in "[a-z $;&|(){}<>'\"=0-9\\n\\-]{0,80}") {
        struct Null;
        impl Sys for Null {
            fn now(&self) -> SimTime { SimTime::ZERO }
            fn read(&self, _: &str) -> Result<String, podplay::sim::fs::FsError> { Err(podplay::sim::fs::FsError::NotFound) }
            fn write(&mut self, _: &str, _: &str, _: bool) -> Result<(), podplay::sim::fs::FsError> { Ok(()) }
            fn mkdir(&mut self, _: &str, _: bool) -> Result<(), podplay::sim::fs::FsError> { Ok(()) }
            fn remove(&mut self, _: &str, _: bool) -> Result<(), podplay::sim::fs::FsError> { Ok(()) }
            fn list(&self, _: &str) -> Result<Vec<String>, podplay::sim::fs::FsError> { Ok(Vec::new()) }
            fn is_dir(&self, _: &str) -> bool { true }
            fn exists(&self, _: &str) -> bool { false }
            fn hostname(&self) -> String { "h".into() }
            fn http_get(&mut self, _: &str, _: &str) -> Result<(u16, String), String> { Err("no network".into()) }
        }
        if let Ok(mut p) = Process::shell(&src, Vec::new(), Default::default(), "/", Dialect::Busybox) {
            let _ = p.run(&mut Null, 1000);
        }
        let mut p = Process::shell("while true; do echo x; done", Vec::new(), Default::default(), "/", Dialect::Busybox).expect("compiles");
        prop_assert_eq!(p.run(&mut Null, 500), Step::Yield);
    }
}

/// Lines a curious learner (or a fuzzer) types that used to crash or grow without bound.
const HOSTILE_LINES: &[&str] = &[
    "kubectl run a --image=busybox -- sh -c 'x=🚀; while true; do echo $x; x=$x$x; done'",
    "kubectl run b --image=busybox -- sh -c 'export X=\"sh -c \\\"\\$X\\\"\"; sh -c \"$X\"'",
    "kubectl run c --image=busybox -- sh -c 'exit 1'",
    "kubectl run d --image=nginx -l app=d",
    "kubectl run e --image=busybox -- sh -c 'sh -c \"sleep 1; echo after\"; echo done; sleep 5'",
    "kubectl delete pods --all --wait=false",
    "kubectl delete pods -l '!app=d'",
    "sleep 3h",
    "sleep 30",
    "sleep 99999999999999999999",
    "timeout 2h kubectl get pods -w",
    "timeout 10m kubectl logs -f a",
    "kubectl get pods | grep a | wc -l",
    "kubectl get pods -o yaml > all.yml",
    "kubectl apply -f all.yml",
    "kubectl patch pod d -p '{\"spec\":{\"containers\":[{\"name\":\"d\",\"image\":\"nginx:1.27\"}]}}'",
    "kubectl patch pod d --type=json -p '[{\"op\":\"remove\",\"path\":\"/nothing\"}]'",
    "kubectl label pod d 'x y=z'",
    "kubectl logs a --tail=3",
    "kubectl get pods $(echo a)",
    "kubectl expose pod d --port=80",
    "kubectl create service nodeport n --tcp=80:80",
    "kubectl exec e -- wget -qO- http://d",
    "kubectl exec e -- nslookup d",
    "kubectl exec e -- sh -c 'while true; do wget -qO- d; done'",
    "podplay trace e svc/d",
    "kubectl delete svc d",
    "kubectl delete pods -n kube-system -l k8s-app=kube-dns --force --grace-period=0",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Whatever order those lines come in: nothing panics, the pod history and each command's
    /// output stay within their caps, and the same seed gives the same transcript.
    #[test]
    fn hostile_sessions_stay_bounded_and_deterministic(lines in prop::collection::vec(prop::sample::select(HOSTILE_LINES), 1..10), seed in 0u64..100) {
        let script = lines.join("\n") + "\n";
        let mut a = Session::new(seed, Box::new(NoFiles));
        let ta = a.run_script(&script).expect("parses");
        prop_assert!(a.world.history.changes().len() <= podplay::sim::history::MAX_CHANGES);
        for out in ta.split("\n$ ") {
            prop_assert!(out.len() <= podplay::kubectl::OUTPUT_CAP + 4096, "one command printed {} bytes", out.len());
        }
        let mut b = Session::new(seed, Box::new(NoFiles));
        let tb = b.run_script(&script).expect("parses");
        prop_assert_eq!(ta, tb);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However services are created and deleted, each gets its own cluster IP inside
    /// 10.96.0.0/12 and its own node ports inside 30000–32767; the API's own addresses
    /// (10.96.0.1, 10.96.0.10) are never handed out again.
    #[test]
    fn service_addresses_are_unique_and_in_range(ops in prop::collection::vec((0u8..4, 0u8..6, 30000u16..32800), 1..25), seed in 0u64..50) {
        let mut s = Session::new(seed, Box::new(NoFiles));
        for (op, n, port) in ops {
            let line = match op {
                0 => format!("kubectl create service clusterip s{n} --tcp=80:8080"),
                1 => format!("kubectl create service nodeport s{n} --tcp=80:80 --node-port={port}"),
                2 => format!("kubectl create service nodeport s{n} --tcp=80:80,81:81"),
                _ => format!("kubectl delete svc s{n}"),
            };
            let _ = s.run_entry(&entry(&line, None));
        }
        let range: podplay::sim::node::Cidr = podplay::sim::node::Cidr::parse("10.96.0.0/12").expect("parses");
        let mut ips = std::collections::BTreeSet::new();
        let mut ports = std::collections::BTreeSet::new();
        for svc in s.world.services.values() {
            if let Some(ip) = svc.ip() {
                prop_assert!(range.contains(ip), "{ip} outside the service range");
                prop_assert!(ips.insert(ip), "{ip} given twice");
            }
            for p in &svc.ports {
                if let Some(np) = p.node_port {
                    prop_assert!((30000..=32767).contains(&np), "node port {np}");
                    prop_assert!(ports.insert(np), "node port {np} given twice");
                }
            }
        }
        prop_assert!(ips.contains(&std::net::Ipv4Addr::new(10, 96, 0, 1)));
        prop_assert!(ips.contains(&std::net::Ipv4Addr::new(10, 96, 0, 10)));
    }
}
