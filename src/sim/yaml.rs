//! Reading manifests: YAML (and JSON, which is YAML) into JSON values that remember where each
//! field came from.
//!
//! This is the only module that knows the YAML crate. We drive `saphyr-parser`'s event iterator
//! rather than a serde-based YAML deserializer because the editor needs the line and column of
//! every field, not only of syntax errors; serde then decodes typed views from the JSON values
//! built here. The iterator is a state machine, so nesting costs heap, not stack.
//!
//! Scalars resolve as `sigs.k8s.io/yaml` (go-yaml v2, YAML 1.1) resolves them, so `yes` is a
//! boolean and `0777` an octal number, exactly as `kubectl` would send them. The same library's
//! aliasing budget is enforced with its words (documents whose aliases expand to far more nodes
//! than they spell out: "excessive aliasing"), and nesting is bounded (see `MAX_DEPTH`).

use std::collections::BTreeMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

/// How deep collections may nest. go-yaml (and so kubectl) stops at 10,000 levels; the
/// playground stops at 1,000, because a browser's call stack cannot walk values much deeper
/// (cloning and dropping them recurse) and a stack overflow there kills the page.
pub const MAX_DEPTH: usize = 1_000;

/// Below this depth every field's position is recorded; deeper fields (which no Kubernetes
/// object has) share their ancestor's, so the cost of paths stays linear in the input.
const MAX_SPAN_DEPTH: usize = 64;

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
/// It reads as go-yaml words it (`yaml: line 2: …`, or no line at all), while `pos` keeps the
/// true place for the editor.
#[error("yaml: {}{message}", if *shown_line > 0 { format!("line {shown_line}: ") } else { String::new() })]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// The line go-yaml names: scanner errors give the 1-based line, parser errors its
    /// 0-based line (a quirk kubectl users see), document-wide errors none.
    shown_line: u32,
}

impl SyntaxError {
    fn at(pos: Pos, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            pos,
            message: message.into(),
            shown_line: pos.line,
        }
    }
    fn document_wide(message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            pos: Pos::default(),
            message: message.into(),
            shown_line: 0,
        }
    }
}

/// Turns the parser's error into go-yaml's words and line.
fn go_yaml_error(text: &str, e: &saphyr_parser::ScanError) -> SyntaxError {
    let pos = pos_of(e.marker());
    let info = e.info();
    // The parser (not the scanner) prefixes its errors with the context it was in.
    let Some((_, message)) = info
        .split_once(", ")
        .filter(|(c, _)| c.starts_with("while "))
    else {
        return SyntaxError::at(pos, info);
    };
    if message == "found unknown anchor" {
        let name: String = text
            .chars()
            .skip(e.marker().index() + 1)
            .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
            .collect();
        return SyntaxError {
            pos,
            message: format!("unknown anchor '{name}' referenced"),
            shown_line: 0,
        };
    }
    let message = match message {
        "expected ',' or ']'" => "did not find expected ',' or ']'",
        m => m,
    };
    SyntaxError {
        pos,
        message: message.into(),
        shown_line: pos.line.saturating_sub(1),
    }
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
        nodes: u64,
    },
    Map {
        map: Map<String, Value>,
        key: Option<(String, Pos)>,
        pos: Pos,
        anchor: usize,
        nodes: u64,
    },
}

struct Builder {
    docs: Vec<Document>,
    stack: Vec<Frame>,
    /// Field path of each open frame, parallel to `stack` (`None` past `MAX_SPAN_DEPTH`).
    paths: Vec<Option<String>>,
    spans: Spans,
    /// Anchored values with the number of nodes each one expands to.
    anchors: BTreeMap<usize, (Value, u64)>,
    doc_start: Pos,
    root: Option<Value>,
    /// go-yaml's counters for its aliasing budget: nodes decoded, and how many of them came
    /// from expanding an alias.
    decoded: u64,
    from_aliases: u64,
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The share of a document's nodes that may come from aliases, as go-yaml allows it: nearly all
/// of a small document, sliding down to a tenth of a very large one.
fn allowed_alias_ratio(decoded: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    match decoded {
        d if d <= LOW => 0.99,
        d if d >= HIGH => 0.10,
        d => 0.99 - 0.89 * ((d - LOW) as f64 / (HIGH - LOW) as f64),
    }
}

impl Builder {
    fn new() -> Builder {
        Builder {
            docs: Vec::new(),
            stack: Vec::new(),
            paths: Vec::new(),
            spans: Spans::default(),
            anchors: BTreeMap::new(),
            doc_start: Pos { line: 1, col: 1 },
            root: None,
            decoded: 0,
            from_aliases: 0,
        }
    }

    /// The field path the next value in the innermost frame will take.
    fn next_path(&self) -> Option<String> {
        let parent = self.paths.last()?.as_deref()?;
        if self.paths.len() >= MAX_SPAN_DEPTH {
            return None;
        }
        match self.stack.last()? {
            Frame::Seq { items, .. } => Some(format!("{parent}[{}]", items.len())),
            Frame::Map {
                key: Some((k, _)), ..
            } => Some(child_path(parent, k)),
            Frame::Map { key: None, .. } => None,
        }
    }

