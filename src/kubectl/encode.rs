//! Writing objects the way `kubectl -o yaml` and `-o json` write them.
//!
//! YAML follows go-yaml v2 (behind `sigs.k8s.io/yaml`): keys in its "natural" order, sequences
//! not indented under their key, strings quoted only where a plain scalar would read back as
//! something else, long plain lines folded past column 80, multi-line strings as literal blocks.
//! JSON follows Go's `json.MarshalIndent` with four spaces and HTML-safe escapes.

use serde_json::Value;
use std::cmp::Ordering;

/// go-yaml v2's ordering of mapping keys: non-letters before letters, runs of digits by value.
pub fn yaml_key_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// Serialises a value as `kubectl -o yaml` does. The result ends with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, v, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, v, 0),
        other => {
            write_scalar(&mut out, other, 0, 0);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn current_column(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

fn write_map(out: &mut String, v: &Value, ind: usize) {
    let Value::Object(m) = v else { return };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| yaml_key_cmp(a, b));
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        write_string(out, k, ind, true);
        out.push(':');
        let child = &m[k.as_str()];
        match child {
            Value::Object(cm) if !cm.is_empty() => {
                out.push('\n');
                indent(out, ind + 2);
                write_map(out, child, ind + 2);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                indent(out, ind);
                write_seq(out, child, ind);
            }
            _ => {
                out.push(' ');
                write_scalar(out, child, ind + 2, ind);
                out.push('\n');
            }
        }
    }
}

fn write_seq(out: &mut String, v: &Value, ind: usize) {
    let Value::Array(items) = v else { return };
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, item, ind + 2),
            Value::Array(a) if !a.is_empty() => write_seq(out, item, ind + 2),
            _ => {
                write_scalar(out, item, ind + 2, ind + 2);
                out.push('\n');
            }
        }
    }
}

/// `cont` is the indentation of folded continuation lines; `block` that of a literal block's
/// parent key.
fn write_scalar(out: &mut String, v: &Value, cont: usize, block: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => {
            if s.contains('\n') && is_printable(s) {
                write_literal(out, s, block + 2);
            } else {
                write_string(out, s, cont, false);
            }
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    // Go's strconv 'g' with shortest precision, as go-yaml writes floats.
    let s = format!("{f}");
    if f.abs() >= 1e21 || (f != 0.0 && f.abs() < 1e-4) {
        format!("{f:e}").replace('e', "e+").replace("e+-", "e-")
    } else {
        s
    }
}

fn is_printable(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || c == '\t' || !c.is_control())
}

fn write_literal(out: &mut String, s: &str, ind: usize) {
    out.push('|');
    if !s.ends_with('\n') {
        out.push('-');
    } else if s.ends_with("\n\n") {
        out.push('+');
    }
    if s.starts_with(' ') {
        // An indentation indicator is needed when the text starts with spaces.
        out.insert(out.len() - usize::from(!out.ends_with('|')), '2');
    }
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, ind);
            out.push_str(line);
        }
    }
}

/// Whether a string read back as a plain YAML 1.1 scalar would still be that string.
fn resolves_to_str(s: &str) -> bool {
    let v = crate::sim::yaml::parse_documents(&format!("k: {s}\n"));
    match v {
        Ok(docs) => docs
            .first()
            .and_then(|d| d.value.get("k"))
            .is_some_and(|x| x.as_str() == Some(s)),
        Err(_) => true,
    }
}

fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn plain_allowed(s: &str) -> bool {
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let first = chars[0];
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if (first == '-' || first == '?' || first == ':')
        && chars.get(1).is_none_or(|c| *c == ' ' || *c == '\t')
    {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1);
        match c {
            ':' if next.is_none_or(|n| *n == ' ') => return false,
            '#' if i > 0 && chars[i - 1] == ' ' => return false,
            ',' | '[' | ']' | '{' | '}' => {
                // Fine in block context: go-yaml only refuses these in flow context.
            }
            '\t' => return false,
            c if c.is_control() => return false,
            _ => {}
        }
        if *c == ' ' && next == Some(&' ') {
            // Runs of spaces are kept plain by go-yaml; nothing to do.
        }
    }
    true
}

