//! What the YAML editor asks of podplay: diagnostics (the API server's own messages, with line
//! and column), completion of field names and enum values, and hover documentation — the last
//! two from the same schema `kubectl explain` reads.
//!
//! Completion and hover work on text that may not parse yet (the learner is typing), so the
//! path to the cursor is found from indentation, as a person reads YAML.

use serde_json::{json, Value};

use crate::sim::diagnose::{diagnose, Diagnostic};
use crate::sim::schema::{schema, Field, TypeDef};

/// One completion choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// `property` for field names, `enum` for values.
    pub kind: &'static str,
    /// The type, as `kubectl explain` names it.
    pub detail: String,
    /// The field's description.
    pub info: String,
    /// What is inserted (`name: `, or `containers:\n  - `).
    pub apply: String,
}

/// Completion at a position: where the replaced word starts (1-based column) and the choices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub from_col: usize,
    pub choices: Vec<Choice>,
}

impl Completion {
    /// The JSON the editor bundle reads.
    pub fn to_json(&self) -> String {
        let options: Vec<Value> = self
            .choices
            .iter()
            .map(|c| {
                json!({"label": c.label, "type": c.kind, "detail": c.detail, "info": c.info, "apply": c.apply})
            })
            .collect();
        json!({"from_col": self.from_col, "options": options}).to_string()
    }
}

/// Everything the API server would refuse in a manifest, each with its line and column.
pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    diagnose(text, 0)
}

/// Diagnostics as JSON for the editor bundle: `[{line, col, message, severity}]`.
pub fn diagnostics_json(found: &[Diagnostic]) -> String {
    let d: Vec<Value> = found
        .iter()
        .map(|d| json!({"line": d.pos.line, "col": d.pos.col, "message": d.message, "severity": "error"}))
        .collect();
    Value::Array(d).to_string()
}

/// A line split into its indentation, an optional `- ` and the rest.
struct LineShape<'a> {
    /// Column (0-based, in chars) where keys of this line start.
    key_indent: usize,
    /// Column of the `- ` when the line starts a list item.
    dash: Option<usize>,
    rest: &'a str,
}

fn shape(line: &str) -> LineShape<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    let mut key_indent = indent;
    let mut dash = None;
    while let Some(r) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        dash.get_or_insert(key_indent);
        let extra = r.len() - r.trim_start_matches(' ').len();
        key_indent += 2 + extra;
        rest = r.trim_start_matches(' ');
    }
    LineShape {
        key_indent,
        dash,
        rest,
    }
}

/// The key of a `key: value` or `key:` text.
fn key_of(rest: &str) -> Option<&str> {
    let (k, _) = rest.split_once(':')?;
    let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
    (!k.is_empty() && !k.starts_with('#')).then_some(k)
}

/// The keys leading to a line whose keys start at `indent` (and which starts a list item
/// with its dash at `dash`), found by looking at the lines above it.
fn path_above(lines: &[&str], row: usize, indent: usize, dash: Option<usize>) -> Vec<String> {
    let mut path = Vec::new();
    let mut indent = indent;
    // When inside a list item: the column of its dash; the next key up holds the list.
    let mut item = dash;
    for line in lines[..row].iter().rev() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t == "---" {
            break;
        }
        let s = shape(line);
        match item {
            Some(d) => {
                // Other items of the same list, and whatever is inside them, are skipped.
                if s.dash == Some(d) || s.key_indent > d {
                    continue;
                }
                if let Some(k) = key_of(s.rest) {
                    path.push(k.to_string());
                }
                indent = s.key_indent;
                item = s.dash;
            }
            None => {
                if s.key_indent > indent || (s.key_indent == indent && s.dash.is_none()) {
                    continue;
                }
                if s.key_indent == indent {
                    // The first line of the list item this mapping belongs to.
                    item = s.dash;
                    continue;
                }
                if let Some(k) = key_of(s.rest) {
                    path.push(k.to_string());
                }
                indent = s.key_indent;
                item = s.dash;
            }
        }
    }
    path.reverse();
    path
}

