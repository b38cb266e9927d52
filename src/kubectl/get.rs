//! `kubectl get`: tables, `-o wide|yaml|json|name|jsonpath|go-template`, selectors, namespaces,
//! and watches on the virtual clock.

use serde_json::{json, Value};

use super::args::{flag, parse, FlagSpec};
use super::encode::{to_json, to_yaml};
use super::tabwriter::{self, TabWriter};
use super::{template, Ctx, Output};
use crate::sim::meta::{Kind, Selector};
use crate::sim::pod::{ContainerState, Pod};
use crate::sim::time::{human_duration, SimTime};
use crate::sim::World;

const FLAGS: &[FlagSpec] = &[
    flag("output", Some('o'), true),
    flag("selector", Some('l'), true),
    flag("all-namespaces", Some('A'), false),
    flag("show-labels", None, false),
    flag("watch", Some('w'), false),
    flag("watch-only", None, false),
    flag("no-headers", None, false),
    flag("template", None, true),
    flag("filename", Some('f'), true),
    flag("field-selector", None, true),
    flag("sort-by", None, true),
    flag("label-columns", Some('L'), true),
    flag("show-kind", None, false),
    flag("chunk-size", None, true),
    flag("ignore-not-found", None, false),
    flag("recursive", Some('R'), false),
    flag("show-managed-fields", None, false),
];

/// Resolves a resource name as kubectl's discovery does (`po`, `pods`, `pod`…).
pub fn resolve_kind(s: &str) -> Option<Kind> {
    let base = s.split('.').next().unwrap_or(s).to_lowercase();
    Some(match base.as_str() {
        "pod" | "pods" | "po" => Kind::Pod,
        "node" | "nodes" | "no" => Kind::Node,
        "namespace" | "namespaces" | "ns" => Kind::Namespace,
        "configmap" | "configmaps" | "cm" => Kind::ConfigMap,
        "secret" | "secrets" => Kind::Secret,
        "event" | "events" | "ev" => Kind::Event,
        "serviceaccount" | "serviceaccounts" | "sa" => Kind::ServiceAccount,
        "service" | "services" | "svc" => Kind::Service,
        "endpoints" | "ep" => Kind::Endpoints,
        "endpointslice" | "endpointslices" => Kind::EndpointSlice,
        "priorityclass" | "priorityclasses" | "pc" => Kind::PriorityClass,
        _ => return None,
    })
}

/// The namespace a command works in: `-n`, or `default`.
pub fn namespace(p: &super::args::Parsed) -> String {
    p.get("namespace").unwrap_or("default").to_string()
}

/// A row source: one object of some kind, as a JSON value plus what tables need.
pub struct Item<'a> {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub value: Value,
    pub pod: Option<&'a Pod>,
    pub labels: std::collections::BTreeMap<String, String>,
}

