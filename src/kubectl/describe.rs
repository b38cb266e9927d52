//! `kubectl describe`: the pod, node, namespace, ConfigMap and Secret pages, laid out with
//! describe's tab writer, and the Events table.

use std::collections::BTreeMap;

use serde_json::Value;

use super::args::{flag, parse, FlagSpec};
use super::get::{list, namespace, resolve_kind, targets};
use super::tabwriter::DESCRIBE;
use super::{Ctx, Output};
use crate::sim::api::ApiError;
use crate::sim::event::Event;
use crate::sim::meta::{Kind, Selector};
use crate::sim::pod::{ContainerState, ContainerStatus, Pod};
use crate::sim::time::{human_duration, SimTime};
use crate::sim::World;

const FLAGS: &[FlagSpec] = &[
    flag("selector", Some('l'), true),
    flag("all-namespaces", Some('A'), false),
    flag("show-events", None, false),
    flag("filename", Some('f'), true),
    flag("chunk-size", None, true),
];

pub fn describe(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => {
            out.fail(e);
            out.err("See 'kubectl describe --help' for usage.\n");
            return;
        }
    };
    if p.positional.is_empty() {
        out.err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
        out.code = 1;
        return;
    }
    let groups = match targets(&p.positional) {
        Ok(g) => g,
        Err(e) => return out.fail(e),
    };
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let selector = match p.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => {
            let kind = groups.first().map_or(Kind::Pod, |g| g.0);
            let label = p.get("selector").unwrap_or_default();
            return out.bad_selector(kind, label, "", &e);
        }
    };
    let show_events = p.get("show-events").is_none_or(|v| v != "false");
    let world: &World = ctx.world;
    let mut pages = Vec::new();
    for (kind, names) in groups {
        let scope = if kind.namespaced() && !all_ns {
            Some(ns.as_str())
        } else {
            None
        };
        let items = list(world, kind, scope);
        let chosen: Vec<(String, String)> = if names.is_empty() {
            items
                .iter()
                .filter(|i| selector.as_ref().is_none_or(|s| s.matches(&i.labels)))
                .map(|i| (i.namespace.clone(), i.name.clone()))
                .collect()
        } else {
            // A name may also be a prefix: `kubectl describe pods web` shows every `web…` pod.
            let mut v = Vec::new();
            for n in &names {
                if let Some(i) = items.iter().find(|i| &i.name == n) {
                    v.push((i.namespace.clone(), i.name.clone()));
                } else {
                    let prefixed: Vec<(String, String)> = items
                        .iter()
                        .filter(|i| i.name.starts_with(n.as_str()))
                        .map(|i| (i.namespace.clone(), i.name.clone()))
                        .collect();
                    if prefixed.is_empty() {
                        out.api_error(&ApiError::not_found(kind, n), None);
                    }
                    v.extend(prefixed);
                }
            }
            v
        };
        if chosen.is_empty() && names.is_empty() {
            if scope.is_some() {
                out.err(format!("No resources found in {ns} namespace.\n"));
            } else {
                out.err("No resources found\n");
            }
            continue;
        }
        for (ons, name) in chosen {
            let page = match kind {
                Kind::Pod => world
                    .pods
                    .get(&(ons.clone(), name.clone()))
                    .map(|pod| describe_pod(world, pod, show_events)),
                Kind::Node => Some(describe_node(world, &name, show_events)),
                Kind::Namespace => Some(describe_namespace(world, &name)),
                Kind::ConfigMap | Kind::Secret => {
                    Some(describe_data(world, kind, &ons, &name, show_events))
                }
                Kind::Service | Kind::Endpoints | Kind::EndpointSlice => {
                    list(world, kind, Some(&ons))
                        .into_iter()
                        .find(|i| i.name == name)
                        .map(|i| describe_network(world, kind, &i.value, show_events))
                }
                _ => None,
            };
            match page {
                Some(pg) => pages.push(pg),
                None => out.fail(format!(
                    "describe of {} is not supported by podplay yet",
                    kind.plural()
                )),
            }
        }
    }
    let _ = resolve_kind;
    out.out(pages.join("\n\n"));
}

/// Builds describe text: `line(level, text)` where text may hold tabs.
struct Page {
    text: String,
}

impl Page {
    fn w(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
    }
    /// Formats what was written so far as one tab-writer flush.
    fn flush(&mut self, done: &mut String) {
        done.push_str(&DESCRIBE.format(&self.text));
        self.text.clear();
    }
}

fn rfc(t: SimTime) -> String {
    t.rfc1123z()
}

fn labels_multiline(pg: &mut Page, title: &str, labels: &BTreeMap<String, String>) {
    pg.w(0, &format!("{title}:\t"));
    if labels.is_empty() {
        pg.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            pg.w(0, "\t");
        }
        pg.w(0, &format!("{k}={v}\n"));
    }
}

fn annotations_multiline(pg: &mut Page, title: &str, ann: &BTreeMap<String, String>) {
    pg.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = ann
        .keys()
        .filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        pg.w(0, "<none>\n");
        return;
    }
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            pg.w(0, "\t");
        }
        let value = ann[*k].trim_end_matches('\n');
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            pg.w(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                let short: String = if s.len() > 138 {
                    format!(
                        "{}...",
                        &s[..s.char_indices().nth(135).map_or(s.len(), |(i, _)| i)]
                    )
                } else {
                    s.to_string()
                };
                pg.w(0, &format!("\t  {short}\n"));
            }
        } else {
            pg.w(0, &format!("{k}: {value}\n"));
        }
    }
}

