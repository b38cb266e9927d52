//! Pods: the typed view of a Pod's spec the engine works with, and the status it reports.
//!
//! The spec itself is stored as the JSON the API server would return (every field the user set,
//! plus defaults), so `-o yaml` shows exactly what was accepted. The engine reads it through the
//! `PodSpec` view below, which keeps only what the scheduler and kubelet act on.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::meta::ObjectMeta;
use super::time::SimTime;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub volumes: Vec<Volume>,
    pub restart_policy: String,
    pub termination_grace_period_seconds: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    pub node_name: String,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<Toleration>,
    pub host_network: bool,
    pub dns_policy: String,
    pub service_account_name: String,
    pub priority: Option<i32>,
    pub readiness_gates: Vec<Value>,
    pub affinity: Option<Value>,
    pub scheduler_name: String,
    pub hostname: String,
    pub subdomain: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub image_pull_policy: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub working_dir: String,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<Value>,
    pub ports: Vec<ContainerPort>,
    pub volume_mounts: Vec<VolumeMount>,
    pub resources: Resources,
    pub liveness_probe: Option<Value>,
    pub readiness_probe: Option<Value>,
    pub startup_probe: Option<Value>,
    pub lifecycle: Option<Value>,
    pub restart_policy: Option<String>,
    pub stdin: bool,
    pub tty: bool,
    pub termination_message_path: String,
    pub termination_message_policy: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVar {
    pub name: String,
    pub value: Option<String>,
    pub value_from: Option<Value>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    pub name: String,
    pub container_port: i64,
    pub host_port: i64,
    pub host_ip: String,
    pub protocol: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub sub_path: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Resources {
    pub limits: BTreeMap<String, Value>,
    pub requests: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Volume {
    pub name: String,
    pub empty_dir: Option<Value>,
    pub host_path: Option<Value>,
    pub config_map: Option<Value>,
    pub secret: Option<Value>,
    pub projected: Option<Value>,
    pub persistent_volume_claim: Option<Value>,
    #[serde(rename = "downwardAPI")]
    pub downward_api: Option<Value>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// Whether this toleration tolerates a taint (`key`, `value`, `effect`).
    pub fn tolerates(&self, key: &str, value: &str, effect: &str) -> bool {
        if !self.effect.is_empty() && self.effect != effect {
            return false;
        }
        if self.key.is_empty() {
            return self.operator == "Exists";
        }
        if self.key != key {
            return false;
        }
        match self.operator.as_str() {
            "Exists" => true,
            _ => self.value == value,
        }
    }
}

/// `status.phase`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PodPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

/// One entry of `status.conditions`.
#[derive(Clone, Debug, PartialEq)]
pub struct PodCondition {
    pub type_: &'static str,
    pub status: bool,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub last_transition: SimTime,
}

/// A container's state, as the kubelet reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ContainerState {
    /// No state yet (`{}`), e.g. an empty `lastState`.
    #[default]
    None,
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started_at: SimTime,
    },
    Terminated {
        exit_code: i32,
        signal: Option<i32>,
        reason: String,
        message: Option<String>,
        started_at: SimTime,
        finished_at: SimTime,
        container_id: String,
    },
}

impl ContainerState {
    pub fn to_value(&self) -> Value {
        match self {
            ContainerState::None => json!({}),
            ContainerState::Waiting { reason, message } => {
                let mut w = Map::new();
                if let Some(m) = message {
                    w.insert("message".into(), json!(m));
                }
                w.insert("reason".into(), json!(reason));
                json!({ "waiting": w })
            }
            ContainerState::Running { started_at } => {
                json!({"running": {"startedAt": started_at.rfc3339()}})
            }
            ContainerState::Terminated {
                exit_code,
                signal,
                reason,
                message,
                started_at,
                finished_at,
                container_id,
            } => {
                let mut t = Map::new();
                t.insert("containerID".into(), json!(container_id));
                t.insert("exitCode".into(), json!(exit_code));
                t.insert("finishedAt".into(), json!(finished_at.rfc3339()));
                if let Some(m) = message {
                    t.insert("message".into(), json!(m));
                }
                t.insert("reason".into(), json!(reason));
                if let Some(s) = signal {
                    t.insert("signal".into(), json!(s));
                }
                t.insert("startedAt".into(), json!(started_at.rfc3339()));
                json!({ "terminated": t })
            }
        }
    }
}

/// One entry of `status.containerStatuses` / `initContainerStatuses`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerStatus {
    pub name: String,
    pub state: ContainerState,
    pub last_state: ContainerState,
    pub ready: bool,
    pub restart_count: i32,
    /// The image as the runtime names it (`docker.io/library/busybox:latest`), once pulled.
    pub image: String,
    pub image_id: String,
    pub container_id: Option<String>,
    pub started: Option<bool>,
    /// `(name, mountPath, readOnly)` of each mount, reported once the container exists.
    pub volume_mounts: Vec<(String, String, bool)>,
}

