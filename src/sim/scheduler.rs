//! The scheduler: filters nodes as the default plugins do (node name, node affinity and
//! selector, unschedulable, taints, ports, resources), scores the rest by how little of them is
//! requested, and binds. A pod that fits nowhere stays Pending with `FailedScheduling`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::event::ObjectRef;
use super::meta::Selector;
use super::node::Node;
use super::pod::{Pod, Toleration};
use super::quantity::Quantity;
use super::time::SimTime;
use super::world::{Task, World};

/// How long after a pod lands on a node the kubelet first acts on it.
pub const KUBELET_PICKUP_MS: u64 = 200;
/// How often an unschedulable pod is retried when nothing else changes.
pub const RETRY_MS: u64 = 5 * 60 * 1000;

/// (cpu millicores, memory bytes) a pod requests; `nonzero` uses the scheduler's defaults for
/// containers that request nothing (scoring only).
pub fn pod_requests(pod: &Pod, nonzero: bool) -> (i128, i128) {
    let get = |c: &super::pod::Container, res: &str, default: i128| {
        c.resources
            .requests
            .get(res)
            .and_then(Quantity::from_value)
            .map(|q| {
                if res == "cpu" {
                    q.milli_value()
                } else {
                    q.value()
                }
            })
            .unwrap_or(if nonzero { default } else { 0 })
    };
    let mut cpu = 0;
    let mut mem = 0;
    for c in &pod.spec.containers {
        cpu += get(c, "cpu", 100);
        mem += get(c, "memory", 200 * 1024 * 1024);
    }
    for c in &pod.spec.init_containers {
        cpu = cpu.max(get(c, "cpu", 0));
        mem = mem.max(get(c, "memory", 0));
    }
    (cpu, mem)
}

fn expr_matches(
    req: &Value,
    labels: &std::collections::BTreeMap<String, String>,
    node_name: &str,
    field: bool,
) -> bool {
    let key = req.get("key").and_then(Value::as_str).unwrap_or_default();
    let op = req
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let values: Vec<&str> = req
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let actual: Option<&str> = if field {
        (key == "metadata.name").then_some(node_name)
    } else {
        labels.get(key).map(String::as_str)
    };
    match op {
        "In" => actual.is_some_and(|a| values.contains(&a)),
        "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
        "Exists" => actual.is_some(),
        "DoesNotExist" => actual.is_none(),
        "Gt" | "Lt" => {
            let (Some(a), Some(v)) = (
                actual.and_then(|a| a.parse::<i64>().ok()),
                values.first().and_then(|v| v.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if op == "Gt" {
                a > v
            } else {
                a < v
            }
        }
        _ => false,
    }
}

fn term_matches(term: &Value, node: &Node) -> bool {
    let exprs = term.get("matchExpressions").and_then(Value::as_array);
    let fields = term.get("matchFields").and_then(Value::as_array);
    if exprs.is_none_or(Vec::is_empty) && fields.is_none_or(Vec::is_empty) {
        return false;
    }
    exprs
        .into_iter()
        .flatten()
        .all(|r| expr_matches(r, &node.meta.labels, node.name(), false))
        && fields
            .into_iter()
            .flatten()
            .all(|r| expr_matches(r, &node.meta.labels, node.name(), true))
}

/// Whether the pod's nodeSelector and required node affinity accept the node.
pub fn affinity_matches(pod: &Pod, node: &Node) -> bool {
    if !Selector::from_map(&pod.spec.node_selector).matches(&node.meta.labels) {
        return false;
    }
    let terms = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| {
            a.pointer(
                "/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
            )
        })
        .and_then(Value::as_array);
    match terms {
        None => true,
        Some(ts) => ts.iter().any(|t| term_matches(t, node)),
    }
}

fn preferred_score(pod: &Pod, node: &Node) -> i64 {
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.pointer("/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("preference").is_some_and(|t| term_matches(t, node)))
        .map(|p| p.get("weight").and_then(Value::as_i64).unwrap_or(0))
        .sum()
}

fn untolerated<'a>(tolerations: &[Toleration], node: &'a Node) -> Option<&'a super::node::Taint> {
    node.taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|t| {
            !tolerations
                .iter()
                .any(|tol| tol.tolerates(&t.key, &t.value, &t.effect))
        })
}

