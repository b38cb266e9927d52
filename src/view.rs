//! The view API: what the browser playground shows, as plain snapshots of the world at a time.
//!
//! The UI never reads the engine's internals: it asks for a `ClusterView` (nodes, pods and
//! their containers), a `timeline::Timeline` (lanes of container states and event markers), or
//! a read-only `World` as it was at an earlier instant (`world_at`, for `get` and `describe`
//! while time-travelling). Everything here is computed from the world's own records: the pod
//! change log (kept for watches), the node history and the events.

pub mod editor;
pub mod timeline;

use std::collections::BTreeMap;

use crate::kubectl::get::{pod_ready, pod_restarts, pod_status_text};
use crate::sim::pod::{ContainerState, Pod};
use crate::sim::scheduler::pod_requests;
use crate::sim::time::SimTime;
use crate::sim::World;

/// The cluster as the map draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterView {
    /// The instant shown.
    pub at: SimTime,
    pub nodes: Vec<NodeView>,
    /// Pods in namespace/name order; unscheduled ones have no node.
    pub pods: Vec<PodView>,
    /// Services in namespace/name order, with the endpoints behind them.
    pub services: Vec<ServiceView>,
}

/// One service and what kube-proxy sends its traffic to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`…
    pub type_: String,
    /// The cluster IP, or `None` for a headless service.
    pub cluster_ip: String,
    /// `PORT(S)` as `kubectl get svc` prints it (`80/TCP`, `80:30080/TCP`).
    pub ports: String,
    /// The pods behind it: (pod name, state) where state is `ready`, `not-ready` or
    /// `terminating`.
    pub endpoints: Vec<(String, &'static str)>,
    pub system: bool,
}

/// One node box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `control-plane`, or `worker`.
    pub role: String,
    pub address: String,
    pub pod_cidr: String,
    pub ready: bool,
    /// Powered off with `podplay node stop`.
    pub stopped: bool,
    pub unschedulable: bool,
    /// `STATUS` as `kubectl get nodes` prints it (`Ready,SchedulingDisabled`).
    pub status: String,
    /// Taints as `key=value:Effect`.
    pub taints: Vec<String>,
    pub cpu_requested_milli: i128,
    pub cpu_allocatable_milli: i128,
    pub memory_requested: i128,
    pub memory_allocatable: i128,
}

/// What a container is to its pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContainerRole {
    Init,
    /// An init container with `restartPolicy: Always`.
    Sidecar,
    Main,
}

impl ContainerRole {
    /// Every container of a pod with its role, init containers first.
    pub fn of_pod(p: &Pod) -> impl Iterator<Item = (&crate::sim::pod::Container, ContainerRole)> {
        let init = p.spec.init_containers.iter().map(|c| {
            let role = if c.restart_policy.as_deref() == Some("Always") {
                ContainerRole::Sidecar
            } else {
                ContainerRole::Init
            };
            (c, role)
        });
        init.chain(p.spec.containers.iter().map(|c| (c, ContainerRole::Main)))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContainerRole::Init => "init",
            ContainerRole::Sidecar => "sidecar",
            ContainerRole::Main => "main",
        }
    }
}

/// A container inside a pod box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerView {
    pub name: String,
    pub role: ContainerRole,
    pub image: String,
    /// `waiting`, `running`, `terminated`, or `none` before the kubelet reported anything.
    pub state: &'static str,
    /// The waiting or terminated reason (`ContainerCreating`, `Completed`…).
    pub reason: String,
    pub exit_code: Option<i32>,
    pub ready: bool,
    pub restarts: i32,
}

/// One pod box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// `status.phase`.
    pub phase: &'static str,
    /// `STATUS` as `kubectl get pods` prints it (`Init:1/2`, `CrashLoopBackOff`…).
    pub status: String,
    /// `READY` (`1/1`).
    pub ready: String,
    /// `RESTARTS` (`2 (5s ago)`).
    pub restarts: String,
    pub terminating: bool,
    /// In a namespace of the cluster's own (`kube-system`, `kube-flannel`).
    pub system: bool,
    pub containers: Vec<ContainerView>,
}

