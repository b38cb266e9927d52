//! API validation: the checks the API server runs on create and update, with its messages.
//!
//! Checks run in the server's order and all errors of an object are collected in one pass, so
//! kubectl can list them as the server does. Each error names its field path; the caller maps
//! that path to a line and column through the manifest's spans.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use super::pod::{Container, PodSpec};
use super::quantity::Quantity;

/// What is wrong with one field (`field.Error`'s type and detail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Required(String),
    Invalid(String, String),
    Duplicate(String),
    NotFound(String),
    NotSupported(String, Vec<&'static str>),
    Forbidden(String),
    TooLong(String),
}

/// One field error, worded as the API server words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub problem: Problem,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.problem {
            Problem::Required(d) if d.is_empty() => write!(f, "Required value"),
            Problem::Required(d) => write!(f, "Required value: {d}"),
            Problem::Invalid(v, d) if d.is_empty() => write!(f, "Invalid value: {v}"),
            Problem::Invalid(v, d) => write!(f, "Invalid value: {v}: {d}"),
            Problem::Duplicate(v) => write!(f, "Duplicate value: {v}"),
            Problem::TooLong(d) => write!(f, "Too long: {d}"),
            Problem::NotFound(v) => write!(f, "Not found: {v}"),
            Problem::NotSupported(v, vals) => {
                let list: Vec<String> = vals.iter().map(|s| format!("\"{s}\"")).collect();
                write!(
                    f,
                    "Unsupported value: {v}: supported values: {}",
                    list.join(", ")
                )
            }
            Problem::Forbidden(d) => write!(f, "Forbidden: {d}"),
        }
    }
}

/// Go's `%q` of a string.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Errs(Vec<FieldError>);

impl Errs {
    fn push(&mut self, path: impl Into<String>, problem: Problem) {
        self.0.push(FieldError {
            path: path.into(),
            problem,
        });
    }
    fn required(&mut self, path: impl Into<String>) {
        self.push(path, Problem::Required(String::new()));
    }
    fn invalid_str(&mut self, path: impl Into<String>, v: &str, detail: &str) {
        self.push(path, Problem::Invalid(quote(v), detail.to_string()));
    }
    fn invalid_num(&mut self, path: impl Into<String>, v: i64, detail: &str) {
        self.push(path, Problem::Invalid(v.to_string(), detail.to_string()));
    }
}

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// Messages of `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if s.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(s) {
        msgs.push(DNS1123_LABEL_MSG.to_string());
    }
    msgs
}

/// Messages of `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if s.len() > 253 {
        msgs.push("must be no more than 253 characters".to_string());
    }
    if !s.split('.').all(is_label) {
        msgs.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    msgs
}