fn write_string(out: &mut String, s: &str, cont: usize, is_key: bool) {
    let plain = resolves_to_str(s) && !looks_like_timestamp(s) && plain_allowed(s);
    if plain {
        write_folded(out, s, cont, is_key);
        return;
    }
    let single_ok = s.chars().all(|c| !c.is_control()) && !s.is_empty();
    if single_ok && (!resolves_to_str(s) || looks_like_timestamp(s)) && plain_allowed(s) {
        // Would read back as another type: go-yaml asks for double quotes.
        write_double(out, s);
        return;
    }
    if s.is_empty() {
        out.push_str("\"\"");
        return;
    }
    if single_ok {
        out.push('\'');
        let escaped = s.replace('\'', "''");
        write_folded(out, &escaped, cont, is_key);
        out.push('\'');
    } else {
        write_double(out, s);
    }
}

/// Writes text, breaking at a single space once the line is past column 80, as go-yaml does.
fn write_folded(out: &mut String, s: &str, cont: usize, is_key: bool) {
    if is_key {
        out.push_str(s);
        return;
    }
    let mut column = current_column(out);
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            if !prev_space && column > 80 && !next_space && i + 1 < chars.len() {
                out.push('\n');
                indent(out, cont);
                column = cont;
                prev_space = true;
                continue;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
        out.push(c);
        column += 1;
    }
}

fn write_double(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Serialises a value as `kubectl -o json` does (Go's `json.MarshalIndent(v, "", "    ")`).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    json_value(&mut out, v, 0);
    out.push('\n');
    out
}

fn json_value(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                indent(out, ind + 4);
                json_string(out, k);
                out.push_str(": ");
                json_value(out, &m[k.as_str()], ind + 4);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, ind);
            out.push('}');
        }
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                indent(out, ind + 4);
                json_value(out, item, ind + 4);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, ind);
            out.push(']');
        }
        Value::String(s) => json_string(out, s),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
    }
}

/// A JSON string with Go's escapes: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Compact JSON with Go's escapes and sorted keys, as `json.Marshal` writes an unstructured
/// object (used for the last-applied-configuration annotation).
pub fn to_compact_json(v: &Value) -> String {
    let mut out = String::new();
    compact(&mut out, v);
    out
}

fn compact(out: &mut String, v: &Value) {
    match v {
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                compact(out, &m[k.as_str()]);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(out, item);
            }
            out.push(']');
        }
        Value::String(s) => json_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

/// The field order of the Go structs kubectl marshals when it prints an object it built itself
/// (`create … --dry-run=client -o json`, `run … -o json`). Objects from the server are
/// unstructured maps, which Go marshals with sorted keys, so `get -o json` stays sorted.
fn go_fields(ty: &str) -> &'static [&'static str] {
    match ty {
        "Object" => &[
            "kind",
            "apiVersion",
            "metadata",
            "immutable",
            "data",
            "stringData",
            "binaryData",
            "type",
            "spec",
            "status",
            "items",
        ],
        "ObjectMeta" => &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
        "PodSpec" => &[
            "volumes",
            "initContainers",
            "containers",
            "ephemeralContainers",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "activeDeadlineSeconds",
            "dnsPolicy",
            "nodeSelector",
            "serviceAccountName",
            "serviceAccount",
            "automountServiceAccountToken",
            "nodeName",
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "shareProcessNamespace",
            "securityContext",
            "imagePullSecrets",
            "hostname",
            "subdomain",
            "affinity",
            "schedulerName",
            "tolerations",
            "hostAliases",
            "priorityClassName",
            "priority",
            "dnsConfig",
            "readinessGates",
            "runtimeClassName",
            "enableServiceLinks",
            "preemptionPolicy",
            "overhead",
            "topologySpreadConstraints",
            "setHostnameAsFQDN",
            "os",
            "hostUsers",
            "schedulingGates",
            "resourceClaims",
            "resources",
        ],
        "Container" => &[
            "name",
            "image",
            "command",
            "args",
            "workingDir",
            "ports",
            "envFrom",
            "env",
            "resources",
            "resizePolicy",
            "restartPolicy",
            "volumeMounts",
            "volumeDevices",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "securityContext",
            "stdin",
            "stdinOnce",
            "tty",
        ],
        "ContainerPort" => &["name", "hostPort", "containerPort", "protocol", "hostIP"],
        "EnvVar" => &["name", "value", "valueFrom"],
        "ServiceSpec" => &[
            "ports",
            "selector",
            "clusterIP",
            "clusterIPs",
            "type",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "publishNotReadyAddresses",
            "sessionAffinityConfig",
            "ipFamilies",
            "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "internalTrafficPolicy",
            "trafficDistribution",
        ],
        "ServicePort" => &[
            "name",
            "protocol",
            "appProtocol",
            "port",
            "targetPort",
            "nodePort",
        ],
        "NamespaceSpec" => &["finalizers"],
        _ => &[],
    }
}

