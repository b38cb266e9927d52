//! Defaulting and admission: the fields the API server fills in on a new Pod, so `-o yaml`
//! shows what a real cluster shows.

use serde_json::{json, Map, Value};

use super::quantity::Quantity;

fn set_default(m: &mut Map<String, Value>, key: &str, v: Value) {
    if m.get(key).is_none_or(Value::is_null) {
        m.insert(key.to_string(), v);
    }
}

/// The pull policy the API server picks for an image: `Always` for `:latest` or no tag,
/// otherwise `IfNotPresent`.
pub fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => "Always",
        Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn default_probe(p: &mut Map<String, Value>) {
    for (k, v) in [
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ] {
        if p.get(k).and_then(Value::as_i64).is_none_or(|n| n == 0) {
            p.insert(k.into(), json!(v));
        }
    }
    default_handler(p);
}

fn default_handler(h: &mut Map<String, Value>) {
    if let Some(Value::Object(g)) = h.get_mut("httpGet") {
        set_default(g, "path", json!("/"));
        set_default(g, "scheme", json!("HTTP"));
    }
    if let Some(Value::Object(g)) = h.get_mut("grpc") {
        set_default(g, "service", json!(""));
    }
}

fn default_container(c: &mut Map<String, Value>, host_network: bool) {
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    set_default(c, "imagePullPolicy", json!(default_pull_policy(&image)));
    set_default(c, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(c, "terminationMessagePolicy", json!("File"));
    set_default(c, "resources", json!({}));
    if let Some(Value::Array(ports)) = c.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
            if host_network {
                if let Some(cp) = p.get("containerPort").cloned() {
                    set_default(p, "hostPort", cp);
                }
            }
        }
    }
    if let Some(Value::Array(env)) = c.get_mut("env") {
        for e in env.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(f)) =
                e.get_mut("valueFrom").and_then(|v| v.get_mut("fieldRef"))
            {
                set_default(f, "apiVersion", json!("v1"));
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = c.get_mut(probe) {
            default_probe(p);
        }
    }
    if let Some(Value::Object(lc)) = c.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(Value::Object(h)) = lc.get_mut(hook) {
                default_handler(h);
            }
        }
    }
    // Requests default to limits when only limits are given.
    if let Some(Value::Object(res)) = c.get_mut("resources") {
        if let Some(Value::Object(limits)) = res.get("limits").cloned() {
            let req = res.entry("requests").or_insert_with(|| json!({}));
            if let Value::Object(req) = req {
                for (k, v) in limits {
                    req.entry(k).or_insert(v);
                }
            }
        }
        for kind in ["limits", "requests"] {
            if let Some(Value::Object(m)) = res.get_mut(kind) {
                for v in m.values_mut() {
                    if let Some(q) = Quantity::from_value(v) {
                        *v = json!(q.to_string());
                    }
                }
            }
        }
    }
}

/// Applies the v1 defaults to a Pod spec.
pub fn default_pod_spec(spec: &mut Map<String, Value>) {
    let host_network = spec
        .get("hostNetwork")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(list) {
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                default_container(c, host_network);
            }
        }
    }
    set_default(spec, "restartPolicy", json!("Always"));
    set_default(spec, "terminationGracePeriodSeconds", json!(30));
    set_default(spec, "dnsPolicy", json!("ClusterFirst"));
    set_default(spec, "securityContext", json!({}));
    set_default(spec, "schedulerName", json!("default-scheduler"));
    set_default(spec, "enableServiceLinks", json!(true));
    if let Some(Value::Array(vols)) = spec.get_mut("volumes") {
        for v in vols.iter_mut().filter_map(Value::as_object_mut) {
            if v.keys().all(|k| k == "name") {
                v.insert("emptyDir".into(), json!({}));
            }
            for src in ["configMap", "secret"] {
                if let Some(Value::Object(s)) = v.get_mut(src) {
                    set_default(s, "defaultMode", json!(420));
                }
            }
            if let Some(Value::Object(h)) = v.get_mut("hostPath") {
                set_default(h, "type", json!(""));
            }
        }
    }
}