    /// Adds a finished value (worth `nodes` nodes) to the innermost frame.
    fn push_value(&mut self, v: Value, pos: Pos, nodes: u64) {
        let path = self.next_path();
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq {
                items, nodes: n, ..
            }) => {
                if let Some(p) = path {
                    self.spans.insert(p, pos);
                }
                *n += nodes;
                items.push(v)
            }
            Some(Frame::Map {
                map,
                key,
                pos: start,
                nodes: n,
                ..
            }) => {
                *n += nodes;
                match key.take() {
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
                }
            }
        }
    }

    fn open(&mut self, pos: Pos, frame: Frame) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(SyntaxError::at(
                pos,
                format!(
                    "exceeded the playground's max depth of {MAX_DEPTH} (Kubernetes allows 10000)"
                ),
            ));
        }
        self.decoded += 1;
        let path = if self.stack.is_empty() {
            Some(String::new())
        } else {
            self.next_path()
        };
        self.paths.push(path);
        self.stack.push(frame);
        Ok(())
    }

    fn on_event(&mut self, ev: Event<'_>, pos: Pos) -> Result<(), SyntaxError> {
        match ev {
            Event::DocumentStart(_) => {
                self.doc_start = pos;
                self.spans = Spans::default();
                self.root = None;
                self.anchors.clear();
                self.decoded = 0;
                self.from_aliases = 0;
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
                    self.anchors.insert(anchor, (v.clone(), 1));
                }
                self.decoded += 1;
                self.push_value(v, pos, 1);
            }
            Event::Alias(id) => {
                let Some((v, nodes)) = self.anchors.get(&id) else {
                    return Err(SyntaxError::document_wide("unknown anchor referenced"));
                };
                let nodes = *nodes;
                // Counted before the copy is made, so a bomb is refused before it goes off.
                self.decoded += 1 + nodes;
                self.from_aliases += nodes;
                if self.from_aliases > 100
                    && self.decoded > 1000
                    && self.from_aliases as f64 / self.decoded as f64
                        > allowed_alias_ratio(self.decoded)
                {
                    return Err(SyntaxError::document_wide(
                        "document contains excessive aliasing",
                    ));
                }
                let v = v.clone();
                self.push_value(v, pos, nodes);
            }
            Event::SequenceStart(anchor, _) => self.open(
                pos,
                Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                    nodes: 1,
                },
            )?,
            Event::MappingStart(anchor, _) => {
                if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
                    return Err(SyntaxError::at(
                        pos,
                        "invalid map key: a mapping cannot be a key",
                    ));
                }
                self.open(
                    pos,
                    Frame::Map {
                        map: Map::new(),
                        key: None,
                        pos,
                        anchor,
                        nodes: 1,
                    },
                )?
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.paths.pop();
                let (v, start, anchor, nodes) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        pos,
                        anchor,
                        nodes,
                    }) => (Value::Array(items), pos, anchor, nodes),
                    Some(Frame::Map {
                        map,
                        pos,
                        anchor,
                        nodes,
                        ..
                    }) => (Value::Object(map), pos, anchor, nodes),
                    None => return Ok(()),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (v.clone(), nodes));
                }
                self.push_value(v, start, nodes);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }
}

/// Parses every document of a YAML (or JSON) text. Empty documents are kept as `null`.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, SyntaxError> {
    let mut b = Builder::new();
    for item in Parser::new_from_str(text) {
        let (ev, span) = item.map_err(|e| go_yaml_error(text, &e))?;
        b.on_event(ev, pos_of(&span.start))?;
    }
    Ok(b.docs)
}

/// Resolves a scalar as go-yaml v2 does (YAML 1.1 core schema).
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    if style != ScalarStyle::Plain || tag == Some("str") {
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

    fn message(text: &str) -> String {
        parse_documents(text).expect_err("refused").to_string()
    }

    #[test]
    fn errors_name_the_line_as_go_yaml_does() {
        // Scanner errors: the 1-based line.
        assert_eq!(
            message("a: 1\n  b: 2\n"),
            "yaml: line 2: mapping values are not allowed in this context"
        );
        // Parser errors: go-yaml's 0-based line, as kubectl prints it.
        assert_eq!(
            message("a: 1\n- b\n"),
            "yaml: line 1: did not find expected key"
        );
        assert_eq!(
            message("a: [1, 2\n"),
            "yaml: line 1: did not find expected ',' or ']'"
        );
        assert_eq!(
            message("kind: Pod\nmetadata:\n  labels: [\n"),
            "yaml: line 3: did not find expected node content"
        );
        assert_eq!(
            message("a: 1\nb: *x\n"),
            "yaml: unknown anchor 'x' referenced"
        );
    }

    #[test]
    fn nesting_is_bounded_and_costs_no_stack() {
        let deep = format!("a:\n  {}1\n", "- ".repeat(20_000));
        let e = parse_documents(&deep).expect_err("too deep");
        assert_eq!(
            e.to_string(),
            "yaml: line 2: exceeded the playground's max depth of 1000 (Kubernetes allows 10000)"
        );
        // Just inside the limit parses, and positions stop being recorded past a sane depth.
        let ok = format!("a:\n  {}1\n", "- ".repeat(990));
        let docs = parse_documents(&ok).expect("deep but allowed");
        assert!(docs[0].spans.get("a[0]").is_some());
        assert!(docs[0].spans.map.len() < 100);
    }

    #[test]
    fn an_alias_bomb_is_refused_before_it_expands() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let items = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        assert!(text.len() < 500);
        assert_eq!(message(&text), "yaml: document contains excessive aliasing");
        // Ordinary reuse of an anchor is fine.
        let docs = parse_documents("x: &e {name: A, value: b}\nz: [*e, *e]\n").expect("valid");
        assert_eq!(docs[0].value["z"][1]["name"], json!("A"));
    }
}
