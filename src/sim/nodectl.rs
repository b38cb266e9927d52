//! Node faults and the controllers that react to them: stopping, starting and adding nodes
//! (`podplay node stop|start|add`), the node lifecycle controller (NotReady after the 50 s
//! grace period, `unreachable` taints) and taint-based eviction after the pods' 300 s
//! tolerations.

use std::net::Ipv4Addr;

use super::event::ObjectRef;
use super::kubelet::PodRuntime;
use super::node::{Cidr, Node, Taint};
use super::world::{Task, World};

/// How long the node lifecycle controller waits for a heartbeat (1.32: 50 s).
pub const NODE_MONITOR_GRACE_MS: u64 = 50_000;
const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

impl World {
    /// Powers a node off.
    pub fn stop_node(&mut self, name: &str) -> Result<(), String> {
        let now = self.now();
        let n = self
            .nodes
            .get_mut(name)
            .ok_or_else(|| format!("node \"{name}\" not found"))?;
        if n.stopped {
            return Err(format!("node \"{name}\" is already stopped"));
        }
        n.stopped = true;
        n.stopped_at = Some(now);
        self.schedule(
            now.plus_ms(NODE_MONITOR_GRACE_MS),
            Task::NodeMonitor(name.to_string()),
        );
        Ok(())
    }

    /// Powers a node back on: it turns Ready, its taints go, and its kubelet catches up.
    pub fn start_node(&mut self, name: &str) -> Result<(), String> {
        let now = self.now();
        let n = self
            .nodes
            .get_mut(name)
            .ok_or_else(|| format!("node \"{name}\" not found"))?;
        if !n.stopped {
            return Err(format!("node \"{name}\" is already running"));
        }
        n.stopped = false;
        n.stopped_at = None;
        if !n.ready {
            n.ready = true;
            n.ready_since = now;
        }
        n.taints.retain(|t| t.key != UNREACHABLE);
        self.reboot_containers(name);
        let parked = std::mem::take(&mut self.parked);
        for t in parked {
            self.schedule(now, t);
        }
        // Pods deleted while the node was away are finished now.
        let deleted: Vec<(String, i64)> = self
            .pods
            .values()
            .filter(|p| p.spec.node_name == name && p.meta.deletion.is_some())
            .map(|p| {
                (
                    p.meta.uid.clone(),
                    p.meta.deletion_grace_period_seconds.unwrap_or(30),
                )
            })
            .collect();
        for (uid, g) in deleted {
            self.kubelet_terminate(&uid, g);
        }
        self.reschedule_pending();
        Ok(())
    }

    /// After a power cycle the node's containers are gone: the runtime reports each as exited
    /// (255, reason `Unknown`), and the kubelet re-creates the sandbox of every pod that still
    /// has containers to run.
    fn reboot_containers(&mut self, node: &str) {
        let uids: Vec<String> = self
            .runtimes
            .values()
            .filter(|rt| rt.node == node)
            .map(|rt| rt.uid.clone())
            .collect();
        for uid in uids {
            let Some(running) = self.runtimes.get(&uid).map(PodRuntime::running_containers) else {
                continue;
            };
            let deleted = self
                .runtimes
                .get(&uid)
                .and_then(|rt| self.pods.get(&rt.key))
                .is_none_or(|p| p.meta.deletion.is_some());
            if !running.is_empty() && !deleted {
                self.kubelet_sandbox_changed(&uid);
            }
            let restarts = self
                .runtimes
                .get(&uid)
                .and_then(|rt| self.pods.get(&rt.key))
                .is_some_and(|p| p.spec.restart_policy != "Never" && !p.spec.host_network);
            // The cluster's own pods (flannel, kube-proxy…) run images outside the catalogue,
            // already on the node: their containers come straight back.
            let system = self
                .runtimes
                .get(&uid)
                .is_some_and(|rt| rt.containers.iter().all(|c| c.pulled.is_none()));
            if system && !deleted {
                self.restart_system_containers(&uid, &running);
                continue;
            }
            // The new sandbox gets the next address host-local hands out; the old one is freed.
            if restarts && !deleted && !running.is_empty() {
                if let (Some(rt), Some(n)) = (self.runtimes.get_mut(&uid), self.nodes.get_mut(node))
                {
                    if let Some(old) = rt.ip {
                        if let Some(new) = n.ipam.allocate() {
                            n.ipam.release(old);
                            rt.ip = Some(new);
                        }
                    }
                }
            }
            for i in running {
                self.container_exited(&uid, i, 255, None);
                if let Some(c) = self
                    .runtimes
                    .get_mut(&uid)
                    .and_then(|rt| rt.containers.get_mut(i))
                {
                    for state in [&mut c.state, &mut c.last_state] {
                        if let super::pod::ContainerState::Terminated { reason, .. } = state {
                            if reason == "Error" {
                                *reason = "Unknown".into();
                            }
                        }
                    }
                }
            }
            self.refresh_status(&uid);
        }
    }