impl PodView {
    /// A colour class for the pod's state: `ok`, `progress`, `warn`, `bad`, `done`.
    pub fn tone(&self) -> &'static str {
        tone(&self.status, self.phase)
    }
}

/// The colour class of a kubectl STATUS text (the text is always shown beside the colour).
pub fn tone(status: &str, phase: &str) -> &'static str {
    match status {
        "Running" => "ok",
        "Completed" | "Succeeded" => "done",
        "Terminating" | "Pending" | "ContainerCreating" | "PodInitializing" | "NotReady" => {
            "progress"
        }
        s if s.starts_with("Init:") && s[5..].contains('/') => "progress",
        _ if phase == "Failed" => "bad",
        "Error" | "Unknown" | "OOMKilled" | "ContainerStatusUnknown" => "bad",
        _ => "warn",
    }
}

fn container_view(
    c: &crate::sim::pod::Container,
    role: ContainerRole,
    status: Option<&crate::sim::pod::ContainerStatus>,
) -> ContainerView {
    let (state, reason, exit_code) = match status.map(|s| &s.state) {
        Some(ContainerState::Waiting { reason, .. }) => ("waiting", reason.clone(), None),
        Some(ContainerState::Running { .. }) => ("running", String::new(), None),
        Some(ContainerState::Terminated {
            exit_code, reason, ..
        }) => ("terminated", reason.clone(), Some(*exit_code)),
        Some(ContainerState::None) | None => ("none", String::new(), None),
    };
    ContainerView {
        name: c.name.clone(),
        role,
        image: c.image.clone(),
        state,
        reason,
        exit_code,
        ready: status.is_some_and(|s| s.ready),
        restarts: status.map_or(0, |s| s.restart_count),
    }
}

/// A pod as the map shows it, at `at` (for the RESTARTS age).
pub fn pod_view(p: &Pod, at: SimTime) -> PodView {
    let containers = ContainerRole::of_pod(p)
        .map(|(c, role)| {
            let statuses = if role == ContainerRole::Main {
                &p.status.container_statuses
            } else {
                &p.status.init_container_statuses
            };
            container_view(c, role, statuses.iter().find(|s| s.name == c.name))
        })
        .collect();
    PodView {
        namespace: p.meta.namespace.clone(),
        name: p.meta.name.clone(),
        uid: p.meta.uid.clone(),
        node: (!p.spec.node_name.is_empty()).then(|| p.spec.node_name.clone()),
        ip: p.status.pod_ip.clone(),
        phase: p.status.phase.as_str(),
        status: pod_status_text(p),
        ready: pod_ready(p),
        restarts: pod_restarts(p, at),
        terminating: p.meta.deletion.is_some(),
        system: matches!(
            p.meta.namespace.as_str(),
            "kube-system" | "kube-flannel" | "kube-public" | "kube-node-lease"
        ),
        containers,
    }
}

/// The cluster now.
pub fn cluster(world: &World) -> ClusterView {
    snapshot(world, world.now())
}

/// The cluster at `at` (now, if `at` is not in the past).
pub fn cluster_at(world: &World, at: SimTime) -> ClusterView {
    if at >= world.now() {
        return cluster(world);
    }
    snapshot(&world_at(world, at), at)
}

