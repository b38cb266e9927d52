//! `kubectl patch`: the three patch types the API server takes for a Pod.
//!
//! - strategic merge (the default): a merge patch that merges the Pod's keyed lists item by
//!   item (`containers` by `name`, `ports` by `containerPort`…) and understands the `$patch`
//!   directives. No crate implements it; the merge keys are the Pod API's `patchMergeKey`s.
//! - JSON merge patch (RFC 7386) and JSON patch (RFC 6902), from the `json-patch` crate.
//!
//! The patched object then goes through the same update as `kubectl replace`: validation,
//! the immutable-field check and the kubelet's reaction to an image change.

use serde_json::{Map, Value};

use super::args::{flag, parse, FlagSpec};
use super::get::{namespace, targets};
use super::{Ctx, Output};
use crate::sim::api::{ApiError, Written};
use crate::sim::decode::json_kind;
use crate::sim::meta::Kind;

const PATCH_FLAGS: &[FlagSpec] = &[
    flag("patch", Some('p'), true),
    flag("type", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("patch-file", None, true),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum PatchType {
    Strategic,
    Merge,
    Json,
}

pub fn patch(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, PATCH_FLAGS) {
        Ok(p) => p,
        Err(e) => {
            out.fail(e);
            out.err("See 'kubectl patch -h' for help and examples\n");
            return;
        }
    };
    let kind = match p.get("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => {
            return out.fail(format!(
                "--type must be one of [json merge strategic], not \"{other}\""
            ))
        }
    };
    let text = match (p.get("patch"), p.get("patch-file")) {
        (Some(t), _) => t.to_string(),
        (None, Some(f)) => match ctx.files.read(f) {
            Some(t) => t,
            None => {
                return out.fail(format!(
                    "unable to read patch file: open {f}: no such file or directory"
                ))
            }
        },
        (None, None) => {
            return out
                .fail("must specify --patch or --patch-file containing the contents of the patch")
        }
    };
    // kubectl turns the patch (YAML or JSON) into JSON before sending it.
    let patch: Value = match crate::sim::yaml::parse_documents(&text) {
        Ok(docs) => docs.into_iter().next().map_or(Value::Null, |d| d.value),
        Err(e) => return out.fail(format!("unable to parse \"{text}\": {e}")),
    };
    let groups = match targets(&p.positional) {
        Ok(g) if !g.is_empty() && !g[0].1.is_empty() => g,
        Ok(_) => return out.fail("resource(s) were provided, but no name was specified"),
        Err(e) => return out.fail(e),
    };
    let ns = namespace(&p);
    for (kind_of, names) in groups {
        for name in names {
            let key = (ns.clone(), name.clone());
            let live = match kind_of {
                Kind::Pod => ctx.world.pods.get(&key).map(|p| p.to_value()),
                Kind::Service => ctx.world.services.get(&key).map(|s| s.to_value()),
                _ => {
                    out.fail(format!(
                        "patching {} is not supported by podplay yet",
                        kind_of.plural()
                    ));
                    continue;
                }
            };
            let Some(mut v) = live else {
                out.api_error(&ApiError::not_found(kind_of, &name), None);
                continue;
            };
            if let Err(e) = apply_patch(&mut v, &patch, kind) {
                out.api_error(&e, None);
                continue;
            }
            // A patch addresses the object by its URL: its name cannot change.
            if v.pointer("/metadata/name").and_then(Value::as_str) != Some(name.as_str()) {
                out.api_error(
                    &ApiError::BadRequest(format!(
                        "the name of the object ({}) does not match the name on the URL ({name})",
                        v.pointer("/metadata/name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                    )),
                    None,
                );
                continue;
            }
            let written = if kind_of == Kind::Service {
                ctx.world.update_service(&v, &ns)
            } else {
                if let Some(m) = v.as_object_mut() {
                    m.remove("status");
                }
                // The patched object is decoded as any write is: a label that is a number is
                // an error, not an empty string.
                crate::sim::api::decode_object(&v, Kind::Pod, false)
                    .and_then(|v| ctx.world.update_pod(&v, &ns))
            };
            let shown = format!("{}/{name}", kind_of.singular());
            match written {
                Ok(Written::Unchanged) => out.out(format!("{shown} patched (no change)\n")),
                Ok(_) => out.out(format!("{shown} patched\n")),
                Err(e) => out.api_error(&e, None),
            }
        }
    }
}

/// Applies `patch` to the object `doc` as the API server would for the patch type.
fn apply_patch(doc: &mut Value, patch: &Value, kind: PatchType) -> Result<(), ApiError> {
    match kind {
        PatchType::Json => {
            let ops: json_patch::Patch = serde_json::from_value(patch.clone()).map_err(|_| {
                ApiError::BadRequest(format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                    json_kind(patch)
                ))
            })?;
            // Applied to a copy: a failed operation leaves the object as it was.
            let mut copy = doc.clone();
            json_patch::patch_unsafe(&mut copy, &ops)
                .map_err(|e| ApiError::BadRequest(format!("the JSON patch failed: {e}")))?;
            *doc = copy;
        }
        PatchType::Merge | PatchType::Strategic if !patch.is_object() => {
            return Err(ApiError::BadRequest(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(patch)
            )));
        }
        PatchType::Merge => json_patch::merge(doc, patch),
        PatchType::Strategic => strategic_merge(doc, patch, &mut Vec::new())?,
    }
    Ok(())
}

/// The merge key of a Pod's list at `path` (object keys from the root, indices left out), as
/// the API declares it with `patchMergeKey`; `Some("")` for lists of plain values merged as
/// sets (`finalizers`).
fn merge_key(path: &[String]) -> Option<&'static str> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let container = |rest: &[&str]| -> Option<&'static str> {
        match rest {
            ["env"] => Some("name"),
            ["ports"] => Some("containerPort"),
            ["volumeMounts"] => Some("mountPath"),
            ["volumeDevices"] => Some("devicePath"),
            ["resizePolicy"] => Some("resourceName"),
            _ => None,
        }
    };
    match p.as_slice() {
        ["metadata", "finalizers"] => Some(""),
        ["metadata", "ownerReferences"] => Some("uid"),
        ["spec", "containers" | "initContainers" | "ephemeralContainers"] => Some("name"),
        ["spec", "containers" | "initContainers" | "ephemeralContainers", rest @ ..] => {
            container(rest)
        }
        ["spec", "volumes" | "imagePullSecrets" | "schedulingGates" | "resourceClaims"] => {
            Some("name")
        }
        ["spec", "hostAliases"] => Some("ip"),
        // A Service's ports merge by port number.
        ["spec", "ports"] => Some("port"),
        ["spec", "topologySpreadConstraints"] => Some("topologyKey"),
        _ => None,
    }
}

