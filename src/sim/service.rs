//! Services and what makes them work: the API server's defaulting, validation and address
//! allocation (cluster IPs from `10.96.0.0/12`, node ports from 30000–32767), the EndpointSlice
//! and Endpoints controllers (computed from the pods on every read, so they never lag), and the
//! objects a kubeadm cluster starts with (`default/kubernetes`, `kube-system/kube-dns`).
//! kube-proxy's rules and CoreDNS live in `proxy` and `dns`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use serde_json::{json, Map, Value};

use super::api::ApiError;
use super::meta::{Kind, ObjectMeta};
use super::node::Cidr;
use super::pod::{Pod, PodPhase};
use super::time::SimTime;
use super::validation::{
    label_value, port_name_problems, qualified_name, quote, validate_object_meta, FieldError,
    Problem,
};
use super::world::World;

/// The service cluster IP range kubeadm configures.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
/// The API server's own service address (the range's first address).
pub const KUBERNETES_IP: Ipv4Addr = Ipv4Addr::new(10, 96, 0, 1);
/// kube-dns, the cluster's nameserver (the range's tenth address).
pub const DNS_IP: Ipv4Addr = Ipv4Addr::new(10, 96, 0, 10);
/// The node port range.
pub const NODE_PORTS: (i64, i64) = (30000, 32767);
/// The annotation the endpoint controllers stamp with the time of the change they synced.
const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
/// The cluster's DNS domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// Messages of `IsDNS1035Label`.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if s.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    let b = s.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-';
    if !ok {
        msgs.push(DNS1035_MSG.to_string());
    }
    msgs
}

/// A service port's `targetPort`: a number, or the name of a container port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetPort {
    Number(i64),
    Name(String),
}

impl TargetPort {
    pub fn to_value(&self) -> Value {
        match self {
            TargetPort::Number(n) => json!(n),
            TargetPort::Name(s) => json!(s),
        }
    }
    /// As kubectl prints it (`8080`, `http`).
    pub fn text(&self) -> String {
        match self {
            TargetPort::Number(n) => n.to_string(),
            TargetPort::Name(s) => s.clone(),
        }
    }
}

/// One entry of `spec.ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub protocol: String,
    pub app_protocol: Option<String>,
    pub port: i64,
    pub target_port: TargetPort,
    /// Set for NodePort and LoadBalancer services.
    pub node_port: Option<i64>,
}

/// A stored Service.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub meta: ObjectMeta,
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub type_: String,
    /// The cluster IP, `None` for a headless service, empty for ExternalName.
    pub cluster_ip: String,
    pub ports: Vec<ServicePort>,
    /// Empty: no selector (endpoints are managed by hand, or by the API server for `kubernetes`).
    pub selector: BTreeMap<String, String>,
    pub session_affinity: String,
    pub affinity_timeout: Option<i64>,
    pub external_traffic_policy: Option<String>,
    pub internal_traffic_policy: Option<String>,
    pub publish_not_ready: bool,
    pub external_name: Option<String>,
    pub external_ips: Vec<String>,
    /// The generated name of the service's EndpointSlice (`web-x7k2p`).
    pub slice_name: String,
    pub slice_uid: String,
}

impl Service {
    pub fn headless(&self) -> bool {
        self.cluster_ip == "None"
    }
    pub fn ip(&self) -> Option<Ipv4Addr> {
        self.cluster_ip.parse().ok()
    }
    /// `default/kubernetes`, whose endpoints the API server keeps itself.
    pub fn is_api_server(&self) -> bool {
        self.meta.namespace == "default" && self.meta.name == "kubernetes"
    }

    /// The object as the API server returns it.
    pub fn to_value(&self) -> Value {
        let mut spec = Map::new();
        if self.type_ != "ExternalName" {
            spec.insert("clusterIP".into(), json!(self.cluster_ip));
            spec.insert("clusterIPs".into(), json!([self.cluster_ip]));
        }
        if let Some(p) = &self.external_traffic_policy {
            spec.insert("externalTrafficPolicy".into(), json!(p));
        }
        if !self.external_ips.is_empty() {
            spec.insert("externalIPs".into(), json!(self.external_ips));
        }
        if let Some(n) = &self.external_name {
            spec.insert("externalName".into(), json!(n));
        }
        if let Some(p) = &self.internal_traffic_policy {
            spec.insert("internalTrafficPolicy".into(), json!(p));
        }
        if self.type_ != "ExternalName" {
            spec.insert("ipFamilies".into(), json!(["IPv4"]));
            spec.insert("ipFamilyPolicy".into(), json!("SingleStack"));
        }
        if !self.ports.is_empty() {
            let ports: Vec<Value> = self
                .ports
                .iter()
                .map(|p| {
                    let mut m = Map::new();
                    if let Some(a) = &p.app_protocol {
                        m.insert("appProtocol".into(), json!(a));
                    }
                    if !p.name.is_empty() {
                        m.insert("name".into(), json!(p.name));
                    }
                    if let Some(n) = p.node_port {
                        m.insert("nodePort".into(), json!(n));
                    }
                    m.insert("port".into(), json!(p.port));
                    m.insert("protocol".into(), json!(p.protocol));
                    m.insert("targetPort".into(), p.target_port.to_value());
                    Value::Object(m)
                })
                .collect();
            spec.insert("ports".into(), Value::Array(ports));
        }
        if self.publish_not_ready {
            spec.insert("publishNotReadyAddresses".into(), json!(true));
        }
        if !self.selector.is_empty() {
            spec.insert("selector".into(), json!(self.selector));
        }
        spec.insert("sessionAffinity".into(), json!(self.session_affinity));
        if let Some(t) = self.affinity_timeout {
            spec.insert(
                "sessionAffinityConfig".into(),
                json!({"clientIP": {"timeoutSeconds": t}}),
            );
        }
        spec.insert("type".into(), json!(self.type_));
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": self.meta.to_value(),
            "spec": Value::Object(spec),
            "status": {"loadBalancer": {}},
        })
    }
}