fn state_lines(pg: &mut Page, title: &str, state: &ContainerState) {
    match state {
        ContainerState::Running { started_at } => {
            pg.w(2, &format!("{title}:\tRunning\n"));
            pg.w(3, &format!("Started:\t{}\n", rfc(*started_at)));
        }
        ContainerState::Waiting { reason, .. } => {
            pg.w(2, &format!("{title}:\tWaiting\n"));
            if !reason.is_empty() {
                pg.w(3, &format!("Reason:\t{reason}\n"));
            }
        }
        ContainerState::Terminated {
            exit_code,
            signal,
            reason,
            message,
            started_at,
            finished_at,
            ..
        } => {
            pg.w(2, &format!("{title}:\tTerminated\n"));
            if !reason.is_empty() {
                pg.w(3, &format!("Reason:\t{reason}\n"));
            }
            if let Some(m) = message.as_ref().filter(|m| !m.is_empty()) {
                pg.w(3, &format!("Message:\t{m}\n"));
            }
            pg.w(3, &format!("Exit Code:\t{exit_code}\n"));
            if let Some(s) = signal.filter(|s| *s > 0) {
                pg.w(3, &format!("Signal:\t{s}\n"));
            }
            pg.w(3, &format!("Started:\t{}\n", rfc(*started_at)));
            pg.w(3, &format!("Finished:\t{}\n", rfc(*finished_at)));
        }
        ContainerState::None => pg.w(2, &format!("{title}:\tWaiting\n")),
    }
}

/// `kubectl describe`'s rendering of a probe: `exec [cat /x] delay=0s timeout=1s …`.
pub fn describe_probe(p: &Value) -> String {
    let n = |k: &str| p.get(k).and_then(Value::as_i64).unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        n("initialDelaySeconds"),
        n("timeoutSeconds"),
        n("periodSeconds"),
        n("successThreshold"),
        n("failureThreshold")
    );
    let port_text = |v: Option<&Value>| match v {
        Some(Value::Number(x)) => x.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    if let Some(e) = p.get("exec") {
        let cmd: Vec<&str> = e
            .get("command")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = h
            .get("scheme")
            .and_then(Value::as_str)
            .unwrap_or("HTTP")
            .to_lowercase();
        let host = h.get("host").and_then(Value::as_str).unwrap_or_default();
        let port = port_text(h.get("port"));
        let path = h.get("path").and_then(Value::as_str).unwrap_or_default();
        let hostport = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!("http-get {scheme}://{hostport}{path} {attrs}");
    }
    if let Some(t) = p.get("tcpSocket") {
        let host = t.get("host").and_then(Value::as_str).unwrap_or_default();
        return format!("tcp-socket {host}:{} {attrs}", port_text(t.get("port")));
    }
    if let Some(g) = p.get("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            port_text(g.get("port")),
            g.get("service").and_then(Value::as_str).unwrap_or_default()
        );
    }
    format!("unknown {attrs}")
}