/// The type reached by following `path` from the document's kind.
fn type_at<'a>(root: &'a TypeDef, path: &[String]) -> Option<&'a TypeDef> {
    let s = schema();
    let mut t = root;
    for k in path {
        let f = t.field(k)?;
        t = s.get(f.ty.struct_name()?)?;
        if matches!(f.ty, crate::sim::schema::Ty::Map(_)) {
            return None;
        }
    }
    Some(t)
}

fn root_type(lines: &[&str], row: usize) -> &'static TypeDef {
    let s = schema();
    // The document the cursor is in: from the `---` above it to the one below.
    let start = lines[..row]
        .iter()
        .rposition(|l| l.trim() == "---")
        .map_or(0, |i| i + 1);
    let kind = lines[start..]
        .iter()
        .take_while(|l| l.trim() != "---")
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(|c| c == '"' || c == '\''))
        .unwrap_or("Pod");
    s.get(kind)
        .or_else(|| s.get("Pod"))
        .expect("the shipped schema has Pod")
}

fn insert_text(f: &Field) -> String {
    use crate::sim::schema::Ty;
    match &f.ty {
        Ty::Struct(_) | Ty::Map(_) => format!("{}:\n", f.name),
        Ty::Slice(inner) if matches!(**inner, Ty::Struct(_)) => format!("{}:\n- ", f.name),
        Ty::Slice(_) => format!("{}:\n- ", f.name),
        _ => format!("{}: ", f.name),
    }
}

fn chars_before(line: &str, col: usize) -> String {
    line.chars().take(col.saturating_sub(1)).collect()
}

/// Completion at 1-based `line` and `col` of `text`.
pub fn complete(text: &str, line: usize, col: usize) -> Option<Completion> {
    let lines: Vec<&str> = text.split('\n').collect();
    let row = line.checked_sub(1)?;
    let current = lines.get(row)?;
    let before = chars_before(current, col);
    let s = shape(&before);
    let root = root_type(&lines, row);
    if s.rest.starts_with('#') {
        return None;
    }
    match s.rest.split_once(':') {
        None => {
            // A key being typed.
            if s.rest.contains(' ') {
                return None;
            }
            let path = path_above(&lines, row, s.key_indent, s.dash);
            let t = type_at(root, &path)?;
            // Keys already in this mapping are not offered again.
            let present = sibling_keys(&lines, row, s.key_indent);
            let choices = t
                .fields
                .iter()
                .filter(|f| f.name != "status" || !path.is_empty())
                .filter(|f| !present.contains(&f.name))
                .map(|f| Choice {
                    label: f.name.clone(),
                    kind: "property",
                    detail: f.ty.explain_name(),
                    info: f.description.clone(),
                    apply: insert_text(f),
                })
                .collect();
            Some(Completion {
                from_col: before.chars().count() - s.rest.chars().count() + 1,
                choices,
            })
        }
        Some((key, value)) => {
            let key = key.trim();
            let path = path_above(&lines, row, s.key_indent, s.dash);
            let t = type_at(root, &path)?;
            let f = t.field(key)?;
            let typed = value.trim_start();
            let mut values: Vec<String> = f.enum_values.clone();
            if values.is_empty() && f.ty == crate::sim::schema::Ty::Bool {
                values = vec!["true".into(), "false".into()];
            }
            if path.is_empty() && key == "apiVersion" {
                values = vec!["v1".into()];
            }
            if path.is_empty() && key == "kind" {
                values = vec![
                    "Pod".into(),
                    "Namespace".into(),
                    "ConfigMap".into(),
                    "Secret".into(),
                ];
            }
            if values.is_empty() {
                return None;
            }
            Some(Completion {
                from_col: before.chars().count() - typed.chars().count() + 1,
                choices: values
                    .into_iter()
                    .map(|v| Choice {
                        label: v.clone(),
                        kind: "enum",
                        detail: f.ty.explain_name(),
                        info: String::new(),
                        apply: v,
                    })
                    .collect(),
            })
        }
    }
}