/// One address behind a service, as the EndpointSlice controller computes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: Ipv4Addr,
    /// The pod (namespace, name) and uid, or None for a hand-made endpoint.
    pub pod: Option<(String, String, String)>,
    pub node: String,
    pub hostname: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// The target port for each service port (same order), None where the pod lacks a named
    /// port.
    pub ports: Vec<Option<i64>>,
}

impl Endpoint {
    /// Whether kube-proxy sends new connections here.
    pub fn usable(&self) -> bool {
        self.ready
    }
}

fn pod_ready(p: &Pod) -> bool {
    p.status.condition("Ready").is_some_and(|c| c.status)
}

/// The container port a target port names on a pod.
fn resolve_target(p: &Pod, port: &ServicePort) -> Option<i64> {
    match &port.target_port {
        TargetPort::Number(n) => Some(*n),
        TargetPort::Name(name) => p
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|cp| &cp.name == name && cp.protocol == port.protocol)
            .map(|cp| cp.container_port),
    }
}

impl World {
    /// The endpoints behind a service: the pods its selector matches that have an address and
    /// have not finished, in the order the controller lists them (by pod name).
    pub fn service_endpoints(&self, svc: &Service) -> Vec<Endpoint> {
        if svc.type_ == "ExternalName" {
            return Vec::new();
        }
        if svc.selector.is_empty() {
            // The API server keeps the `kubernetes` service's endpoints: its own address.
            if svc.is_api_server() {
                return self
                    .nodes
                    .values()
                    .filter(|n| n.is_control_plane())
                    .map(|n| Endpoint {
                        ip: n.ip,
                        pod: None,
                        node: String::new(),
                        hostname: None,
                        ready: true,
                        serving: true,
                        terminating: false,
                        ports: vec![Some(6443); svc.ports.len()],
                    })
                    .collect();
            }
            return Vec::new();
        }
        let mut out = Vec::new();
        for p in self.pods.values() {
            if p.meta.namespace != svc.meta.namespace
                || !svc
                    .selector
                    .iter()
                    .all(|(k, v)| p.meta.labels.get(k) == Some(v))
            {
                continue;
            }
            if matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) {
                continue;
            }
            let Some(ip) = p.status.pod_ip.as_deref().and_then(|i| i.parse().ok()) else {
                continue;
            };
            let terminating = p.meta.deletion.is_some();
            let serving = pod_ready(p);
            let hostname = (!p.spec.hostname.is_empty() && p.spec.subdomain == svc.meta.name)
                .then(|| p.spec.hostname.clone());
            out.push(Endpoint {
                ip,
                pod: Some((
                    p.meta.namespace.clone(),
                    p.meta.name.clone(),
                    p.meta.uid.clone(),
                )),
                node: p.spec.node_name.clone(),
                hostname,
                ready: svc.publish_not_ready || (serving && !terminating),
                serving,
                terminating,
                ports: svc.ports.iter().map(|sp| resolve_target(p, sp)).collect(),
            });
        }
        out
    }

    /// The legacy Endpoints object of a service (None for services without a selector, except
    /// `kubernetes`).
    pub fn endpoints_value(&self, svc: &Service) -> Option<Value> {
        if svc.selector.is_empty() && !svc.is_api_server() {
            return None;
        }
        let eps = self.service_endpoints(svc);
        let mut meta = svc.meta.to_value();
        if let Some(m) = meta.as_object_mut() {
            m.remove("annotations");
            if let Some(t) = self.endpoints_trigger_time(svc) {
                m.insert("annotations".into(), json!({TRIGGER_TIME: t.rfc3339()}));
            }
            m.remove("uid");
            m.insert("uid".into(), json!(derived_uid(&svc.meta.uid, 1)));
            if svc.is_api_server() {
                m.insert(
                    "labels".into(),
                    json!({"endpointslice.kubernetes.io/skip-mirror": "true"}),
                );
            } else if !svc.meta.labels.is_empty() {
                m.insert("labels".into(), json!(svc.meta.labels));
            }
        }
        // Addresses grouped by the ports they resolve to, as the controller packs subsets.
        let mut subsets: Vec<Subset> = Vec::new();
        for e in eps
            .iter()
            .filter(|e| !e.terminating || svc.publish_not_ready)
        {
            let addr = endpoint_address(e);
            let i = match subsets.iter().position(|s| s.0 == e.ports) {
                Some(i) => i,
                None => {
                    subsets.push((e.ports.clone(), Vec::new(), Vec::new()));
                    subsets.len() - 1
                }
            };
            if e.ready || svc.publish_not_ready {
                subsets[i].1.push(addr);
            } else {
                subsets[i].2.push(addr);
            }
        }
        let subsets: Vec<Value> = subsets
            .into_iter()
            .map(|(ports, ready, not_ready)| {
                let ports: Vec<Value> = svc
                    .ports
                    .iter()
                    .zip(&ports)
                    .filter_map(|(sp, tp)| {
                        tp.map(|tp| {
                            let mut m = Map::new();
                            if !sp.name.is_empty() {
                                m.insert("name".into(), json!(sp.name));
                            }
                            m.insert("port".into(), json!(tp));
                            m.insert("protocol".into(), json!(sp.protocol));
                            Value::Object(m)
                        })
                    })
                    .collect();
                let mut m = Map::new();
                if !ready.is_empty() {
                    m.insert("addresses".into(), Value::Array(ready));
                }
                if !not_ready.is_empty() {
                    m.insert("notReadyAddresses".into(), Value::Array(not_ready));
                }
                m.insert("ports".into(), Value::Array(ports));
                Value::Object(m)
            })
            .collect();
        let mut v = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta});
        if !subsets.is_empty() {
            v["subsets"] = Value::Array(subsets);
        }
        Some(v)
    }

    /// The EndpointSlice of a service (one per service: podplay's services stay small).
    pub fn endpointslice_value(&self, svc: &Service) -> Option<Value> {
        if svc.selector.is_empty() && !svc.is_api_server() {
            return None;
        }
        let eps = self.service_endpoints(svc);
        let endpoints: Vec<Value> = eps
            .iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("addresses".into(), json!([e.ip.to_string()]));
                m.insert(
                    "conditions".into(),
                    if e.pod.is_none() {
                        json!({"ready": e.ready})
                    } else {
                        json!({"ready": e.ready, "serving": e.serving, "terminating": e.terminating})
                    },
                );
                endpoint_refs(e, &mut m);
                Value::Object(m)
            })
            .collect();
        // Ports as the first endpoint resolves them; a slice without endpoints has none.
        let ports: Option<Vec<Value>> = eps.first().map(|e| {
            svc.ports
                .iter()
                .zip(&e.ports)
                .map(|(sp, tp)| {
                    let mut m = Map::new();
                    m.insert("name".into(), json!(sp.name));
                    if let Some(tp) = tp {
                        m.insert("port".into(), json!(tp));
                    }
                    m.insert("protocol".into(), json!(sp.protocol));
                    Value::Object(m)
                })
                .collect()
        });
        let kubernetes = svc.is_api_server();
        let mut labels = Map::new();
        if !kubernetes {
            for (k, v) in &svc.meta.labels {
                labels.insert(k.clone(), json!(v));
            }
            labels.insert(
                "endpointslice.kubernetes.io/managed-by".into(),
                json!("endpointslice-controller.k8s.io"),
            );
        }
        labels.insert("kubernetes.io/service-name".into(), json!(svc.meta.name));
        let mut meta = json!({
            "creationTimestamp": svc.meta.creation.rfc3339(),
            "generation": 1,
            "labels": labels,
            "name": svc.slice_name,
            "namespace": svc.meta.namespace,
            "resourceVersion": svc.meta.resource_version.to_string(),
            "uid": svc.slice_uid,
        });
        if let Some(t) = self.endpoints_trigger_time(svc) {
            meta["annotations"] = json!({TRIGGER_TIME: t.rfc3339()});
        }
        if !kubernetes {
            meta["generateName"] = json!(format!("{}-", svc.meta.name));
            meta["ownerReferences"] = json!([{"apiVersion": "v1", "blockOwnerDeletion": true, "controller": true, "kind": "Service", "name": svc.meta.name, "uid": svc.meta.uid}]);
        }
        let mut v = json!({
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": meta,
        });
        v["ports"] = ports.map_or(Value::Null, Value::Array);
        v["endpoints"] = if endpoints.is_empty() {
            Value::Null
        } else {
            Value::Array(endpoints)
        };
        Some(v)
    }

    /// When the last pod change the endpoint controllers synced happened: a selected pod's
    /// Ready transition, creation or deletion.
    fn endpoints_trigger_time(&self, svc: &Service) -> Option<SimTime> {
        if svc.selector.is_empty() {
            return None;
        }
        self.service_endpoints(svc)
            .iter()
            .filter_map(|e| {
                let (ns, name, _) = e.pod.as_ref()?;
                let p = self.pods.get(&(ns.clone(), name.clone()))?;
                let ready = p.status.condition("Ready").map(|c| c.last_transition);
                Some(
                    [Some(p.meta.creation), ready, p.meta.deletion]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(p.meta.creation),
                )
            })
            .max()
    }

    /// The service with this cluster IP.
    pub fn service_at(&self, ip: Ipv4Addr) -> Option<&Service> {
        let text = ip.to_string();
        self.services.values().find(|s| s.cluster_ip == text)
    }
}