const QUALIFIED_NAME_RULE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// What is wrong with a label or annotation key (`[prefix/]name`), in the API server's words.
pub fn qualified_name(key: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    let name = match key.split('/').collect::<Vec<_>>()[..] {
        [name] => name,
        [prefix, name] => {
            if prefix.is_empty() {
                msgs.push("prefix part must be non-empty".to_string());
            } else {
                msgs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            name
        }
        _ => {
            return vec![format!("a qualified name {QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
        }
    };
    if name.is_empty() {
        msgs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        msgs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_part_chars(name) {
        msgs.push(format!("name part {QUALIFIED_NAME_RULE}"));
    }
    msgs
}

/// What is wrong with a label value, in the API server's words.
pub fn label_value(v: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if v.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qualified_part_chars(v) {
        msgs.push(LABEL_VALUE_MSG.to_string());
    }
    msgs
}

/// The character rule of a qualified name's name part (any length).
fn is_qualified_part_chars(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

fn validate_labels(labels: &serde_json::Map<String, Value>, path: &str, errs: &mut Errs) {
    for (k, v) in labels {
        for msg in qualified_name(k) {
            errs.push(path, Problem::Invalid(quote(k), msg));
        }
        let Some(v) = v.as_str() else {
            continue;
        };
        for msg in label_value(v) {
            errs.push(path, Problem::Invalid(quote(v), msg));
        }
    }
}

/// The most bytes all of an object's annotations (keys and values) may take.
pub const ANNOTATIONS_LIMIT: usize = 256 * 1024;

fn validate_annotations<'a>(
    annotations: impl Iterator<Item = (&'a String, &'a str)>,
    path: &str,
    errs: &mut Errs,
) {
    let mut total = 0;
    for (k, v) in annotations {
        for msg in qualified_name(&k.to_lowercase()) {
            errs.push(path, Problem::Invalid(quote(k), msg));
        }
        total += k.len() + v.len();
    }
    if total > ANNOTATIONS_LIMIT {
        errs.push(
            path,
            Problem::TooLong(format!("must have at most {ANNOTATIONS_LIMIT} bytes")),
        );
    }
}

/// Validates labels and annotations as every write of an object's metadata does (create,
/// update, patch, `kubectl label` and `annotate`).
pub fn validate_meta_maps(
    labels: &std::collections::BTreeMap<String, String>,
    annotations: &std::collections::BTreeMap<String, String>,
) -> Vec<FieldError> {
    let mut errs = Errs(Vec::new());
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    validate_labels(&labels, "metadata.labels", &mut errs);
    validate_annotations(
        annotations.iter().map(|(k, v)| (k, v.as_str())),
        "metadata.annotations",
        &mut errs,
    );
    errs.0
}

/// Validates a Pod's metadata for create. `meta` is the manifest's `metadata` object.
pub fn validate_object_meta(meta: &Value, name_check: fn(&str) -> Vec<String>) -> Vec<FieldError> {
    let mut errs = Errs(Vec::new());
    let name = meta.get("name").and_then(Value::as_str).unwrap_or_default();
    let generate = meta
        .get("generateName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.is_empty() && generate.is_empty() {
        errs.push(
            "metadata.name",
            Problem::Required("name or generateName is required".into()),
        );
    } else if !name.is_empty() {
        for msg in name_check(name) {
            errs.invalid_str("metadata.name", name, &msg);
        }
    }
    if let Some(l) = meta.get("labels").and_then(Value::as_object) {
        validate_labels(l, "metadata.labels", &mut errs);
    }
    if let Some(a) = meta.get("annotations").and_then(Value::as_object) {
        validate_annotations(
            a.iter().map(|(k, v)| (k, v.as_str().unwrap_or_default())),
            "metadata.annotations",
            &mut errs,
        );
    }
    errs.0
}

/// Validates a defaulted Pod spec, in the API server's order.
pub fn validate_pod_spec(spec: &PodSpec, spec_json: &Value) -> Vec<FieldError> {
    let mut errs = Errs(Vec::new());
    let mut volume_names = BTreeSet::new();
    for (i, v) in spec.volumes.iter().enumerate() {
        let p = format!("spec.volumes[{i}]");
        if v.name.is_empty() {
            errs.required(format!("{p}.name"));
        } else {
            for msg in dns1123_label(&v.name) {
                errs.invalid_str(format!("{p}.name"), &v.name, &msg);
            }
            if !volume_names.insert(v.name.clone()) {
                errs.push(format!("{p}.name"), Problem::Duplicate(quote(&v.name)));
            }
        }
        let sources = [
            v.empty_dir.is_some(),
            v.host_path.is_some(),
            v.config_map.is_some(),
            v.secret.is_some(),
            v.projected.is_some(),
            v.persistent_volume_claim.is_some(),
            v.downward_api.is_some(),
        ];
        let raw = &spec_json["volumes"][i];
        let other = raw
            .as_object()
            .map_or(0, |m| m.keys().filter(|k| *k != "name").count());
        if other == 0 {
            errs.push(
                p.clone(),
                Problem::Required("must specify a volume type".into()),
            );
        } else if other > 1 || sources.iter().filter(|s| **s).count() > 1 {
            errs.push(
                p.clone(),
                Problem::Forbidden("may not specify more than 1 volume type".into()),
            );
        }
        if let Some(hp) = &v.host_path {
            if hp
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .is_empty()
            {
                errs.required(format!("{p}.hostPath.path"));
            }
        }
        if let Some(cm) = &v.config_map {
            if cm
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .is_empty()
            {
                errs.required(format!("{p}.configMap.name"));
            }
        }
        if let Some(s) = &v.secret {
            if s.get("secretName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .is_empty()
            {
                errs.required(format!("{p}.secret.secretName"));
            }
        }
    }
    if spec.containers.is_empty() {
        errs.required("spec.containers");
    } else {
        let mut names = BTreeSet::new();
        for (i, c) in spec.containers.iter().enumerate() {
            let p = format!("spec.containers[{i}]");
            validate_container(c, &p, &volume_names, &spec_json["containers"][i], &mut errs);
            if !c.name.is_empty() && !names.insert(c.name.clone()) {
                errs.push(format!("{p}.name"), Problem::Duplicate(quote(&c.name)));
            }
            let raw = &spec_json["containers"][i];
            validate_probes(raw, &p, &mut errs);
            if c.restart_policy.is_some() {
                errs.push(
                    format!("{p}.restartPolicy"),
                    Problem::Forbidden("may not be set for non-init containers".into()),
                );
            }
        }
        host_port_conflicts(&spec.containers, "spec.containers", &mut errs);
    }
    let mut init_names = BTreeSet::new();
    for (i, c) in spec.init_containers.iter().enumerate() {
        let p = format!("spec.initContainers[{i}]");
        validate_container(
            c,
            &p,
            &volume_names,
            &spec_json["initContainers"][i],
            &mut errs,
        );
        if !c.name.is_empty()
            && (!init_names.insert(c.name.clone())
                || spec.containers.iter().any(|x| x.name == c.name))
        {
            errs.push(format!("{p}.name"), Problem::Duplicate(quote(&c.name)));
        }
        let raw = &spec_json["initContainers"][i];
        let sidecar = c.restart_policy.as_deref() == Some("Always");
        match c.restart_policy.as_deref() {
            None | Some("Always") => {}
            Some(other) => errs.push(
                format!("{p}.restartPolicy"),
                Problem::NotSupported(quote(other), vec!["Always"]),
            ),
        }
        if sidecar {
            validate_probes(raw, &p, &mut errs);
        } else {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if raw.get(probe).is_some_and(|v| !v.is_null()) {
                    errs.push(
                        format!("{p}.{probe}"),
                        Problem::Forbidden(
                            "may not be set for init containers without restartPolicy=Always"
                                .into(),
                        ),
                    );
                }
            }
            if raw.get("lifecycle").is_some_and(|v| !v.is_null()) {
                errs.push(
                    format!("{p}.lifecycle"),
                    Problem::Forbidden(
                        "may not be set for init containers without restartPolicy=Always".into(),
                    ),
                );
            }
        }
    }
    match spec.restart_policy.as_str() {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.required("spec.restartPolicy"),
        other => errs.push(
            "spec.restartPolicy",
            Problem::NotSupported(quote(other), vec!["Always", "OnFailure", "Never"]),
        ),
    }
    match spec.dns_policy.as_str() {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.required("spec.dnsPolicy"),
        other => errs.push(
            "spec.dnsPolicy",
            Problem::NotSupported(
                quote(other),
                vec!["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
            ),
        ),
    }
    if let Some(ns) = spec_json.get("nodeSelector").and_then(Value::as_object) {
        validate_labels(ns, "spec.nodeSelector", &mut errs);
    }
    if let Some(aff) = &spec.affinity {
        validate_affinity(aff, &mut errs);
    }
    if !spec.node_name.is_empty() {
        for msg in dns1123_subdomain(&spec.node_name) {
            errs.invalid_str("spec.nodeName", &spec.node_name, &msg);
        }
    }
    if let Some(ads) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&ads) {
            errs.invalid_num(
                "spec.activeDeadlineSeconds",
                ads,
                "must be between 1 and 2147483647, inclusive",
            );
        }
    }
    for (i, t) in spec.tolerations.iter().enumerate() {
        let p = format!("spec.tolerations[{i}]");
        match t.operator.as_str() {
            "" | "Equal" => {}
            "Exists" => {
                if !t.value.is_empty() {
                    errs.invalid_str(
                        format!("{p}.operator"),
                        &t.value,
                        "value must be empty when `operator` is 'Exists'",
                    );
                }
            }
            other => errs.push(
                format!("{p}.operator"),
                Problem::NotSupported(quote(other), vec!["Equal", "Exists"]),
            ),
        }
        if t.key.is_empty() && t.operator != "Exists" {
            errs.invalid_str(
                format!("{p}.operator"),
                &t.operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            );
        }
        if !t.effect.is_empty()
            && !matches!(
                t.effect.as_str(),
                "NoSchedule" | "PreferNoSchedule" | "NoExecute"
            )
        {
            errs.push(
                format!("{p}.effect"),
                Problem::NotSupported(
                    quote(&t.effect),
                    vec!["NoExecute", "NoSchedule", "PreferNoSchedule"],
                ),
            );
        }
    }
    if let Some(g) = spec.termination_grace_period_seconds {
        if g < 0 {
            errs.invalid_num(
                "spec.terminationGracePeriodSeconds",
                g,
                "must be greater than or equal to 0",
            );
        }
    }
    errs.0
}

fn validate_affinity(aff: &Value, errs: &mut Errs) {
    let Some(terms) = aff
        .pointer("/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
    else {
        return;
    };
    let base = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
    if terms.is_empty() {
        errs.push(
            base,
            Problem::Required("must have at least one node selector term".into()),
        );
    }
    for (i, term) in terms.iter().enumerate() {
        for (j, req) in term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("{base}[{i}].matchExpressions[{j}]");
            let op = req
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let n = req
                .get("values")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            match op {
                "In" | "NotIn" if n == 0 => errs.push(
                    format!("{p}.values"),
                    Problem::Required(
                        "must be specified when `operator` is 'In' or 'NotIn'".into(),
                    ),
                ),
                "Exists" | "DoesNotExist" if n > 0 => errs.push(
                    format!("{p}.values"),
                    Problem::Forbidden(
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'".into(),
                    ),
                ),
                "Gt" | "Lt" if n != 1 => errs.push(
                    format!("{p}.values"),
                    Problem::Required(
                        "must be specified single value when `operator` is 'Lt' or 'Gt'".into(),
                    ),
                ),
                "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
                other => errs.push(
                    format!("{p}.operator"),
                    Problem::Invalid(quote(other), "not a valid selector operator".into()),
                ),
            }
        }
    }
}

fn validate_container(
    c: &Container,
    p: &str,
    volumes: &BTreeSet<String>,
    raw: &Value,
    errs: &mut Errs,
) {
    if c.name.is_empty() {
        errs.required(format!("{p}.name"));
    } else {
        for msg in dns1123_label(&c.name) {
            errs.invalid_str(format!("{p}.name"), &c.name, &msg);
        }
    }
    if c.image.is_empty() {
        errs.required(format!("{p}.image"));
    }
    let mut port_names = BTreeSet::new();
    for (i, port) in c.ports.iter().enumerate() {
        let pp = format!("{p}.ports[{i}]");
        if !port.name.is_empty() {
            let msgs = port_name_problems(&port.name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.invalid_str(format!("{pp}.name"), &port.name, m);
                }
            } else if !port_names.insert(port.name.clone()) {
                errs.push(format!("{pp}.name"), Problem::Duplicate(quote(&port.name)));
            }
        }
        if port.container_port == 0 {
            errs.required(format!("{pp}.containerPort"));
        } else if !(1..=65535).contains(&port.container_port) {
            errs.invalid_num(
                format!("{pp}.containerPort"),
                port.container_port,
                "must be between 1 and 65535, inclusive",
            );
        }
        if port.host_port != 0 && !(1..=65535).contains(&port.host_port) {
            errs.invalid_num(
                format!("{pp}.hostPort"),
                port.host_port,
                "must be between 1 and 65535, inclusive",
            );
        }
        match port.protocol.as_str() {
            "TCP" | "UDP" | "SCTP" => {}
            "" => errs.required(format!("{pp}.protocol")),
            other => errs.push(
                format!("{pp}.protocol"),
                Problem::NotSupported(quote(other), vec!["SCTP", "TCP", "UDP"]),
            ),
        }
    }
    for (i, e) in c.env.iter().enumerate() {
        let ep = format!("{p}.env[{i}]");
        if e.name.is_empty() {
            errs.required(format!("{ep}.name"));
        } else if e.name.contains('=') || !e.name.chars().all(|ch| (' '..='~').contains(&ch)) {
            errs.invalid_str(
                format!("{ep}.name"),
                &e.name,
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
            );
        }
        if e.value.as_deref().is_some_and(|v| !v.is_empty()) && e.value_from.is_some() {
            errs.push(
                format!("{ep}.valueFrom"),
                Problem::Invalid(
                    String::new(),
                    "may not be specified when `value` is not empty".into(),
                ),
            );
        }
    }
    let mut mount_paths = BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let mp = format!("{p}.volumeMounts[{i}]");
        if m.name.is_empty() {
            errs.required(format!("{mp}.name"));
        }
        if !volumes.contains(&m.name) {
            errs.push(format!("{mp}.name"), Problem::NotFound(quote(&m.name)));
        }
        if m.mount_path.is_empty() {
            errs.required(format!("{mp}.mountPath"));
        }
        if !mount_paths.insert(m.mount_path.clone()) {
            errs.invalid_str(format!("{mp}.mountPath"), &m.mount_path, "must be unique");
        }
    }
    match c.image_pull_policy.as_str() {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.required(format!("{p}.imagePullPolicy")),
        other => errs.push(
            format!("{p}.imagePullPolicy"),
            Problem::NotSupported(quote(other), vec!["Always", "IfNotPresent", "Never"]),
        ),
    }
    validate_resources(raw, p, errs);
}

fn validate_resources(raw: &Value, p: &str, errs: &mut Errs) {
    let res = &raw["resources"];
    for kind in ["limits", "requests"] {
        let Some(m) = res.get(kind).and_then(Value::as_object) else {
            continue;
        };
        for (name, q) in m {
            let path = format!("{p}.resources.{kind}[{name}]");
            let Some(q) = Quantity::from_value(q) else {
                continue;
            };
            if q.is_negative() {
                errs.push(
                    path.clone(),
                    Problem::Invalid(
                        quote(&q.to_string()),
                        "must be greater than or equal to 0".into(),
                    ),
                );
            }
            if !name.contains('/')
                && !matches!(
                    name.as_str(),
                    "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods"
                )
                && !name.starts_with("hugepages-")
            {
                errs.push(
                    path,
                    Problem::Invalid(
                        quote(name),
                        "must be a standard resource for containers".into(),
                    ),
                );
            }
        }
    }
    if let (Some(req), Some(lim)) = (
        res.get("requests").and_then(Value::as_object),
        res.get("limits").and_then(Value::as_object),
    ) {
        for (name, q) in req {
            let (Some(rq), Some(lq)) = (
                Quantity::from_value(q),
                lim.get(name).and_then(Quantity::from_value),
            ) else {
                continue;
            };
            if rq.cmp_value(&lq) == std::cmp::Ordering::Greater {
                errs.push(
                    format!("{p}.resources.requests"),
                    Problem::Invalid(
                        quote(&rq.to_string()),
                        format!("must be less than or equal to {name} limit of {lq}"),
                    ),
                );
            }
        }
    }
}

fn validate_probes(raw: &Value, p: &str, errs: &mut Errs) {
    if let Some(lc) = raw.get("lifecycle").filter(|v| v.is_object()) {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = lc.get(hook).filter(|v| v.is_object()) {
                validate_handler(h, &format!("{p}.lifecycle.{hook}"), errs);
            }
        }
    }
    for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(probe) = raw.get(kind).filter(|v| v.is_object()) else {
            continue;
        };
        let pp = format!("{p}.{kind}");
        validate_handler(probe, &pp, errs);
        for f in [
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ] {
            if let Some(n) = probe.get(f).and_then(Value::as_i64) {
                if n < 0 {
                    errs.invalid_num(format!("{pp}.{f}"), n, "must be greater than or equal to 0");
                }
            }
        }
        if let Some(g) = probe
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
        {
            if g <= 0 {
                errs.invalid_num(
                    format!("{pp}.terminationGracePeriodSeconds"),
                    g,
                    "must be greater than 0",
                );
            }
        }
        if kind != "readinessProbe" {
            if let Some(n) = probe.get("successThreshold").and_then(Value::as_i64) {
                if n != 1 {
                    errs.invalid_num(format!("{pp}.successThreshold"), n, "must be 1");
                }
            }
        } else if probe
            .get("terminationGracePeriodSeconds")
            .is_some_and(|v| !v.is_null())
        {
            errs.push(
                format!("{pp}.terminationGracePeriodSeconds"),
                Problem::Invalid(
                    probe["terminationGracePeriodSeconds"].to_string(),
                    "must not be set for readinessProbes".into(),
                ),
            );
        }
    }
}

