//! Pod updates: which spec changes Kubernetes accepts on a running pod, and the refusal it
//! writes otherwise, with a diff in the style of `go-cmp` over the internal `core.PodSpec`.

use serde_json::{Map, Value};

/// The fields a pod update may change, as the API server lists them (v1.32, without
/// in-place resize).
pub const UPDATABLE: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// `core.PodSpec`'s fields in declaration order, with their JSON names.
const POD_SPEC_FIELDS: &[(&str, &str)] = &[
    ("Volumes", "volumes"),
    ("InitContainers", "initContainers"),
    ("Containers", "containers"),
    ("EphemeralContainers", "ephemeralContainers"),
    ("RestartPolicy", "restartPolicy"),
    (
        "TerminationGracePeriodSeconds",
        "terminationGracePeriodSeconds",
    ),
    ("ActiveDeadlineSeconds", "activeDeadlineSeconds"),
    ("DNSPolicy", "dnsPolicy"),
    ("NodeSelector", "nodeSelector"),
    ("ServiceAccountName", "serviceAccountName"),
    (
        "AutomountServiceAccountToken",
        "automountServiceAccountToken",
    ),
    ("NodeName", "nodeName"),
    ("SecurityContext", "securityContext"),
    ("ImagePullSecrets", "imagePullSecrets"),
    ("Hostname", "hostname"),
    ("Subdomain", "subdomain"),
    ("SetHostnameAsFQDN", "setHostnameAsFQDN"),
    ("Affinity", "affinity"),
    ("SchedulerName", "schedulerName"),
    ("Tolerations", "tolerations"),
    ("HostAliases", "hostAliases"),
    ("PriorityClassName", "priorityClassName"),
    ("Priority", "priority"),
    ("PreemptionPolicy", "preemptionPolicy"),
    ("DNSConfig", "dnsConfig"),
    ("ReadinessGates", "readinessGates"),
    ("RuntimeClassName", "runtimeClassName"),
    ("Overhead", "overhead"),
    ("EnableServiceLinks", "enableServiceLinks"),
    ("TopologySpreadConstraints", "topologySpreadConstraints"),
    ("OS", "os"),
    ("SchedulingGates", "schedulingGates"),
    ("ResourceClaims", "resourceClaims"),
    ("Resources", "resources"),
];

/// `core.Container`'s fields in declaration order.
const CONTAINER_FIELDS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("Image", "image"),
    ("Command", "command"),
    ("Args", "args"),
    ("WorkingDir", "workingDir"),
    ("Ports", "ports"),
    ("EnvFrom", "envFrom"),
    ("Env", "env"),
    ("Resources", "resources"),
    ("ResizePolicy", "resizePolicy"),
    ("RestartPolicy", "restartPolicy"),
    ("VolumeMounts", "volumeMounts"),
    ("VolumeDevices", "volumeDevices"),
    ("LivenessProbe", "livenessProbe"),
    ("ReadinessProbe", "readinessProbe"),
    ("StartupProbe", "startupProbe"),
    ("Lifecycle", "lifecycle"),
    ("TerminationMessagePath", "terminationMessagePath"),
    ("TerminationMessagePolicy", "terminationMessagePolicy"),
    ("ImagePullPolicy", "imagePullPolicy"),
    ("SecurityContext", "securityContext"),
    ("Stdin", "stdin"),
    ("StdinOnce", "stdinOnce"),
    ("TTY", "tty"),
];

/// Pointer-typed fields (printed as `&value`).
const POINTERS: &[&str] = &[
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "automountServiceAccountToken",
    "setHostnameAsFQDN",
    "priority",
    "preemptionPolicy",
    "runtimeClassName",
    "enableServiceLinks",
    "restartPolicy@container",
];

