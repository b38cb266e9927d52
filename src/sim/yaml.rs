//! Reading manifests: YAML (and JSON, which is YAML) into JSON values that remember where each
//! field came from.
//!
//! This is the only module that knows the YAML crate. We use `yaml-rust2`'s event parser rather
//! than a serde-based YAML deserializer because the editor needs the line and column of every
//! field, not only of syntax errors; serde then decodes typed views from the JSON values built
//! here. Scalars resolve as `sigs.k8s.io/yaml` (go-yaml v2, YAML 1.1) resolves them, so
//! `yes` is a boolean and `0777` an octal number, exactly as `kubectl` would send them.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Where each field of a document sits, by field path (`spec.containers[0].image`).
/// The empty path is the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans {
    map: BTreeMap<String, Pos>,
}

impl Spans {
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.map.get(path).copied()
    }
    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn nearest(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
    fn insert(&mut self, path: String, pos: Pos) {
        self.map.entry(path).or_insert(pos);
    }
}

/// One document of a manifest file.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub value: Value,
    pub spans: Spans,
    /// Where the document starts.
    pub start: Pos,
}

/// A syntax error, with its place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("yaml: line {}, column {}: {message}", pos.line, pos.col)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: m.line() as u32,
        col: m.col() as u32 + 1,
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        pos: Pos,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Option<(String, Pos)>,
        pos: Pos,
        anchor: usize,
    },
}

struct Builder {
    docs: Vec<Document>,
    stack: Vec<Frame>,
    /// Field path of each open frame, parallel to `stack`.
    paths: Vec<String>,
    spans: Spans,
    anchors: BTreeMap<usize, Value>,
    doc_start: Pos,
    error: Option<SyntaxError>,
    root: Option<Value>,
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Builder {
    /// The field path the next value in the innermost frame will take.
    fn next_path(&self) -> Option<String> {
        let parent = self.paths.last()?;
        match self.stack.last()? {
            Frame::Seq { items, .. } => Some(format!("{parent}[{}]", items.len())),
            Frame::Map {
                key: Some((k, _)), ..
            } => Some(child_path(parent, k)),
            Frame::Map { key: None, .. } => None,
        }
    }

    fn push_value(&mut self, v: Value, pos: Pos) {
        let path = self.next_path();
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq { items, .. }) => {
                if let Some(p) = path {
                    self.spans.insert(p, pos);
                }
                items.push(v)
            }
            Some(Frame::Map {
                map,
                key,
                pos: start,
                ..
            }) => match key.take() {
                Some((k, kpos)) => {
                    if let Some(p) = path {
                        self.spans.insert(p, kpos);
                    }
                    map.insert(k, v);
                }
                None => {
                    let k = match v {
                        Value::String(s) => s,
                        Value::Null => "null".to_string(),
                        other => other.to_string(),
                    };
                    if map.is_empty() {
                        // A mapping starts where its first key does.
                        *start = pos;
                    }
                    *key = Some((k, pos));
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = pos_of(&mark);
        match ev {
            Event::DocumentStart => {
                self.doc_start = pos;
                self.spans = Spans::default();
                self.root = None;
            }
            Event::DocumentEnd => {
                let value = self.root.take().unwrap_or(Value::Null);
                self.docs.push(Document {
                    value,
                    spans: std::mem::take(&mut self.spans),
                    start: self.doc_start,
                });
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| t.suffix.as_str());
                let v = resolve_scalar(&text, style, tag_suffix);
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.push_value(v, pos);
            }
            Event::Alias(id) => {
                let v = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                self.push_value(v, pos);
            }
            Event::SequenceStart(anchor, _) => {
                let path = self.next_path().unwrap_or_default();
                self.paths.push(path);
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
                    self.error = Some(SyntaxError {
                        pos,
                        message: "invalid map key: a mapping cannot be a key".into(),
                    });
                    return;
                }
                let path = self.next_path().unwrap_or_default();
                self.paths.push(path);
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    pos,
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.paths.pop();
                let (v, start, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, pos, anchor }) => (Value::Array(items), pos, anchor),
                    Some(Frame::Map {
                        map, pos, anchor, ..
                    }) => (Value::Object(map), pos, anchor),
                    None => return,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.push_value(v, start);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
}

/// Parses every document of a YAML (or JSON) text. Empty documents are kept as `null`.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, SyntaxError> {
    let mut b = Builder {
        docs: Vec::new(),
        stack: Vec::new(),
        paths: Vec::new(),
        spans: Spans::default(),
        anchors: BTreeMap::new(),
        doc_start: Pos { line: 1, col: 1 },
        error: None,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, true).map_err(|e| SyntaxError {
        pos: pos_of(e.marker()),
        // go-yaml words it without the parser's "while parsing …," context.
        message: e
            .info()
            .split_once(", ")
            .filter(|(ctx, _)| ctx.starts_with("while "))
            .map_or(e.info(), |(_, m)| m)
            .to_string(),
    })?;
    if let Some(e) = b.error {
        return Err(e);
    }
    Ok(b.docs)
}

/// Resolves a scalar as go-yaml v2 does (YAML 1.1 core schema).
fn resolve_scalar(text: &str, style: TScalarStyle, tag: Option<&str>) -> Value {
    if style != TScalarStyle::Plain || tag == Some("str") {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Value::String(text.to_string()),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return Value::Number(n.into());
    }
    if looks_like_float(text) {
        if let Ok(f) = text.replace('_', "").parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                // JSON has one number type: 3.0 is the integer 3, as Go's YAML-to-JSON writes it.
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    return Value::Number((f as i64).into());
                }
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_string())
}