fn snapshot(world: &World, at: SimTime) -> ClusterView {
    let pods: Vec<PodView> = world.pods.values().map(|p| pod_view(p, at)).collect();
    let mut requested: BTreeMap<&str, (i128, i128)> = BTreeMap::new();
    for p in world.pods.values() {
        if p.spec.node_name.is_empty() || p.status.phase.is_terminal() {
            continue;
        }
        let (c, m) = pod_requests(p, false);
        let e = requested.entry(p.spec.node_name.as_str()).or_default();
        e.0 += c;
        e.1 += m;
    }
    let nodes = world
        .nodes
        .values()
        .map(|n| {
            let (cpu, mem) = requested.get(n.name()).copied().unwrap_or_default();
            let mut status = if n.ready { "Ready" } else { "NotReady" }.to_string();
            if n.unschedulable {
                status.push_str(",SchedulingDisabled");
            }
            NodeView {
                name: n.name().to_string(),
                role: if n.is_control_plane() {
                    "control-plane".into()
                } else {
                    "worker".into()
                },
                address: n.ip.to_string(),
                pod_cidr: n.pod_cidr.to_string(),
                ready: n.ready,
                stopped: n.stopped,
                unschedulable: n.unschedulable,
                status,
                taints: n.taints.iter().map(|t| t.text()).collect(),
                cpu_requested_milli: cpu,
                cpu_allocatable_milli: n.cpu_milli,
                memory_requested: mem,
                memory_allocatable: n.allocatable_memory(),
            }
        })
        .collect();
    let services = world
        .services
        .values()
        .filter(|svc| svc.meta.creation <= at)
        .map(|svc| ServiceView {
            namespace: svc.meta.namespace.clone(),
            name: svc.meta.name.clone(),
            type_: svc.type_.clone(),
            cluster_ip: svc.cluster_ip.clone(),
            ports: crate::kubectl::netprint::ports_text(&svc.to_value()["spec"]),
            endpoints: world
                .service_endpoints(svc)
                .into_iter()
                .map(|e| {
                    let who = e.pod.map_or_else(|| e.ip.to_string(), |(_, name, _)| name);
                    let state = if e.terminating {
                        "terminating"
                    } else if e.ready {
                        "ready"
                    } else {
                        "not-ready"
                    };
                    (who, state)
                })
                .collect(),
            // The API server's own service is part of the cluster, like the system pods.
            system: svc.meta.namespace != "default" || svc.is_api_server(),
        })
        .collect();
    ClusterView {
        at,
        nodes,
        pods,
        services,
    }
}