fn validate_handler(h: &Value, p: &str, errs: &mut Errs) {
    let mut n = 0;
    for kind in ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] {
        let Some(action) = h.get(kind).filter(|v| !v.is_null()) else {
            continue;
        };
        if n > 0 {
            errs.push(
                format!("{p}.{kind}"),
                Problem::Forbidden("may not specify more than 1 handler type".into()),
            );
            continue;
        }
        n += 1;
        match kind {
            "exec"
                if action
                    .get("command")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty) =>
            {
                errs.required(format!("{p}.exec.command"));
            }
            "httpGet" | "tcpSocket" => {
                validate_port_num_or_name(action.get("port"), &format!("{p}.{kind}.port"), errs)
            }
            "grpc" => {
                if let Some(port) = action.get("port").and_then(Value::as_i64) {
                    if !(1..=65535).contains(&port) {
                        errs.invalid_num(
                            format!("{p}.grpc.port"),
                            port,
                            "must be between 1 and 65535, inclusive",
                        );
                    }
                }
            }
            _ => {}
        }
        if kind == "httpGet" {
            if let Some(s) = action.get("scheme").and_then(Value::as_str) {
                if s != "HTTP" && s != "HTTPS" {
                    errs.push(
                        format!("{p}.httpGet.scheme"),
                        Problem::NotSupported(quote(s), vec!["HTTP", "HTTPS"]),
                    );
                }
            }
        }
    }
    if n == 0 {
        errs.push(p, Problem::Required("must specify a handler type".into()));
    }
}

