//! The API server: creating, updating and deleting objects, with decoding, defaulting,
//! admission and validation in the server's order, and its error statuses.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Map, Value};

use super::decode::decode;
use super::defaults::{admit_pod, default_pod_spec};
use super::meta::{Kind, ObjectMeta};
use super::pod::{Pod, PodSpec, PodStatus};
use super::quantity::{Quantity, QUANTITY_ERROR};
use super::validation::{
    dns1123_label, dns1123_subdomain, validate_object_meta, validate_pod_spec, FieldError, Problem,
};
use super::world::{DataObject, Task, World};

/// An error status from the API server.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    NotFound {
        resource: String,
        name: String,
    },
    AlreadyExists {
        resource: String,
        name: String,
    },
    Invalid {
        kind: String,
        name: String,
        causes: Vec<FieldError>,
    },
    BadRequest(String),
    Forbidden(String),
    Conflict(String),
    MethodNotAllowed(String),
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError::NotFound {
            resource: kind.plural().to_string(),
            name: name.to_string(),
        }
    }
    /// The status reason kubectl shows in parentheses.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::Forbidden(_) => "Forbidden",
            ApiError::Conflict(_) => "Conflict",
            ApiError::MethodNotAllowed(_) => "MethodNotAllowed",
        }
    }
}

/// The status message, as the server writes it.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { resource, name } => write!(f, "{resource} \"{name}\" not found"),
            ApiError::AlreadyExists { resource, name } => {
                write!(f, "{resource} \"{name}\" already exists")
            }
            ApiError::Invalid { kind, name, causes } => {
                write!(f, "{kind} \"{name}\" is invalid")?;
                match causes.len() {
                    0 => Ok(()),
                    1 => write!(f, ": {}", causes[0]),
                    _ => {
                        let list: Vec<String> = causes.iter().map(ToString::to_string).collect();
                        write!(f, ": [{}]", list.join(", "))
                    }
                }
            }
            ApiError::BadRequest(m)
            | ApiError::Forbidden(m)
            | ApiError::Conflict(m)
            | ApiError::MethodNotAllowed(m) => f.write_str(m),
        }
    }
}

/// The most pods a cluster holds (system pods included): about 330 MB of engine state, which
/// a browser tab can hold (10,000 pods took 660 MB).
pub const MAX_PODS: usize = 5_000;

/// The largest object etcd stores (its default request limit, 1.5 MiB).
pub const MAX_OBJECT_BYTES: usize = 1536 * 1024;

/// Decodes a manifest object as the server's strict JSON decoder does.
pub fn decode_object(v: &Value, kind: Kind, strict: bool) -> Result<Value, ApiError> {
    let d = decode(v, kind.name());
    let wrap = |msg: String| {
        ApiError::BadRequest(format!(
            "{} in version \"v1\" cannot be handled as a {}: {msg}",
            kind.name(),
            kind.name()
        ))
    };
    if let Some(e) = d.type_error {
        return Err(wrap(e));
    }
    if let Some(bad) = first_bad_quantity(&d.value) {
        let _ = bad;
        return Err(wrap(QUANTITY_ERROR.to_string()));
    }
    if strict && !d.unknown.is_empty() {
        let list: Vec<String> = d.unknown.iter().take(100).cloned().collect();
        return Err(wrap(format!("strict decoding error: {}", list.join(", "))));
    }
    Ok(d.value)
}

/// Finds a malformed quantity in container resources.
fn first_bad_quantity(v: &Value) -> Option<String> {
    let spec = v.get("spec")?;
    for list in ["containers", "initContainers"] {
        for c in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for kind in ["limits", "requests"] {
                for (_, q) in c
                    .pointer(&format!("/resources/{kind}"))
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if !q.is_null() && Quantity::from_value(q).is_none() {
                        return Some(q.to_string());
                    }
                }
            }
        }
    }
    None
}