fn containers_section(
    pg: &mut Page,
    pod: &Pod,
    label: &str,
    list: &[Value],
    statuses: &[ContainerStatus],
) {
    pg.w(
        0,
        &format!("{label}:{}\n", if list.is_empty() { " <none>" } else { "" }),
    );
    for c in list {
        let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
        let status = statuses.iter().find(|s| s.name == name);
        pg.w(1, &format!("{name}:\n"));
        if let Some(s) = status {
            pg.w(
                2,
                &format!(
                    "Container ID:\t{}\n",
                    s.container_id.clone().unwrap_or_default()
                ),
            );
        }
        pg.w(
            2,
            &format!(
                "Image:\t{}\n",
                c.get("image").and_then(Value::as_str).unwrap_or_default()
            ),
        );
        if let Some(s) = status {
            pg.w(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports: Vec<&Value> = c
            .get("ports")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let fmt_ports = |key: &str| -> String {
            ports
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p.get(key).and_then(Value::as_i64).unwrap_or(0),
                        p.get("protocol").and_then(Value::as_str).unwrap_or("TCP")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let port = fmt_ports("containerPort");
        let host = fmt_ports("hostPort");
        let none = |s: String| {
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        };
        if port.contains(',') {
            pg.w(2, &format!("Ports:\t{port}\n"));
        } else {
            pg.w(2, &format!("Port:\t{}\n", none(port)));
        }
        if host.contains(',') {
            pg.w(2, &format!("Host Ports:\t{host}\n"));
        } else {
            pg.w(2, &format!("Host Port:\t{}\n", none(host)));
        }
        for (key, title) in [("command", "Command"), ("args", "Args")] {
            if let Some(items) = c
                .get(key)
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
            {
                pg.w(2, &format!("{title}:\n"));
                for it in items {
                    for s in it.as_str().unwrap_or_default().split('\n') {
                        pg.w(3, &format!("{s}\n"));
                    }
                }
            }
        }
        if let Some(s) = status {
            state_lines(pg, "State", &s.state);
            if matches!(s.last_state, ContainerState::Terminated { .. }) {
                state_lines(pg, "Last State", &s.last_state);
            }
            pg.w(
                2,
                &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }),
            );
            pg.w(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        for kind in ["limits", "requests"] {
            if let Some(m) = c
                .pointer(&format!("/resources/{kind}"))
                .and_then(Value::as_object)
                .filter(|m| !m.is_empty())
            {
                pg.w(
                    2,
                    if kind == "limits" {
                        "Limits:\n"
                    } else {
                        "Requests:\n"
                    },
                );
                for (k, v) in m {
                    let q = crate::sim::quantity::Quantity::from_value(v)
                        .map(|q| q.to_string())
                        .unwrap_or_default();
                    pg.w(3, &format!("{k}:\t{q}\n"));
                }
            }
        }
        for (key, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(p) = c.get(key).filter(|v| v.is_object()) {
                pg.w(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if let Some(ef) = c
            .get("envFrom")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            pg.w(2, "Environment Variables from:\n");
            for e in ef {
                let prefix = e.get("prefix").and_then(Value::as_str).unwrap_or_default();
                let (src, kind) = if let Some(cm) = e.get("configMapRef") {
                    (cm, "ConfigMap")
                } else {
                    (e.get("secretRef").unwrap_or(&Value::Null), "Secret")
                };
                let name = src.get("name").and_then(Value::as_str).unwrap_or_default();
                let optional = src
                    .get("optional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if prefix.is_empty() {
                    pg.w(3, &format!("{name}\t{kind}\tOptional: {optional}\n"));
                } else {
                    pg.w(
                        3,
                        &format!("{name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"),
                    );
                }
            }
        }
        let env: Vec<&Value> = c
            .get("env")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if env.is_empty() {
            pg.w(2, "Environment:\t<none>\n");
        } else {
            pg.w(2, "Environment:\n");
            for e in env {
                let n = e.get("name").and_then(Value::as_str).unwrap_or_default();
                if let Some(from) = e.get("valueFrom") {
                    if let Some(f) = from.get("fieldRef") {
                        let fp = f
                            .get("fieldPath")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let value = match fp {
                            "metadata.name" => pod.meta.name.clone(),
                            "metadata.namespace" => pod.meta.namespace.clone(),
                            "spec.nodeName" => pod.spec.node_name.clone(),
                            "status.podIP" => pod.status.pod_ip.clone().unwrap_or_default(),
                            "status.hostIP" => pod.status.host_ip.clone().unwrap_or_default(),
                            "spec.serviceAccountName" => pod.spec.service_account_name.clone(),
                            _ => String::new(),
                        };
                        pg.w(
                            3,
                            &format!(
                                "{n}:\t{value} ({}:{fp})\n",
                                f.get("apiVersion").and_then(Value::as_str).unwrap_or("v1")
                            ),
                        );
                    } else if let Some(s) = from.get("secretKeyRef") {
                        pg.w(
                            3,
                            &format!(
                                "{n}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                                s["key"].as_str().unwrap_or_default(),
                                s["name"].as_str().unwrap_or_default(),
                                s.get("optional").and_then(Value::as_bool).unwrap_or(false)
                            ),
                        );
                    } else if let Some(s) = from.get("configMapKeyRef") {
                        pg.w(
                            3,
                            &format!(
                                "{n}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                                s["key"].as_str().unwrap_or_default(),
                                s["name"].as_str().unwrap_or_default(),
                                s.get("optional").and_then(Value::as_bool).unwrap_or(false)
                            ),
                        );
                    } else if let Some(r) = from.get("resourceFieldRef") {
                        pg.w(
                            3,
                            &format!(
                                "{n}:\t{} ({})\n",
                                r.get("resource")
                                    .and_then(Value::as_str)
                                    .unwrap_or_default(),
                                c.get("name").and_then(Value::as_str).unwrap_or_default()
                            ),
                        );
                    }
                } else {
                    let v = e.get("value").and_then(Value::as_str).unwrap_or_default();
                    for (i, s) in v.split('\n').enumerate() {
                        if i == 0 {
                            pg.w(3, &format!("{n}:\t{s}\n"));
                        } else {
                            pg.w(3, &format!("\t{s}\n"));
                        }
                    }
                }
            }
        }
        let mut mounts: Vec<&Value> = c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if mounts.is_empty() {
            pg.w(2, "Mounts:\t<none>\n");
        } else {
            pg.w(2, "Mounts:\n");
            mounts.sort_by_key(|m| {
                m.get("mountPath")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            });
            for m in mounts {
                let ro = m.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
                let mut flags = vec![if ro {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                }];
                if let Some(sp) = m
                    .get("subPath")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                {
                    flags.push(format!("path=\"{sp}\""));
                }
                pg.w(
                    3,
                    &format!(
                        "{} from {} ({})\n",
                        m["mountPath"].as_str().unwrap_or_default(),
                        m["name"].as_str().unwrap_or_default(),
                        flags.join(",")
                    ),
                );
            }
        }
    }
}

fn volumes_section(pg: &mut Page, vols: &[Value]) {
    if vols.is_empty() {
        pg.w(0, "Volumes:\t<none>\n");
        return;
    }
    pg.w(0, "Volumes:\n");
    for v in vols {
        pg.w(1, &format!("{}:\n", v["name"].as_str().unwrap_or_default()));
        if let Some(h) = v.get("hostPath") {
            let t = h.get("type").and_then(Value::as_str).unwrap_or("<none>");
            pg.w(2, &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{t}\n", h["path"].as_str().unwrap_or_default()));
        } else if let Some(e) = v.get("emptyDir") {
            let medium = e.get("medium").and_then(Value::as_str).unwrap_or_default();
            let size = e
                .get("sizeLimit")
                .and_then(crate::sim::quantity::Quantity::from_value)
                .filter(|q| q.milli_value() > 0)
                .map_or("<unset>".to_string(), |q| q.to_string());
            pg.w(2, &format!("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{medium}\n    SizeLimit:\t{size}\n"));
        } else if let Some(s) = v.get("secret") {
            pg.w(2, &format!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n", s["secretName"].as_str().unwrap_or_default(), s.get("optional").and_then(Value::as_bool).unwrap_or(false)));
        } else if let Some(c) = v.get("configMap") {
            pg.w(2, &format!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n", c["name"].as_str().unwrap_or_default(), c.get("optional").and_then(Value::as_bool).unwrap_or(false)));
        } else if let Some(pr) = v.get("projected") {
            pg.w(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for src in pr
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let opt = |x: &Value| {
                    x.get("optional")
                        .and_then(Value::as_bool)
                        .map_or("<nil>".to_string(), |b| b.to_string())
                };
                if let Some(s) = src.get("secret") {
                    pg.w(
                        2,
                        &format!(
                            "SecretName:\t{}\n    SecretOptionalName:\t{}\n",
                            s["name"].as_str().unwrap_or_default(),
                            opt(s)
                        ),
                    );
                } else if src.get("downwardAPI").is_some() {
                    pg.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(c) = src.get("configMap") {
                    pg.w(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n",
                            c["name"].as_str().unwrap_or_default(),
                            opt(c)
                        ),
                    );
                } else if let Some(t) = src.get("serviceAccountToken") {
                    pg.w(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.get("expirationSeconds")
                                .and_then(Value::as_i64)
                                .unwrap_or(3607)
                        ),
                    );
                }
            }
        } else if let Some(c) = v.get("persistentVolumeClaim") {
            pg.w(2, &format!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n", c["claimName"].as_str().unwrap_or_default(), c.get("readOnly").and_then(Value::as_bool).unwrap_or(false)));
        } else if v.get("downwardAPI").is_some() {
            pg.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
        }
    }
}

fn tolerations(pg: &mut Page, pod: &Pod) {
    pg.w(0, "Tolerations:\t");
    if pod.spec.tolerations.is_empty() {
        pg.w(0, "<none>\n");
        return;
    }
    let mut ts = pod.spec.tolerations.clone();
    ts.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            pg.w(0, "\t");
        }
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            s.push_str(&format!("={}", t.value));
        }
        if !t.effect.is_empty() {
            s.push_str(&format!(":{}", t.effect));
        }
        if t.operator == "Exists" && t.value.is_empty() {
            s.push_str(if !t.key.is_empty() || !t.effect.is_empty() {
                " op=Exists"
            } else {
                "op=Exists"
            });
        }
        if let Some(sec) = t.toleration_seconds {
            s.push_str(&format!(" for {sec}s"));
        }
        pg.w(0, &format!("{s}\n"));
    }
}

/// The Events section: `Events:  <none>` or the table, oldest first.
fn events_section(pg: &mut Page, done: &mut String, now: SimTime, events: &[&Event]) {
    if events.is_empty() {
        pg.w(0, "Events:\t<none>\n");
        return;
    }
    pg.flush(done);
    pg.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    pg.w(1, "----\t------\t----\t----\t-------\n");
    let mut sorted: Vec<&&Event> = events.iter().collect();
    // Events recorded by the scheduler carry no lastTimestamp and sort first.
    sorted.sort_by_key(|e| {
        if e.source == "default-scheduler" {
            (0, e.first)
        } else {
            (1, e.last)
        }
    });
    for e in sorted {
        let first = human_duration(now.since(e.first) as i64);
        let age = if e.count > 1 {
            format!(
                "{} (x{} over {first})",
                human_duration(now.since(e.last) as i64),
                e.count
            )
        } else {
            first
        };
        pg.w(
            1,
            &format!(
                "{}\t{}\t{age}\t{}\t{}\n",
                e.type_,
                e.reason,
                e.source,
                e.message.trim()
            ),
        );
    }
}

pub fn describe_pod(world: &World, pod: &Pod, show_events: bool) -> String {
    let now = world.now();
    let mut done = String::new();
    let mut pg = Page {
        text: String::new(),
    };
    let spec = &pod.spec_json;
    pg.w(0, &format!("Name:\t{}\n", pod.meta.name));
    pg.w(0, &format!("Namespace:\t{}\n", pod.meta.namespace));
    if let Some(pr) = spec.get("priority").and_then(Value::as_i64) {
        pg.w(0, &format!("Priority:\t{pr}\n"));
    }
    if let Some(pc) = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        pg.w(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = spec
        .get("runtimeClassName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        pg.w(0, &format!("Runtime Class Name:\t{rc}\n"));
    }
    if !pod.spec.service_account_name.is_empty() {
        pg.w(
            0,
            &format!("Service Account:\t{}\n", pod.spec.service_account_name),
        );
    }
    if pod.spec.node_name.is_empty() {
        pg.w(0, "Node:\t<none>\n");
    } else {
        pg.w(
            0,
            &format!(
                "Node:\t{}/{}\n",
                pod.spec.node_name,
                pod.status.host_ip.clone().unwrap_or_default()
            ),
        );
    }
    if let Some(st) = pod.status.start_time {
        pg.w(0, &format!("Start Time:\t{}\n", rfc(st)));
    }
    labels_multiline(&mut pg, "Labels", &pod.meta.labels);
    annotations_multiline(&mut pg, "Annotations", &pod.meta.annotations);
    match pod.meta.deletion {
        Some(d) if !pod.status.phase.is_terminal() => {
            pg.w(
                0,
                &format!(
                    "Status:\tTerminating (lasts {})\n",
                    human_duration(now.millis() as i64 - d.millis() as i64)
                ),
            );
            pg.w(
                0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    pod.meta.deletion_grace_period_seconds.unwrap_or(0)
                ),
            );
        }
        _ => pg.w(0, &format!("Status:\t{}\n", pod.status.phase.as_str())),
    }
    if let Some(r) = pod.status.reason.as_ref().filter(|r| !r.is_empty()) {
        pg.w(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = pod.status.message.as_ref().filter(|r| !r.is_empty()) {
        pg.w(0, &format!("Message:\t{m}\n"));
    }
    if let Some(sp) = spec
        .pointer("/securityContext/seccompProfile/type")
        .and_then(Value::as_str)
    {
        pg.w(0, &format!("SeccompProfile:\t{sp}\n"));
    }
    pg.w(
        0,
        &format!("IP:\t{}\n", pod.status.pod_ip.clone().unwrap_or_default()),
    );
    match &pod.status.pod_ip {
        None => pg.w(0, "IPs:\t<none>\n"),
        Some(ip) => {
            pg.w(0, "IPs:\n");
            pg.w(1, &format!("IP:\t{ip}\n"));
        }
    }
    // The controller that owns the pod, as `Kind/name`.
    if let Some(o) = pod
        .meta
        .owner_references
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
    {
        pg.w(
            0,
            &format!(
                "Controlled By:\t{}/{}\n",
                o["kind"].as_str().unwrap_or_default(),
                o["name"].as_str().unwrap_or_default()
            ),
        );
    }
    if let Some(n) = &pod.status.nominated_node_name {
        pg.w(0, &format!("NominatedNodeName:\t{n}\n"));
    }
    let empty = Vec::new();
    let init = spec
        .get("initContainers")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    if !init.is_empty() {
        containers_section(
            &mut pg,
            pod,
            "Init Containers",
            init,
            &pod.status.init_container_statuses,
        );
    }
    containers_section(
        &mut pg,
        pod,
        "Containers",
        spec.get("containers")
            .and_then(Value::as_array)
            .unwrap_or(&empty),
        &pod.status.container_statuses,
    );
    if !pod.status.conditions.is_empty() {
        pg.w(0, "Conditions:\n  Type\tStatus\n");
        for c in &pod.status.conditions {
            pg.w(
                1,
                &format!(
                    "{} \t{} \n",
                    c.type_,
                    if c.status { "True" } else { "False" }
                ),
            );
        }
    }
    volumes_section(
        &mut pg,
        spec.get("volumes")
            .and_then(Value::as_array)
            .unwrap_or(&empty),
    );
    pg.w(0, &format!("QoS Class:\t{}\n", pod.status.qos_class));
    labels_multiline(&mut pg, "Node-Selectors", &pod.spec.node_selector);
    tolerations(&mut pg, pod);
    if show_events {
        let events = world.events_for(&pod.meta.uid);
        events_section(&mut pg, &mut done, now, &events);
    }
    pg.flush(&mut done);
    done
}

fn describe_node(world: &World, name: &str, show_events: bool) -> String {
    let now = world.now();
    let Some(n) = world.nodes.get(name) else {
        return String::new();
    };
    let mut done = String::new();
    let mut pg = Page {
        text: String::new(),
    };
    pg.w(0, &format!("Name:\t{name}\n"));
    pg.w(0, &format!("Roles:\t{}\n", n.roles()));
    labels_multiline(&mut pg, "Labels", &n.meta.labels);
    annotations_multiline(&mut pg, "Annotations", &n.meta.annotations);
    pg.w(
        0,
        &format!("CreationTimestamp:\t{}\n", rfc(n.meta.creation)),
    );
    pg.w(0, "Taints:\t");
    if n.taints.is_empty() {
        pg.w(0, "<none>\n");
    } else {
        let mut taints = n.taints.clone();
        taints.sort_by(|a, b| (&a.effect, &a.key).cmp(&(&b.effect, &b.key)));
        for (i, t) in taints.iter().enumerate() {
            if i > 0 {
                pg.w(0, "\t");
            }
            pg.w(0, &format!("{}\n", t.text()));
        }
    }
    pg.w(0, &format!("Unschedulable:\t{}\n", n.unschedulable));
    pg.w(0, "Lease:\n");
    pg.w(1, &format!("HolderIdentity:\t{name}\n"));
    pg.w(1, "AcquireTime:\t<unset>\n");
    pg.w(1, &format!("RenewTime:\t{}\n", rfc(n.lease_renewed(now))));
    let v = n.to_value(now);
    pg.w(
        0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
    );
    pg.w(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for c in v["status"]["conditions"].as_array().into_iter().flatten() {
        pg.w(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                c["type"].as_str().unwrap_or_default(),
                c["status"].as_str().unwrap_or_default(),
                c["lastHeartbeatTime"]
                    .as_str()
                    .and_then(crate::sim::time::parse_rfc3339)
                    .map(rfc)
                    .unwrap_or_default(),
                c["lastTransitionTime"]
                    .as_str()
                    .and_then(crate::sim::time::parse_rfc3339)
                    .map(rfc)
                    .unwrap_or_default(),
                c["reason"].as_str().unwrap_or_default(),
                c["message"].as_str().unwrap_or_default()
            ),
        );
    }
    pg.w(0, "Addresses:\n");
    pg.w(1, &format!("InternalIP:\t{}\n", n.ip));
    pg.w(1, &format!("Hostname:\t{name}\n"));
    for (title, key) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
        pg.w(0, &format!("{title}:\n"));
        for (k, q) in v["status"][key].as_object().into_iter().flatten() {
            pg.w(1, &format!("{k}:\t{}\n", q.as_str().unwrap_or_default()));
        }
    }
    pg.w(0, "System Info:\n");
    let info = &v["status"]["nodeInfo"];
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        pg.w(
            1,
            &format!("{label}:\t{}\n", info[key].as_str().unwrap_or_default()),
        );
    }
    pg.w(0, &format!("PodCIDR:\t{}\n", n.pod_cidr));
    pg.w(0, &format!("PodCIDRs:\t{}\n", n.pod_cidr));
    let pods: Vec<&Pod> = world
        .pods
        .values()
        .filter(|p| p.spec.node_name == name && !p.status.phase.is_terminal())
        .collect();
    pg.w(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    pg.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    pg.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let (mut tc, mut tm) = (0i128, 0i128);
    for p in &pods {
        let (c, m) = crate::sim::scheduler::pod_requests(p, false);
        tc += c;
        tm += m;
        let pct = |x: i128, cap: i128| if cap > 0 { x * 100 / cap } else { 0 };
        pg.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t0 (0%)\t{} ({}%)\t0 (0%)\t{}\n",
                p.meta.namespace,
                p.meta.name,
                if c == 0 { "0".into() } else { format!("{c}m") },
                pct(c, n.cpu_milli),
                if m == 0 {
                    "0".into()
                } else {
                    crate::sim::quantity::Quantity::from_milli(m * 1000, true).to_string()
                },
                pct(m, n.allocatable_memory()),
                human_duration(now.since(p.meta.creation) as i64)
            ),
        );
    }
    pg.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    pg.w(1, "Resource\tRequests\tLimits\n");
    pg.w(1, "--------\t--------\t------\n");
    let pct = |x: i128, cap: i128| if cap > 0 { x * 100 / cap } else { 0 };
    pg.w(
        1,
        &format!(
            "cpu\t{} ({}%)\t0 (0%)\n",
            if tc == 0 {
                "0".into()
            } else {
                format!("{tc}m")
            },
            pct(tc, n.cpu_milli)
        ),
    );
    pg.w(
        1,
        &format!(
            "memory\t{} ({}%)\t0 (0%)\n",
            if tm == 0 {
                "0".into()
            } else {
                crate::sim::quantity::Quantity::from_milli(tm * 1000, true).to_string()
            },
            pct(tm, n.allocatable_memory())
        ),
    );
    pg.w(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n");
    pg.w(1, "hugepages-1Gi\t0 (0%)\t0 (0%)\n");
    pg.w(1, "hugepages-2Mi\t0 (0%)\t0 (0%)\n");
    if show_events {
        events_section(&mut pg, &mut done, now, &world.events_for(&n.meta.uid));
    }
    pg.flush(&mut done);
    done
}

fn describe_namespace(world: &World, name: &str) -> String {
    let Some(n) = world.namespaces.get(name) else {
        return String::new();
    };
    let mut done = String::new();
    let mut pg = Page {
        text: String::new(),
    };
    pg.w(0, &format!("Name:\t{name}\n"));
    labels_multiline(&mut pg, "Labels", &n.meta.labels);
    annotations_multiline(&mut pg, "Annotations", &n.meta.annotations);
    pg.w(
        0,
        &format!(
            "Status:\t{}\n",
            if n.terminating {
                "Terminating"
            } else {
                "Active"
            }
        ),
    );
    pg.w(0, "\nNo resource quota.\n\nNo LimitRange resource.\n");
    pg.flush(&mut done);
    done
}

fn describe_data(world: &World, kind: Kind, ns: &str, name: &str, show_events: bool) -> String {
    let key = (ns.to_string(), name.to_string());
    let o = if kind == Kind::Secret {
        world.secrets.get(&key)
    } else {
        world.configmaps.get(&key)
    };
    let Some(o) = o else { return String::new() };
    let mut done = String::new();
    let mut pg = Page {
        text: String::new(),
    };
    pg.w(0, &format!("Name:\t{name}\n"));
    pg.w(0, &format!("Namespace:\t{ns}\n"));
    labels_multiline(&mut pg, "Labels", &o.meta.labels);
    annotations_multiline(&mut pg, "Annotations", &o.meta.annotations);
    pg.w(0, "\n");
    if kind == Kind::Secret {
        pg.w(
            0,
            &format!(
                "Type:\t{}\n\nData\n====\n",
                o.type_.clone().unwrap_or_else(|| "Opaque".into())
            ),
        );
        for (k, v) in &o.data {
            use base64::Engine;
            let n = base64::engine::general_purpose::STANDARD
                .decode(v)
                .map_or(0, |b| b.len());
            pg.w(0, &format!("{k}:\t{n} bytes\n"));
        }
    } else {
        pg.w(0, "Data\n====\n");
        for (k, v) in &o.data {
            pg.w(0, &format!("{k}:\n----\n{v}\n\n"));
        }
        pg.w(0, "\nBinaryData\n====\n\n");
        if show_events {
            pg.w(0, "Events:\t<none>\n");
        }
    }
    pg.flush(&mut done);
    done
}

fn str_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// `describe service|endpoints|endpointslice`, as kubectl's describers lay them out.
fn describe_network(world: &World, kind: Kind, v: &Value, show_events: bool) -> String {
    let meta = &v["metadata"];
    let name = meta["name"].as_str().unwrap_or_default();
    let ns = meta["namespace"].as_str().unwrap_or_default();
    let mut done = String::new();
    let mut pg = Page {
        text: String::new(),
    };
    pg.w(0, &format!("Name:\t{name}\n"));
    pg.w(0, &format!("Namespace:\t{ns}\n"));
    labels_multiline(&mut pg, "Labels", &str_map(meta.get("labels")));
    annotations_multiline(&mut pg, "Annotations", &str_map(meta.get("annotations")));
    let events = |pg: &mut Page| {
        if show_events {
            pg.w(0, "Events:\t<none>\n");
        }
    };
    match kind {
        Kind::Service => {
            let spec = &v["spec"];
            let selector = str_map(spec.get("selector"));
            let sel: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pg.w(
                0,
                &format!(
                    "Selector:\t{}\n",
                    if sel.is_empty() {
                        "<none>".into()
                    } else {
                        sel.join(",")
                    }
                ),
            );
            let type_ = spec["type"].as_str().unwrap_or("ClusterIP");
            pg.w(0, &format!("Type:\t{type_}\n"));
            if let Some(p) = spec["ipFamilyPolicy"].as_str() {
                pg.w(0, &format!("IP Family Policy:\t{p}\n"));
            }
            let joined = |key: &str| -> String {
                let list: Vec<&str> = spec[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if list.is_empty() {
                    "<none>".into()
                } else {
                    list.join(",")
                }
            };
            if type_ != "ExternalName" {
                pg.w(0, &format!("IP Families:\t{}\n", joined("ipFamilies")));
                pg.w(
                    0,
                    &format!("IP:\t{}\n", spec["clusterIP"].as_str().unwrap_or_default()),
                );
                pg.w(0, &format!("IPs:\t{}\n", joined("clusterIPs")));
            }
            if spec.get("externalIPs").is_some() {
                pg.w(0, &format!("External IPs:\t{}\n", joined("externalIPs")));
            }
            if let Some(n) = spec["externalName"].as_str() {
                pg.w(0, &format!("External Name:\t{n}\n"));
            }
            let svc = world.services.get(&(ns.to_string(), name.to_string()));
            let slice = svc.and_then(|s| world.endpointslice_value(s));
            for port in spec["ports"].as_array().into_iter().flatten() {
                let pname = port["name"].as_str().unwrap_or_default();
                let shown = if pname.is_empty() { "<unset>" } else { pname };
                let proto = port["protocol"].as_str().unwrap_or("TCP");
                pg.w(0, &format!("Port:\t{shown}\t{}/{proto}\n", port["port"]));
                let target = match &port["targetPort"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                pg.w(0, &format!("TargetPort:\t{target}/{proto}\n"));
                if let Some(n) = port["nodePort"].as_i64().filter(|n| *n != 0) {
                    pg.w(0, &format!("NodePort:\t{shown}\t{n}/{proto}\n"));
                }
                pg.w(
                    0,
                    &format!("Endpoints:\t{}\n", slice_endpoints(slice.as_ref(), pname)),
                );
            }
            if spec.get("ports").is_none() {
                // A headless service without ports still lists its addresses.
            }
            pg.w(
                0,
                &format!(
                    "Session Affinity:\t{}\n",
                    spec["sessionAffinity"].as_str().unwrap_or("None")
                ),
            );
            if let Some(p) = spec["externalTrafficPolicy"].as_str() {
                pg.w(0, &format!("External Traffic Policy:\t{p}\n"));
            }
            if let Some(p) = spec["internalTrafficPolicy"].as_str() {
                pg.w(0, &format!("Internal Traffic Policy:\t{p}\n"));
            }
            events(&mut pg);
        }
        Kind::Endpoints => {
            pg.w(0, "Subsets:\n");
            for ss in v["subsets"].as_array().into_iter().flatten() {
                let ips = |key: &str| -> String {
                    let list: Vec<&str> = ss[key]
                        .as_array()
                        .map(|a| a.iter().filter_map(|x| x["ip"].as_str()).collect())
                        .unwrap_or_default();
                    if list.is_empty() {
                        "<none>".into()
                    } else {
                        list.join(",")
                    }
                };
                pg.w(1, &format!("Addresses:\t{}\n", ips("addresses")));
                pg.w(
                    1,
                    &format!("NotReadyAddresses:\t{}\n", ips("notReadyAddresses")),
                );
                if let Some(ports) = ss["ports"].as_array().filter(|p| !p.is_empty()) {
                    pg.w(1, "Ports:\n");
                    pg.w(2, "Name\tPort\tProtocol\n");
                    pg.w(2, "----\t----\t--------\n");
                    for p in ports {
                        let n = p["name"].as_str().unwrap_or("<unset>");
                        pg.w(
                            2,
                            &format!(
                                "{n}\t{}\t{}\n",
                                p["port"],
                                p["protocol"].as_str().unwrap_or("TCP")
                            ),
                        );
                    }
                }
                pg.w(0, "\n");
            }
            events(&mut pg);
        }
        _ => {
            pg.w(
                0,
                &format!(
                    "AddressType:\t{}\n",
                    v["addressType"].as_str().unwrap_or("IPv4")
                ),
            );
            match v["ports"].as_array().filter(|p| !p.is_empty()) {
                None => pg.w(0, "Ports: <unset>\n"),
                Some(ports) => {
                    pg.w(0, "Ports:\n");
                    pg.w(1, "Name\tPort\tProtocol\n");
                    pg.w(1, "----\t----\t--------\n");
                    for p in ports {
                        let n = p["name"]
                            .as_str()
                            .filter(|n| !n.is_empty())
                            .unwrap_or("<unset>");
                        let port = p["port"]
                            .as_i64()
                            .map_or("<unset>".to_string(), |n| n.to_string());
                        pg.w(
                            1,
                            &format!("{n}\t{port}\t{}\n", p["protocol"].as_str().unwrap_or("TCP")),
                        );
                    }
                }
            }
            match v["endpoints"].as_array().filter(|e| !e.is_empty()) {
                None => pg.w(0, "Endpoints: <none>\n"),
                Some(eps) => {
                    pg.w(0, "Endpoints:\n");
                    for e in eps {
                        // Each endpoint is aligned on its own.
                        pg.flush(&mut done);
                        let addrs: Vec<&str> = e["addresses"]
                            .as_array()
                            .map(|a| a.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        pg.w(1, &format!("- Addresses:\t{}\n", addrs.join(", ")));
                        pg.w(2, "Conditions:\n");
                        let ready = e["conditions"]["ready"]
                            .as_bool()
                            .map_or("<unset>".into(), |b| b.to_string());
                        pg.w(3, &format!("Ready:\t{ready}\n"));
                        pg.w(
                            2,
                            &format!(
                                "Hostname:\t{}\n",
                                e["hostname"].as_str().unwrap_or("<unset>")
                            ),
                        );
                        if let Some(t) = e.get("targetRef") {
                            pg.w(
                                2,
                                &format!(
                                    "TargetRef:\t{}/{}\n",
                                    t["kind"].as_str().unwrap_or_default(),
                                    t["name"].as_str().unwrap_or_default()
                                ),
                            );
                        }
                        pg.w(
                            2,
                            &format!(
                                "NodeName:\t{}\n",
                                e["nodeName"].as_str().unwrap_or("<unset>")
                            ),
                        );
                        pg.w(
                            2,
                            &format!("Zone:\t{}\n", e["zone"].as_str().unwrap_or("<unset>")),
                        );
                    }
                }
            }
            if v["endpoints"].as_array().is_some_and(|e| !e.is_empty()) {
                if show_events {
                    pg.w(0, "Events:\t<none>\n");
                }
            } else {
                pg.flush(&mut done);
                if show_events {
                    pg.w(0, "Events:  <none>\n");
                }
            }
        }
    }
    pg.flush(&mut done);
    done
}

/// describe's `formatEndpointSlices` for one port name: ready addresses with the port,
/// `<none>` without a slice, empty when the slice gives nothing.
fn slice_endpoints(slice: Option<&Value>, port: &str) -> String {
    let Some(slice) = slice else {
        return "<none>".into();
    };
    let ready: Vec<&str> = slice["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["conditions"]["ready"].as_bool() != Some(false))
        .filter_map(|e| e["addresses"][0].as_str())
        .collect();
    let mut list = Vec::new();
    match slice["ports"].as_array() {
        Some(ports) if !ports.is_empty() => {
            for p in ports
                .iter()
                .filter(|p| p["name"].as_str().unwrap_or_default() == port)
            {
                if let Some(n) = p["port"].as_i64() {
                    list.extend(ready.iter().map(|a| format!("{a}:{n}")));
                }
            }
        }
        _ => list.extend(ready.iter().map(|a| a.to_string())),
    }
    super::netprint::shorten(&list, list.len(), "")
}