impl ContainerStatus {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(id) = &self.container_id {
            m.insert("containerID".into(), json!(id));
        }
        m.insert("image".into(), json!(self.image));
        m.insert("imageID".into(), json!(self.image_id));
        m.insert("lastState".into(), self.last_state.to_value());
        m.insert("name".into(), json!(self.name));
        m.insert("ready".into(), json!(self.ready));
        m.insert("restartCount".into(), json!(self.restart_count));
        if let Some(s) = self.started {
            m.insert("started".into(), json!(s));
        }
        m.insert("state".into(), self.state.to_value());
        if !self.volume_mounts.is_empty() {
            let mounts: Vec<Value> = self
                .volume_mounts
                .iter()
                .map(|(name, path, ro)| {
                    let mut v = Map::new();
                    v.insert("mountPath".into(), json!(path));
                    v.insert("name".into(), json!(name));
                    if *ro {
                        v.insert("readOnly".into(), json!(true));
                        v.insert("recursiveReadOnly".into(), json!("Disabled"));
                    }
                    Value::Object(v)
                })
                .collect();
            m.insert("volumeMounts".into(), Value::Array(mounts));
        }
        Value::Object(m)
    }

    /// The finish time of the last terminated instance, if any.
    pub fn last_finished(&self) -> Option<SimTime> {
        match (&self.state, &self.last_state) {
            (_, ContainerState::Terminated { finished_at, .. }) => Some(*finished_at),
            _ => None,
        }
    }
}

/// `status` of a Pod.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodStatus {
    pub phase: PodPhase,
    pub conditions: Vec<PodCondition>,
    pub host_ip: Option<String>,
    pub pod_ip: Option<String>,
    pub start_time: Option<SimTime>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    pub qos_class: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub nominated_node_name: Option<String>,
}

impl PodStatus {
    pub fn condition(&self, type_: &str) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }

    /// Sets a condition, keeping its transition time when the status does not change.
    pub fn set_condition(
        &mut self,
        type_: &'static str,
        status: bool,
        reason: Option<String>,
        message: Option<String>,
        now: SimTime,
    ) {
        if let Some(c) = self.conditions.iter_mut().find(|c| c.type_ == type_) {
            if c.status != status {
                c.last_transition = now;
            }
            c.status = status;
            c.reason = reason;
            c.message = message;
        } else {
            self.conditions.push(PodCondition {
                type_,
                status,
                reason,
                message,
                last_transition: now,
            });
        }
        let order = |t: &str| match t {
            "PodReadyToStartContainers" => 0,
            "Initialized" => 1,
            "Ready" => 2,
            "ContainersReady" => 3,
            "PodScheduled" => 4,
            _ => 5,
        };
        self.conditions.sort_by_key(|c| order(c.type_));
    }

    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if !self.conditions.is_empty() {
            let conds: Vec<Value> = self
                .conditions
                .iter()
                .map(|c| {
                    let mut v = Map::new();
                    v.insert("lastProbeTime".into(), Value::Null);
                    v.insert(
                        "lastTransitionTime".into(),
                        json!(c.last_transition.rfc3339()),
                    );
                    if let Some(msg) = &c.message {
                        v.insert("message".into(), json!(msg));
                    }
                    if let Some(r) = &c.reason {
                        v.insert("reason".into(), json!(r));
                    }
                    v.insert(
                        "status".into(),
                        json!(if c.status { "True" } else { "False" }),
                    );
                    v.insert("type".into(), json!(c.type_));
                    Value::Object(v)
                })
                .collect();
            m.insert("conditions".into(), Value::Array(conds));
        }
        if !self.container_statuses.is_empty() {
            m.insert(
                "containerStatuses".into(),
                Value::Array(
                    self.container_statuses
                        .iter()
                        .map(ContainerStatus::to_value)
                        .collect(),
                ),
            );
        }
        if let Some(ip) = &self.host_ip {
            m.insert("hostIP".into(), json!(ip));
            m.insert("hostIPs".into(), json!([{ "ip": ip }]));
        }
        if !self.init_container_statuses.is_empty() {
            m.insert(
                "initContainerStatuses".into(),
                Value::Array(
                    self.init_container_statuses
                        .iter()
                        .map(ContainerStatus::to_value)
                        .collect(),
                ),
            );
        }
        if let Some(msg) = &self.message {
            m.insert("message".into(), json!(msg));
        }
        if let Some(n) = &self.nominated_node_name {
            m.insert("nominatedNodeName".into(), json!(n));
        }
        m.insert("phase".into(), json!(self.phase.as_str()));
        if let Some(ip) = &self.pod_ip {
            m.insert("podIP".into(), json!(ip));
            m.insert("podIPs".into(), json!([{ "ip": ip }]));
        }
        m.insert("qosClass".into(), json!(self.qos_class));
        if let Some(r) = &self.reason {
            m.insert("reason".into(), json!(r));
        }
        if let Some(t) = self.start_time {
            m.insert("startTime".into(), json!(t.rfc3339()));
        }
        Value::Object(m)
    }
}

/// A stored Pod: metadata, the accepted spec (as JSON and as a typed view) and its status.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pod {
    pub meta: ObjectMeta,
    /// The spec as the API server stores it, defaults included.
    pub spec_json: Value,
    pub spec: PodSpec,
    pub status: PodStatus,
}

impl Pod {
    /// The object as `kubectl get -o json` shows it.
    pub fn to_value(&self) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": self.meta.to_value(),
            "spec": self.spec_json,
            "status": self.status.to_value(),
        })
    }

    /// The restart policy of a container: its own (sidecars) or the pod's.
    pub fn key(&self) -> (String, String) {
        (self.meta.namespace.clone(), self.meta.name.clone())
    }

    /// Every container of the pod, init containers first.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.spec
            .init_containers
            .iter()
            .chain(self.spec.containers.iter())
    }
}