/// The pods bound to each node that still hold resources there, gathered in one pass.
pub fn pods_by_node<'a>(world: &'a World, except_uid: &str) -> BTreeMap<&'a str, Vec<&'a Pod>> {
    let mut by_node: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
    for p in world.pods.values() {
        if !p.spec.node_name.is_empty() && !p.status.phase.is_terminal() && p.meta.uid != except_uid
        {
            by_node
                .entry(p.spec.node_name.as_str())
                .or_default()
                .push(p);
        }
    }
    by_node
}

/// Why a node cannot take a pod, in the scheduler's words; `None` if it can. `on_node` are the
/// node's other pods that hold resources (see `pods_by_node`).
pub fn filter(pod: &Pod, node: &Node, on_node: &[&Pod]) -> Option<(String, bool)> {
    // The default scheduler's filter plugins, in their order; a node reports the first that fails.
    if node.unschedulable
        && !pod
            .spec
            .tolerations
            .iter()
            .any(|t| t.tolerates("node.kubernetes.io/unschedulable", "", "NoSchedule"))
    {
        return Some(("node(s) were unschedulable".into(), false));
    }
    if !pod.spec.node_name.is_empty() && pod.spec.node_name != node.name() {
        return Some(("node(s) didn't match the requested node name".into(), false));
    }
    if let Some(t) = untolerated(&pod.spec.tolerations, node) {
        return Some((
            format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value),
            false,
        ));
    }
    if !affinity_matches(pod, node) {
        return Some((
            "node(s) didn't match Pod's node affinity/selector".into(),
            false,
        ));
    }
    // Host ports.
    let wanted: Vec<(String, i64, String)> = pod
        .spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter())
        .flat_map(|c| c.ports.iter())
        .filter(|p| p.host_port > 0)
        .map(|p| (p.host_ip.clone(), p.host_port, p.protocol.clone()))
        .collect();
    if !wanted.is_empty() {
        for other in on_node {
            for p in other
                .spec
                .containers
                .iter()
                .chain(other.spec.init_containers.iter())
                .flat_map(|c| c.ports.iter())
            {
                if p.host_port == 0 {
                    continue;
                }
                let clash = wanted.iter().any(|(ip, port, proto)| {
                    *port == p.host_port
                        && *proto == p.protocol
                        && (ip.is_empty()
                            || p.host_ip.is_empty()
                            || ip == "0.0.0.0"
                            || p.host_ip == "0.0.0.0"
                            || *ip == p.host_ip)
                });
                if clash {
                    return Some((
                        "node(s) didn't have free ports for the requested pod ports".into(),
                        true,
                    ));
                }
            }
        }
    }
    if on_node.len() as u32 + 1 > node.max_pods {
        return Some(("Too many pods".into(), true));
    }
    let (cpu, mem) = pod_requests(pod, false);
    let (used_cpu, used_mem) = on_node.iter().fold((0, 0), |(c, m), p| {
        let (pc, pm) = pod_requests(p, false);
        (c + pc, m + pm)
    });
    if cpu > 0 && used_cpu + cpu > node.cpu_milli {
        return Some(("Insufficient cpu".into(), true));
    }
    if mem > 0 && used_mem + mem > node.allocatable_memory() {
        return Some(("Insufficient memory".into(), true));
    }
    None
}