/// An Endpoints subset being packed: its resolved ports, ready and not-ready addresses.
type Subset = (Vec<Option<i64>>, Vec<Value>, Vec<Value>);

fn endpoint_address(e: &Endpoint) -> Value {
    let mut m = Map::new();
    m.insert("ip".into(), json!(e.ip.to_string()));
    endpoint_refs(e, &mut m);
    Value::Object(m)
}

/// The fields an Endpoints address and an EndpointSlice endpoint share: hostname, node and
/// the pod behind it.
fn endpoint_refs(e: &Endpoint, m: &mut Map<String, Value>) {
    if let Some(h) = &e.hostname {
        m.insert("hostname".into(), json!(h));
    }
    if !e.node.is_empty() {
        m.insert("nodeName".into(), json!(e.node));
    }
    if let Some((ns, name, uid)) = &e.pod {
        m.insert(
            "targetRef".into(),
            json!({"kind": "Pod", "name": name, "namespace": ns, "uid": uid}),
        );
    }
}

/// A stable identifier for an object the controllers derive from another (its Endpoints).
fn derived_uid(uid: &str, salt: u8) -> String {
    let h = uid
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64 ^ u64::from(salt), |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let g = h.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let x = format!("{h:016x}{g:016x}");
    format!(
        "{}-{}-4{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        &x[16..20],
        &x[20..32]
    )
}