    fn restart_system_containers(&mut self, uid: &str, running: &[usize]) {
        use super::pod::ContainerState;
        let now = self.now();
        for &i in running {
            let id = self.random_hex(64);
            let Some(c) = self
                .runtimes
                .get_mut(uid)
                .and_then(|rt| rt.containers.get_mut(i))
            else {
                continue;
            };
            let ContainerState::Running { started_at } = c.state else {
                continue;
            };
            c.last_state = ContainerState::Terminated {
                exit_code: 255,
                signal: None,
                reason: "Unknown".into(),
                message: None,
                started_at,
                finished_at: now,
                container_id: format!("containerd://{}", c.id),
            };
            c.state = ContainerState::Running { started_at: now };
            c.restart_count += 1;
            c.id = id;
            let (name, image) = (c.name.clone(), c.spec.image.clone());
            self.kubelet_event(
                uid,
                Some(&name),
                "Normal",
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            );
            self.kubelet_event(
                uid,
                Some(&name),
                "Normal",
                "Created",
                format!("Created container {name}"),
            );
            self.kubelet_event(
                uid,
                Some(&name),
                "Normal",
                "Started",
                format!("Started container {name}"),
            );
        }
        self.refresh_status(uid);
    }

    /// Adds a worker node with the next address and pod subnet.
    pub fn add_node(&mut self, name: &str) -> Result<(), String> {
        if name.is_empty() {
            return Err("a node needs a name".into());
        }
        if let Some(msg) = super::validation::dns1123_subdomain(name).first() {
            return Err(format!("invalid node name \"{name}\": {msg}"));
        }
        if self.nodes.len() >= super::cluster::MAX_NODES {
            return Err(format!(
                "the playground's cluster holds at most {} nodes",
                super::cluster::MAX_NODES
            ));
        }
        if self.nodes.contains_key(name) {
            return Err(format!("node \"{name}\" already exists"));
        }
        let used_ips: Vec<Ipv4Addr> = self.nodes.values().map(|n| n.ip).collect();
        let used_cidrs: Vec<Ipv4Addr> = self.nodes.values().map(|n| n.pod_cidr.base).collect();
        let ip = (10..250u8)
            .map(|i| Ipv4Addr::new(192, 168, 1, i))
            .find(|ip| !used_ips.contains(ip))
            .ok_or("no free node address")?;
        let net = self.network.clone();
        let step = 1u32 << (32 - u32::from(net.subnet_len));
        let count = 1u32 << (net.subnet_len - net.cidr.prefix);
        let cidr = (0..count)
            .map(|k| Ipv4Addr::from(u32::from(net.cidr.base) + step * k))
            .find(|c| !used_cidrs.contains(c))
            .ok_or("no free pod subnet")?;
        let uid = self.new_uid();
        let now = self.now();
        let mut node = Node::new(
            name,
            ip,
            Cidr {
                base: cidr,
                prefix: net.subnet_len,
            },
            false,
            now,
            uid,
        );
        node.meta.resource_version = self.next_rv();
        self.nodes.insert(name.to_string(), node);
        self.start_daemon_pods(name);
        self.reschedule_pending();
        Ok(())
    }