/// The QoS class of a pod spec.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter()) {
        let r = &c.resources;
        if !r.requests.is_empty() || !r.limits.is_empty() {
            any = true;
        }
        for res in ["cpu", "memory"] {
            let l = r.limits.get(res).and_then(Quantity::from_value);
            let q = r.requests.get(res).and_then(Quantity::from_value).or(l);
            match (l, q) {
                (Some(l), Some(q)) if l == q || l.cmp_value(&q) == std::cmp::Ordering::Equal => {}
                _ => guaranteed = false,
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// What a successful write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Configured,
    Unchanged,
}

impl World {
    /// Checks that a namespace exists (for creates).
    pub fn require_namespace(&self, ns: &str) -> Result<(), ApiError> {
        if self.namespaces.contains_key(ns) {
            Ok(())
        } else {
            Err(ApiError::not_found(Kind::Namespace, ns))
        }
    }

    /// Creates an object from a decoded manifest in namespace `ns`.
    pub fn create(&mut self, kind: Kind, obj: &Value, ns: &str) -> Result<String, ApiError> {
        match kind {
            Kind::Pod => self.create_pod(obj, ns).map(|p| p.meta.name.clone()),
            Kind::Namespace => self.create_namespace(obj),
            Kind::ConfigMap | Kind::Secret => self.create_data_object(kind, obj, ns),
            Kind::Service => self.create_service(obj, ns),
            Kind::Node
            | Kind::Event
            | Kind::ServiceAccount
            | Kind::Endpoints
            | Kind::EndpointSlice
            | Kind::PriorityClass => Err(ApiError::MethodNotAllowed(format!(
                "the server does not allow this method on the requested resource (post {})",
                kind.plural()
            ))),
        }
    }

    fn create_namespace(&mut self, obj: &Value) -> Result<String, ApiError> {
        let meta_json = obj.get("metadata").cloned().unwrap_or(json!({}));
        let errs = validate_object_meta(&meta_json, dns1123_label);
        let name = meta_json
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !errs.is_empty() {
            return Err(ApiError::Invalid {
                kind: "Namespace".into(),
                name,
                causes: errs,
            });
        }
        if self.namespaces.contains_key(&name) {
            return Err(ApiError::AlreadyExists {
                resource: "namespaces".into(),
                name,
            });
        }
        self.create_namespace_object(&name);
        if let Some(ns) = self.namespaces.get_mut(&name) {
            let m = ObjectMeta::from_manifest(&meta_json);
            ns.meta.labels.extend(m.labels);
            ns.meta.annotations.extend(m.annotations);
        }
        Ok(name)
    }

    fn create_data_object(
        &mut self,
        kind: Kind,
        obj: &Value,
        ns: &str,
    ) -> Result<String, ApiError> {
        self.require_namespace(ns)?;
        let meta_json = obj.get("metadata").cloned().unwrap_or(json!({}));
        let mut meta = ObjectMeta::from_manifest(&meta_json);
        let mut errs = validate_object_meta(&meta_json, dns1123_subdomain);
        let mut data = BTreeMap::new();
        let is_secret = kind == Kind::Secret;
        for (k, v) in obj
            .get("data")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let s = v.as_str().unwrap_or_default().to_string();
            if is_secret {
                use base64::Engine;
                if base64::engine::general_purpose::STANDARD
                    .decode(&s)
                    .is_err()
                {
                    return Err(ApiError::BadRequest(format!(
                        "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {}",
                        s.len().saturating_sub(1)
                    )));
                }
            }
            data.insert(k.clone(), s);
        }
        if is_secret {
            use base64::Engine;
            for (k, v) in obj
                .get("stringData")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                data.insert(
                    k.clone(),
                    base64::engine::general_purpose::STANDARD
                        .encode(v.as_str().unwrap_or_default()),
                );
            }
        }
        for k in data.keys() {
            if k.is_empty()
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                errs.push(FieldError {
                    path: format!("data[{k}]"),
                    problem: Problem::Invalid(super::validation::quote(k), "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".into()),
                });
            }
        }
        if !errs.is_empty() {
            return Err(ApiError::Invalid {
                kind: kind.name().into(),
                name: meta.name,
                causes: errs,
            });
        }
        let key = (ns.to_string(), meta.name.clone());
        let map = if is_secret {
            &self.secrets
        } else {
            &self.configmaps
        };
        if map.contains_key(&key) {
            return Err(ApiError::AlreadyExists {
                resource: kind.plural().into(),
                name: meta.name,
            });
        }
        meta.namespace = ns.to_string();
        meta.uid = self.new_uid();
        meta.resource_version = self.next_rv();
        meta.creation = self.now();
        let type_ = if is_secret {
            Some(
                obj.get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("Opaque")
                    .to_string(),
            )
        } else {
            None
        };
        let immutable = obj.get("immutable").and_then(Value::as_bool);
        let name = meta.name.clone();
        let o = DataObject {
            meta,
            data,
            type_,
            immutable,
        };
        if is_secret {
            self.secrets.insert(key, o);
        } else {
            self.configmaps.insert(key, o);
        }
        Ok(name)
    }

    /// Builds a Pod from a decoded manifest: defaults, admission and validation.
    pub(crate) fn build_pod(
        &mut self,
        obj: &Value,
        ns: &str,
        admit: bool,
    ) -> Result<Pod, ApiError> {
        let meta_json = obj.get("metadata").cloned().unwrap_or(json!({}));
        let mut meta = ObjectMeta::from_manifest(&meta_json);
        meta.namespace = ns.to_string();
        let mut spec_map: Map<String, Value> = obj
            .get("spec")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        default_pod_spec(&mut spec_map);
        if admit {
            if let Err(why) = super::defaults::admit_priority(&mut spec_map) {
                let name = if meta.name.is_empty() {
                    meta.generate_name.clone()
                } else {
                    meta.name.clone()
                };
                return Err(ApiError::Forbidden(format!(
                    "pods \"{name}\" is forbidden: {why}"
                )));
            }
            let suffix = self.random_suffix(5);
            admit_pod(&mut spec_map, &suffix);
        }
        let spec_json = Value::Object(spec_map);
        let spec: PodSpec = serde_json::from_value(spec_json.clone()).map_err(|e| {
            ApiError::BadRequest(format!(
                "Pod in version \"v1\" cannot be handled as a Pod: {e}"
            ))
        })?;
        let mut causes = validate_object_meta(&meta_json, dns1123_subdomain);
        causes.extend(validate_pod_spec(&spec, &spec_json));
        if !causes.is_empty() {
            return Err(ApiError::Invalid {
                kind: "Pod".into(),
                name: meta.name.clone(),
                causes,
            });
        }
        let status = PodStatus {
            qos_class: qos_class(&spec).into(),
            ..PodStatus::default()
        };
        Ok(Pod {
            meta,
            spec_json,
            spec,
            status,
        })
    }

    /// Creates a Pod.
    pub fn create_pod(&mut self, obj: &Value, ns: &str) -> Result<&Pod, ApiError> {
        self.require_namespace(ns)?;
        let mut pod = self.build_pod(obj, ns, true)?;
        if pod.meta.name.is_empty() {
            let suffix = self.random_suffix(5);
            pod.meta.name = format!("{}{suffix}", pod.meta.generate_name);
        }
        let key = (ns.to_string(), pod.meta.name.clone());
        if self.pods.contains_key(&key) {
            return Err(ApiError::AlreadyExists {
                resource: "pods".into(),
                name: pod.meta.name,
            });
        }
        if self.pods.len() >= MAX_PODS {
            return Err(ApiError::Forbidden(format!(
                "pods \"{}\" is forbidden: the playground's cluster holds at most {MAX_PODS} pods",
                pod.meta.name
            )));
        }
        // etcd's limit on one stored object, as the API server reports it.
        if pod.to_value().to_string().len() > MAX_OBJECT_BYTES {
            return Err(ApiError::BadRequest(
                "etcdserver: request is too large".into(),
            ));
        }
        self.warnings = pod_warnings(&pod.spec_json);
        pod.meta.uid = self.new_uid();
        pod.meta.resource_version = self.next_rv();
        pod.meta.creation = self.now();
        let uid = pod.meta.uid.clone();
        let has_node = !pod.spec.node_name.is_empty();
        self.uids.insert(uid.clone(), key.clone());
        self.pods.insert(key.clone(), pod);
        self.record_change(&key);
        if has_node {
            self.bind_directly(&uid);
        } else {
            self.schedule(self.now(), Task::Schedule(uid));
        }
        Ok(&self.pods[&key])
    }

    /// Replaces a Pod's spec and metadata (PUT): only the fields Kubernetes lets change may change.
    pub fn update_pod(&mut self, obj: &Value, ns: &str) -> Result<Written, ApiError> {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let key = (ns.to_string(), name.clone());
        let Some(old) = self.pods.get(&key).cloned() else {
            return Err(ApiError::not_found(Kind::Pod, &name));
        };
        let mut new = self.build_pod(obj, ns, false)?;
        // Admission keeps the priority the pod was created with.
        if let (Value::Object(n), Some(o)) = (&mut new.spec_json, old.spec_json.as_object()) {
            for k in ["priority", "preemptionPolicy"] {
                if !n.contains_key(k) {
                    if let Some(v) = o.get(k) {
                        n.insert(k.into(), v.clone());
                    }
                }
            }
        }
        let diff = super::podupdate::forbidden_changes(&old.spec_json, &new.spec_json);
        if let Some(text) = diff {
            return Err(ApiError::Invalid {
                kind: "Pod".into(),
                name,
                causes: vec![FieldError {
                    path: "spec".into(),
                    problem: Problem::Forbidden(text),
                }],
            });
        }
        let merged_spec = super::podupdate::apply_mutable(&old.spec_json, &new.spec_json);
        let changed = merged_spec != old.spec_json
            || new.meta.labels != old.meta.labels
            || new.meta.annotations != old.meta.annotations
            || new.meta.finalizers != old.meta.finalizers;
        if !changed {
            return Ok(Written::Unchanged);
        }
        let image_changed = merged_spec != old.spec_json;
        if let Some(p) = self.pods.get_mut(&key) {
            p.meta.labels = new.meta.labels;
            p.meta.annotations = new.meta.annotations;
            p.meta.finalizers = new.meta.finalizers;
            if image_changed {
                p.spec =
                    serde_json::from_value(merged_spec.clone()).unwrap_or_else(|_| p.spec.clone());
                p.spec_json = merged_spec;
            }
        }
        self.touch_pod(&key);
        if image_changed {
            let uid = old.meta.uid.clone();
            self.kubelet_spec_changed(&uid);
        }
        self.maybe_finish_deletion(&key);
        Ok(Written::Configured)
    }

    /// Sets a pod's labels, annotations or finalizers (merge patch and `kubectl label`).
    pub fn patch_pod_meta(
        &mut self,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut ObjectMeta),
    ) -> Result<bool, ApiError> {
        let key = (ns.to_string(), name.to_string());
        let Some(p) = self.pods.get_mut(&key) else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        let before = p.meta.clone();
        f(&mut p.meta);
        let errs = super::validation::validate_meta_maps(&p.meta.labels, &p.meta.annotations);
        if !errs.is_empty() {
            p.meta = before;
            return Err(ApiError::Invalid {
                kind: "Pod".into(),
                name: name.to_string(),
                causes: errs,
            });
        }
        let changed = p.meta != before;
        if changed {
            self.touch_pod(&key);
            self.maybe_finish_deletion(&key);
        }
        Ok(changed)
    }

    /// Deletes a Pod. `grace` is the requested grace period (None: the pod's own).
    pub fn delete_pod(&mut self, ns: &str, name: &str, grace: Option<i64>) -> Result<(), ApiError> {
        let key = (ns.to_string(), name.to_string());
        let Some(pod) = self.pods.get(&key) else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        let uid = pod.meta.uid.clone();
        let own = pod.spec.termination_grace_period_seconds.unwrap_or(30);
        let mut g = grace.unwrap_or(own).max(0);
        // A pod that never reached a node, or already finished, goes at once.
        if pod.spec.node_name.is_empty() || pod.status.phase.is_terminal() {
            g = 0;
        }
        if let Some(existing) = pod.meta.deletion {
            // A second delete can only shorten the grace period.
            let remaining = existing.since(self.now()) / 1000;
            if g as u64 >= remaining && g != 0 {
                return Ok(());
            }
        }
        let now = self.now();
        if let Some(p) = self.pods.get_mut(&key) {
            p.meta.deletion = Some(now.plus_secs(g as u64));
            p.meta.deletion_grace_period_seconds = Some(g);
        }
        self.touch_pod(&key);
        let node_down = self
            .pods
            .get(&key)
            .and_then(|p| self.nodes.get(&p.spec.node_name))
            .is_some_and(|n| n.stopped);
        if g == 0 {
            self.remove_pod_object(&key);
            self.kubelet_orphan(&uid);
        } else if !node_down {
            // A stopped node's kubelet learns of the deletion when it comes back.
            self.kubelet_terminate(&uid, g);
        }
        Ok(())
    }

    /// Removes a deleted pod from the store once nothing holds it.
    pub(crate) fn maybe_finish_deletion(&mut self, key: &(String, String)) {
        let Some(p) = self.pods.get(key) else { return };
        if p.meta.deletion.is_none() || !p.meta.finalizers.is_empty() {
            return;
        }
        let uid = p.meta.uid.clone();
        let stopped = self.runtimes.get(&uid).is_none_or(|rt| rt.all_stopped());
        let forced = p.meta.deletion_grace_period_seconds == Some(0);
        if stopped || forced {
            self.remove_pod_object(key);
        }
    }

    fn remove_pod_object(&mut self, key: &(String, String)) {
        let Some(p) = self.pods.get(key) else { return };
        if !p.meta.finalizers.is_empty() {
            return;
        }
        let was_bound = !p.spec.node_name.is_empty();
        self.pods.remove(key);
        self.record_change(key);
        // Freed resources and ports may let a pending pod in.
        if was_bound {
            self.reschedule_pending();
        }
    }

    /// Updates a ConfigMap or Secret in place (data, labels, annotations), keeping its identity.
    pub fn update_data_object(
        &mut self,
        kind: Kind,
        obj: &Value,
        ns: &str,
    ) -> Result<Written, ApiError> {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let key = (ns.to_string(), name.clone());
        // Validate through a scratch create, which checks names, keys and encodings.
        let mut scratch = World::new(0);
        if kind.namespaced() && scratch.require_namespace(ns).is_err() {
            scratch.create_namespace_object(ns);
        }
        scratch.create(kind, obj, ns)?;
        let fresh = if kind == Kind::Secret {
            scratch.secrets.get(&key).cloned()
        } else {
            scratch.configmaps.get(&key).cloned()
        };
        let Some(fresh) = fresh else {
            return Err(ApiError::not_found(kind, &name));
        };
        let rv = self.next_rv();
        let map = if kind == Kind::Secret {
            &mut self.secrets
        } else {
            &mut self.configmaps
        };
        let Some(cur) = map.get_mut(&key) else {
            return Err(ApiError::not_found(kind, &name));
        };
        if cur.data == fresh.data
            && cur.meta.labels == fresh.meta.labels
            && cur.meta.annotations == fresh.meta.annotations
            && cur.type_ == fresh.type_
        {
            return Ok(Written::Unchanged);
        }
        if cur.immutable == Some(true) && cur.data != fresh.data {
            return Err(ApiError::Invalid {
                kind: kind.name().into(),
                name,
                causes: vec![FieldError {
                    path: "data".into(),
                    problem: Problem::Forbidden(
                        "field is immutable when `immutable` is set".into(),
                    ),
                }],
            });
        }
        cur.data = fresh.data;
        cur.meta.labels = fresh.meta.labels;
        cur.meta.annotations = fresh.meta.annotations;
        cur.immutable = fresh.immutable;
        cur.meta.resource_version = rv;
        Ok(Written::Configured)
    }

    pub fn delete_namespace(&mut self, name: &str) -> Result<(), ApiError> {
        if !self.namespaces.contains_key(name) {
            return Err(ApiError::not_found(Kind::Namespace, name));
        }
        if matches!(
            name,
            "default" | "kube-system" | "kube-public" | "kube-node-lease"
        ) {
            return Err(ApiError::Forbidden(format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            )));
        }
        let pods: Vec<String> = self
            .pods
            .keys()
            .filter(|(ns, _)| ns == name)
            .map(|(_, n)| n.clone())
            .collect();
        for p in pods {
            let _ = self.delete_pod(name, &p, Some(0));
        }
        self.configmaps.retain(|(ns, _), _| ns != name);
        self.services.retain(|(ns, _), _| ns != name);
        self.secrets.retain(|(ns, _), _| ns != name);
        self.events.retain(|e| e.meta.namespace != name);
        self.reindex_events();
        self.namespaces.remove(name);
        Ok(())
    }

    pub fn delete_data_object(&mut self, kind: Kind, ns: &str, name: &str) -> Result<(), ApiError> {
        let key = (ns.to_string(), name.to_string());
        let map = if kind == Kind::Secret {
            &mut self.secrets
        } else {
            &mut self.configmaps
        };
        map.remove(&key)
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(kind, name))
    }
}