fn invalid_directive(msg: String) -> ApiError {
    ApiError::BadRequest(msg)
}

/// A strategic merge patch of `target` by the object `patch`; `path` is where they sit.
fn strategic_merge(
    target: &mut Value,
    patch: &Value,
    path: &mut Vec<String>,
) -> Result<(), ApiError> {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    match pm.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut m = pm.clone();
            m.remove("$patch");
            *target = Value::Object(m);
            return Ok(());
        }
        Some("delete") => {
            *target = Value::Object(Map::new());
            return Ok(());
        }
        Some(other) => {
            return Err(invalid_directive(format!(
                "Unknown patch type: {other} in map: {patch}"
            )))
        }
        None => {}
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(tm) = target else {
        return Ok(());
    };
    // `$retainKeys`: the keys the object keeps (others are cleared).
    if let Some(keep) = pm.get("$retainKeys").and_then(Value::as_array) {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        tm.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, v) in pm {
        if k == "$retainKeys" || k.starts_with("$setElementOrder/") {
            continue;
        }
        if let Some(list) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Some(gone)) = (tm.get_mut(list), v.as_array()) {
                items.retain(|x| !gone.contains(x));
            }
            continue;
        }
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            tm.remove(k);
            continue;
        }
        path.push(k.clone());
        let slot = tm.entry(k.clone()).or_insert(Value::Null);
        let result = match (merge_key(path), v) {
            (Some(key), Value::Array(items)) => {
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                match slot {
                    Value::Array(list) => merge_list(list, items, key, path),
                    _ => Ok(()),
                }
            }
            (_, Value::Object(_)) => strategic_merge(slot, v, path),
            _ => {
                *slot = v.clone();
                Ok(())
            }
        };
        path.pop();
        result?;
    }
    Ok(())
}