    /// The node lifecycle controller's check of a node that stopped posting status.
    pub(crate) fn node_monitor(&mut self, name: &str) {
        let now = self.now();
        let Some(n) = self.nodes.get_mut(name) else {
            return;
        };
        if !n.stopped || !n.ready {
            return;
        }
        n.ready = false;
        n.ready_since = now;
        for effect in ["NoSchedule", "NoExecute"] {
            if !n
                .taints
                .iter()
                .any(|t| t.key == UNREACHABLE && t.effect == effect)
            {
                n.taints.push(Taint {
                    key: UNREACHABLE.into(),
                    value: String::new(),
                    effect: effect.into(),
                });
            }
        }
        let node_uid = n.meta.uid.clone();
        let r = ObjectRef {
            kind: "Node",
            namespace: String::new(),
            name: name.to_string(),
            uid: node_uid,
            field_path: None,
        };
        self.record_event(
            r,
            "Normal",
            "NodeNotReady",
            format!("Node {name} status is now: NodeNotReady"),
            "node-controller",
            None,
        );
        // Its pods are no longer ready; those that tolerate the taint only for a while are
        // evicted when that time is up.
        let pods: Vec<((String, String), String, Option<i64>)> = self
            .pods
            .values()
            .filter(|p| p.spec.node_name == name)
            .map(|p| {
                let secs = p
                    .spec
                    .tolerations
                    .iter()
                    .filter(|t| t.tolerates(UNREACHABLE, "", "NoExecute"))
                    .map(|t| t.toleration_seconds)
                    // The longest toleration wins; one without a time tolerates forever.
                    .try_fold(0i64, |acc, s| s.map(|b| acc.max(b)));
                let tolerated = p
                    .spec
                    .tolerations
                    .iter()
                    .any(|t| t.tolerates(UNREACHABLE, "", "NoExecute"));
                (
                    p.key(),
                    p.meta.uid.clone(),
                    if tolerated { secs } else { Some(0) },
                )
            })
            .collect();
        for (key, uid, secs) in pods {
            if let Some(p) = self.pods.get_mut(&key) {
                p.status.set_condition("Ready", false, None, None, now);
                self.touch_pod(&key);
                let r = ObjectRef::pod(&key, &uid);
                self.record_event(
                    r,
                    "Warning",
                    "NodeNotReady",
                    "Node is not ready".into(),
                    "node-controller",
                    None,
                );
            }
            if let Some(s) = secs {
                self.schedule(
                    now.plus_secs(s.max(0) as u64),
                    Task::TaintEviction(uid, name.to_string()),
                );
            }
        }
    }

    /// Taint-based eviction: the pod is deleted; with its node down it stays Terminating.
    pub(crate) fn taint_eviction(&mut self, uid: &str, node: &str) {
        let still_tainted = self.nodes.get(node).is_some_and(|n| {
            n.taints
                .iter()
                .any(|t| t.key == UNREACHABLE && t.effect == "NoExecute")
        });
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let Some(p) = self.pods.get(&key) else { return };
        if !still_tainted || p.meta.deletion.is_some() || p.spec.node_name != node {
            return;
        }
        self.evict(&key, uid);
    }

    /// The taint eviction controller deletes a pod, saying so in an event.
    fn evict(&mut self, key: &(String, String), uid: &str) {
        self.record_event(
            ObjectRef::pod(key, uid),
            "Normal",
            "TaintManagerEviction",
            format!("Marking for deletion Pod {}/{}", key.0, key.1),
            "taint-eviction-controller",
            None,
        );
        let _ = self.delete_pod(&key.0, &key.1, None);
    }

    /// Evicts pods that do not tolerate a node's NoExecute taints (after `kubectl taint`).
    pub fn evict_untolerated(&mut self) {
        let victims: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.meta.deletion.is_none())
            .filter(|p| {
                self.nodes.get(&p.spec.node_name).is_some_and(|n| {
                    n.taints
                        .iter()
                        .filter(|t| t.effect == "NoExecute")
                        .any(|t| {
                            !p.spec
                                .tolerations
                                .iter()
                                .any(|tol| tol.tolerates(&t.key, &t.value, &t.effect))
                        })
                })
            })
            .map(|p| p.meta.uid.clone())
            .collect();
        for uid in victims {
            if let Some(key) = self.uids.get(&uid).cloned() {
                self.evict(&key, &uid);
            }
        }
    }
}