/// The keys of the mapping whose keys start at `indent` around `row`.
fn sibling_keys(lines: &[&str], row: usize, indent: usize) -> Vec<String> {
    let mut keys = Vec::new();
    let own = |l: &str| -> Option<(usize, Option<usize>, String)> {
        let s = shape(l);
        Some((s.key_indent, s.dash, key_of(s.rest)?.to_string()))
    };
    // Up to the start of this mapping (a line less indented, or this list item's dash).
    for l in lines[..row].iter().rev() {
        if l.trim().is_empty() || l.trim().starts_with('#') {
            continue;
        }
        let s = shape(l);
        if s.key_indent < indent {
            break;
        }
        if s.key_indent == indent {
            if let Some((_, dash, k)) = own(l) {
                keys.push(k);
                if dash.is_some() {
                    break;
                }
            }
        }
    }
    for l in lines.iter().skip(row + 1) {
        if l.trim().is_empty() || l.trim().starts_with('#') {
            continue;
        }
        let s = shape(l);
        if s.key_indent < indent || (s.key_indent == indent && s.dash.is_some()) {
            break;
        }
        if s.key_indent == indent {
            if let Some((_, _, k)) = own(l) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Documentation for the field under 1-based `line`/`col`, as `kubectl explain` gives it.
pub fn hover(text: &str, line: usize, col: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let row = line.checked_sub(1)?;
    let current = lines.get(row)?;
    let s = shape(current);
    let key = key_of(s.rest)?;
    // Only over the key itself.
    let key_start = s.key_indent + 1;
    let key_end = key_start + key.chars().count();
    if col < key_start || col > key_end {
        return None;
    }
    let root = root_type(&lines, row);
    let mut path = path_above(&lines, row, s.key_indent, s.dash);
    path.push(key.to_string());
    let target = format!("{}.{}", root.name.to_lowercase(), path.join("."));
    let mut out = crate::kubectl::Output::default();
    crate::kubectl::explain::explain(&[target], &mut out);
    if out.code != 0 {
        return None;
    }
    let text = out.text();
    // The field's own part: type and description, not its sub-fields.
    let body = text.split("FIELDS:").next().unwrap_or(&text);
    let body = body
        .lines()
        .skip_while(|l| !l.starts_with("FIELD:"))
        .collect::<Vec<_>>()
        .join("\n");
    Some(body.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n    ima\n  restartPolicy: \n";

    fn labels(c: &Completion) -> Vec<&str> {
        c.choices.iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn field_names_inside_a_list_item() {
        // Line 9 is `    ima`: keys of a Container, without those already there.
        let c = complete(POD, 9, 8).expect("completes");
        assert_eq!(c.from_col, 5);
        let l = labels(&c);
        assert!(l.contains(&"imagePullPolicy"));
        assert!(!l.contains(&"image"), "image is already set");
        assert!(!l.contains(&"restartPolicy") || l.contains(&"livenessProbe"));
        assert!(l.contains(&"livenessProbe"));
    }

    #[test]
    fn top_level_and_spec_fields() {
        let c = complete("apiVersion: v1\nkind: Pod\nsp", 3, 3).expect("completes");
        assert!(labels(&c).contains(&"spec"));
        assert!(!labels(&c).contains(&"status"));
        let c = complete("kind: Pod\nspec:\n  ho\n", 3, 5).expect("completes");
        assert!(labels(&c).contains(&"hostNetwork"));
        assert!(labels(&c).contains(&"containers"));
        let c = complete(
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    ports:\n    - con\n",
            6,
            10,
        )
        .expect("completes");
        assert!(labels(&c).contains(&"containerPort"), "{c:?}");
        assert_eq!(c.from_col, 7);
    }

    #[test]
    fn enum_values() {
        let c = complete(POD, 10, 18).expect("completes");
        assert_eq!(labels(&c), vec!["Always", "Never", "OnFailure"]);
        assert_eq!(c.from_col, 18);
    }

    #[test]
    fn hover_shows_the_explain_text() {
        let h = hover(POD, 8, 6).expect("hover on image");
        assert!(h.starts_with("FIELD: image <string>"), "{h}");
        assert!(h.contains("DESCRIPTION:"));
        assert!(hover(POD, 8, 15).is_none(), "not over the value");
    }

    #[test]
    fn diagnostics_have_positions() {
        let d = diagnostics_json(&diagnostics("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: b\n    imagePullPolic: x\n"));
        let v: Value = serde_json::from_str(&d).expect("json");
        assert_eq!(v[0]["line"], 9);
        assert!(v[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("unknown field")));
    }
}