/// The admission plugins every Pod passes: Priority, ServiceAccount (token volume and mounts)
/// and DefaultTolerationSeconds. `suffix` names the token volume (`kube-api-access-<suffix>`).
/// The PriorityClasses every cluster has: (name, value).
pub const SYSTEM_PRIORITY_CLASSES: &[(&str, i64)] = &[
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

/// The Priority admission plugin: a pod's priority comes from its PriorityClass (0 without
/// one); an unknown class, or a priority that contradicts the class, is refused.
pub fn admit_priority(spec: &mut Map<String, Value>) -> Result<(), String> {
    let class = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let value = match class {
        None => 0,
        Some(c) => SYSTEM_PRIORITY_CLASSES
            .iter()
            .find(|(n, _)| *n == c)
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("no PriorityClass with name {c} was found"))?,
    };
    if let Some(given) = spec.get("priority").and_then(Value::as_i64) {
        if given != value {
            return Err(format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name"));
        }
    }
    spec.insert("priority".into(), json!(value));
    Ok(())
}

pub fn admit_pod(spec: &mut Map<String, Value>, suffix: &str) {
    set_default(spec, "priority", json!(0));
    set_default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
    set_default(spec, "serviceAccountName", json!("default"));
    let sa = spec
        .get("serviceAccountName")
        .cloned()
        .unwrap_or(json!("default"));
    spec.insert("serviceAccount".into(), sa);

    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if automount {
        const TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
        // A pod that already has the token volume (an exported pod applied again) keeps it.
        let existing = spec
            .get("volumes")
            .and_then(Value::as_array)
            .and_then(|vs| {
                vs.iter()
                    .filter_map(|v| v.get("name").and_then(Value::as_str))
                    .find(|n| n.starts_with("kube-api-access-"))
                    .map(String::from)
            });
        let vol_name = existing
            .clone()
            .unwrap_or_else(|| format!("kube-api-access-{suffix}"));
        // Every container mounts it, unless something is mounted at its path already.
        let mut needed = false;
        for list in ["initContainers", "containers"] {
            if let Some(Value::Array(cs)) = spec.get_mut(list) {
                for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                    let mounts = c.entry("volumeMounts").or_insert_with(|| json!([]));
                    if let Value::Array(m) = mounts {
                        let mounted = m.iter().any(|x| {
                            x.get("mountPath").and_then(Value::as_str) == Some(TOKEN_PATH)
                        });
                        if !mounted {
                            m.push(json!({
                                "mountPath": TOKEN_PATH,
                                "name": vol_name,
                                "readOnly": true
                            }));
                            needed = true;
                        }
                    }
                }
            }
        }
        if needed && existing.is_none() {
            let vols = spec.entry("volumes").or_insert_with(|| json!([]));
            if let Value::Array(vols) = vols {
                vols.push(json!({
                    "name": vol_name,
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                        ]
                    }
                }));
            }
        }
    }

    let tolerations = spec.entry("tolerations").or_insert_with(|| json!([]));
    if let Value::Array(ts) = tolerations {
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            let tolerated = ts.iter().any(|t| {
                let k = t.get("key").and_then(Value::as_str).unwrap_or_default();
                let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
                let eff = t.get("effect").and_then(Value::as_str).unwrap_or_default();
                (k == key || (k.is_empty() && op == "Exists"))
                    && (eff.is_empty() || eff == "NoExecute")
            });
            if !tolerated {
                ts.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_from_tag() {
        assert_eq!(default_pull_policy("busybox"), "Always");
        assert_eq!(default_pull_policy("busybox:latest"), "Always");
        assert_eq!(default_pull_policy("busybox:1.36"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }
}
