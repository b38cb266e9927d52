//! The world: every object of the simulated cluster, the virtual clock and the queue of things
//! that will happen. The world changes only through its commands (`apply`, `delete`, `advance`…)
//! and the tasks its own components schedule; the UI and the CLI read it.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::Value;

use super::event::{Event, ObjectRef};
use super::kubelet::PodRuntime;
use super::meta::ObjectMeta;
use super::node::Node;
use super::pod::Pod;
use super::time::SimTime;

/// Something the engine will do at a given time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Task {
    /// Try to schedule the pod with this uid.
    Schedule(String),
    /// Something freed room: try every pending pod again (queued once per instant however
    /// many pods went away).
    RetryPending,
    /// Advance the kubelet's work on a pod.
    Kubelet(String),
    /// Wake a container's process: (pod uid, container index, incarnation).
    Wake(String, usize, u32),
    /// A termination deadline: kill whatever still runs in the pod.
    Kill(String),
    /// Run a probe: (pod uid, container index, probe kind, incarnation).
    Probe(String, usize, u8, u32),
    /// A container's process ends with this exit code: (pod uid, index, incarnation, code).
    Exit(String, usize, u32, i32),
    /// A postStart hook returns: (pod uid, index, incarnation).
    HookDone(String, usize, u32),
    /// SIGTERM reaches a container's process: (pod uid, index, incarnation).
    Term(String, usize, u32),
    /// The pod's activeDeadlineSeconds ran out.
    Deadline(String),
    /// The node lifecycle controller checks a node's heartbeat.
    NodeMonitor(String),
    /// A pod's toleration of a NoExecute taint ran out: (pod uid, node).
    TaintEviction(String, String),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Queued {
    at: SimTime,
    seq: u64,
    task: Task,
}

/// A stored ConfigMap or Secret.
#[derive(Clone, Debug, PartialEq)]
pub struct DataObject {
    pub meta: ObjectMeta,
    /// Values as stored: plain text for ConfigMaps, base64 for Secrets.
    pub data: BTreeMap<String, String>,
    pub type_: Option<String>,
    pub immutable: Option<bool>,
}

/// A stored Namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    pub meta: ObjectMeta,
    pub terminating: bool,
}

pub use super::history::{Change, PodHistory};

/// The whole simulated cluster.
#[derive(Clone, Debug)]
pub struct World {
    now: SimTime,
    seed: u64,
    rng: Pcg64Mcg,
    queue: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    rv: u64,
    pub namespaces: BTreeMap<String, Namespace>,
    pub pods: BTreeMap<(String, String), Pod>,
    pub configmaps: BTreeMap<(String, String), DataObject>,
    pub secrets: BTreeMap<(String, String), DataObject>,
    pub services: BTreeMap<(String, String), super::service::Service>,
    pub nodes: BTreeMap<String, Node>,
    pub events: Vec<Event>,
    /// Pod uid → (namespace, name), for tasks.
    pub(crate) uids: BTreeMap<String, (String, String)>,
    pub(crate) runtimes: BTreeMap<String, PodRuntime>,
    /// Every pod change, for watches, the timeline and time travel.
    pub history: PodHistory,
    /// A `RetryPending` task is queued.
    pub(crate) retry_queued: bool,
    /// Kubelet work held while its node is stopped.
    pub(crate) parked: Vec<Task>,
    /// flannel's network settings.
    pub network: super::cluster::Network,
    /// Warnings the API server attached to the last write, for kubectl to print.
    pub warnings: Vec<String>,
    /// Where each distinct event is in `events`, for de-duplication.
    pub(crate) event_index: BTreeMap<EventKey, usize>,
    /// Each node's own files, as hostPath volumes see them.
    pub(crate) node_fs: BTreeMap<String, super::fs::Fs>,
    /// What nodes looked like over time, for time travel (kept once `track_history` is called).
    pub node_history: Option<NodeHistory>,
    /// kube-proxy's balancing and affinity state.
    pub(crate) proxy: super::proxy::ProxyCell,
}