/// The new spec with the fields an update may change taken from it, the rest from `old`.
pub fn apply_mutable(old: &Value, new: &Value) -> Value {
    let mut out = old.clone();
    for list in ["containers", "initContainers"] {
        if let (Some(Value::Array(o)), Some(Value::Array(n))) = (out.get_mut(list), new.get(list)) {
            for (oc, nc) in o.iter_mut().zip(n) {
                if let (Some(om), Some(img)) = (oc.as_object_mut(), nc.get("image")) {
                    om.insert("image".into(), img.clone());
                    if let Some(p) = nc.get("imagePullPolicy") {
                        om.insert("imagePullPolicy".into(), p.clone());
                    }
                }
            }
        }
    }
    if let (Some(m), Some(ads)) = (out.as_object_mut(), new.get("activeDeadlineSeconds")) {
        m.insert("activeDeadlineSeconds".into(), ads.clone());
    }
    if let (Some(m), Some(t)) = (out.as_object_mut(), new.get("tolerations")) {
        m.insert("tolerations".into(), t.clone());
    }
    out
}

/// `None` when `new` only changes what an update may change; otherwise the Forbidden detail.
pub fn forbidden_changes(old: &Value, new: &Value) -> Option<String> {
    let count = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    if count(old, "containers") != count(new, "containers")
        || count(old, "initContainers") != count(new, "initContainers")
    {
        return Some("pod updates may not add or remove containers".into());
    }
    // Munge the updatable fields back to their old values, then compare.
    let mut munged = new.clone();
    if let Some(m) = munged.as_object_mut() {
        for list in ["containers", "initContainers"] {
            if let (Some(Value::Array(n)), Some(Value::Array(o))) = (m.get_mut(list), old.get(list))
            {
                for (nc, oc) in n.iter_mut().zip(o) {
                    if let (Some(nm), Some(img)) = (nc.as_object_mut(), oc.get("image")) {
                        nm.insert("image".into(), img.clone());
                    }
                }
            }
        }
        let ads_ok = match (
            old.get("activeDeadlineSeconds").and_then(Value::as_i64),
            new.get("activeDeadlineSeconds").and_then(Value::as_i64),
        ) {
            (_, None) => old.get("activeDeadlineSeconds").is_none(),
            (None, Some(n)) => n > 0,
            (Some(o), Some(n)) => n > 0 && n <= o,
        };
        if ads_ok {
            match old.get("activeDeadlineSeconds") {
                Some(v) => m.insert("activeDeadlineSeconds".into(), v.clone()),
                None => m.remove("activeDeadlineSeconds"),
            };
        }
        match old.get("tolerations") {
            Some(v) => m.insert("tolerations".into(), v.clone()),
            None => m.remove("tolerations"),
        };
    }
    if munged == *old {
        return None;
    }
    Some(format!(
        "pod updates may not change fields other than {UPDATABLE}\n{}",
        spec_diff(old, &munged)
    ))
}

fn go_string(s: &str) -> String {
    if s.contains('"') && !s.contains('`') && !s.contains('\n') {
        format!("`{s}`")
    } else {
        super::validation::quote(s)
    }
}