impl World {
    /// One scheduling attempt for the pod with this uid.
    pub(crate) fn schedule_pod(&mut self, uid: &str) {
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let Some(pod) = self.pods.get(&key).cloned() else {
            return;
        };
        if !pod.spec.node_name.is_empty() || pod.meta.deletion.is_some() {
            return;
        }
        let mut feasible = Vec::new();
        let mut reasons: Vec<(String, bool)> = Vec::new();
        let by_node = pods_by_node(self, &pod.meta.uid);
        for node in self.nodes.values() {
            let on_node = by_node.get(node.name()).map_or(&[][..], Vec::as_slice);
            match filter(&pod, node, on_node) {
                None => feasible.push(node.name().to_string()),
                Some(r) => reasons.push(r),
            }
        }
        if feasible.is_empty() {
            let n = self.nodes.len();
            let message = if n == 0 {
                "no nodes available to schedule pods".to_string()
            } else {
                let hist = histogram(reasons.iter().map(|(r, _)| r.clone()));
                let pre = histogram(reasons.iter().map(|(_, helpful)| {
                    if *helpful {
                        "No preemption victims found for incoming pod".to_string()
                    } else {
                        "Preemption is not helpful for scheduling".to_string()
                    }
                }));
                format!("0/{n} nodes are available: {hist}. preemption: 0/{n} nodes are available: {pre}.")
            };
            let now = self.now();
            if let Some(p) = self.pods.get_mut(&key) {
                let changed = p
                    .status
                    .condition("PodScheduled")
                    .is_none_or(|c| c.message.as_deref() != Some(message.as_str()));
                p.status.set_condition(
                    "PodScheduled",
                    false,
                    Some("Unschedulable".into()),
                    Some(message.clone()),
                    now,
                );
                if changed {
                    self.touch_pod(&key);
                }
            }
            let involved = ObjectRef::pod(&key, uid);
            self.record_event(
                involved,
                "Warning",
                "FailedScheduling",
                message,
                "default-scheduler",
                None,
            );
            self.schedule(now.plus_ms(RETRY_MS), Task::Schedule(uid.to_string()));
            return;
        }
        // Score: least requested (with non-zero defaults), plus preferred affinity.
        let (pcpu, pmem) = pod_requests(&pod, true);
        let mut best: Vec<(String, i64)> = Vec::new();
        for name in &feasible {
            let node = &self.nodes[name];
            let (ucpu, umem) = by_node
                .get(name.as_str())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .fold((0, 0), |(c, m), p| {
                    let (a, b) = pod_requests(p, true);
                    (c + a, m + b)
                });
            let free = |cap: i128, used: i128| -> i64 {
                if cap <= 0 {
                    0
                } else {
                    (((cap - used).max(0)) * 100 / cap) as i64
                }
            };
            let score = (free(node.cpu_milli, ucpu + pcpu)
                + free(node.allocatable_memory(), umem + pmem))
                / 2
                + preferred_score(&pod, node);
            best.push((name.clone(), score));
        }
        let top = best.iter().map(|(_, s)| *s).max().unwrap_or(0);
        let winners: Vec<String> = best
            .into_iter()
            .filter(|(_, s)| *s == top)
            .map(|(n, _)| n)
            .collect();
        let pick = winners[(self.random_u64() % winners.len() as u64) as usize].clone();
        self.bind(uid, &pick, true);
    }

    /// Binds a pod to a node and hands it to that node's kubelet.
    pub(crate) fn bind(&mut self, uid: &str, node: &str, by_scheduler: bool) {
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let now = self.now();
        let Some(p) = self.pods.get_mut(&key) else {
            return;
        };
        p.spec.node_name = node.to_string();
        if let Value::Object(m) = &mut p.spec_json {
            m.insert("nodeName".into(), Value::String(node.to_string()));
        }
        p.status
            .set_condition("PodScheduled", true, None, None, now);
        self.touch_pod(&key);
        if by_scheduler {
            let involved = ObjectRef::pod(&key, uid);
            self.record_event(
                involved,
                "Normal",
                "Scheduled",
                format!("Successfully assigned {}/{} to {node}", key.0, key.1),
                "default-scheduler",
                None,
            );
        }
        self.kubelet_admit(uid, node);
        self.schedule(
            now.plus_ms(KUBELET_PICKUP_MS),
            Task::Kubelet(uid.to_string()),
        );
    }

    /// A pod created with `spec.nodeName` skips the scheduler.
    pub(crate) fn bind_directly(&mut self, uid: &str) {
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let Some(node) = self.pods.get(&key).map(|p| p.spec.node_name.clone()) else {
            return;
        };
        if self.nodes.contains_key(&node) {
            self.bind(uid, &node, false);
        }
    }

    /// Re-tries pending pods after the cluster changed: once, after everything else that
    /// happens at this instant (deleting a thousand pods retries the pending ones once).
    pub fn reschedule_pending(&mut self) {
        if !self.retry_queued {
            self.retry_queued = true;
            let now = self.now();
            self.schedule(now, Task::RetryPending);
        }
    }

    /// Queues a scheduling attempt for every pending pod.
    pub(crate) fn queue_pending(&mut self) {
        let pending: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.spec.node_name.is_empty() && p.meta.deletion.is_none())
            .map(|p| p.meta.uid.clone())
            .collect();
        let now: SimTime = self.now();
        for uid in pending {
            self.schedule(now, Task::Schedule(uid));
        }
    }
}

/// `1 reason, 2 other reason` sorted as strings, as the scheduler's FitError builds it.
fn histogram(reasons: impl Iterator<Item = String>) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    let mut items: Vec<String> = counts
        .into_iter()
        .map(|(r, c)| format!("{c} {r}"))
        .collect();
    items.sort();
    items.join(", ")
}
