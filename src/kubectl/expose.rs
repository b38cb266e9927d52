//! `kubectl expose pod` and `kubectl create service clusterip|nodeport|loadbalancer|
//! externalname`: the Service objects kubectl builds on the client (`expose.go`,
//! `create_service.go`), sent to the server or, with `--dry-run=client`, printed as built.

use serde_json::{json, Map, Value};

use super::args::{flag, parse, FlagSpec, Parsed};
use super::get::{namespace, output_format, print_objects, Format};
use super::{Ctx, Output};
use crate::sim::api::ApiError;
use crate::sim::meta::Kind;

const EXPOSE_FLAGS: &[FlagSpec] = &[
    flag("port", None, true),
    flag("target-port", None, true),
    flag("name", None, true),
    flag("type", None, true),
    flag("protocol", None, true),
    flag("selector", None, true),
    flag("labels", Some('l'), true),
    flag("cluster-ip", None, true),
    flag("external-ip", None, true),
    flag("session-affinity", None, true),
    flag("load-balancer-ip", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("save-config", None, false),
    flag("filename", Some('f'), true),
    flag("override-type", None, true),
    flag("overrides", None, true),
];

fn usage_error(out: &mut Output, e: String, cmd: &str) {
    out.fail(e);
    out.err(format!("See 'kubectl {cmd} -h' for help and examples\n"));
}

/// `a=b,c=d` as a map, or kubectl's error.
fn parse_labels(s: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for pair in s.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!("invalid label spec: {pair}"));
        };
        m.insert(k.to_string(), json!(v));
    }
    Ok(m)
}

/// A port or target port as it goes into the object: a number if it is one.
fn int_or_name(s: &str) -> Value {
    match s.parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(s),
    }
}

/// Prints what a write produced: the object for `-o`, else `service/NAME <verb>`.
fn report(obj: &Value, name: &str, verb: &str, fmt: &Option<Format>, out: &mut Output) {
    match fmt {
        Some(f) => print_objects(&[(Kind::Service, obj.clone())], f, true, out),
        None => out.out(format!("service/{name} {verb}\n")),
    }
}

fn write_format(p: &Parsed) -> Result<Option<Format>, String> {
    match output_format(p)? {
        Format::Table { .. } => Ok(None),
        f => Ok(Some(f)),
    }
}

/// Sends a Service built on the client, or prints it for a client dry run.
fn send(
    ctx: &mut Ctx<'_>,
    p: &Parsed,
    obj: Value,
    verb: &str,
    wrap: Option<&str>,
    out: &mut Output,
) {
    let fmt = match write_format(p) {
        Ok(f) => f,
        Err(e) => return out.fail(e),
    };
    let name = obj["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if p.get("dry-run") == Some("client") {
        return super::get::print_client_object(Kind::Service, &obj, fmt.as_ref(), verb, out);
    }
    let ns = namespace(p);
    match ctx.world.create(Kind::Service, &obj, &ns) {
        Ok(_) => {
            let stored = ctx
                .world
                .services
                .get(&(ns, name.clone()))
                .map(|s| s.to_value())
                .unwrap_or(obj);
            report(&stored, &name, verb, &fmt, out);
        }
        Err(e) => match wrap {
            Some(w) if !matches!(e, ApiError::Invalid { .. }) => {
                out.fail(format!("failed to create {w} service: {e}"))
            }
            _ => out.api_error(&e, None),
        },
    }
}

/// The client-side object's metadata: name, the namespace only when `-n` was given, a null
/// creation time, labels.
fn client_meta(p: &Parsed, name: &str, labels: Map<String, Value>) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = p.get("namespace") {
        meta.insert("namespace".into(), json!(ns));
    }
    meta.insert("creationTimestamp".into(), Value::Null);
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    Value::Object(meta)
}

/// A port the exposed object offers: name, number, protocol.
type Offered = (String, i64, String);