fn validate_port_num_or_name(port: Option<&Value>, p: &str, errs: &mut Errs) {
    match port {
        Some(Value::Number(n)) => {
            let v = n.as_i64().unwrap_or(0);
            if v == 0 {
                errs.required(p);
            } else if !(1..=65535).contains(&v) {
                errs.invalid_num(p, v, "must be between 1 and 65535, inclusive");
            }
        }
        Some(Value::String(s)) => {
            if s.is_empty() {
                errs.required(p);
            }
            for m in port_name_problems(s) {
                errs.invalid_str(p, s, m);
            }
        }
        _ => errs.required(p),
    }
}

/// Messages of `IsValidPortName`.
pub(crate) fn port_name_problems(name: &str) -> Vec<&'static str> {
    let mut msgs = Vec::new();
    if name.len() > 15 {
        msgs.push("must be no more than 15 characters");
    }
    if !name
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        msgs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|c| c.is_ascii_lowercase()) {
        msgs.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        msgs.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        msgs.push("must not begin or end with a hyphen");
    }
    msgs
}

fn host_port_conflicts(containers: &[Container], path: &str, errs: &mut Errs) {
    let mut seen = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        for (j, port) in c.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", port.host_ip, port.host_port, port.protocol);
            if !seen.insert(key.clone()) {
                errs.push(
                    format!("{path}[{i}].ports[{j}]"),
                    Problem::Duplicate(quote(&format!("{}/{}", port.host_port, port.protocol))),
                );
            }
        }
    }
}