/// Merges the items of a keyed list: an item with the key of an existing one patches it, a
/// new key is appended, `$patch: delete` removes, and a `{$patch: replace}` item makes the
/// patch's items the whole list.
fn merge_list(
    list: &mut Vec<Value>,
    items: &[Value],
    key: &str,
    path: &mut Vec<String>,
) -> Result<(), ApiError> {
    if key.is_empty() {
        // A set of plain values.
        for v in items {
            if !list.contains(v) {
                list.push(v.clone());
            }
        }
        return Ok(());
    }
    let replace = items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"));
    if replace {
        *list = items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .cloned()
            .collect();
        return Ok(());
    }
    for item in items {
        let Some(id) = item.get(key) else {
            return Err(ApiError::BadRequest(format!(
                "map: {item} does not contain declared merge key: {key}"
            )));
        };
        let at = list.iter().position(|x| x.get(key) == Some(id));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(i) = at {
                list.remove(i);
            }
            continue;
        }
        match at {
            Some(i) => strategic_merge(&mut list[i], item, path)?,
            None => {
                let mut fresh = Value::Object(Map::new());
                strategic_merge(&mut fresh, item, path)?;
                list.push(fresh);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "metadata": {"name": "p", "labels": {"app": "web"}, "finalizers": ["a"]},
            "spec": {"containers": [
                {"name": "c", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                {"name": "side", "image": "busybox"}
            ]}
        })
    }

    #[test]
    fn strategic_merges_containers_by_name() {
        let mut v = pod();
        let p = json!({"spec": {"containers": [{"name": "c", "image": "nginx:1.27",
            "env": [{"name": "B", "$patch": "delete"}, {"name": "C", "value": "3"}]}]},
            "metadata": {"finalizers": ["b", "a"], "labels": {"app": null, "tier": "x"}}});
        apply_patch(&mut v, &p, PatchType::Strategic).expect("applies");
        assert_eq!(v["spec"]["containers"][0]["image"], json!("nginx:1.27"));
        assert_eq!(
            v["spec"]["containers"][0]["ports"][0]["containerPort"],
            json!(80)
        );
        assert_eq!(
            v["spec"]["containers"][0]["env"],
            json!([{"name": "A", "value": "1"}, {"name": "C", "value": "3"}])
        );
        assert_eq!(v["spec"]["containers"][1]["name"], json!("side"));
        assert_eq!(v["metadata"]["finalizers"], json!(["a", "b"]));
        assert_eq!(v["metadata"]["labels"], json!({"tier": "x"}));
    }

    #[test]
    fn merge_patch_replaces_lists_and_json_patch_applies_operations() {
        let mut v = pod();
        let p = json!({"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}});
        apply_patch(&mut v, &p, PatchType::Merge).expect("applies");
        assert_eq!(
            v["spec"]["containers"],
            json!([{"name": "c", "image": "nginx:1.27"}])
        );
        let mut v = pod();
        let ops = json!([{"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.27"},
            {"op": "add", "path": "/metadata/labels/tier", "value": "x"}]);
        apply_patch(&mut v, &ops, PatchType::Json).expect("applies");
        assert_eq!(v["spec"]["containers"][0]["image"], json!("nginx:1.27"));
        assert_eq!(v["metadata"]["labels"]["tier"], json!("x"));
        let before = pod();
        let mut v = pod();
        let bad = json!([{"op": "add", "path": "/metadata/labels/x", "value": "1"},
            {"op": "remove", "path": "/spec/nothing"}]);
        assert!(apply_patch(&mut v, &bad, PatchType::Json).is_err());
        assert_eq!(v, before, "a failed JSON patch changes nothing");
        assert!(apply_patch(&mut v, &json!({"a": 1}), PatchType::Json).is_err());
    }
}
