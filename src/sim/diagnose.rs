//! Diagnostics for an editor: everything the API server would refuse in a manifest, each
//! with the line and column of the field it concerns, without touching any cluster.

use serde_json::{json, Value};

use super::api::{decode_object, ApiError};
use super::meta::Kind;
use super::yaml::{parse_documents, Pos};
use super::World;

/// One problem in a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Pos,
    /// The field path (`spec.containers[0].image`), empty for syntax errors.
    pub path: String,
    pub message: String,
}

/// Checks a manifest text as `kubectl apply` would, against a scratch copy of `world`'s rules.
pub fn diagnose(text: &str, world_seed: u64) -> Vec<Diagnostic> {
    let docs = match parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            return vec![Diagnostic {
                pos: e.pos,
                path: String::new(),
                message: e.to_string(),
            }]
        }
    };
    let mut out = Vec::new();
    for d in docs {
        if d.value.is_null() {
            continue;
        }
        let kind_name = d
            .value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(kind) = Kind::from_kind_name(kind_name) else {
            out.push(Diagnostic {
                pos: d.spans.get("kind").unwrap_or(d.start),
                path: "kind".into(),
                message: if kind_name.is_empty() {
                    "Object 'Kind' is missing".into()
                } else {
                    format!("no matches for kind \"{kind_name}\" in version \"v1\"")
                },
            });
            continue;
        };
        let decoded = match decode_object(&d.value, kind, true) {
            Ok(v) => v,
            Err(e) => {
                // Point at the first unknown field, or at the document.
                let msg = e.to_string();
                let unknown = msg
                    .split("unknown field \"")
                    .nth(1)
                    .and_then(|r| r.split('"').next());
                // A type error names the Go path (no indices): `Struct.spec.containers.image`.
                let typed = msg
                    .split("Go struct field ")
                    .nth(1)
                    .and_then(|r| r.split(' ').next())
                    .and_then(|r| r.split_once('.'))
                    .map(|(_, p)| p);
                let path = unknown.or(typed).unwrap_or_default().to_string();
                out.push(Diagnostic {
                    pos: d.spans.nearest(&path).unwrap_or(d.start),
                    path,
                    message: msg,
                });
                continue;
            }
        };
        // Validate on a scratch world so nothing real changes.
        let mut scratch = World::new(world_seed);
        let ns = decoded
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string();
        if scratch.require_namespace(&ns).is_err() {
            scratch
                .create(Kind::Namespace, &json!({"metadata": {"name": ns}}), "")
                .ok();
        }
        let target_ns = if kind.namespaced() { ns } else { String::new() };
        if let Err(ApiError::Invalid { causes, .. }) = scratch.create(kind, &decoded, &target_ns) {
            for c in causes {
                out.push(Diagnostic {
                    pos: d.spans.nearest(&c.path).unwrap_or(d.start),
                    path: c.path.clone(),
                    message: c.to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_their_fields() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: app\n    image: \"\"\n    ports:\n    - containerPort: 70000\n";
        let d = diagnose(text, 0);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].path, "spec.containers[0].image");
        assert_eq!(d[0].pos, Pos { line: 8, col: 5 });
        assert_eq!(d[1].pos, Pos { line: 10, col: 7 });
        let d = diagnose("kind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: a\n    image: b\n    imagePullPolic: x\n", 0);
        assert_eq!(d[0].path, "spec.containers[0].imagePullPolic", "{d:?}");
        assert_eq!(d[0].pos.line, 7);
        let d = diagnose("a: [\n", 0);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("line"));
    }
}