/// The struct type of a field's value (`None` for maps and scalars).
fn go_child(ty: &str, kind: &str, field: &str) -> Option<&'static str> {
    Some(match (ty, field) {
        ("Object", "metadata") => "ObjectMeta",
        ("Object", "spec") => match kind {
            "Pod" => "PodSpec",
            "Service" => "ServiceSpec",
            "Namespace" => "NamespaceSpec",
            _ => return None,
        },
        ("PodSpec", "containers" | "initContainers") => "Container",
        ("Container", "ports") => "ContainerPort",
        ("Container", "env") => "EnvVar",
        ("ServiceSpec", "ports") => "ServicePort",
        _ => return None,
    })
}

fn go_value(out: &mut String, v: &Value, ty: Option<&str>, kind: &str, ind: usize) {
    let Some(ty) = ty else {
        return json_value(out, v, ind);
    };
    match v {
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                indent(out, ind + 4);
                go_value(out, item, Some(ty), kind, ind + 4);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, ind);
            out.push(']');
        }
        Value::Object(m) if !m.is_empty() => {
            let order = go_fields(ty);
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| {
                (
                    order.iter().position(|o| o == k).unwrap_or(usize::MAX),
                    (*k).clone(),
                )
            });
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                indent(out, ind + 4);
                json_string(out, k);
                out.push_str(": ");
                go_value(out, &m[k.as_str()], go_child(ty, kind, k), kind, ind + 4);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, ind);
            out.push('}');
        }
        _ => json_value(out, v, ind),
    }
}

/// Serialises an object kubectl built on the client, in its Go struct's field order.
pub fn to_json_go(v: &Value) -> String {
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut out = String::new();
    go_value(&mut out, v, Some("Object"), &kind, 0);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_like_kubectl() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "x", "creationTimestamp": "2025-03-03T09:00:00Z", "resourceVersion": "123", "labels": {}},
            "spec": {"containers": [{"name": "c", "command": ["sh", "-c"], "args": ["echo \"Hi!\"; sleep 3600"], "resources": {}}]},
            "status": {"conditions": [{"status": "True", "lastProbeTime": null}], "phase": "Running"}
        });
        let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2025-03-03T09:00:00Z\"\n  labels: {}\n  name: x\n  resourceVersion: \"123\"\nspec:\n  containers:\n  - args:\n    - echo \"Hi!\"; sleep 3600\n    command:\n    - sh\n    - -c\n    name: c\n    resources: {}\nstatus:\n  conditions:\n  - lastProbeTime: null\n    status: \"True\"\n  phase: Running\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn quoting() {
        assert_eq!(to_yaml(&json!({"a": ""})), "a: \"\"\n");
        assert_eq!(to_yaml(&json!({"a": "a: b"})), "a: 'a: b'\n");
        assert_eq!(to_yaml(&json!({"a": "*"})), "a: '*'\n");
        assert_eq!(to_yaml(&json!({"a": "yes"})), "a: \"yes\"\n");
        assert_eq!(to_yaml(&json!({"a": "x\n"})), "a: |\n  x\n");
        assert_eq!(to_yaml(&json!({"a": "x"})), "a: x\n");
    }

    #[test]
    fn key_order() {
        assert_eq!(yaml_key_cmp("a10", "a9"), Ordering::Greater);
        assert_eq!(yaml_key_cmp("a-b", "ab"), Ordering::Less);
    }

    #[test]
    fn json_like_go() {
        assert_eq!(
            to_json(&json!({"b": [], "a": {"x": "<"}})),
            "{\n    \"a\": {\n        \"x\": \"\\u003c\"\n    },\n    \"b\": []\n}\n"
        );
    }
}