/// Every object of a kind in scope (`ns` None means all namespaces), sorted as the server lists.
pub fn list<'a>(world: &'a World, kind: Kind, ns: Option<&str>) -> Vec<Item<'a>> {
    let now = world.now();
    let in_ns = |n: &str| ns.is_none_or(|x| x == n);
    match kind {
        Kind::Pod => world
            .pods
            .values()
            .filter(|p| in_ns(&p.meta.namespace))
            .map(|p| Item { kind, namespace: p.meta.namespace.clone(), name: p.meta.name.clone(), value: p.to_value(), pod: Some(p), labels: p.meta.labels.clone() })
            .collect(),
        Kind::Node => world
            .nodes
            .values()
            .map(|n| Item { kind, namespace: String::new(), name: n.name().to_string(), value: n.to_value(now), pod: None, labels: n.meta.labels.clone() })
            .collect(),
        Kind::Namespace => world
            .namespaces
            .values()
            .map(|n| Item {
                kind,
                namespace: String::new(),
                name: n.meta.name.clone(),
                value: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": n.meta.to_value(), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": if n.terminating { "Terminating" } else { "Active" }}}),
                pod: None,
                labels: n.meta.labels.clone(),
            })
            .collect(),
        Kind::ConfigMap | Kind::Secret => {
            let map = if kind == Kind::Secret { &world.secrets } else { &world.configmaps };
            map.values()
                .filter(|o| in_ns(&o.meta.namespace))
                .map(|o| Item { kind, namespace: o.meta.namespace.clone(), name: o.meta.name.clone(), value: world.data_object_value(kind.name(), o), pod: None, labels: o.meta.labels.clone() })
                .collect()
        }
        Kind::Event => {
            let mut evs: Vec<&crate::sim::event::Event> = world.events.iter().filter(|e| in_ns(&e.meta.namespace)).collect();
            evs.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
            evs.into_iter()
                .map(|e| Item { kind, namespace: e.meta.namespace.clone(), name: e.meta.name.clone(), value: e.to_value(), pod: None, labels: Default::default() })
                .collect()
        }
        Kind::Service => world
            .services
            .values()
            .filter(|s| in_ns(&s.meta.namespace))
            .map(|s| Item { kind, namespace: s.meta.namespace.clone(), name: s.meta.name.clone(), value: s.to_value(), pod: None, labels: s.meta.labels.clone() })
            .collect(),
        Kind::Endpoints | Kind::EndpointSlice => {
            let mut items: Vec<Item<'a>> = world
                .services
                .values()
                .filter(|s| in_ns(&s.meta.namespace))
                .filter_map(|s| {
                    let v = if kind == Kind::Endpoints { world.endpoints_value(s) } else { world.endpointslice_value(s) }?;
                    let name = v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
                    let labels = v.pointer("/metadata/labels").and_then(Value::as_object).map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()).unwrap_or_default();
                    Some(Item { kind, namespace: s.meta.namespace.clone(), name, value: v, pod: None, labels })
                })
                .collect();
            items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
            items
        }
        Kind::PriorityClass => crate::sim::defaults::SYSTEM_PRIORITY_CLASSES
            .iter()
            .rev()
            .map(|(name, value)| Item {
                kind,
                namespace: String::new(),
                name: name.to_string(),
                value: json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "description": if *name == "system-node-critical" { "Used for system critical pods that must not be moved from their current node." } else { "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." }, "metadata": {"creationTimestamp": SimTime::ZERO.rfc3339(), "generation": 1, "name": name}, "preemptionPolicy": "PreemptLowerPriority", "value": value}),
                pod: None,
                labels: Default::default(),
            })
            .collect(),
        Kind::ServiceAccount => world
            .namespaces
            .values()
            .filter(|n| in_ns(&n.meta.name))
            .map(|n| Item {
                kind,
                namespace: n.meta.name.clone(),
                name: "default".into(),
                value: json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"creationTimestamp": n.meta.creation.rfc3339(), "name": "default", "namespace": n.meta.name, "resourceVersion": n.meta.resource_version.to_string(), "uid": n.meta.uid}}),
                pod: None,
                labels: Default::default(),
            })
            .collect(),
    }
}