fn parse_int(text: &str) -> Option<i64> {
    let t = text.replace('_', "");
    let (neg, digits) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    if digits.is_empty() {
        return None;
    }
    let v = if let Some(h) = digits.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(b) = digits.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else if digits.bytes().all(|c| c.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

fn looks_like_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut seen_digit = false;
    for (i, c) in t.char_indices() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' | '_' => {}
            'e' | 'E' => {
                let rest = t[i + 1..].strip_prefix(['-', '+']).unwrap_or(&t[i + 1..]);
                return seen_digit && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
            }
            _ => return false,
        }
    }
    seen_digit && t.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_positions() {
        let docs = parse_documents(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: busybox\n    ports:\n    - containerPort: 80\n",
        )
        .expect("valid yaml");
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(
            d.value["spec"]["containers"][0]["ports"][0]["containerPort"],
            json!(80)
        );
        assert_eq!(d.spans.get("metadata.name"), Some(Pos { line: 4, col: 3 }));
        assert_eq!(
            d.spans.get("spec.containers[0].image"),
            Some(Pos { line: 8, col: 5 })
        );
        assert_eq!(
            d.spans.get("spec.containers[0]"),
            Some(Pos { line: 7, col: 5 })
        );
        assert_eq!(
            d.spans
                .nearest("spec.containers[0].ports[0].containerPort.x"),
            Some(Pos { line: 10, col: 7 })
        );
    }

    #[test]
    fn yaml_1_1_scalars() {
        let docs = parse_documents("a: yes\nb: '0777'\nc: 0777\nd: 1.5\ne: ~\nf: 1e3\ng: 500m\n")
            .expect("valid");
        let v = &docs[0].value;
        assert_eq!(v["a"], json!(true));
        assert_eq!(v["b"], json!("0777"));
        assert_eq!(v["c"], json!(511));
        assert_eq!(v["d"], json!(1.5));
        assert_eq!(v["e"], Value::Null);
        assert_eq!(v["f"], json!(1000));
        assert_eq!(v["g"], json!("500m"));
    }

    #[test]
    fn several_documents_and_errors() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").expect("valid");
        assert_eq!(docs.len(), 2);
        let err = parse_documents("a: 1\n  b: 2\n").expect_err("bad indentation");
        assert_eq!(err.pos.line, 2);
        let err = parse_documents("a: [1, 2\n").expect_err("unclosed");
        assert!(err.pos.line >= 1);
    }
}