/// Node changes over time, and each node's latest recorded state.
#[derive(Clone, Debug, Default)]
pub struct NodeHistory {
    pub changes: Vec<NodeChange>,
    last: BTreeMap<String, NodeState>,
}

/// The parts of a node that change while a session runs, as of one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeState {
    pub ready: bool,
    pub stopped: bool,
    pub unschedulable: bool,
    pub taints: Vec<super::node::Taint>,
}

/// A node's state from `at` on; `state` is `None` once the node is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeChange {
    pub at: SimTime,
    pub node: String,
    pub state: Option<NodeState>,
}

/// What makes two events the same: object uid, field path, reason, message, type, source.
pub(crate) type EventKey = (
    String,
    Option<String>,
    String,
    String,
    &'static str,
    &'static str,
);

impl World {
    /// A fresh default cluster: one control-plane node and two workers.
    pub fn new(seed: u64) -> World {
        World::with_cluster(seed, &super::cluster::ClusterSpec::default())
            .unwrap_or_else(|_| World::empty(seed))
    }

    /// A world with its namespaces and no nodes.
    pub(crate) fn empty(seed: u64) -> World {
        let mut w = World {
            now: SimTime::ZERO,
            seed,
            rng: Pcg64Mcg::seed_from_u64(seed),
            queue: BinaryHeap::new(),
            seq: 0,
            rv: 1000,
            namespaces: BTreeMap::new(),
            pods: BTreeMap::new(),
            configmaps: BTreeMap::new(),
            secrets: BTreeMap::new(),
            services: BTreeMap::new(),
            nodes: BTreeMap::new(),
            events: Vec::new(),
            uids: BTreeMap::new(),
            runtimes: BTreeMap::new(),
            history: PodHistory::default(),
            retry_queued: false,
            parked: Vec::new(),
            network: super::cluster::Network::default(),
            warnings: Vec::new(),
            event_index: BTreeMap::new(),
            node_fs: BTreeMap::new(),
            node_history: None,
            proxy: Default::default(),
        };
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            w.create_namespace_object(ns);
        }
        w
    }

    /// Rebuilds the event index after events were removed.
    pub(crate) fn reindex_events(&mut self) {
        self.event_index = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    (
                        e.involved.uid.clone(),
                        e.involved.field_path.clone(),
                        e.reason.clone(),
                        e.message.clone(),
                        e.type_,
                        e.source,
                    ),
                    i,
                )
            })
            .collect();
    }

    /// Takes the warnings of the last API write.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Sets the clock of a copy made to show the past (`view::world_at`); never for a live
    /// world, whose clock only moves forward with its tasks.
    pub(crate) fn set_clock(&mut self, at: SimTime) {
        self.now = at;
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A new resource version, for writes made outside the engine's own paths.
    pub fn next_resource_version(&mut self) -> u64 {
        self.next_rv()
    }

    pub(crate) fn next_rv(&mut self) -> u64 {
        self.rv += 1;
        self.rv
    }

    pub(crate) fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A random lower-case hex string of `n` characters.
    pub(crate) fn random_hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.random_u64()));
        }
        s.truncate(n);
        s
    }

    /// A random suffix as Kubernetes makes them (consonants and digits).
    pub(crate) fn random_suffix(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| ALPHABET[(self.random_u64() % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    pub(crate) fn new_uid(&mut self) -> String {
        let h = self.random_hex(32);
        format!(
            "{}-{}-4{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[16..20],
            &h[20..32]
        )
    }

    pub(crate) fn create_namespace_object(&mut self, name: &str) {
        let uid = self.new_uid();
        let rv = self.next_rv();
        let mut meta = ObjectMeta {
            name: name.into(),
            uid,
            resource_version: rv,
            creation: self.now,
            ..ObjectMeta::default()
        };
        meta.labels
            .insert("kubernetes.io/metadata.name".into(), name.into());
        self.namespaces.insert(
            name.into(),
            Namespace {
                meta,
                terminating: false,
            },
        );
        // The root CA ConfigMap every namespace gets from the controller manager.
        let uid = self.new_uid();
        let rv = self.next_rv();
        let mut cm_meta = ObjectMeta {
            name: "kube-root-ca.crt".into(),
            namespace: name.into(),
            uid,
            resource_version: rv,
            creation: self.now,
            ..ObjectMeta::default()
        };
        cm_meta.annotations.insert("kubernetes.io/description".into(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".into());
        let mut data = BTreeMap::new();
        data.insert("ca.crt".into(), "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIPodPlayCA0wDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNTAzMDMwOTAwMDBaFw0zNTAzMDEwOTAwMDBaMBUx\n-----END CERTIFICATE-----\n".into());
        self.configmaps.insert(
            (name.into(), "kube-root-ca.crt".into()),
            DataObject {
                meta: cm_meta,
                data,
                type_: None,
                immutable: None,
            },
        );
    }

    /// Queues a task at `at`; tasks at the same time run in the order they were queued.
    pub(crate) fn schedule(&mut self, at: SimTime, task: Task) {
        self.seq += 1;
        self.queue.push(Reverse(Queued {
            at: at.max(self.now),
            seq: self.seq,
            task,
        }));
    }

    /// How many tasks are waiting in the event queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// When the next queued task is due, if any.
    pub fn next_event_at(&self) -> Option<SimTime> {
        self.queue.peek().map(|Reverse(q)| q.at)
    }

    /// Runs the next queued task, moving the clock to its time. Returns false when idle.
    pub fn step(&mut self) -> bool {
        let Some(Reverse(q)) = self.queue.pop() else {
            return false;
        };
        if q.at > self.now {
            self.now = q.at;
        }
        self.run_task(q.task);
        self.observe_nodes();
        true
    }

    /// Runs every task due up to `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while let Some(at) = self.next_event_at() {
            if at > t {
                break;
            }
            self.step();
        }
        if t > self.now {
            self.now = t;
        }
        self.observe_nodes();
    }

    /// Starts keeping node history (pods' history is always kept, for watches), so that
    /// `view::world_at` can show nodes as they were.
    pub fn track_history(&mut self) {
        if self.node_history.is_none() {
            self.node_history = Some(NodeHistory::default());
            self.observe_nodes();
        }
    }

    /// Appends the nodes whose state changed since their last record.
    fn observe_nodes(&mut self) {
        let Some(history) = self.node_history.as_mut() else {
            return;
        };
        for (name, n) in &self.nodes {
            let changed = history.last.get(name).is_none_or(|s| {
                s.ready != n.ready
                    || s.stopped != n.stopped
                    || s.unschedulable != n.unschedulable
                    || s.taints != n.taints
            });
            if changed {
                let state = NodeState {
                    ready: n.ready,
                    stopped: n.stopped,
                    unschedulable: n.unschedulable,
                    taints: n.taints.clone(),
                };
                history.last.insert(name.clone(), state.clone());
                history.changes.push(NodeChange {
                    at: self.now,
                    node: name.clone(),
                    state: Some(state),
                });
            }
        }
        if history.last.len() > self.nodes.len() {
            let gone: Vec<String> = history
                .last
                .keys()
                .filter(|k| !self.nodes.contains_key(*k))
                .cloned()
                .collect();
            for name in gone {
                history.last.remove(&name);
                history.changes.push(NodeChange {
                    at: self.now,
                    node: name,
                    state: None,
                });
            }
        }
    }

    /// Advances the clock by `ms`, running everything that happens meanwhile.
    pub fn advance(&mut self, ms: u64) {
        let t = self.now.plus_ms(ms);
        self.run_until(t);
    }

    fn run_task(&mut self, task: Task) {
        // A stopped node's kubelet does nothing; its work waits until the node is back.
        let pod_uid = match &task {
            Task::Kubelet(u)
            | Task::Wake(u, ..)
            | Task::Kill(u)
            | Task::Probe(u, ..)
            | Task::Deadline(u)
            | Task::Exit(u, ..)
            | Task::Term(u, ..)
            | Task::HookDone(u, ..) => Some(u.clone()),
            _ => None,
        };
        if let Some(uid) = pod_uid {
            let down = self
                .runtimes
                .get(&uid)
                .is_some_and(|rt| self.nodes.get(&rt.node).is_some_and(|n| n.stopped));
            if down {
                self.parked.push(task);
                return;
            }
        }
        match task {
            Task::NodeMonitor(name) => self.node_monitor(&name),
            Task::TaintEviction(uid, node) => self.taint_eviction(&uid, &node),
            Task::Schedule(uid) => self.schedule_pod(&uid),
            Task::RetryPending => {
                self.retry_queued = false;
                self.queue_pending();
            }
            Task::Kubelet(uid) => self.kubelet_sync(&uid),
            Task::Wake(uid, idx, inc) => self.wake_container(&uid, idx, inc),
            Task::Kill(uid) => self.kill_deadline(&uid),
            Task::Probe(uid, i, kind, inc) => {
                self.run_probe(&uid, i, super::probes::ProbeKind::from_index(kind), inc)
            }
            Task::Deadline(uid) => self.deadline_exceeded(&uid),
            Task::HookDone(uid, i, inc) => {
                if let Some(c) = self
                    .runtimes
                    .get_mut(&uid)
                    .and_then(|rt| rt.containers.get_mut(i))
                    .filter(|c| c.incarnation == inc && c.exit_reason.is_none())
                {
                    c.shown = None;
                    self.refresh_status(&uid);
                }
            }
            Task::Term(uid, i, inc) => {
                if let Some(c) = self
                    .runtimes
                    .get_mut(&uid)
                    .and_then(|rt| rt.containers.get_mut(i))
                    .filter(|c| c.incarnation == inc && c.running())
                {
                    if let Some(p) = c.proc.as_mut() {
                        p.deliver_term();
                    }
                }
            }
            Task::Exit(uid, i, inc, code) => {
                let current = self
                    .runtimes
                    .get(&uid)
                    .and_then(|rt| rt.containers.get(i))
                    .is_some_and(|c| c.incarnation == inc && c.running());
                if current {
                    self.container_exited(&uid, i, code, None);
                }
            }
        }
    }

    /// Records a pod change for watchers.
    pub(crate) fn record_change(&mut self, key: &(String, String)) {
        let pod = self.pods.get(key).cloned();
        let deleted = pod.is_none();
        self.history.record(Change {
            at: self.now,
            key: key.clone(),
            pod,
            deleted,
        });
    }

    /// Bumps a pod's resourceVersion and records the change.
    pub(crate) fn touch_pod(&mut self, key: &(String, String)) {
        let rv = self.next_rv();
        if let Some(p) = self.pods.get_mut(key) {
            if p.meta.resource_version != rv {
                p.meta.resource_version = rv;
            }
        }
        self.record_change(key);
    }

    /// Records an event, merging it into an identical earlier one.
    pub(crate) fn record_event(
        &mut self,
        involved: ObjectRef,
        type_: &'static str,
        reason: &str,
        message: String,
        source: &'static str,
        host: Option<String>,
    ) {
        let now = self.now;
        // Identical events are found through an index, not a scan: events pile up.
        let ikey = (
            involved.uid.clone(),
            involved.field_path.clone(),
            reason.to_string(),
            message.clone(),
            type_,
            source,
        );
        if let Some(e) = self
            .event_index
            .get(&ikey)
            .and_then(|i| self.events.get_mut(*i))
        {
            e.count += 1;
            e.last = now;
            return;
        }
        self.event_index.insert(ikey, self.events.len());
        // Event names carry the time in nanoseconds as hex, so listing them by name lists
        // each object's events in order, as the API server does.
        self.seq += 1;
        let nanos = (now.unix_secs() as u64) * 1_000_000_000
            + (now.millis() % 1000) * 1_000_000
            + self.seq % 1_000_000;
        let suffix = format!("{nanos:x}");
        let uid = self.new_uid();
        let rv = self.next_rv();
        let meta = ObjectMeta {
            name: format!("{}.{suffix}", involved.name),
            // Events about cluster-scoped objects (nodes) live in `default`.
            namespace: if involved.namespace.is_empty() {
                "default".to_string()
            } else {
                involved.namespace.clone()
            },
            uid,
            resource_version: rv,
            creation: now,
            ..ObjectMeta::default()
        };
        self.events.push(Event {
            meta,
            involved,
            type_,
            reason: reason.to_string(),
            message,
            source,
            host,
            first: now,
            last: now,
            count: 1,
        });
    }

    /// Events about one object (by uid), oldest first as `describe` sorts them.
    pub fn events_for(&self, uid: &str) -> Vec<&Event> {
        let mut v: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| e.involved.uid == uid)
            .collect();
        v.sort_by_key(|e| e.last);
        v
    }

    pub fn pod_by_uid(&self, uid: &str) -> Option<&Pod> {
        self.uids.get(uid).and_then(|k| self.pods.get(k))
    }

    /// Container logs: (stdout+stderr lines) of the current or previous instance.
    pub fn container_log(&self, uid: &str, container: &str, previous: bool) -> Option<String> {
        let rt = self.runtimes.get(uid)?;
        let c = rt.containers.iter().find(|c| c.name == container)?;
        Some(if previous {
            c.prev_log.as_str().to_string()
        } else {
            c.log.as_str().to_string()
        })
    }

    /// Container log lines with the time each was written, of the current or previous
    /// instance.
    pub fn container_log_lines(
        &self,
        uid: &str,
        container: &str,
        previous: bool,
    ) -> Vec<(SimTime, String)> {
        let Some(c) = self
            .runtimes
            .get(uid)
            .and_then(|rt| rt.containers.iter().find(|c| c.name == container))
        else {
            return Vec::new();
        };
        let log = if previous { &c.prev_log } else { &c.log };
        log.lines()
            .into_iter()
            .map(|(t, l)| (t, l.to_string()))
            .collect()
    }

    /// The current log of a container, for followers (`kubectl logs -f`).
    pub fn container_log_buffer(
        &self,
        uid: &str,
        container: &str,
    ) -> Option<&super::log::ContainerLog> {
        let rt = self.runtimes.get(uid)?;
        rt.containers
            .iter()
            .find(|c| c.name == container)
            .map(|c| &c.log)
    }

    /// The data of a ConfigMap, for volumes and environment.
    pub fn configmap(&self, ns: &str, name: &str) -> Option<&DataObject> {
        self.configmaps.get(&(ns.to_string(), name.to_string()))
    }

    pub fn secret(&self, ns: &str, name: &str) -> Option<&DataObject> {
        self.secrets.get(&(ns.to_string(), name.to_string()))
    }

    /// A JSON view of a stored ConfigMap or Secret.
    pub fn data_object_value(&self, kind: &str, o: &DataObject) -> Value {
        let mut v = serde_json::json!({
            "apiVersion": "v1",
            "kind": kind,
            "metadata": o.meta.to_value(),
        });
        if !o.data.is_empty() {
            v["data"] = serde_json::json!(o.data);
        }
        if let Some(t) = &o.type_ {
            v["type"] = serde_json::json!(t);
        }
        if let Some(i) = o.immutable {
            v["immutable"] = serde_json::json!(i);
        }
        v
    }
}