/// What a manifest asks for, before allocation.
struct Wanted {
    svc: Service,
    /// Node ports the manifest names (index, port).
    node_ports: Vec<(usize, i64)>,
    cluster_ip: Option<String>,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Defaults and validates a Service manifest (`ValidateService`, in the server's order).
fn read_service(obj: &Value, ns: &str) -> Result<Wanted, Vec<FieldError>> {
    let meta_json = obj.get("metadata").cloned().unwrap_or(json!({}));
    let mut errs = validate_object_meta(&meta_json, dns1035_label);
    let mut meta = ObjectMeta::from_manifest(&meta_json);
    meta.namespace = ns.to_string();
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let err = |errs: &mut Vec<FieldError>, path: String, problem: Problem| {
        errs.push(FieldError { path, problem })
    };
    let type_ = str_at(&spec, "type").unwrap_or("ClusterIP").to_string();
    const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if !TYPES.contains(&type_.as_str()) {
        err(
            &mut errs,
            "spec.type".into(),
            Problem::NotSupported(quote(&type_), TYPES.to_vec()),
        );
    }
    let cluster_ip = str_at(&spec, "clusterIP")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let headless = cluster_ip.as_deref() == Some("None");
    let mut ports = Vec::new();
    let mut node_ports = Vec::new();
    let raw_ports: Vec<Value> = spec
        .get("ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if raw_ports.is_empty() && !headless && type_ != "ExternalName" {
        err(
            &mut errs,
            "spec.ports".into(),
            Problem::Required(String::new()),
        );
    }
    let mut names = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for (i, p) in raw_ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let name = str_at(p, "name").unwrap_or_default().to_string();
        if raw_ports.len() > 1 && name.is_empty() {
            err(
                &mut errs,
                format!("{path}.name"),
                Problem::Required(String::new()),
            );
        } else if !name.is_empty() {
            for m in super::validation::dns1123_label(&name) {
                err(
                    &mut errs,
                    format!("{path}.name"),
                    Problem::Invalid(quote(&name), m),
                );
            }
            if !names.insert(name.clone()) {
                err(
                    &mut errs,
                    format!("{path}.name"),
                    Problem::Duplicate(quote(&name)),
                );
            }
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        if !(1..=65535).contains(&port) {
            err(
                &mut errs,
                format!("{path}.port"),
                Problem::Invalid(
                    port.to_string(),
                    "must be between 1 and 65535, inclusive".into(),
                ),
            );
        }
        let protocol = str_at(p, "protocol").unwrap_or("TCP").to_string();
        if !["SCTP", "TCP", "UDP"].contains(&protocol.as_str()) {
            err(
                &mut errs,
                format!("{path}.protocol"),
                Problem::NotSupported(quote(&protocol), vec!["SCTP", "TCP", "UDP"]),
            );
        }
        let target_port = match p.get("targetPort") {
            Some(Value::String(s)) if !s.is_empty() => {
                for m in port_name_problems(s) {
                    err(
                        &mut errs,
                        format!("{path}.targetPort"),
                        Problem::Invalid(quote(s), m.to_string()),
                    );
                }
                TargetPort::Name(s.clone())
            }
            Some(Value::Number(n)) if n.as_i64().unwrap_or(0) != 0 => {
                let n = n.as_i64().unwrap_or(0);
                if !(1..=65535).contains(&n) {
                    err(
                        &mut errs,
                        format!("{path}.targetPort"),
                        Problem::Invalid(
                            n.to_string(),
                            "must be between 1 and 65535, inclusive".into(),
                        ),
                    );
                }
                TargetPort::Number(n)
            }
            // Defaulted to the port.
            _ => TargetPort::Number(port),
        };
        let node_port = p
            .get("nodePort")
            .and_then(Value::as_i64)
            .filter(|n| *n != 0);
        if let Some(n) = node_port {
            if type_ == "ClusterIP" {
                err(
                    &mut errs,
                    format!("{path}.nodePort"),
                    Problem::Forbidden("may not be used when `type` is 'ClusterIP'".into()),
                );
            } else {
                node_ports.push((i, n));
            }
        }
        if !seen.insert((port, protocol.clone())) && (1..=65535).contains(&port) {
            err(
                &mut errs,
                path.clone(),
                Problem::Duplicate(format!(
                    "core.ServicePort{{Name:{}, Protocol:{}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:{}, NodePort:{}}}",
                    quote(&name),
                    quote(&protocol),
                    match &target_port {
                        TargetPort::Number(n) => format!("intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
                        TargetPort::Name(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", quote(s)),
                    },
                    node_port.unwrap_or(0)
                )),
            );
        }
        ports.push(ServicePort {
            name,
            protocol,
            app_protocol: str_at(p, "appProtocol").map(str::to_string),
            port,
            target_port,
            node_port: None,
        });
    }
    if headless && type_ != "ClusterIP" && TYPES.contains(&type_.as_str()) {
        err(
            &mut errs,
            "spec.clusterIPs[0]".into(),
            Problem::Invalid(
                quote("None"),
                format!("may not be set to 'None' for {type_} services"),
            ),
        );
    }
    if let Some(ip) = cluster_ip.as_deref().filter(|ip| *ip != "None") {
        if ip.parse::<Ipv4Addr>().is_err() {
            err(
                &mut errs,
                "spec.clusterIPs[0]".into(),
                Problem::Invalid(
                    quote(ip),
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".into(),
                ),
            );
        }
    }
    let mut selector = BTreeMap::new();
    if let Some(m) = spec.get("selector").and_then(Value::as_object) {
        for (k, v) in m {
            let v = v.as_str().unwrap_or_default();
            for msg in qualified_name(k) {
                err(
                    &mut errs,
                    "spec.selector".into(),
                    Problem::Invalid(quote(k), msg),
                );
            }
            for msg in label_value(v) {
                err(
                    &mut errs,
                    "spec.selector".into(),
                    Problem::Invalid(quote(v), msg),
                );
            }
            selector.insert(k.clone(), v.to_string());
        }
    }
    let session_affinity = str_at(&spec, "sessionAffinity")
        .unwrap_or("None")
        .to_string();
    if !["ClientIP", "None"].contains(&session_affinity.as_str()) {
        err(
            &mut errs,
            "spec.sessionAffinity".into(),
            Problem::NotSupported(quote(&session_affinity), vec!["ClientIP", "None"]),
        );
    }
    let affinity_timeout = (session_affinity == "ClientIP").then(|| {
        spec.pointer("/sessionAffinityConfig/clientIP/timeoutSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(10800)
    });
    if let Some(t) = affinity_timeout {
        if !(1..=86400).contains(&t) {
            err(
                &mut errs,
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds".into(),
                Problem::Invalid(
                    t.to_string(),
                    "must be greater than 0 and less than 86400".into(),
                ),
            );
        }
    }
    let external_name = str_at(&spec, "externalName").map(str::to_string);
    if type_ == "ExternalName" {
        match external_name.as_deref() {
            None | Some("") => err(
                &mut errs,
                "spec.externalName".into(),
                Problem::Required(String::new()),
            ),
            Some(n) => {
                for m in super::validation::dns1123_subdomain(n.trim_end_matches('.')) {
                    err(
                        &mut errs,
                        "spec.externalName".into(),
                        Problem::Invalid(quote(n), m),
                    );
                }
            }
        }
    }
    let node_facing = type_ == "NodePort" || type_ == "LoadBalancer";
    let external_traffic_policy = node_facing.then(|| {
        str_at(&spec, "externalTrafficPolicy")
            .unwrap_or("Cluster")
            .to_string()
    });
    if let Some(p) = &external_traffic_policy {
        if !["Cluster", "Local"].contains(&p.as_str()) {
            err(
                &mut errs,
                "spec.externalTrafficPolicy".into(),
                Problem::NotSupported(quote(p), vec!["Cluster", "Local"]),
            );
        }
    }
    let internal_traffic_policy = (type_ != "ExternalName").then(|| {
        str_at(&spec, "internalTrafficPolicy")
            .unwrap_or("Cluster")
            .to_string()
    });
    if let Some(p) = &internal_traffic_policy {
        if !["Cluster", "Local"].contains(&p.as_str()) {
            err(
                &mut errs,
                "spec.internalTrafficPolicy".into(),
                Problem::NotSupported(quote(p), vec!["Cluster", "Local"]),
            );
        }
    }
    let external_ips = spec
        .get("externalIPs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Wanted {
        svc: Service {
            meta,
            type_,
            cluster_ip: String::new(),
            ports,
            selector,
            session_affinity,
            affinity_timeout,
            external_traffic_policy,
            internal_traffic_policy,
            publish_not_ready: spec
                .get("publishNotReadyAddresses")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            external_name,
            external_ips,
            slice_name: String::new(),
            slice_uid: String::new(),
        },
        node_ports,
        cluster_ip,
    })
}

impl World {
    fn invalid_service(name: &str, causes: Vec<FieldError>) -> ApiError {
        ApiError::Invalid {
            kind: "Service".into(),
            name: name.to_string(),
            causes,
        }
    }

    fn used_node_ports(&self, except: Option<&(String, String)>) -> BTreeSet<i64> {
        self.services
            .iter()
            .filter(|(k, _)| Some(*k) != except)
            .flat_map(|(_, s)| s.ports.iter().filter_map(|p| p.node_port))
            .collect()
    }

    /// Allocates the addresses a new (or updated) service needs, as the registry does: the
    /// requested cluster IP and node ports if free, random free ones otherwise.
    fn allocate(&mut self, w: &mut Wanted, keep: Option<&Service>) -> Result<(), ApiError> {
        let name = w.svc.meta.name.clone();
        let key = (w.svc.meta.namespace.clone(), name.clone());
        let range = Cidr::parse(SERVICE_CIDR).unwrap_or(Cidr {
            base: Ipv4Addr::new(10, 96, 0, 0),
            prefix: 12,
        });
        if w.svc.type_ == "ExternalName" {
            w.svc.cluster_ip = String::new();
        } else if let Some(old) = keep.filter(|o| o.type_ != "ExternalName") {
            w.svc.cluster_ip = old.cluster_ip.clone();
            if old.headless() && w.svc.type_ != "ClusterIP" {
                return Err(Self::invalid_service(
                    &name,
                    vec![FieldError {
                        path: "spec.clusterIPs[0]".into(),
                        problem: Problem::Invalid(
                            quote("None"),
                            format!("may not be set to 'None' for {} services", w.svc.type_),
                        ),
                    }],
                ));
            }
            if let Some(want) = &w.cluster_ip {
                if *want != old.cluster_ip {
                    return Err(Self::invalid_service(
                        &name,
                        vec![FieldError {
                            path: "spec.clusterIPs[0]".into(),
                            problem: Problem::Invalid(
                                quote(want),
                                "may not change once set".into(),
                            ),
                        }],
                    ));
                }
            }
        } else {
            match w.cluster_ip.as_deref() {
                Some("None") => w.svc.cluster_ip = "None".into(),
                Some(ip) => {
                    let addr: Ipv4Addr = ip.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
                    let problem = if !range.contains(addr)
                        || addr == range.base
                        || addr == range.nth(range.size() - 1)
                    {
                        Some(format!("failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"))
                    } else if self.services.values().any(|s| s.cluster_ip == ip) {
                        Some(format!(
                            "failed to allocate IP {ip}: provided IP is already allocated"
                        ))
                    } else {
                        None
                    };
                    if let Some(p) = problem {
                        return Err(Self::invalid_service(
                            &name,
                            vec![FieldError {
                                path: "spec.clusterIPs".into(),
                                problem: Problem::Invalid(format!("[]string{{{}}}", quote(ip)), p),
                            }],
                        ));
                    }
                    w.svc.cluster_ip = ip.to_string();
                }
                None => {
                    let used: BTreeSet<String> = self
                        .services
                        .values()
                        .map(|s| s.cluster_ip.clone())
                        .collect();
                    // Dynamic allocation draws from above the range's reserved low band.
                    let low = 256u64;
                    let span = u64::from(range.size()) - low - 1;
                    let start = self.random_u64() % span;
                    let ip = (0..span)
                        .map(|i| range.nth((low + (start + i) % span) as u32))
                        .find(|ip| !used.contains(&ip.to_string()));
                    w.svc.cluster_ip = ip.map(|i| i.to_string()).unwrap_or_default();
                }
            }
        }
        let node_facing = w.svc.type_ == "NodePort" || w.svc.type_ == "LoadBalancer";
        if node_facing {
            let mut used = self.used_node_ports(Some(&key));
            let mut own: Vec<(i64, String)> = Vec::new();
            for &(i, n) in &w.node_ports {
                let protocol = w.svc.ports[i].protocol.clone();
                if own.iter().any(|(p, proto)| *p == n && *proto == protocol) {
                    return Err(Self::invalid_service(
                        &name,
                        vec![FieldError {
                            path: format!("spec.ports[{i}].nodePort"),
                            problem: Problem::Duplicate(n.to_string()),
                        }],
                    ));
                }
                // The same number may serve TCP and UDP of one service.
                let shared = own.iter().any(|(p, _)| *p == n);
                own.push((n, protocol));
                let mine = keep
                    .and_then(|o| o.ports.iter().find(|p| p.node_port == Some(n)))
                    .is_some();
                let problem = if !(NODE_PORTS.0..=NODE_PORTS.1).contains(&n) {
                    Some(format!("provided port is not in the valid range. The range of valid ports is {}-{}", NODE_PORTS.0, NODE_PORTS.1))
                } else if used.contains(&n) && !mine && !shared {
                    Some("provided port is already allocated".to_string())
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Err(Self::invalid_service(
                        &name,
                        vec![FieldError {
                            path: format!("spec.ports[{i}].nodePort"),
                            problem: Problem::Invalid(n.to_string(), p),
                        }],
                    ));
                }
                used.insert(n);
                w.svc.ports[i].node_port = Some(n);
            }
            for i in 0..w.svc.ports.len() {
                if w.svc.ports[i].node_port.is_some() {
                    continue;
                }
                // An update keeps the node port a port already had.
                let kept = keep.and_then(|o| {
                    o.ports
                        .iter()
                        .find(|p| {
                            p.port == w.svc.ports[i].port && p.protocol == w.svc.ports[i].protocol
                        })
                        .and_then(|p| p.node_port)
                });
                let n = match kept {
                    Some(n) => n,
                    None => {
                        // The dynamic band sits above a static band of 86 ports.
                        let low = NODE_PORTS.0 + 86;
                        let span = (NODE_PORTS.1 - low + 1) as u64;
                        let start = self.random_u64() % span;
                        match (0..span)
                            .map(|k| low + ((start + k) % span) as i64)
                            .find(|p| !used.contains(p))
                        {
                            Some(n) => n,
                            None => return Err(ApiError::BadRequest("range is full".into())),
                        }
                    }
                };
                used.insert(n);
                w.svc.ports[i].node_port = Some(n);
            }
        }
        Ok(())
    }

    /// Creates a Service from a decoded manifest.
    pub fn create_service(&mut self, obj: &Value, ns: &str) -> Result<String, ApiError> {
        self.require_namespace(ns)?;
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut w = read_service(obj, ns).map_err(|e| Self::invalid_service(&name, e))?;
        let key = (ns.to_string(), w.svc.meta.name.clone());
        if self.services.contains_key(&key) {
            return Err(ApiError::AlreadyExists {
                resource: "services".into(),
                name: w.svc.meta.name,
            });
        }
        self.allocate(&mut w, None)?;
        let mut svc = w.svc;
        svc.meta.uid = self.new_uid();
        svc.meta.resource_version = self.next_rv();
        svc.meta.creation = self.now();
        svc.slice_name = format!("{}-{}", svc.meta.name, self.random_suffix(5));
        svc.slice_uid = self.new_uid();
        self.services.insert(key, svc);
        Ok(name)
    }

    /// Applies a changed manifest to an existing service, keeping its addresses.
    pub fn update_service(
        &mut self,
        obj: &Value,
        ns: &str,
    ) -> Result<super::api::Written, ApiError> {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let key = (ns.to_string(), name.clone());
        let Some(old) = self.services.get(&key).cloned() else {
            return Err(ApiError::not_found(Kind::Service, &name));
        };
        let mut w = read_service(obj, ns).map_err(|e| Self::invalid_service(&name, e))?;
        // Fields the manifest leaves out keep what the server allocated.
        self.allocate(&mut w, Some(&old))?;
        let mut svc = w.svc;
        svc.meta.uid = old.meta.uid.clone();
        svc.meta.creation = old.meta.creation;
        svc.meta.resource_version = old.meta.resource_version;
        svc.slice_name = old.slice_name.clone();
        svc.slice_uid = old.slice_uid.clone();
        if svc == old {
            return Ok(super::api::Written::Unchanged);
        }
        svc.meta.resource_version = self.next_rv();
        self.services.insert(key, svc);
        Ok(super::api::Written::Configured)
    }

    pub fn delete_service(&mut self, ns: &str, name: &str) -> Result<(), ApiError> {
        self.services
            .remove(&(ns.to_string(), name.to_string()))
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(Kind::Service, name))
    }

    /// The services a kubeadm cluster starts with: `default/kubernetes` and
    /// `kube-system/kube-dns`.
    pub(crate) fn bootstrap_services(
        &mut self,
        uid: &mut dyn FnMut() -> String,
        suffix: &mut dyn FnMut() -> String,
    ) {
        let mut add = |w: &mut World,
                       ns: &str,
                       name: &str,
                       ip: Ipv4Addr,
                       labels: &[(&str, &str)],
                       annotations: &[(&str, &str)],
                       ports: Vec<ServicePort>,
                       selector: &[(&str, &str)]| {
            let rv = w.next_rv();
            let mut meta = ObjectMeta {
                name: name.into(),
                namespace: ns.into(),
                uid: uid(),
                resource_version: rv,
                creation: SimTime::ZERO,
                ..Default::default()
            };
            for (k, v) in labels {
                meta.labels.insert((*k).into(), (*v).into());
            }
            for (k, v) in annotations {
                meta.annotations.insert((*k).into(), (*v).into());
            }
            let slice_name = if name == "kubernetes" {
                "kubernetes".to_string()
            } else {
                format!("{name}-{}", suffix())
            };
            let svc = Service {
                meta,
                type_: "ClusterIP".into(),
                cluster_ip: ip.to_string(),
                ports,
                selector: selector
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
                session_affinity: "None".into(),
                affinity_timeout: None,
                external_traffic_policy: None,
                internal_traffic_policy: Some("Cluster".into()),
                publish_not_ready: false,
                external_name: None,
                external_ips: Vec::new(),
                slice_name,
                slice_uid: uid(),
            };
            w.services.insert((ns.into(), name.into()), svc);
        };
        let port = |name: &str, protocol: &str, port: i64, target: i64| ServicePort {
            name: name.into(),
            protocol: protocol.into(),
            app_protocol: None,
            port,
            target_port: TargetPort::Number(target),
            node_port: None,
        };
        add(
            self,
            "default",
            "kubernetes",
            KUBERNETES_IP,
            &[("component", "apiserver"), ("provider", "kubernetes")],
            &[],
            vec![port("https", "TCP", 443, 6443)],
            &[],
        );
        add(
            self,
            "kube-system",
            "kube-dns",
            DNS_IP,
            &[
                ("k8s-app", "kube-dns"),
                ("kubernetes.io/cluster-service", "true"),
                ("kubernetes.io/name", "CoreDNS"),
            ],
            &[
                ("prometheus.io/port", "9153"),
                ("prometheus.io/scrape", "true"),
            ],
            vec![
                port("dns", "UDP", 53, 53),
                port("dns-tcp", "TCP", 53, 53),
                port("metrics", "TCP", 9153, 9153),
            ],
            &[("k8s-app", "kube-dns")],
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::dns::{Answer, Lookup};
    use super::super::proxy::Route;
    use super::super::World;
    use super::*;

    fn svc(name: &str, spec: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})
    }

    fn invalid(w: &mut World, obj: serde_json::Value) -> String {
        w.create_service(&obj, "default")
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn validation_and_allocation_errors_read_as_the_api_servers() {
        let mut w = World::new(1);
        assert!(invalid(&mut w, svc("Web", json!({"ports": [{"port": 80}]})))
            .starts_with("Service \"Web\" is invalid: metadata.name: Invalid value: \"Web\": a DNS-1035 label"));
        assert_eq!(
            invalid(&mut w, svc("web", json!({}))),
            "Service \"web\" is invalid: spec.ports: Required value"
        );
        assert_eq!(
            invalid(&mut w, svc("web", json!({"ports": [{"port": 80}, {"port": 81}]}))),
            "Service \"web\" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]"
        );
        assert_eq!(
            invalid(&mut w, svc("web", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]}))),
            "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
        assert_eq!(
            invalid(&mut w, svc("web", json!({"clusterIP": "10.96.0.10", "ports": [{"port": 80}]}))),
            "Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated"
        );
        assert_eq!(
            invalid(&mut w, svc("web", json!({"clusterIP": "10.0.0.5", "ports": [{"port": 80}]}))),
            "Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
        );
        assert!(invalid(
            &mut w,
            svc("web", json!({"ports": [{"port": 80, "nodePort": 30001}]}))
        )
        .ends_with(
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        ));
        // Refusals change nothing.
        assert_eq!(w.services.len(), 2);
        // One node port for one port's TCP and UDP is fine; twice for one protocol is not.
        w.create_service(
            &svc(
                "dns",
                json!({"type": "NodePort", "ports": [
            {"name": "a", "port": 53, "protocol": "UDP", "nodePort": 30053},
            {"name": "b", "port": 53, "protocol": "TCP", "nodePort": 30053}]}),
            ),
            "default",
        )
        .expect("TCP and UDP share a node port");
        assert_eq!(
            invalid(
                &mut w,
                svc(
                    "dup",
                    json!({"type": "NodePort", "ports": [
                {"name": "a", "port": 80, "nodePort": 30081}, {"name": "b", "port": 81, "nodePort": 30081}]})
                )
            ),
            "Service \"dup\" is invalid: spec.ports[1].nodePort: Duplicate value: 30081"
        );
        // A headless service stays a ClusterIP service.
        w.create_service(
            &svc("hl", json!({"clusterIP": "None", "selector": {"a": "b"}})),
            "default",
        )
        .expect("created");
        let err = w
            .update_service(
                &svc(
                    "hl",
                    json!({"type": "NodePort", "selector": {"a": "b"}, "ports": [{"port": 80}]}),
                ),
                "default",
            )
            .expect_err("refused")
            .to_string();
        assert!(err.ends_with("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"), "{err}");
    }

    #[test]
    fn external_name_loops_end_instead_of_recursing() {
        let mut w = World::new(2);
        for (a, b) in [("x", "y"), ("y", "x")] {
            w.create_service(&svc(a, json!({"type": "ExternalName", "externalName": format!("{b}.default.svc.cluster.local")})), "default")
                .expect("created");
        }
        assert!(
            matches!(w.dns_answer("x.default.svc.cluster.local"), Answer::Cname(_, ips) if ips.is_empty())
        );
        assert!(invalid(
            &mut w,
            svc(
                "bad",
                json!({"type": "ExternalName", "externalName": "not a name"})
            )
        )
        .contains("spec.externalName: Invalid value: \"not a name\""));
    }

    /// A pod with an address, a label and the Ready condition set as given.
    fn ready_pod(w: &mut World, name: &str, ip: &str, ready: bool) {
        let obj = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}]}});
        w.create_pod(&obj, "default").expect("created");
        let p = w
            .pods
            .get_mut(&("default".into(), name.into()))
            .expect("stored");
        p.status.pod_ip = Some(ip.into());
        p.spec.node_name = "worker-1".into();
        p.status
            .set_condition("Ready", ready, None, None, SimTime::ZERO);
    }

    #[test]
    fn endpoints_follow_readiness_and_named_ports_and_kube_proxy_balances_over_them() {
        let mut w = World::new(3);
        w.create_service(
            &svc(
                "web",
                json!({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}),
            ),
            "default",
        )
        .expect("created");
        ready_pod(&mut w, "a", "10.244.1.5", true);
        ready_pod(&mut w, "b", "10.244.1.6", true);
        ready_pod(&mut w, "c", "10.244.1.7", false);
        let s = w.services[&("default".to_string(), "web".to_string())].clone();
        let eps = w.service_endpoints(&s);
        assert_eq!(eps.len(), 3);
        assert_eq!(eps[0].ports, vec![Some(8080)]);
        assert_eq!(eps.iter().filter(|e| e.ready).count(), 2);
        let ep = w.endpoints_value(&s).expect("an Endpoints object");
        assert_eq!(ep["subsets"][0]["notReadyAddresses"][0]["ip"], "10.244.1.7");
        // Many connections reach both ready pods and never the unready one.
        let ip = s.ip().expect("a cluster IP");
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..40 {
            match w.kube_proxy(
                Some(Ipv4Addr::new(10, 244, 2, 9)),
                "worker-2",
                ip,
                80,
                "TCP",
            ) {
                Route::Nat(n) => {
                    assert_eq!(n.to.1, 8080);
                    seen.insert(n.to.0);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(seen.len(), 2);
        assert!(!seen.contains(&Ipv4Addr::new(10, 244, 1, 7)));
        // A port the service does not have goes nowhere; no ready pod means a reject.
        assert_eq!(
            w.kube_proxy(None, "worker-2", ip, 81, "TCP"),
            Route::Dropped
        );
        for n in ["a", "b"] {
            let p = w
                .pods
                .get_mut(&("default".into(), n.into()))
                .expect("stored");
            p.status
                .set_condition("Ready", false, None, None, SimTime::ZERO);
        }
        assert_eq!(
            w.kube_proxy(None, "worker-2", ip, 80, "TCP"),
            Route::Rejected("default/web".into())
        );
    }

    #[test]
    fn client_ip_affinity_keeps_a_client_on_one_pod() {
        let mut w = World::new(5);
        w.create_service(&svc("web", json!({"selector": {"app": "web"}, "sessionAffinity": "ClientIP", "ports": [{"port": 80}]})), "default")
            .expect("created");
        for (n, ip) in [
            ("a", "10.244.1.5"),
            ("b", "10.244.1.6"),
            ("c", "10.244.1.8"),
        ] {
            ready_pod(&mut w, n, ip, true);
        }
        let ip = w.services[&("default".to_string(), "web".to_string())]
            .ip()
            .expect("ip");
        let client = Some(Ipv4Addr::new(10, 244, 2, 3));
        let first = match w.kube_proxy(client, "worker-2", ip, 80, "TCP") {
            Route::Nat(n) => n.to.0,
            other => panic!("{other:?}"),
        };
        for _ in 0..20 {
            assert!(
                matches!(w.kube_proxy(client, "worker-2", ip, 80, "TCP"), Route::Nat(n) if n.to.0 == first)
            );
        }
    }

    #[test]
    fn dns_answers_services_headless_pods_and_reverse_lookups() {
        let mut w = World::new(7);
        w.create_service(
            &svc(
                "db",
                json!({"clusterIP": "None", "selector": {"app": "web"}, "ports": [{"port": 5432}]}),
            ),
            "default",
        )
        .expect("created");
        ready_pod(&mut w, "a", "10.244.1.5", true);
        assert_eq!(
            w.dns_answer("kubernetes.default.svc.cluster.local"),
            Answer::A(vec![KUBERNETES_IP])
        );
        assert_eq!(
            w.dns_answer("db.default.svc.cluster.local."),
            Answer::A(vec![Ipv4Addr::new(10, 244, 1, 5)])
        );
        assert_eq!(
            w.dns_answer("10-244-1-5.db.default.svc.cluster.local"),
            Answer::A(vec![Ipv4Addr::new(10, 244, 1, 5)])
        );
        assert_eq!(
            w.dns_answer("1-2-3-4.default.pod.cluster.local"),
            Answer::A(vec![Ipv4Addr::new(1, 2, 3, 4)])
        );
        assert_eq!(
            w.dns_answer("nope.default.svc.cluster.local"),
            Answer::NxDomain
        );
        assert_eq!(
            w.dns_answer("10.0.96.10.in-addr.arpa"),
            Answer::Ptr("kube-dns.kube-system.svc.cluster.local".into())
        );
        // The search list turns a short name into the service's.
        let pod = w.pods[&("default".to_string(), "a".to_string())].clone();
        let conf = w.resolv_conf(&pod);
        assert_eq!(conf.text(), "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
        // CoreDNS runs from the cluster's start, so the nameserver answers.
        match w.lookup(
            &conf,
            Some(Ipv4Addr::new(10, 244, 1, 5)),
            "worker-1",
            "kubernetes",
        ) {
            Lookup::Found(name, ips) => {
                assert_eq!(name, "kubernetes.default.svc.cluster.local");
                assert_eq!(ips, vec![KUBERNETES_IP]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            w.lookup(&conf, None, "worker-1", "nosuch"),
            Lookup::NotFound
        );
    }
}