/// `kubectl expose pod NAME`.
pub fn expose(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, EXPOSE_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "expose"),
    };
    let (kind, name) = match p.positional.as_slice() {
        [] => {
            out.fail("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
            return;
        }
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => {
                return out
                    .fail("arguments in resource/name form must have a single resource and name")
            }
        },
        [k, n, ..] => (k.clone(), n.clone()),
    };
    let kind_l = kind.to_lowercase();
    if !matches!(
        kind_l.as_str(),
        "pod" | "pods" | "po" | "service" | "services" | "svc"
    ) {
        if super::get::resolve_kind(&kind_l).is_some() {
            return out.fail(format!("cannot expose a {}", kind_display(&kind_l)));
        }
        return out.fail(format!(
            "the server doesn't have a resource type \"{kind}\""
        ));
    }
    let ns = namespace(&p);
    let is_pod = matches!(kind_l.as_str(), "pod" | "pods" | "po");
    // What the exposed object offers: its labels, and its ports (name, number, protocol).
    let (labels, offered): (Map<String, Value>, Vec<Offered>) = if is_pod {
        let Some(pod) = ctx.world.pods.get(&(ns.clone(), name.clone())) else {
            return out.api_error(&ApiError::not_found(Kind::Pod, &name), None);
        };
        let labels = pod
            .meta
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let ports = pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .map(|cp| (cp.name.clone(), cp.container_port, cp.protocol.clone()))
            .collect();
        (labels, ports)
    } else {
        let Some(svc) = ctx.world.services.get(&(ns.clone(), name.clone())) else {
            return out.api_error(&ApiError::not_found(Kind::Service, &name), None);
        };
        let labels = svc
            .selector
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let ports = svc
            .ports
            .iter()
            .map(|sp| (sp.name.clone(), sp.port, sp.protocol.clone()))
            .collect();
        (labels, ports)
    };
    let selector = match p.get("selector") {
        Some(s) => match parse_labels(s) {
            Ok(m) => m,
            Err(e) => return out.fail(e),
        },
        None => {
            if labels.is_empty() {
                return out.fail(format!("couldn't retrieve selectors via --selector flag or introspection: the {} has no labels and cannot be exposed", if is_pod { "pod" } else { "service" }));
            }
            labels.clone()
        }
    };
    let own_labels = match p.get("labels") {
        Some(s) => match parse_labels(s) {
            Ok(m) => m,
            Err(e) => return out.fail(e),
        },
        None => labels,
    };
    let protocol = p.get("protocol").map(str::to_string);
    let headless = p.get("cluster-ip") == Some("None");
    let mut ports: Vec<Value> = Vec::new();
    if let Some(port) = p.get("port") {
        let mut m = Map::new();
        m.insert("port".into(), int_or_name(port));
        m.insert(
            "protocol".into(),
            json!(protocol.clone().unwrap_or_else(|| "TCP".into())),
        );
        m.insert(
            "targetPort".into(),
            int_or_name(p.get("target-port").unwrap_or(port)),
        );
        ports.push(Value::Object(m));
    } else if !offered.is_empty() {
        let many = offered.len() > 1;
        for (i, (_, number, proto)) in offered.iter().enumerate() {
            let proto = protocol.clone().unwrap_or_else(|| proto.clone());
            let mut m = Map::new();
            if many {
                // The same number on two protocols gets the protocol in its name.
                let twice = offered.iter().filter(|(_, n, _)| n == number).count() > 1;
                let first = offered
                    .iter()
                    .position(|(_, n, _)| n == number)
                    .unwrap_or(i);
                let name = if twice {
                    format!("port-{}-{}", first + 1, proto.to_lowercase())
                } else {
                    format!("port-{}", i + 1)
                };
                m.insert("name".into(), json!(name));
            }
            m.insert("port".into(), json!(number));
            m.insert("protocol".into(), json!(proto));
            m.insert(
                "targetPort".into(),
                match p.get("target-port") {
                    Some(t) => int_or_name(t),
                    None => json!(number),
                },
            );
            ports.push(Value::Object(m));
        }
    } else if !headless {
        return out.fail("couldn't find port via --port flag or introspection");
    }
    let svc_name = p.get("name").unwrap_or(&name).to_string();
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), Value::Object(selector));
    if let Some(ip) = p.get("cluster-ip") {
        spec.insert("clusterIP".into(), json!(ip));
    }
    if let Some(t) = p.get("type") {
        let t = match t.to_lowercase().as_str() {
            "clusterip" => "ClusterIP".to_string(),
            "nodeport" => "NodePort".to_string(),
            "loadbalancer" => "LoadBalancer".to_string(),
            "externalname" => "ExternalName".to_string(),
            _ => t.to_string(),
        };
        spec.insert("type".into(), json!(t));
    }
    if let Some(ip) = p.get("external-ip") {
        spec.insert("externalIPs".into(), json!([ip]));
    }
    if let Some(a) = p.get("session-affinity") {
        spec.insert("sessionAffinity".into(), json!(a));
    }
    let obj = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": client_meta(&p, &svc_name, own_labels),
        "spec": Value::Object(spec),
        "status": {"loadBalancer": {}},
    });
    send(ctx, &p, obj, "exposed", None, out);
}