/// A read-only copy of the world as it was at `at`: pods from the change log, nodes from the
/// node history (when kept), events that had happened by then, and the clock at `at`. Good
/// for `kubectl get` and `describe`; commands that would change it must not be run on it.
pub fn world_at(world: &World, at: SimTime) -> World {
    let mut past = world.clone();
    if at >= world.now() {
        return past;
    }
    // The log reaches back to its base (older changes were folded into it).
    let at = world.history.base_at().map_or(at, |b| at.max(b));
    let mut pods: BTreeMap<(String, String), Option<&Pod>> = world
        .history
        .base()
        .iter()
        .map(|(k, p)| (k.clone(), Some(p)))
        .collect();
    for ch in world.history.changes().iter().take_while(|c| c.at <= at) {
        pods.insert(ch.key.clone(), ch.pod.as_ref());
    }
    // Pods never changed since the start (system pods) are in the log from their creation;
    // keep the current ones that have no record at all.
    let logged: std::collections::BTreeSet<&(String, String)> = world
        .history
        .changes()
        .iter()
        .map(|c| &c.key)
        .chain(world.history.base().keys())
        .collect();
    let mut kept: BTreeMap<(String, String), Pod> = world
        .pods
        .iter()
        .filter(|(k, p)| !logged.contains(k) && p.meta.creation <= at)
        .map(|(k, p)| (k.clone(), p.clone()))
        .collect();
    for (k, p) in pods {
        if let Some(p) = p {
            kept.insert(k, p.clone());
        }
    }
    past.pods = kept;
    if let Some(h) = &world.node_history {
        for ch in h.changes.iter().take_while(|c| c.at <= at) {
            match (&ch.state, past.nodes.get_mut(&ch.node)) {
                (Some(s), Some(n)) => {
                    n.ready = s.ready;
                    n.stopped = s.stopped;
                    n.unschedulable = s.unschedulable;
                    n.taints = s.taints.clone();
                }
                (None, _) => {
                    past.nodes.remove(&ch.node);
                }
                _ => {}
            }
        }
        // Nodes added after `at` did not exist yet.
        let first_seen: BTreeMap<&str, SimTime> =
            h.changes.iter().fold(BTreeMap::new(), |mut m, c| {
                m.entry(c.node.as_str()).or_insert(c.at);
                m
            });
        past.nodes
            .retain(|name, _| first_seen.get(name.as_str()).is_none_or(|t| *t <= at));
    }
    past.events.retain(|e| e.first <= at);
    for e in &mut past.events {
        if e.last > at {
            e.last = e.first;
            e.count = 1;
        }
    }
    past.reindex_events();
    past.set_clock(at);
    past
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{NoFiles, Session};

    fn session(script: &str) -> Session {
        let mut s = Session::new(7, Box::new(NoFiles));
        s.world.track_history();
        s.run_script(script).expect("script parses");
        s
    }

    const POD: &str = "cat <<EOF > pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx\nEOF\nkubectl apply -f pod.yaml\n";

    #[test]
    fn a_running_pod_on_its_node() {
        let s = session(&format!("{POD}sleep 30\n"));
        let v = cluster(&s.world);
        assert_eq!(v.nodes.len(), 3);
        let cp = &v.nodes[0];
        assert_eq!(
            (cp.name.as_str(), cp.role.as_str(), cp.pod_cidr.as_str()),
            ("control-plane", "control-plane", "10.244.0.0/24")
        );
        assert_eq!(
            cp.taints,
            vec!["node-role.kubernetes.io/control-plane:NoSchedule"]
        );
        let web = v.pods.iter().find(|p| p.name == "web").expect("web exists");
        assert_eq!(
            (web.status.as_str(), web.ready.as_str()),
            ("Running", "1/1")
        );
        assert!(web
            .node
            .as_deref()
            .is_some_and(|n| n.starts_with("worker-")));
        let node = v.nodes.iter().find(|n| Some(&n.name) == web.node.as_ref());
        let cidr = node.expect("node of web").pod_cidr.clone();
        let prefix = cidr.trim_end_matches("0/24");
        assert!(web.ip.as_deref().is_some_and(|ip| ip.starts_with(prefix)));
        assert_eq!(web.containers[0].state, "running");
        assert_eq!(web.tone(), "ok");
    }

    #[test]
    fn the_past_shows_earlier_states() {
        let s = session(&format!(
            "sleep 5\n{POD}sleep 30\npodplay node stop worker-1\npodplay node stop worker-2\nsleep 60\n"
        ));
        let before = cluster_at(&s.world, SimTime::from_secs(6));
        let web = before.pods.iter().find(|p| p.name == "web").expect("web");
        assert_eq!(web.status, "ContainerCreating");
        assert!(before.nodes.iter().all(|n| n.ready));
        let now = cluster(&s.world);
        assert!(now
            .nodes
            .iter()
            .filter(|n| n.role == "worker")
            .all(|n| !n.ready && n.stopped));
        // Before the pod existed there was no pod.
        let start = cluster_at(&s.world, SimTime::from_secs(4));
        assert!(start.pods.iter().all(|p| p.name != "web"));
        // kubectl over the past world prints the past.
        let mut past = world_at(&s.world, SimTime::from_secs(20));
        let mut ctx = crate::kubectl::Ctx {
            world: &mut past,
            files: &crate::kubectl::NoFiles,
            watch_ms: None,
            interactive: false,
        };
        let out = crate::kubectl::run(&mut ctx, &["get".into(), "nodes".into()]);
        assert!(
            out.text().contains("worker-1        Ready"),
            "{}",
            out.text()
        );
    }
}