/// `kubectl get pods` STATUS, as printers.go computes it.
pub fn pod_status_text(p: &Pod) -> String {
    let s = &p.status;
    let mut reason = s
        .reason
        .clone()
        .unwrap_or_else(|| s.phase.as_str().to_string());
    let mut initializing = false;
    let n_init = p.spec.init_containers.len();
    for (i, c) in s.init_container_statuses.iter().enumerate() {
        let sidecar = p
            .spec
            .init_containers
            .get(i)
            .is_some_and(|x| x.restart_policy.as_deref() == Some("Always"));
        match &c.state {
            ContainerState::Terminated { exit_code: 0, .. } => continue,
            _ if sidecar && c.started == Some(true) => continue,
            ContainerState::Terminated {
                exit_code,
                signal,
                reason: r,
                ..
            } => {
                reason = if !r.is_empty() {
                    format!("Init:{r}")
                } else if let Some(sig) = signal {
                    format!("Init:Signal:{sig}")
                } else {
                    format!("Init:ExitCode:{exit_code}")
                };
            }
            ContainerState::Waiting { reason: r, .. }
                if !r.is_empty() && r != "PodInitializing" =>
            {
                reason = format!("Init:{r}")
            }
            _ => reason = format!("Init:{i}/{n_init}"),
        }
        initializing = true;
        break;
    }
    let initialized = s.condition("Initialized").is_some_and(|c| c.status);
    if !initializing || initialized {
        let mut has_running = false;
        for c in s.container_statuses.iter().rev() {
            match &c.state {
                ContainerState::Waiting { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                ContainerState::Terminated { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                ContainerState::Terminated {
                    signal: Some(sig), ..
                } => reason = format!("Signal:{sig}"),
                ContainerState::Terminated { exit_code, .. } => {
                    reason = format!("ExitCode:{exit_code}")
                }
                ContainerState::Running { .. } if c.ready => has_running = true,
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            reason = if s.condition("Ready").is_some_and(|c| c.status) {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if p.meta.deletion.is_some() && s.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".into();
    } else if p.meta.deletion.is_some() && !s.phase.is_terminal() {
        reason = "Terminating".into();
    }
    reason
}

/// `READY`: ready containers (sidecars included) over all of them.
pub fn pod_ready(p: &Pod) -> String {
    let sidecars = p
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();
    let total = p.spec.containers.len() + sidecars;
    let ready = p
        .status
        .container_statuses
        .iter()
        .filter(|c| c.ready && matches!(c.state, ContainerState::Running { .. }))
        .count()
        + p.status
            .init_container_statuses
            .iter()
            .zip(&p.spec.init_containers)
            .filter(|(s, c)| {
                c.restart_policy.as_deref() == Some("Always") && s.ready && s.started == Some(true)
            })
            .count();
    format!("{ready}/{total}")
}

/// `RESTARTS`, with `(5s ago)` after the count once a container has restarted.
pub fn pod_restarts(p: &Pod, now: SimTime) -> String {
    let initializing = p.status.condition("Initialized").is_some_and(|c| !c.status);
    let mut n = 0;
    let mut last: Option<SimTime> = None;
    let consider = |c: &crate::sim::pod::ContainerStatus, last: &mut Option<SimTime>| {
        if let ContainerState::Terminated { finished_at, .. } = c.last_state {
            if last.is_none_or(|l| finished_at > l) {
                *last = Some(finished_at);
            }
        }
    };
    for (i, c) in p.status.init_container_statuses.iter().enumerate() {
        let sidecar = p
            .spec
            .init_containers
            .get(i)
            .is_some_and(|x| x.restart_policy.as_deref() == Some("Always"));
        if initializing || sidecar {
            n += c.restart_count;
            consider(c, &mut last);
        }
    }
    if !initializing {
        for c in &p.status.container_statuses {
            n += c.restart_count;
            consider(c, &mut last);
        }
    }
    match (n, last) {
        (0, _) | (_, None) => n.to_string(),
        (n, Some(t)) => format!("{n} ({} ago)", human_duration(now.since(t) as i64)),
    }
}

pub(crate) fn age(now: SimTime, created: SimTime) -> String {
    human_duration(now.since(created) as i64)
}

fn labels_text(l: &std::collections::BTreeMap<String, String>) -> String {
    if l.is_empty() {
        "<none>".into()
    } else {
        l.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The header and cells of a table for one kind.
pub fn table_header(kind: Kind, wide: bool) -> Vec<&'static str> {
    match kind {
        Kind::Pod if wide => vec![
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ],
        Kind::Pod => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        Kind::Node if wide => vec![
            "NAME",
            "STATUS",
            "ROLES",
            "AGE",
            "VERSION",
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ],
        Kind::Node => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        Kind::Namespace => vec!["NAME", "STATUS", "AGE"],
        Kind::ConfigMap => vec!["NAME", "DATA", "AGE"],
        Kind::Secret => vec!["NAME", "TYPE", "DATA", "AGE"],
        Kind::Event => vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        Kind::ServiceAccount => vec!["NAME", "SECRETS", "AGE"],
        Kind::Service if wide => vec![
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
            "SELECTOR",
        ],
        Kind::Service => vec![
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        Kind::Endpoints => vec!["NAME", "ENDPOINTS", "AGE"],
        Kind::PriorityClass => vec!["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
        Kind::EndpointSlice => vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
    }
}

pub fn table_row(world: &World, item: &Item<'_>, wide: bool) -> Vec<String> {
    let now = world.now();
    match item.kind {
        Kind::Pod => {
            let Some(p) = item.pod else {
                return vec![item.name.clone()];
            };
            pod_row_at(p, now, wide)
        }
        Kind::Node => {
            let n = &world.nodes[&item.name];
            let mut status = if n.ready {
                "Ready".to_string()
            } else {
                "NotReady".to_string()
            };
            if n.unschedulable {
                status.push_str(",SchedulingDisabled");
            }
            let mut row = vec![
                item.name.clone(),
                status,
                n.roles(),
                age(now, n.meta.creation),
                crate::sim::node::KUBELET_VERSION.into(),
            ];
            if wide {
                row.extend([
                    n.ip.to_string(),
                    "<none>".into(),
                    "Ubuntu 22.04.5 LTS".into(),
                    "5.15.0-131-generic".into(),
                    "containerd://1.7.25".into(),
                ]);
            }
            row
        }
        Kind::Namespace => {
            let n = &world.namespaces[&item.name];
            vec![
                item.name.clone(),
                if n.terminating {
                    "Terminating".into()
                } else {
                    "Active".into()
                },
                age(now, n.meta.creation),
            ]
        }
        Kind::ConfigMap | Kind::Secret => {
            let data = item
                .value
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len());
            let created = world_created(world, item);
            if item.kind == Kind::Secret {
                vec![
                    item.name.clone(),
                    item.value["type"].as_str().unwrap_or("Opaque").to_string(),
                    data.to_string(),
                    age(now, created),
                ]
            } else {
                vec![item.name.clone(), data.to_string(), age(now, created)]
            }
        }
        Kind::Event => {
            let e = world
                .events
                .iter()
                .find(|e| e.meta.name == item.name && e.meta.namespace == item.namespace);
            match e {
                Some(e) => vec![
                    age(now, e.last),
                    e.type_.to_string(),
                    e.reason.clone(),
                    format!("{}/{}", e.involved.kind.to_lowercase(), e.involved.name),
                    e.message.trim().to_string(),
                ],
                None => vec![item.name.clone()],
            }
        }
        Kind::Service | Kind::Endpoints | Kind::EndpointSlice => {
            super::netprint::row(world, item, wide)
        }
        Kind::PriorityClass => vec![
            item.name.clone(),
            item.value["value"].to_string(),
            "false".into(),
            age(now, SimTime::ZERO),
            "PreemptLowerPriority".into(),
        ],
        Kind::ServiceAccount => {
            let created = world
                .namespaces
                .get(&item.namespace)
                .map_or(SimTime::ZERO, |n| n.meta.creation);
            vec![item.name.clone(), "0".into(), age(now, created)]
        }
    }
}

fn world_created(world: &World, item: &Item<'_>) -> SimTime {
    let key = (item.namespace.clone(), item.name.clone());
    let o = if item.kind == Kind::Secret {
        world.secrets.get(&key)
    } else {
        world.configmaps.get(&key)
    };
    o.map_or(SimTime::ZERO, |o| o.meta.creation)
}

/// Formats rows as kubectl's table printer does.
pub fn render_table(
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    tw: &TabWriter,
    remembered: &mut Vec<usize>,
) -> String {
    let mut text = String::new();
    if let Some(h) = header {
        text.push_str(&h.join("\t"));
        text.push('\n');
    }
    for r in rows {
        text.push_str(&r.join("\t"));
        text.push('\n');
    }
    tw.format_remembering(&text, remembered)
}

/// The output format asked for with `-o`.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    Table { wide: bool },
    Yaml,
    Json,
    Name,
    JsonPath(String),
    GoTemplate(String),
    CustomColumns(String),
}

pub fn output_format(p: &super::args::Parsed) -> Result<Format, String> {
    let o = p.get("output");
    if let Some(t) = p.get("template") {
        if o.is_none_or(|o| o == "go-template" || o == "template") {
            return Ok(Format::GoTemplate(t.to_string()));
        }
    }
    Ok(match o {
        None | Some("") => Format::Table { wide: false },
        Some("wide") => Format::Table { wide: true },
        Some("yaml") => Format::Yaml,
        Some("json") => Format::Json,
        Some("name") => Format::Name,
        Some(o) if o.starts_with("jsonpath=") || o.starts_with("jsonpath-as-json=") => Format::JsonPath(o.split_once('=').map(|x| x.1).unwrap_or_default().to_string()),
        Some(o) if o.starts_with("go-template=") => Format::GoTemplate(o["go-template=".len()..].to_string()),
        Some("custom-columns") | Some("custom-columns=") => return Err("custom-columns format specified but no custom columns given".into()),
        Some(o) if o.starts_with("custom-columns=") => {
            let spec = &o["custom-columns=".len()..];
            if let Some(bad) = spec.split(',').find(|c| !c.contains(':')) {
                return Err(format!("unexpected custom-columns spec: {bad}, expected <header>:<json-path-expr>"));
            }
            Format::CustomColumns(spec.to_string())
        }
        Some("go-template") | Some("template") => return Err("template format specified but no template given".into()),
        Some("jsonpath") => return Err("jsonpath template format specified but no template given".into()),
        Some(other) => {
            return Err(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))
        }
    })
}

/// Prints an object kubectl built itself (a client dry run): JSON in the Go struct's field
/// order, the rest as for any object; no `-o` prints `KIND/NAME created (dry run)`.
pub fn print_client_object(
    kind: Kind,
    value: &Value,
    fmt: Option<&Format>,
    verb: &str,
    out: &mut Output,
) {
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match fmt {
        None | Some(Format::Table { .. }) => {
            out.out(format!("{}/{name} {verb}\n", kind.singular()))
        }
        Some(Format::Json) => out.out(super::encode::to_json_go(value)),
        Some(f) => print_objects(&[(kind, value.clone())], f, true, out),
    }
}

/// Prints objects in a non-table format. `single` is true for one named object.
pub fn print_objects(values: &[(Kind, Value)], fmt: &Format, single: bool, out: &mut Output) {
    let whole = || -> Value {
        if single && values.len() == 1 {
            values[0].1.clone()
        } else {
            json!({"apiVersion": "v1", "items": values.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(), "kind": "List", "metadata": {"resourceVersion": ""}})
        }
    };
    match fmt {
        Format::Yaml => out.out(to_yaml(&whole())),
        Format::Json => out.out(to_json(&whole())),
        Format::Name => {
            for (k, v) in values {
                out.out(format!(
                    "{}/{}\n",
                    k.singular(),
                    v.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ));
            }
        }
        Format::JsonPath(t) => match template::jsonpath(t, &whole()) {
            Ok(s) => out.out(s),
            Err(e) => out.fail(e),
        },
        Format::GoTemplate(t) => {
            for (_, v) in if single {
                values.to_vec()
            } else {
                vec![(Kind::Pod, whole())]
            } {
                if let Err(e) = template::check_go_template(t) {
                    out.fail(format!("error parsing template {t}, {e}\n"));
                    return;
                }
                match template::go_template(t, &v) {
                    Ok(s) => out.out(s),
                    Err(e) => {
                        out.fail(format!("error executing template \"{t}\": {e}"));
                        return;
                    }
                }
            }
        }
        Format::CustomColumns(spec) => {
            let cols: Vec<(&str, &str)> =
                spec.split(',').filter_map(|c| c.split_once(':')).collect();
            let mut text = cols.iter().map(|(h, _)| *h).collect::<Vec<_>>().join("\t");
            text.push('\n');
            for (_, v) in values {
                let cells: Vec<String> = cols
                    .iter()
                    .map(|(_, path)| {
                        let p = path.trim_start_matches('{').trim_end_matches('}');
                        let t = format!(
                            "{{{}}}",
                            if p.starts_with('.') {
                                p.to_string()
                            } else {
                                format!(".{p}")
                            }
                        );
                        template::jsonpath(&t, v)
                            .ok()
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| "<none>".into())
                    })
                    .collect();
                text.push_str(&cells.join("\t"));
                text.push('\n');
            }
            out.out(tabwriter::GET.format(&text));
        }
        Format::Table { .. } => {}
    }
}

/// Resource types a real cluster serves that podplay does not model yet.
const NOT_YET: &[&str] = &[
    "all",
    "service",
    "services",
    "svc",
    "endpoints",
    "ep",
    "endpointslices",
    "deployment",
    "deployments",
    "deploy",
    "replicaset",
    "replicasets",
    "rs",
    "statefulset",
    "statefulsets",
    "sts",
    "daemonset",
    "daemonsets",
    "ds",
    "job",
    "jobs",
    "cronjob",
    "cronjobs",
    "cj",
    "ingress",
    "ingresses",
    "ing",
    "persistentvolume",
    "persistentvolumes",
    "pv",
    "persistentvolumeclaim",
    "persistentvolumeclaims",
    "pvc",
    "storageclass",
    "storageclasses",
    "sc",
    "role",
    "roles",
    "rolebinding",
    "rolebindings",
    "clusterrole",
    "clusterroles",
    "networkpolicy",
    "networkpolicies",
    "netpol",
    "limitrange",
    "limitranges",
    "resourcequota",
    "resourcequotas",
    "quota",
    "replicationcontroller",
    "replicationcontrollers",
    "rc",
];

/// The error for a resource type `kubectl get` cannot list: the server's words for a type that
/// does not exist, an honest note for one a real cluster has and podplay does not model yet.
pub fn unknown_type(t: &str) -> String {
    let base = t.split('.').next().unwrap_or(t).to_ascii_lowercase();
    if NOT_YET.contains(&base.as_str()) {
        format!("podplay does not simulate \"{t}\" yet; it has pods, services, endpoints, endpointslices, nodes, namespaces, configmaps, secrets, events and serviceaccounts")
    } else {
        format!("the server doesn't have a resource type \"{t}\"")
    }
}

/// Splits `TYPE NAME…`, `TYPE/NAME…` and `TYPE1,TYPE2` into (kind, names) groups.
pub fn targets(pos: &[String]) -> Result<Vec<(Kind, Vec<String>)>, String> {
    let Some(first) = pos.first() else {
        return Ok(Vec::new());
    };
    if first.contains('/') {
        let mut groups: Vec<(Kind, Vec<String>)> = Vec::new();
        for a in pos {
            let Some((t, n)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let k = resolve_kind(t).ok_or_else(|| unknown_type(t))?;
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, names)) => names.push(n.to_string()),
                None => groups.push((k, vec![n.to_string()])),
            }
        }
        return Ok(groups);
    }
    let mut groups = Vec::new();
    for t in first.split(',') {
        let k = resolve_kind(t).ok_or_else(|| unknown_type(t))?;
        groups.push((k, pos[1..].to_vec()));
    }
    if pos.len() > 1 && groups.len() > 1 {
        return Err("arguments in resource/name form must have a single resource and name".into());
    }
    Ok(groups)
}

pub fn get(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => {
            out.fail(e);
            out.err("See 'kubectl get --help' for usage.\n");
            return;
        }
    };
    if p.positional.is_empty() && !p.has("filename") {
        out.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n");
        out.fail("Required resource not specified.");
        out.err("Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n");
        return;
    }
    let fmt = match output_format(&p) {
        Ok(f) => f,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let groups = match targets(&p.positional) {
        Ok(g) => g,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let all_ns = p.bool("all-namespaces");
    let ns = namespace(&p);
    let selector = match p.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => {
            let kind = groups.first().map_or(Kind::Pod, |g| g.0);
            let field = p.get("field-selector").unwrap_or_default();
            let label = p.get("selector").unwrap_or_default();
            return out.bad_selector(kind, label, field, &e);
        }
    };
    let fields = match p
        .get("field-selector")
        .map(parse_field_selector)
        .transpose()
    {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    // The server converts each field label for the kind, and refuses one it does not know.
    for (kind, _) in &groups {
        if let Some((label, _, _)) = fields
            .iter()
            .find(|(l, _, _)| !field_label_supported(*kind, l))
        {
            let e = crate::sim::api::ApiError::BadRequest(format!(
                "Unable to find \"{}\" that match label selector \"{}\", field selector \"{}\": field label not supported: {label}",
                resource_string(*kind),
                p.get("selector").unwrap_or_default(),
                p.get("field-selector").unwrap_or_default()
            ));
            return out.api_error(&e, None);
        }
    }
    let show_labels = p.bool("show-labels");
    let no_headers = p.bool("no-headers");
    let watch = p.bool("watch") || p.bool("watch-only");
    let single_named = groups.len() == 1 && groups[0].1.len() == 1;

    let world: &World = ctx.world;
    let mut missing: Vec<String> = Vec::new();
    let mut values: Vec<(Kind, Value)> = Vec::new();
    let mut table = String::new();
    let mut any = false;
    let multi_kind = groups.len() > 1;
    for (kind, names) in &groups {
        let scope = if kind.namespaced() && !all_ns {
            Some(ns.as_str())
        } else {
            None
        };
        let items = list(world, *kind, scope);
        let mut chosen: Vec<&Item<'_>> = Vec::new();
        if names.is_empty() {
            chosen = items
                .iter()
                .filter(|i| selector.as_ref().is_none_or(|s| s.matches(&i.labels)))
                .filter(|i| {
                    fields
                        .iter()
                        .all(|(path, op_eq, want)| field_matches(&i.value, path, *op_eq, want))
                })
                .collect();
        } else {
            for n in names {
                match items.iter().find(|i| &i.name == n) {
                    Some(i) => chosen.push(i),
                    None => {
                        if !p.bool("ignore-not-found") {
                            // Printed after whatever was found, as kubectl does.
                            missing.push(format!(
                                "Error from server (NotFound): {} \"{n}\" not found\n",
                                kind.plural()
                            ));
                        }
                    }
                }
            }
        }
        if chosen.is_empty() {
            continue;
        }
        any = true;
        if let Format::Table { wide } = fmt {
            let mut header: Vec<String> = table_header(*kind, wide)
                .into_iter()
                .map(String::from)
                .collect();
            let with_ns = all_ns && kind.namespaced();
            if with_ns {
                header.insert(0, "NAMESPACE".into());
            }
            // -L adds a column per label key, named by its last path segment in capitals.
            let label_cols: Vec<String> = p
                .all("label-columns")
                .iter()
                .flat_map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
                .filter(|l| !l.is_empty())
                .collect();
            for l in &label_cols {
                header.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
            }
            if show_labels {
                header.push("LABELS".into());
            }
            if let Some(sort) = p.get("sort-by") {
                // --sort-by takes a JSONPath; numbers sort as numbers, the rest as text.
                let path = sort.trim_start_matches('{').trim_end_matches('}');
                let path = if path.starts_with('.') {
                    path.to_string()
                } else {
                    format!(".{path}")
                };
                let key = |i: &&Item<'_>| {
                    template::jsonpath(&format!("{{{path}}}"), &i.value).unwrap_or_default()
                };
                chosen.sort_by(|a, b| {
                    let (ka, kb) = (key(a), key(b));
                    match (ka.parse::<f64>(), kb.parse::<f64>()) {
                        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                        _ => ka.cmp(&kb),
                    }
                });
            }
            let rows: Vec<Vec<String>> = chosen
                .iter()
                .map(|i| {
                    let mut r = table_row(world, i, wide);
                    if multi_kind && *kind != Kind::Event {
                        r[0] = format!("{}/{}", kind.singular(), r[0]);
                    }
                    if with_ns {
                        r.insert(0, i.namespace.clone());
                    }
                    for l in &label_cols {
                        r.push(i.labels.get(l).cloned().unwrap_or_default());
                    }
                    if show_labels {
                        r.push(labels_text(&i.labels));
                    }
                    r
                })
                .collect();
            if !table.is_empty() {
                table.push('\n');
            }
            let mut rem = Vec::new();
            table.push_str(&render_table(
                (!no_headers).then_some(header),
                rows,
                &tabwriter::GET,
                &mut rem,
            ));
        } else {
            values.extend(chosen.iter().map(|i| (*kind, i.value.clone())));
        }
    }
    if !missing.is_empty() {
        out.code = 1;
    }
    if !any && missing.is_empty() && !watch {
        if all_ns || groups.iter().all(|(k, _)| !k.namespaced()) {
            out.err("No resources found\n");
        } else {
            out.err(format!("No resources found in {ns} namespace.\n"));
        }
        return;
    }
    if matches!(fmt, Format::Table { .. }) {
        if !p.bool("watch-only") {
            out.out(table);
        }
    } else if !values.is_empty() {
        print_objects(&values, &fmt, single_named && !watch, out);
    }
    for m in missing {
        out.err(m);
    }
    if watch {
        let (kind, names) = groups[0].clone();
        watch_pods(
            ctx,
            kind,
            &names,
            if all_ns { None } else { Some(ns) },
            selector,
            &fmt,
            no_headers,
            out,
        );
    }
}

/// Follows changes for `-w`, running the clock for the watch's duration.
#[allow(clippy::too_many_arguments)]
fn watch_pods(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    names: &[String],
    ns: Option<String>,
    selector: Option<Selector>,
    fmt: &Format,
    no_headers: bool,
    out: &mut Output,
) {
    let duration = ctx.watch_ms.unwrap_or(60_000);
    let mut seen = ctx.world.history.count();
    let end = ctx.world.now().plus_ms(duration);
    let _ = no_headers;
    let spec = WatchSpec {
        names: names.to_vec(),
        ns,
        selector,
        fmt: fmt.clone(),
    };
    let mut state = WatchState::new(&spec);
    // Streamed an hour of virtual time at a time, so a long watch holds only its output.
    while ctx.world.now() < end {
        let step_end = ctx.world.now().plus_ms(WATCH_CHUNK_MS).min(end);
        ctx.world.run_until(step_end);
        if kind == Kind::Pod {
            out.out(watch_rows(ctx.world, seen, &spec, &mut state));
        }
        seen = ctx.world.history.count();
    }
}

/// How much virtual time a watch runs between collecting its rows.
const WATCH_CHUNK_MS: u64 = 3_600_000;

/// What a pod watch follows: names, namespace, selector, and how rows are printed.
#[derive(Clone, Debug)]
pub struct WatchSpec {
    names: Vec<String>,
    ns: Option<String>,
    selector: Option<Selector>,
    fmt: Format,
}

/// A watch's memory between batches: column widths so far and each pod's last row.
#[derive(Clone, Debug, Default)]
pub struct WatchState {
    rem: Vec<usize>,
    last_rows: std::collections::BTreeMap<(String, String), Vec<String>>,
}

impl WatchState {
    /// Widths start from the header row kubectl printed.
    pub fn new(spec: &WatchSpec) -> WatchState {
        let wide = matches!(spec.fmt, Format::Table { wide: true });
        let header: Vec<String> = table_header(Kind::Pod, wide)
            .into_iter()
            .map(String::from)
            .collect();
        let mut rem = Vec::new();
        let _ = render_table(Some(header), Vec::new(), &tabwriter::GET, &mut rem);
        WatchState {
            rem,
            last_rows: Default::default(),
        }
    }
}

/// The pod watch a `kubectl get … -w` command line asks for, if it is one.
pub fn watch_spec(args: &[String]) -> Option<WatchSpec> {
    let p = parse(args, FLAGS).ok()?;
    if !(p.bool("watch") || p.bool("watch-only")) {
        return None;
    }
    let fmt = output_format(&p).ok()?;
    let groups = targets(&p.positional).ok()?;
    let (kind, names) = groups.first()?.clone();
    if kind != Kind::Pod {
        return None;
    }
    let selector = p.get("selector").map(Selector::parse).transpose().ok()?;
    Some(WatchSpec {
        names,
        ns: (!p.bool("all-namespaces")).then(|| namespace(&p)),
        selector,
        fmt,
    })
}

/// The watch lines for the pod changes recorded from index `from` on.
pub fn watch_rows(world: &World, from: usize, spec: &WatchSpec, state: &mut WatchState) -> String {
    let wide = matches!(spec.fmt, Format::Table { wide: true });
    let kind = Kind::Pod;
    let mut out = Output::default();
    // Writes to one pod at the same instant reach a watcher as one update (the kubelet writes
    // status once per sync), so keep only the last of each such run.
    let all = world.history.since(from);
    for (i, ch) in all.iter().enumerate() {
        if all[i + 1..]
            .iter()
            .take_while(|later| later.at == ch.at)
            .any(|later| later.key == ch.key)
        {
            continue;
        }
        if spec.ns.as_ref().is_some_and(|n| *n != ch.key.0)
            || (!spec.names.is_empty() && !spec.names.contains(&ch.key.1))
        {
            continue;
        }
        let Some(pod) = ch.pod.as_ref() else {
            continue;
        };
        if spec
            .selector
            .as_ref()
            .is_some_and(|s| !s.matches(&pod.meta.labels))
        {
            continue;
        }
        // The row as printed at the time of the change.
        let row = pod_row_at(pod, ch.at, wide);
        if state.last_rows.get(&ch.key) == Some(&row) {
            continue;
        }
        state.last_rows.insert(ch.key.clone(), row.clone());
        match &spec.fmt {
            Format::Table { .. } => out.out(render_table(
                None,
                vec![row],
                &tabwriter::GET,
                &mut state.rem,
            )),
            other => print_objects(&[(kind, pod.to_value())], other, true, &mut out),
        }
    }
    out.text()
}

/// A pod's table row as of `at` (now, or a moment a watch replays).
pub fn pod_row_at(p: &Pod, at: SimTime, wide: bool) -> Vec<String> {
    let mut row = vec![
        p.meta.name.clone(),
        pod_ready(p),
        pod_status_text(p),
        pod_restarts(p, at),
        age(at, p.meta.creation),
    ];
    if wide {
        row.push(p.status.pod_ip.clone().unwrap_or_else(|| "<none>".into()));
        row.push(if p.spec.node_name.is_empty() {
            "<none>".into()
        } else {
            p.spec.node_name.clone()
        });
        row.push(
            p.status
                .nominated_node_name
                .clone()
                .unwrap_or_else(|| "<none>".into()),
        );
        row.push(if p.spec.readiness_gates.is_empty() {
            "<none>".into()
        } else {
            format!("0/{}", p.spec.readiness_gates.len())
        });
    }
    row
}

/// Whether the API server can select a kind by this field (its field-label conversion).
pub fn field_label_supported(kind: Kind, label: &str) -> bool {
    if matches!(label, "metadata.name" | "metadata.namespace") {
        return true;
    }
    match kind {
        Kind::Pod => matches!(
            label,
            "spec.nodeName"
                | "spec.restartPolicy"
                | "spec.schedulerName"
                | "spec.serviceAccountName"
                | "spec.hostNetwork"
                | "status.phase"
                | "status.podIP"
                | "status.nominatedNodeName"
                | "spec.host"
        ),
        Kind::Node => label == "spec.unschedulable",
        Kind::Namespace => label == "status.phase",
        Kind::Secret => label == "type",
        Kind::Event => matches!(
            label,
            "involvedObject.kind"
                | "involvedObject.namespace"
                | "involvedObject.name"
                | "involvedObject.uid"
                | "involvedObject.apiVersion"
                | "involvedObject.resourceVersion"
                | "involvedObject.fieldPath"
                | "reason"
                | "reportingComponent"
                | "source"
                | "type"
        ),
        _ => false,
    }
}

/// The resource as cli-runtime names it in list errors (`/v1, Resource=pods`).
fn resource_string(kind: Kind) -> String {
    match kind {
        Kind::EndpointSlice => "discovery.k8s.io/v1, Resource=endpointslices".into(),
        k => format!("/v1, Resource={}", k.plural()),
    }
}

/// Parses `--field-selector`: `a.b=c`, `a.b==c`, `a.b!=c`, joined by commas.
pub fn parse_field_selector(s: &str) -> Result<Vec<(String, bool, String)>, String> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            if let Some((k, v)) = p.split_once("!=") {
                Ok((k.trim().to_string(), false, v.trim().to_string()))
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                Ok((k.trim().to_string(), true, v.trim().to_string()))
            } else {
                Err(format!("invalid selector: '{s}'; can't understand '{p}'"))
            }
        })
        .collect()
}

fn field_matches(v: &Value, path: &str, eq: bool, want: &str) -> bool {
    let ptr = format!("/{}", path.replace('.', "/"));
    let got = match v.pointer(&ptr) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    (got == want) == eq
}