fn kind_display(k: &str) -> &'static str {
    match super::get::resolve_kind(k) {
        Some(Kind::Node) => "/v1, Kind=Node",
        Some(Kind::ConfigMap) => "/v1, Kind=ConfigMap",
        Some(Kind::Secret) => "/v1, Kind=Secret",
        Some(Kind::Namespace) => "/v1, Kind=Namespace",
        _ => "resource",
    }
}

const CREATE_SERVICE_HELP: &str = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

/// `kubectl create service TYPE NAME --tcp=PORT[:TARGET]`.
pub fn create_service(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    const F: &[FlagSpec] = &[
        flag("tcp", None, true),
        flag("node-port", None, true),
        flag("clusterip", None, true),
        flag("external-name", None, true),
        flag("dry-run", None, true),
        flag("output", Some('o'), true),
        flag("save-config", None, false),
        flag("validate", None, true),
        flag("help", Some('h'), false),
    ];
    let p = match parse(args, F) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "create service"),
    };
    // positional[0] is `service`/`svc`.
    let rest: Vec<&String> = p.positional.iter().skip(1).collect();
    let Some(type_word) = rest.first() else {
        if p.bool("help") {
            return out.out(CREATE_SERVICE_HELP);
        }
        out.out(CREATE_SERVICE_HELP);
        return;
    };
    let type_ = match type_word.as_str() {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        other => {
            return out.fail(format!(
                "unknown command \"{other}\" for \"kubectl create service\""
            ))
        }
    };
    let Some(name) = rest.get(1) else {
        out.fail("exactly one NAME is required, got 0");
        out.err(format!(
            "See 'kubectl create service {type_word} -h' for help and examples\n"
        ));
        return;
    };
    if rest.len() > 2 {
        out.fail(format!(
            "exactly one NAME is required, got {}",
            rest.len() - 1
        ));
        out.err(format!(
            "See 'kubectl create service {type_word} -h' for help and examples\n"
        ));
        return;
    }
    let cluster_ip = p.get("clusterip");
    let tcp: Vec<String> = p
        .all("tcp")
        .iter()
        .flat_map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|t| !t.is_empty())
        .collect();
    if cluster_ip == Some("None") && type_ != "ClusterIP" {
        return out.fail("ClusterIP=None can only be used with ClusterIP service type");
    }
    if cluster_ip != Some("None") && tcp.is_empty() && type_ != "ExternalName" {
        return out.fail("at least one tcp port specifier must be provided");
    }
    let node_port: i64 = match p.get("node-port").map(str::parse::<i64>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return out.fail(format!(
                "invalid argument \"{}\" for \"--node-port\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                p.get("node-port").unwrap_or_default(),
                p.get("node-port").unwrap_or_default()
            ))
        }
    };
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
        let Ok(n) = port.parse::<u16>() else {
            return out.fail(format!(
                "strconv.ParseUint: parsing \"{port}\": {}",
                if port.parse::<u64>().is_ok() {
                    "value out of range"
                } else {
                    "invalid syntax"
                }
            ));
        };
        let mut m = Map::new();
        m.insert("name".into(), json!(spec.replace(':', "-")));
        m.insert("protocol".into(), json!("TCP"));
        m.insert("port".into(), json!(n));
        m.insert("targetPort".into(), int_or_name(target));
        if node_port > 0 {
            m.insert("nodePort".into(), json!(node_port));
        }
        ports.push(Value::Object(m));
    }
    let mut labels = Map::new();
    labels.insert("app".into(), json!(name));
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    if type_ != "ExternalName" {
        spec.insert("selector".into(), Value::Object(labels.clone()));
    }
    if let Some(ip) = cluster_ip {
        spec.insert("clusterIP".into(), json!(ip));
    }
    spec.insert("type".into(), json!(type_));
    if let Some(n) = p.get("external-name") {
        spec.insert("externalName".into(), json!(n));
    }
    let obj = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": client_meta(&p, name, labels),
        "spec": Value::Object(spec),
        "status": {"loadBalancer": {}},
    });
    send(ctx, &p, obj, "created", Some(type_), out);
}