/// Node labels the API server warns about (`pkg/api/pod/warnings.go`).
const DEPRECATED_NODE_LABELS: &[(&str, &str)] = &[
    (
        "beta.kubernetes.io/arch",
        "deprecated since v1.14; use \"kubernetes.io/arch\" instead",
    ),
    (
        "beta.kubernetes.io/instance-type",
        "deprecated since v1.17; use \"node.kubernetes.io/instance-type\" instead",
    ),
    (
        "beta.kubernetes.io/os",
        "deprecated since v1.14; use \"kubernetes.io/os\" instead",
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        "deprecated since v1.17; use \"topology.kubernetes.io/region\" instead",
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        "deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead",
    ),
];

/// The warnings the API server returns with a pod write.
pub fn pod_warnings(spec: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let deprecated = |k: &str| {
        DEPRECATED_NODE_LABELS
            .iter()
            .find(|(l, _)| *l == k)
            .map(|(_, m)| *m)
    };
    if let Some(sel) = spec.get("nodeSelector").and_then(Value::as_object) {
        for k in sel.keys() {
            if let Some(m) = deprecated(k) {
                out.push(format!("spec.nodeSelector[{k}]: {m}"));
            }
        }
    }
    let base = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
    let terms = spec.pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms").and_then(Value::as_array);
    for (i, t) in terms.into_iter().flatten().enumerate() {
        for (j, e) in t
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let k = e.get("key").and_then(Value::as_str).unwrap_or_default();
            if let Some(m) = deprecated(k) {
                out.push(format!("{base}[{i}].matchExpressions[{j}].key: {k} is {m}"));
            }
        }
    }
    out
}