fn go_name(json: &str) -> String {
    let special = [
        ("apiVersion", "APIVersion"),
        ("fieldPath", "FieldPath"),
        ("hostIP", "HostIP"),
        ("podIP", "PodIP"),
        ("tty", "TTY"),
        ("os", "OS"),
        ("dnsPolicy", "DNSPolicy"),
        ("httpGet", "HTTPGet"),
        ("tcpSocket", "TCPSocket"),
        ("grpc", "GRPC"),
        ("downwardAPI", "DownwardAPI"),
        ("uid", "UID"),
    ];
    if let Some((_, g)) = special.iter().find(|(j, _)| *j == json) {
        return (*g).to_string();
    }
    let mut c = json.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// A compact Go literal of a JSON value with types elided, as go-cmp prints context.
fn literal(v: &Value, depth: usize) -> String {
    match v {
        Value::Null => "nil".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => go_string(s),
        Value::Array(a) if a.is_empty() => "{}".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        _ if depth >= 3 => "{...}".into(),
        Value::Array(a) => {
            let mut items: Vec<String> = a.iter().take(4).map(|x| literal(x, depth + 1)).collect();
            if a.len() > 4 {
                items.push("...".into());
            }
            format!("{{{}}}", items.join(", "))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{}: {}", go_name(k), literal(x, depth + 1)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn field_value(v: Option<&Value>, json: &str, in_container: bool) -> String {
    let key = if in_container && json == "restartPolicy" {
        "restartPolicy@container"
    } else {
        json
    };
    match v {
        None | Some(Value::Null) => {
            if matches!(
                json,
                "restartPolicy"
                    | "dnsPolicy"
                    | "serviceAccountName"
                    | "nodeName"
                    | "hostname"
                    | "subdomain"
                    | "schedulerName"
                    | "priorityClassName"
                    | "name"
                    | "image"
                    | "workingDir"
                    | "terminationMessagePath"
                    | "terminationMessagePolicy"
                    | "imagePullPolicy"
            ) && !(in_container && json == "restartPolicy")
            {
                "\"\"".into()
            } else if matches!(json, "stdin" | "stdinOnce" | "tty") {
                "false".into()
            } else {
                "nil".into()
            }
        }
        Some(x) => {
            let lit = match x {
                Value::Array(_) | Value::Object(_)
                    if literal(x, 0) == "{}" && json == "securityContext" =>
                {
                    "&{}".into()
                }
                _ => literal(x, 0),
            };
            if POINTERS.contains(&key)
                || matches!(
                    json,
                    "securityContext"
                        | "affinity"
                        | "dnsConfig"
                        | "livenessProbe"
                        | "readinessProbe"
                        | "startupProbe"
                        | "lifecycle"
                ) && !lit.starts_with('&')
                    && lit != "nil"
            {
                format!("&{lit}")
            } else {
                lit
            }
        }
    }
}

struct Diff {
    out: String,
    /// Consecutive `Name: value` records, aligned together as go-cmp aligns them.
    batch: Vec<(&'static str, usize, String, String)>,
}

impl Diff {
    fn field(&mut self, mark: &'static str, depth: usize, name: &str, value: String) {
        self.batch.push((mark, depth, name.to_string(), value));
    }

    fn flush(&mut self) {
        let width = self
            .batch
            .iter()
            .map(|(_, _, n, _)| n.len() + 1)
            .max()
            .unwrap_or(0);
        for (mark, depth, name, value) in std::mem::take(&mut self.batch) {
            let text = format!("{:<width$} {value},", format!("{name}:"));
            self.raw(mark, depth, &text);
        }
    }

    fn line(&mut self, mark: &str, depth: usize, text: &str) {
        self.flush();
        self.raw(mark, depth, text);
    }

    fn raw(&mut self, mark: &str, depth: usize, text: &str) {
        self.out.push_str(mark);
        for _ in 0..depth {
            self.out.push('\t');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Diffs two structs given their field table.
    fn strukt(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        fields: &[(&str, &str)],
        depth: usize,
        in_container: bool,
    ) {
        let equal: Vec<bool> = fields
            .iter()
            .map(|(_, j)| old.get(*j) == new.get(*j))
            .collect();
        let changed: Vec<usize> = (0..fields.len()).filter(|i| !equal[*i]).collect();
        let shown = |i: usize| {
            changed
                .iter()
                .any(|c| (*c as isize - i as isize).abs() <= 2)
        };
        let mut i = 0;
        while i < fields.len() {
            if !shown(i) {
                let start = i;
                while i < fields.len() && !shown(i) {
                    i += 1;
                }
                let n = i - start;
                if n == 1 {
                    let (g, j) = fields[start];
                    self.field("  ", depth, g, field_value(old.get(j), j, in_container));
                } else {
                    self.line("  ", depth, &format!("... // {n} identical fields"));
                }
                continue;
            }
            let (g, j) = fields[i];
            let (o, n) = (old.get(j), new.get(j));
            if equal[i] {
                self.field("  ", depth, g, field_value(o, j, in_container));
            } else if j == "containers" || j == "initContainers" {
                self.containers(g, o, n, depth);
            } else if let (Some(Value::Array(oa)), Some(Value::Array(na))) = (o, n) {
                if oa.iter().chain(na.iter()).all(Value::is_string) {
                    self.line("  ", depth, &format!("{g}: []string{{"));
                    self.string_list(oa, na, depth + 1);
                    self.line("  ", depth, "},");
                } else {
                    self.field("- ", depth, g, field_value(o, j, in_container));
                    self.field("+ ", depth, g, field_value(n, j, in_container));
                }
            } else {
                self.field("- ", depth, g, field_value(o, j, in_container));
                self.field("+ ", depth, g, field_value(n, j, in_container));
            }
            i += 1;
        }
    }

    fn string_list(&mut self, old: &[Value], new: &[Value], depth: usize) {
        let len = old.len().max(new.len());
        for k in 0..len {
            match (old.get(k), new.get(k)) {
                (Some(a), Some(b)) if a == b => {
                    self.line("  ", depth, &format!("{},", literal(a, 0)))
                }
                (a, b) => {
                    if let Some(a) = a {
                        self.line("- ", depth, &format!("{},", literal(a, 0)));
                    }
                    if let Some(b) = b {
                        self.line("+ ", depth, &format!("{},", literal(b, 0)));
                    }
                }
            }
        }
    }

    fn containers(&mut self, g: &str, old: Option<&Value>, new: Option<&Value>, depth: usize) {
        let empty = Vec::new();
        let oa = old.and_then(Value::as_array).unwrap_or(&empty);
        let na = new.and_then(Value::as_array).unwrap_or(&empty);
        self.line("  ", depth, &format!("{g}: []core.Container{{"));
        for (oc, nc) in oa.iter().zip(na.iter()) {
            if oc == nc {
                self.line("  ", depth + 1, &format!("{},", literal(oc, 1)));
                continue;
            }
            self.line("  ", depth + 1, "{");
            let empty_map = Map::new();
            self.strukt(
                oc.as_object().unwrap_or(&empty_map),
                nc.as_object().unwrap_or(&empty_map),
                CONTAINER_FIELDS,
                depth + 2,
                true,
            );
            self.line("  ", depth + 1, "},");
        }
        self.line("  ", depth, "},");
    }
}

/// A go-cmp style diff of two pod specs (JSON form), as `ValidatePodUpdate` appends it.
pub fn spec_diff(old: &Value, new: &Value) -> String {
    let empty = Map::new();
    let mut d = Diff {
        out: String::new(),
        batch: Vec::new(),
    };
    d.line("  ", 0, "core.PodSpec{");
    d.strukt(
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
        POD_SPEC_FIELDS,
        1,
        false,
    );
    d.line("  ", 0, "}");
    d.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_changes_are_allowed() {
        let old = json!({"containers": [{"name": "a", "image": "busybox", "args": ["x"]}], "restartPolicy": "Always"});
        let new = json!({"containers": [{"name": "a", "image": "busybox:1.36", "args": ["x"]}], "restartPolicy": "Always"});
        assert_eq!(forbidden_changes(&old, &new), None);
        let merged = apply_mutable(&old, &new);
        assert_eq!(merged["containers"][0]["image"], json!("busybox:1.36"));
    }

    #[test]
    fn args_changes_are_refused_with_a_diff() {
        let old = json!({"containers": [{"name": "a", "image": "busybox", "args": ["echo \"Hello Kubernetes!\"; sleep 3600"]}], "restartPolicy": "Always"});
        let new = json!({"containers": [{"name": "a", "image": "busybox", "args": ["echo \"Hello 2022!\"; sleep 3600"]}], "restartPolicy": "Always"});
        let msg = forbidden_changes(&old, &new).expect("refused");
        assert!(msg.starts_with(
            "pod updates may not change fields other than `spec.containers[*].image`,"
        ));
        assert!(msg.contains("- \t\t\t\t`echo \"Hello Kubernetes!\"; sleep 3600`,\n+ \t\t\t\t`echo \"Hello 2022!\"; sleep 3600`,\n"));
        assert!(msg.ends_with("  }\n"));
    }
}
