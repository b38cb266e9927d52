//! kubectl's two template languages over an object: JSONPath (`-o jsonpath=…`, client-go's
//! dialect: fields, `..`, `*`, indices, slices, unions, `[?(@.x == "y")]` filters, `range`/`end`)
//! and Go templates (`-o go-template=…`, text/template: fields, variables, `if`/`else`/`with`/
//! `range`, pipelines and the functions `and or not len index eq ne lt le gt ge print printf
//! println`, plus kubectl's `base64decode`). Each is parsed into a tree first, so a malformed
//! template is an error before anything prints, and evaluated without recursion on the data.

use std::collections::BTreeMap;

use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// JSONPath

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Root,
    Current,
    /// `.name`, `['name']`; `*` for every child.
    Field(String),
    /// `['a','b']`
    Fields(Vec<String>),
    /// `..`: the next step applies to every descendant.
    Descend,
    /// `[1]`, `[0,2]`
    Index(Vec<i64>),
    /// `[a:b:c]`
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `[*]`
    All,
    Filter(Box<Filter>),
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Vec<Seg>,
    cmp: Option<(String, Operand)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Num(f64),
    Str(String),
    Path(Vec<Seg>),
}

#[derive(Clone, Debug, PartialEq)]
enum JNode {
    Text(String),
    Path(Vec<Seg>),
    Range(Vec<Seg>, Vec<JNode>),
}

struct PathParser<'a> {
    s: &'a [char],
    i: usize,
    src: &'a str,
}

impl PathParser<'_> {
    fn err(&self, what: &str) -> String {
        format!("{what} in {}", self.src)
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn name(&mut self) -> String {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '*') {
                self.i += 1;
            } else {
                break;
            }
        }
        self.s[start..self.i].iter().collect()
    }
    fn path(&mut self) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                None => return Ok(segs),
                Some(c) if c.is_whitespace() || matches!(c, ')' | '=' | '!' | '<' | '>') => {
                    return Ok(segs)
                }
                Some('$') => {
                    self.i += 1;
                    segs.push(Seg::Root);
                }
                Some('@') => {
                    self.i += 1;
                    segs.push(Seg::Current);
                }
                Some('.') => {
                    self.i += 1;
                    if self.peek() == Some('.') {
                        self.i += 1;
                        segs.push(Seg::Descend);
                    }
                    if self.peek() == Some('[') {
                        continue;
                    }
                    let n = self.name();
                    if !n.is_empty() {
                        segs.push(Seg::Field(n));
                    }
                }
                Some('[') => {
                    self.i += 1;
                    segs.push(self.bracket()?);
                }
                Some(c) if c.is_alphanumeric() || c == '_' => {
                    let n = self.name();
                    segs.push(Seg::Field(n));
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: U+{:04X} '{c}'",
                        c as u32
                    ))
                }
            }
        }
    }
    fn bracket(&mut self) -> Result<Seg, String> {
        let start = self.i;
        if self.peek() == Some('?') {
            self.i += 1;
            if self.peek() != Some('(') {
                return Err(self.err("unrecognized filter"));
            }
            self.i += 1;
            let filter = self.filter()?;
            while self.peek().is_some_and(char::is_whitespace) {
                self.i += 1;
            }
            if self.peek() != Some(')') {
                return Err(self.err("unterminated filter"));
            }
            self.i += 1;
            if self.peek() != Some(']') {
                return Err(self.err("unterminated array"));
            }
            self.i += 1;
            return Ok(Seg::Filter(Box::new(filter)));
        }
        // The text up to the closing bracket (quotes may hold one).
        let mut quote: Option<char> = None;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                self.i = start;
                return Err(self.err("unterminated array"));
            };
            self.i += 1;
            match (quote, c) {
                (None, ']') => break,
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            text.push(c);
        }
        let t = text.trim();
        if t == "*" {
            return Ok(Seg::All);
        }
        if t.starts_with('\'') || t.starts_with('"') {
            let names: Vec<String> = t
                .split(',')
                .map(|n| n.trim().trim_matches(['\'', '"']).to_string())
                .collect();
            return Ok(if names.len() == 1 {
                Seg::Field(names[0].clone())
            } else {
                Seg::Fields(names)
            });
        }
        let int = |s: &str| -> Result<Option<i64>, String> {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse::<i64>()
                    .map(Some)
                    .map_err(|_| format!("invalid array index {s}"))
            }
        };
        if t.contains(':') {
            let parts: Vec<&str> = t.split(':').collect();
            if parts.len() > 3 {
                return Err(format!("invalid array index {t}"));
            }
            return Ok(Seg::Slice(
                int(parts[0])?,
                int(parts.get(1).copied().unwrap_or(""))?,
                int(parts.get(2).copied().unwrap_or(""))?,
            ));
        }
        let idx: Vec<i64> = t
            .split(',')
            .map(|p| int(p).and_then(|v| v.ok_or_else(|| format!("invalid array index {t}"))))
            .collect::<Result<_, _>>()?;
        Ok(Seg::Index(idx))
    }
    fn filter(&mut self) -> Result<Filter, String> {
        let skip_ws = |p: &mut Self| {
            while p.peek().is_some_and(char::is_whitespace) {
                p.i += 1;
            }
        };
        skip_ws(self);
        let left = self.path()?;
        skip_ws(self);
        let mut op = String::new();
        while let Some(c) = self.peek().filter(|c| matches!(c, '=' | '!' | '<' | '>')) {
            op.push(c);
            self.i += 1;
        }
        if op.is_empty() {
            return Ok(Filter { left, cmp: None });
        }
        if !matches!(op.as_str(), "==" | "!=" | "<" | "<=" | ">" | ">=") {
            return Err(format!("unrecognized filter operator {op}"));
        }
        skip_ws(self);
        let operand = match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.i += 1;
                let start = self.i;
                while self.peek().is_some_and(|c| c != q) {
                    self.i += 1;
                }
                let s: String = self.s[start..self.i].iter().collect();
                if self.peek().is_none() {
                    return Err(self.err("unterminated string"));
                }
                self.i += 1;
                Operand::Str(s)
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E'))
                {
                    self.i += 1;
                }
                let s: String = self.s[start..self.i].iter().collect();
                Operand::Num(s.parse().map_err(|_| format!("invalid number {s}"))?)
            }
            _ => Operand::Path(self.path()?),
        };
        Ok(Filter {
            left,
            cmp: Some((op, operand)),
        })
    }
}

fn parse_path(src: &str) -> Result<Vec<Seg>, String> {
    let chars: Vec<char> = src.trim().chars().collect();
    let mut p = PathParser {
        s: &chars,
        i: 0,
        src,
    };
    let segs = p.path()?;
    if p.i < chars.len() {
        return Err(format!(
            "unrecognized character in action: U+{:04X} '{}'",
            chars[p.i] as u32, chars[p.i]
        ));
    }
    Ok(segs)
}

/// The text and actions of a JSONPath template, with `range … end` nested.
fn parse_jsonpath(t: &str) -> Result<Vec<JNode>, String> {
    let chars: Vec<char> = t.chars().collect();
    let mut stack: Vec<(Vec<Seg>, Vec<JNode>)> = Vec::new();
    let mut nodes: Vec<JNode> = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '{' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        if !text.is_empty() {
            nodes.push(JNode::Text(std::mem::take(&mut text)));
        }
        // The action runs to the matching `}` outside quotes.
        let mut j = i + 1;
        let mut quote: Option<char> = None;
        let mut depth = 0;
        while j < chars.len() {
            match (quote, chars[j]) {
                (None, '"' | '\'') => quote = Some(chars[j]),
                (Some(q), c) if c == q && chars[j - 1] != '\\' => quote = None,
                (None, '{') => depth += 1,
                (None, '}') if depth == 0 => break,
                (None, '}') => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        if j >= chars.len() {
            return Err("unclosed action".into());
        }
        let action: String = chars[i + 1..j].iter().collect();
        i = j + 1;
        let a = action.trim();
        if let Some(p) = a.strip_prefix("range") {
            if p.starts_with(char::is_whitespace) {
                stack.push((parse_path(p)?, std::mem::take(&mut nodes)));
                continue;
            }
        }
        if a == "end" {
            let Some((path, outer)) = stack.pop() else {
                return Err("not in range, nothing to end".into());
            };
            let body = std::mem::replace(&mut nodes, outer);
            nodes.push(JNode::Range(path, body));
            continue;
        }
        if let Some(lit) = a
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| a.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        {
            nodes.push(JNode::Text(unescape(lit)));
            continue;
        }
        nodes.push(JNode::Path(parse_path(a)?));
    }
    if !text.is_empty() {
        nodes.push(JNode::Text(text));
    }
    if !stack.is_empty() {
        return Err("unclosed range".into());
    }
    Ok(nodes)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// Every value under `v`, itself first (pre-order), without recursion.
fn descendants(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        out.push(x);
        match x {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(m) => stack.extend(m.values().rev()),
            _ => {}
        }
    }
    out
}

fn children(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => Vec::new(),
    }
}

fn eval_path<'a>(
    segs: &[Seg],
    current: &'a Value,
    root: &'a Value,
) -> Result<Vec<&'a Value>, String> {
    let mut cur: Vec<&Value> = vec![current];
    let mut descend = false;
    for seg in segs {
        let input: Vec<&Value> = if descend {
            descend = false;
            cur.iter().flat_map(|v| descendants(v)).collect()
        } else {
            cur
        };
        cur = match seg {
            Seg::Root => vec![root],
            Seg::Current => input,
            Seg::Descend => {
                descend = true;
                input
            }
            Seg::Field(n) if n == "*" => input.into_iter().flat_map(children).collect(),
            Seg::Field(n) => input
                .into_iter()
                .filter_map(|v| v.get(n.as_str()))
                .collect(),
            Seg::Fields(ns) => input
                .into_iter()
                .flat_map(|v| ns.iter().filter_map(move |n| v.get(n.as_str())))
                .collect(),
            Seg::All => input.into_iter().flat_map(children).collect(),
            Seg::Index(idx) => {
                let mut out = Vec::new();
                for v in input {
                    let Some(a) = v.as_array() else { continue };
                    for &i in idx {
                        let len = a.len() as i64;
                        let at = if i < 0 { i + len } else { i };
                        if at < 0 || at >= len {
                            return Err(format!(
                                "array index out of bounds: index {at}, length {len}"
                            ));
                        }
                        out.push(&a[at as usize]);
                    }
                }
                out
            }
            Seg::Slice(a, b, step) => {
                let mut out = Vec::new();
                for v in input {
                    let Some(arr) = v.as_array() else { continue };
                    let len = arr.len() as i64;
                    let mut s = a.unwrap_or(0);
                    let mut e = b.unwrap_or(len);
                    if s < 0 {
                        s += len;
                    }
                    if e < 0 {
                        e += len;
                    }
                    if s == e {
                        continue;
                    }
                    if s >= len || s < 0 {
                        return Err(format!(
                            "array index out of bounds: index {s}, length {len}"
                        ));
                    }
                    if e > len || e < 0 {
                        return Err(format!(
                            "array index out of bounds: index {}, length {len}",
                            e - 1
                        ));
                    }
                    if s > e {
                        return Err(format!(
                            "starting index {s} is greater than ending index {e}"
                        ));
                    }
                    let step = step.unwrap_or(1).max(1) as usize;
                    out.extend(arr[s as usize..e as usize].iter().step_by(step));
                }
                out
            }
            Seg::Filter(f) => {
                let mut out = Vec::new();
                for v in input {
                    for item in children(v) {
                        if filter_holds(f, item, root)? {
                            out.push(item);
                        }
                    }
                }
                out
            }
        };
    }
    Ok(cur)
}

fn filter_holds(f: &Filter, item: &Value, root: &Value) -> Result<bool, String> {
    let left = eval_path(&f.left, item, root)?;
    let Some((op, operand)) = &f.cmp else {
        return Ok(!left.is_empty());
    };
    let Some(l) = left.first() else {
        return Ok(false);
    };
    let right: Value = match operand {
        Operand::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Operand::Str(s) => Value::String(s.clone()),
        Operand::Path(p) => match eval_path(p, item, root)?.first() {
            Some(v) => (*v).clone(),
            None => return Ok(false),
        },
    };
    let ord = match (l, &right) {
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (a, b) if op == "==" => return Ok(*a == b),
        (a, b) if op == "!=" => return Ok(*a != b),
        _ => return Ok(false),
    };
    Ok(match op.as_str() {
        "==" => ord.is_eq(),
        "!=" => ord.is_ne(),
        "<" => ord.is_lt(),
        "<=" => ord.is_le(),
        ">" => ord.is_gt(),
        _ => ord.is_ge(),
    })
}

fn jsonpath_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => super::encode::to_compact_json(other),
    }
}

/// Evaluates a kubectl JSONPath template.
pub fn jsonpath(t: &str, data: &Value) -> Result<String, String> {
    let nodes = parse_jsonpath(t).map_err(|e| format!("error parsing jsonpath {t}, {e}"))?;
    let mut out = String::new();
    // (nodes, position, the current element) frames: `range` pushes one per element.
    let mut frames: Vec<(&[JNode], usize, &Value)> = vec![(&nodes, 0, data)];
    let mut pending: Vec<(Vec<&Value>, usize, &[JNode])> = Vec::new();
    while let Some((list, pos, cur)) = frames.pop() {
        let Some(node) = list.get(pos) else {
            // A range body finished: go on with its next element.
            if let Some((items, next, body)) = pending.pop() {
                if next < items.len() {
                    let item = items[next];
                    pending.push((items, next + 1, body));
                    frames.push((body, 0, item));
                }
            }
            continue;
        };
        frames.push((list, pos + 1, cur));
        match node {
            JNode::Text(s) => out.push_str(s),
            JNode::Path(p) => {
                let vals = eval_path(p, cur, data)?;
                let texts: Vec<String> = vals.into_iter().map(jsonpath_text).collect();
                out.push_str(&texts.join(" "));
            }
            JNode::Range(p, body) => {
                let items = eval_path(p, cur, data)?;
                if let Some(first) = items.first().copied() {
                    pending.push((items, 1, body));
                    frames.push((body, 0, first));
                } else {
                    // Nothing to iterate: the marker frame below keeps `pending` balanced.
                    pending.push((Vec::new(), 0, body));
                    frames.push((&[], 0, cur));
                }
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Go templates

#[derive(Clone, Debug, PartialEq)]
enum Arg {
    /// `.a.b` (`.` alone is the dot).
    Field(Vec<String>),
    /// `$x.a.b`
    Var(String, Vec<String>),
    Str(String),
    Num(f64),
    Bool(bool),
    Nil,
    Func(String),
    /// `(pipeline).a.b`
    Sub(Box<Pipe>, Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
struct Pipe {
    /// `$x :=` (or `$i, $e :=` in a range).
    decl: Vec<String>,
    cmds: Vec<Vec<Arg>>,
    /// Where the action starts, for error messages.
    pos: usize,
    text: String,
}

#[derive(Clone, Debug, PartialEq)]
enum GNode {
    Text(String),
    Action(Pipe),
    If(Vec<(Pipe, Vec<GNode>)>, Vec<GNode>),
    With(Pipe, Vec<GNode>, Vec<GNode>),
    Range(Pipe, Vec<GNode>, Vec<GNode>),
}

fn tmpl_err(msg: impl std::fmt::Display) -> String {
    format!("template: output:1: {msg}")
}

fn lex_action(src: &str) -> Result<Vec<String>, String> {
    let mut toks = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '"' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if c == '"' && chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(tmpl_err("unterminated quoted string"));
            }
            toks.push(chars[i..=j].iter().collect());
            i = j + 1;
            continue;
        }
        if matches!(c, '(' | ')' | '|' | ',') {
            toks.push(c.to_string());
            i += 1;
            continue;
        }
        if c == ':' && chars.get(i + 1) == Some(&'=') {
            toks.push(":=".into());
            i += 2;
            continue;
        }
        if c == '=' {
            toks.push("=".into());
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && !chars[i].is_whitespace()
            && !matches!(chars[i], '(' | ')' | '|' | ',' | '"' | '`')
            && (chars[i] != ':' || chars.get(i + 1) != Some(&'='))
        {
            i += 1;
        }
        toks.push(chars[start..i].iter().collect());
    }
    Ok(toks)
}

fn split_fields(s: &str) -> Vec<String> {
    s.split('.')
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

const FUNCS: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "print",
    "printf",
    "println",
    "base64decode",
    "exists",
];

fn parse_pipe(toks: &[String], pos: usize, text: &str) -> Result<Pipe, String> {
    let mut decl = Vec::new();
    let mut rest = toks;
    if let Some(at) = toks.iter().position(|t| t == ":=" || t == "=") {
        if toks[..at].iter().all(|t| t.starts_with('$') || t == ",") {
            decl = toks[..at].iter().filter(|t| *t != ",").cloned().collect();
            rest = &toks[at + 1..];
        }
    }
    let mut cmds = Vec::new();
    let mut i = 0;
    let mut cmd = Vec::new();
    while i < rest.len() {
        let t = &rest[i];
        i += 1;
        if t == "|" {
            if cmd.is_empty() {
                return Err(tmpl_err("missing value for command"));
            }
            cmds.push(std::mem::take(&mut cmd));
            continue;
        }
        if t == "(" {
            // The matching `)`.
            let mut depth = 1;
            let start = i;
            while i < rest.len() && depth > 0 {
                match rest[i].as_str() {
                    "(" => depth += 1,
                    ")" => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth != 0 {
                return Err(tmpl_err("unclosed left paren"));
            }
            let inner = parse_pipe(&rest[start..i - 1], pos, text)?;
            // A field chain right after the parenthesis: `(index .items 0).metadata`.
            let mut fields = Vec::new();
            if let Some(next) = rest.get(i).filter(|n| n.starts_with('.')) {
                fields = split_fields(next);
                i += 1;
            }
            cmd.push(Arg::Sub(Box::new(inner), fields));
            continue;
        }
        if t == ")" {
            return Err(tmpl_err("unexpected right paren"));
        }
        cmd.push(parse_arg(t)?);
    }
    if !cmd.is_empty() {
        cmds.push(cmd);
    }
    if cmds.is_empty() {
        return Err(tmpl_err("missing value for command"));
    }
    Ok(Pipe {
        decl,
        cmds,
        pos,
        text: text.to_string(),
    })
}

fn parse_arg(t: &str) -> Result<Arg, String> {
    Ok(if t == "." {
        Arg::Field(Vec::new())
    } else if let Some(f) = t.strip_prefix('.') {
        Arg::Field(split_fields(f))
    } else if let Some(v) = t.strip_prefix('$') {
        let (name, fields) = v.split_once('.').unwrap_or((v, ""));
        Arg::Var(format!("${name}"), split_fields(fields))
    } else if let Some(s) = t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Arg::Str(unescape(s))
    } else if let Some(s) = t.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        Arg::Str(s.to_string())
    } else if t == "true" || t == "false" {
        Arg::Bool(t == "true")
    } else if t == "nil" {
        Arg::Nil
    } else if let Ok(n) = t.parse::<f64>() {
        Arg::Num(n)
    } else if FUNCS.contains(&t) {
        Arg::Func(t.to_string())
    } else {
        return Err(tmpl_err(format!("function \"{t}\" not defined")));
    })
}

enum Tok {
    Text(String),
    Act(Vec<String>, usize, String),
}

fn parse_go_template(t: &str) -> Result<Vec<GNode>, String> {
    // Split into text and actions, honouring `{{-` and `-}}` trims and dropping comments.
    let mut toks: Vec<Tok> = Vec::new();
    let mut rest = t;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        let mut inner_start = start + 2;
        if rest[inner_start..].starts_with("- ") || rest[inner_start..].starts_with("-\t") {
            text = text.trim_end().to_string();
            inner_start += 1;
        }
        if !text.is_empty() {
            toks.push(Tok::Text(text));
        }
        let Some(end_rel) = rest[inner_start..].find("}}") else {
            return Err(tmpl_err("unclosed action"));
        };
        let mut inner = &rest[inner_start..inner_start + end_rel];
        let mut after = inner_start + end_rel + 2;
        let trim_after = inner.ends_with(" -") || inner.ends_with("\t-");
        if trim_after {
            inner = &inner[..inner.len() - 1];
        }
        let pos = offset + start;
        let trimmed = inner.trim();
        if !(trimmed.starts_with("/*") && trimmed.ends_with("*/")) {
            toks.push(Tok::Act(lex_action(inner)?, pos, trimmed.to_string()));
        }
        if trim_after {
            let skipped = rest[after..].len() - rest[after..].trim_start().len();
            after += skipped;
        }
        offset += after;
        rest = &rest[after..];
    }
    if !rest.is_empty() {
        toks.push(Tok::Text(rest.to_string()));
    }
    // Build the tree with a stack of open blocks.
    enum Open {
        If(Vec<(Pipe, Vec<GNode>)>, Option<Vec<GNode>>),
        With(Pipe, Option<Vec<GNode>>),
        Range(Pipe, Option<Vec<GNode>>),
    }
    let mut stack: Vec<(Open, Vec<GNode>)> = Vec::new();
    let mut nodes: Vec<GNode> = Vec::new();
    for tok in toks {
        let (words, pos, text) = match tok {
            Tok::Text(s) => {
                nodes.push(GNode::Text(s));
                continue;
            }
            Tok::Act(w, p, t) => (w, p, t),
        };
        let Some(first) = words.first() else {
            return Err(tmpl_err("missing value for command"));
        };
        match first.as_str() {
            "if" | "with" | "range" => {
                let pipe = parse_pipe(&words[1..], pos, &text)?;
                let open = match first.as_str() {
                    "if" => Open::If(vec![(pipe, Vec::new())], None),
                    "with" => Open::With(pipe, None),
                    _ => Open::Range(pipe, None),
                };
                stack.push((open, std::mem::take(&mut nodes)));
            }
            "else" => {
                let Some((open, _)) = stack.last_mut() else {
                    return Err(tmpl_err("unexpected {{else}}"));
                };
                let body = std::mem::take(&mut nodes);
                match open {
                    Open::If(arms, els) => {
                        if els.is_some() {
                            return Err(tmpl_err("unexpected {{else}}"));
                        }
                        if let Some(last) = arms.last_mut() {
                            last.1 = body;
                        }
                        if words.get(1).map(String::as_str) == Some("if") {
                            arms.push((parse_pipe(&words[2..], pos, &text)?, Vec::new()));
                        } else {
                            *els = Some(Vec::new());
                        }
                    }
                    Open::With(p, els) | Open::Range(p, els) => {
                        if els.is_some() {
                            return Err(tmpl_err("unexpected {{else}}"));
                        }
                        let _ = p;
                        *els = Some(body);
                    }
                }
            }
            "end" => {
                let Some((open, outer)) = stack.pop() else {
                    return Err(tmpl_err("unexpected {{end}}"));
                };
                let body = std::mem::replace(&mut nodes, outer);
                let node = match open {
                    Open::If(mut arms, els) => match els {
                        Some(_) => GNode::If(arms, body),
                        None => {
                            if let Some(last) = arms.last_mut() {
                                last.1 = body;
                            }
                            GNode::If(arms, Vec::new())
                        }
                    },
                    Open::With(p, els) => match els {
                        Some(then) => GNode::With(p, then, body),
                        None => GNode::With(p, body, Vec::new()),
                    },
                    Open::Range(p, els) => match els {
                        Some(then) => GNode::Range(p, then, body),
                        None => GNode::Range(p, body, Vec::new()),
                    },
                };
                nodes.push(node);
            }
            "define" | "template" | "block" => {
                return Err(tmpl_err(format!(
                    "{{{{{first}}}}} is not supported by the playground"
                )))
            }
            _ => nodes.push(GNode::Action(parse_pipe(&words, pos, &text)?)),
        }
    }
    if !stack.is_empty() {
        return Err(tmpl_err("unexpected EOF"));
    }
    Ok(nodes)
}

/// How Go's `fmt` prints a JSON value decoded into `interface{}` (numbers are float64).
fn go_text(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => go_float(n.as_f64().unwrap_or(0.0)),
        Value::Array(a) => format!("[{}]", a.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let sorted: BTreeMap<&String, &Value> = m.iter().collect();
            format!(
                "map[{}]",
                sorted
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", go_text(v)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// `%v` of a float64: the shortest digits, in exponent form when the exponent is below -4 or
/// 6 and up (Go prints 1000000 as `1e+06`, 123456 as `123456`).
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// A missing map key: printed as `<no value>`.
const NO_VALUE: &str = "\u{0}<no value>";

struct Exec<'a> {
    root: &'a Value,
    vars: Vec<(String, Value)>,
}

impl Exec<'_> {
    fn var(&self, name: &str) -> Option<&Value> {
        if name == "$" {
            return Some(self.root);
        }
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn fields(&self, mut v: Value, fields: &[String], pipe: &Pipe) -> Result<Value, String> {
        for (i, f) in fields.iter().enumerate() {
            v = match v {
                Value::Object(mut m) => match m.remove(f) {
                    Some(x) => x,
                    None if i + 1 == fields.len() => Value::String(NO_VALUE.into()),
                    None => Value::Null,
                },
                Value::Null => {
                    return Err(format!(
                        "template: output:1:{}: executing \"output\" at <{}>: nil pointer evaluating interface {{}}.{f}",
                        pipe.pos + 2,
                        pipe.text
                    ))
                }
                other => {
                    return Err(format!(
                        "template: output:1:{}: executing \"output\" at <{}>: can't evaluate field {f} in type {}",
                        pipe.pos + 2,
                        pipe.text,
                        go_type(&other)
                    ))
                }
            };
        }
        Ok(v)
    }

    fn arg(&mut self, a: &Arg, dot: &Value, pipe: &Pipe) -> Result<Value, String> {
        Ok(match a {
            Arg::Field(fs) => self.fields(dot.clone(), fs, pipe)?,
            Arg::Var(name, fs) => {
                let Some(v) = self.var(name).cloned() else {
                    return Err(tmpl_err(format!("undefined variable \"{name}\"")));
                };
                self.fields(v, fs, pipe)?
            }
            Arg::Str(s) => Value::String(s.clone()),
            Arg::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Nil => Value::Null,
            Arg::Func(f) => self.call(f, &[], dot, pipe, None)?,
            Arg::Sub(p, fs) => {
                let v = self.pipe(p, dot)?;
                self.fields(v, fs, pipe)?
            }
        })
    }

    fn call(
        &mut self,
        f: &str,
        args: &[Arg],
        dot: &Value,
        pipe: &Pipe,
        piped: Option<Value>,
    ) -> Result<Value, String> {
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.arg(a, dot, pipe)?);
        }
        if let Some(p) = piped {
            vals.push(p);
        }
        let want = |n: usize, vals: &[Value]| -> Result<(), String> {
            if vals.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "template: output:1:{}: executing \"output\" at <{f}>: wrong number of args for {f}: want {n} got {}",
                    pipe.pos + 2,
                    vals.len()
                ))
            }
        };
        let clean = |v: &Value| -> Value {
            if v.as_str() == Some(NO_VALUE) {
                Value::Null
            } else {
                v.clone()
            }
        };
        let vals: Vec<Value> = vals.iter().map(clean).collect();
        Ok(match f {
            "not" => {
                want(1, &vals)?;
                Value::Bool(!truthy(&vals[0]))
            }
            "and" => vals
                .iter()
                .find(|v| !truthy(v))
                .or(vals.last())
                .cloned()
                .unwrap_or(Value::Null),
            "or" => vals
                .iter()
                .find(|v| truthy(v))
                .or(vals.last())
                .cloned()
                .unwrap_or(Value::Null),
            "len" => {
                want(1, &vals)?;
                let n = match &vals[0] {
                    Value::String(s) => s.len(),
                    Value::Array(a) => a.len(),
                    Value::Object(m) => m.len(),
                    other => {
                        return Err(format!(
                            "template: output:1:{}: executing \"output\" at <len>: error calling len: len of type {}",
                            pipe.pos + 2,
                            go_type(other)
                        ))
                    }
                };
                Value::from(n)
            }
            "index" => {
                let Some((first, keys)) = vals.split_first() else {
                    return Err(tmpl_err("wrong number of args for index"));
                };
                let mut v = first.clone();
                for k in keys {
                    v = match (&v, k) {
                        (Value::Array(a), Value::Number(n)) => {
                            let i = n.as_f64().unwrap_or(-1.0);
                            if i < 0.0 || i as usize >= a.len() {
                                return Err(format!(
                                    "template: output:1:{}: executing \"output\" at <index>: error calling index: index out of range: {i}",
                                    pipe.pos + 2
                                ));
                            }
                            a[i as usize].clone()
                        }
                        (Value::Object(m), Value::String(s)) => {
                            m.get(s).cloned().unwrap_or(Value::Null)
                        }
                        (Value::Null, _) => Value::Null,
                        _ => {
                            return Err(format!(
                                "template: output:1:{}: executing \"output\" at <index>: error calling index: cannot index slice/array with type {}",
                                pipe.pos + 2,
                                go_type(k)
                            ))
                        }
                    };
                }
                v
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if vals.len() < 2 {
                    return Err(format!(
                        "template: output:1:{}: executing \"output\" at <{f}>: missing argument for comparison",
                        pipe.pos + 2
                    ));
                }
                let cmp = |a: &Value, b: &Value| -> Result<std::cmp::Ordering, String> {
                    match (a, b) {
                        (Value::Number(x), Value::Number(y)) => Ok(x
                            .as_f64()
                            .partial_cmp(&y.as_f64())
                            .unwrap_or(std::cmp::Ordering::Equal)),
                        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
                        (Value::Bool(x), Value::Bool(y)) if matches!(f, "eq" | "ne") => {
                            Ok(x.cmp(y))
                        }
                        _ => Err(format!(
                            "template: output:1:{}: executing \"output\" at <{f}>: error calling {f}: incompatible types for comparison",
                            pipe.pos + 2
                        )),
                    }
                };
                let result = match f {
                    // `eq a b c` is true if a equals any of the others.
                    "eq" => {
                        let mut any = false;
                        for b in &vals[1..] {
                            if cmp(&vals[0], b)?.is_eq() {
                                any = true;
                            }
                        }
                        any
                    }
                    "ne" => cmp(&vals[0], &vals[1])?.is_ne(),
                    "lt" => cmp(&vals[0], &vals[1])?.is_lt(),
                    "le" => cmp(&vals[0], &vals[1])?.is_le(),
                    "gt" => cmp(&vals[0], &vals[1])?.is_gt(),
                    _ => cmp(&vals[0], &vals[1])?.is_ge(),
                };
                Value::Bool(result)
            }
            "print" | "println" => {
                let mut s = String::new();
                for (i, v) in vals.iter().enumerate() {
                    // Go's Sprint puts a space between operands when neither is a string.
                    if i > 0 && (f == "println" || !(vals[i - 1].is_string() || v.is_string())) {
                        s.push(' ');
                    }
                    s.push_str(&go_text(v));
                }
                if f == "println" {
                    s.push('\n');
                }
                Value::String(s)
            }
            "printf" => {
                let Some((fmt, rest)) = vals.split_first() else {
                    return Err(tmpl_err("wrong number of args for printf"));
                };
                Value::String(printf(fmt.as_str().unwrap_or_default(), rest))
            }
            "base64decode" => {
                want(1, &vals)?;
                use base64::Engine;
                let s = vals[0].as_str().unwrap_or_default();
                match base64::engine::general_purpose::STANDARD.decode(s) {
                    Ok(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
                    Err(e) => {
                        return Err(format!(
                            "template: output:1:{}: executing \"output\" at <base64decode>: error calling base64decode: {s} is not a valid base64 string: {e}",
                            pipe.pos + 2
                        ))
                    }
                }
            }
            "exists" => {
                let Some((first, keys)) = vals.split_first() else {
                    return Ok(Value::Bool(false));
                };
                let mut v = Some(first.clone());
                for k in keys {
                    v = v.and_then(|x| match (x, k) {
                        (Value::Object(m), Value::String(s)) => m.get(s).cloned(),
                        (Value::Array(a), Value::Number(n)) => {
                            a.get(n.as_f64().unwrap_or(-1.0) as usize).cloned()
                        }
                        _ => None,
                    });
                }
                Value::Bool(v.is_some())
            }
            other => return Err(tmpl_err(format!("function \"{other}\" not defined"))),
        })
    }

    fn pipe(&mut self, p: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut last: Option<Value> = None;
        for cmd in &p.cmds {
            let v = match cmd.first() {
                Some(Arg::Func(f)) => self.call(f, &cmd[1..], dot, p, last.take())?,
                Some(a) if cmd.len() == 1 && last.is_none() => self.arg(a, dot, p)?,
                Some(a) => {
                    return Err(format!(
                        "template: output:1:{}: executing \"output\" at <{}>: can't give argument to non-function {}",
                        p.pos + 2,
                        p.text,
                        arg_text(a)
                    ))
                }
                None => Value::Null,
            };
            last = Some(v);
        }
        let v = last.unwrap_or(Value::Null);
        if let Some(name) = p.decl.first() {
            self.vars.push((name.clone(), v.clone()));
        }
        Ok(v)
    }
}

fn arg_text(a: &Arg) -> String {
    match a {
        Arg::Field(f) => format!(".{}", f.join(".")),
        Arg::Var(n, f) if f.is_empty() => n.clone(),
        Arg::Var(n, f) => format!("{n}.{}", f.join(".")),
        Arg::Str(s) => format!("{s:?}"),
        Arg::Num(n) => go_float(*n),
        Arg::Bool(b) => b.to_string(),
        Arg::Nil => "nil".into(),
        Arg::Func(f) => f.clone(),
        Arg::Sub(..) => "(…)".into(),
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %f %q %x %%`, widths and `-`.
fn printf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut next = args.iter();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek() {
            if f == '-' || f == '0' || f.is_ascii_digit() || f == '.' {
                flags.push(f);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = next.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let text = match verb {
            'd' => match arg.as_f64() {
                Some(f) if f.fract() == 0.0 => format!("{}", f as i64),
                _ => format!("%!d({})", go_text(arg)),
            },
            'f' => {
                let prec = flags
                    .split_once('.')
                    .and_then(|(_, p)| p.parse::<usize>().ok())
                    .unwrap_or(6);
                format!("{:.prec$}", arg.as_f64().unwrap_or(0.0))
            }
            'q' => format!("{:?}", go_text(arg)),
            'x' => match arg {
                Value::String(s) => s.bytes().map(|b| format!("{b:02x}")).collect(),
                other => format!("{:x}", other.as_f64().unwrap_or(0.0) as i64),
            },
            _ => go_text(arg),
        };
        let width: usize = flags
            .trim_start_matches('-')
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        if flags.starts_with('-') {
            out.push_str(&format!("{text:<width$}"));
        } else {
            out.push_str(&format!("{text:>width$}"));
        }
    }
    for extra in next {
        out.push_str(&format!("%!(EXTRA {}={})", go_type(extra), go_text(extra)));
    }
    out
}

/// Checks a Go template as kubectl does before it fetches anything.
pub fn check_go_template(t: &str) -> Result<(), String> {
    parse_go_template(t).map(|_| ())
}

/// Evaluates a Go template over an object.
pub fn go_template(t: &str, data: &Value) -> Result<String, String> {
    let nodes = parse_go_template(t)?;
    let mut ex = Exec {
        root: data,
        vars: Vec::new(),
    };
    let mut out = String::new();
    // Work list of (nodes, position, dot, variables in scope); no recursion on the template.
    struct Frame<'n> {
        nodes: &'n [GNode],
        pos: usize,
        dot: Value,
        vars: usize,
        /// The rest of a range: (items as (key, value), next index, body, range variables).
        range: Option<RangeRest<'n>>,
    }
    let mut frames = vec![Frame {
        nodes: &nodes,
        pos: 0,
        dot: data.clone(),
        vars: 0,
        range: None,
    }];
    let mut steps = 0usize;
    while let Some(mut f) = frames.pop() {
        steps += 1;
        if steps > 1_000_000 || out.len() > super::OUTPUT_CAP {
            return Err(tmpl_err("the template ran too long for the playground"));
        }
        let Some(node) = f.nodes.get(f.pos) else {
            ex.vars.truncate(f.vars);
            if let Some((items, next, body, names)) = f.range.take() {
                if next < items.len() {
                    let (k, v) = items[next].clone();
                    let vars = ex.vars.len();
                    bind_range(&mut ex, &names, k, v.clone());
                    frames.push(Frame {
                        nodes: body,
                        pos: 0,
                        dot: v,
                        vars,
                        range: Some((items, next + 1, body, names)),
                    });
                }
            }
            continue;
        };
        f.pos += 1;
        let dot = f.dot.clone();
        frames.push(f);
        match node {
            GNode::Text(s) => out.push_str(s),
            GNode::Action(p) => {
                let v = ex.pipe(p, &dot)?;
                if p.decl.is_empty() {
                    out.push_str(&match v.as_str() {
                        Some(NO_VALUE) => "<no value>".to_string(),
                        _ => go_text(&v),
                    });
                }
            }
            GNode::If(arms, els) => {
                let mut chosen: &[GNode] = els;
                for (p, body) in arms {
                    let v = ex.pipe(p, &dot)?;
                    if truthy(&v) && v.as_str() != Some(NO_VALUE) {
                        chosen = body;
                        break;
                    }
                }
                let vars = ex.vars.len();
                frames.push(Frame {
                    nodes: chosen,
                    pos: 0,
                    dot,
                    vars,
                    range: None,
                });
            }
            GNode::With(p, body, els) => {
                let v = ex.pipe(p, &dot)?;
                let vars = ex.vars.len();
                let (nodes, dot) = if truthy(&v) && v.as_str() != Some(NO_VALUE) {
                    (&body[..], v)
                } else {
                    (&els[..], dot)
                };
                frames.push(Frame {
                    nodes,
                    pos: 0,
                    dot,
                    vars,
                    range: None,
                });
            }
            GNode::Range(p, body, els) => {
                let names = p.decl.clone();
                let mut plain = p.clone();
                plain.decl.clear();
                let v = ex.pipe(&plain, &dot)?;
                let items: Vec<(Value, Value)> = match v {
                    Value::Array(a) => a
                        .into_iter()
                        .enumerate()
                        .map(|(i, x)| (Value::from(i), x))
                        .collect(),
                    Value::Object(m) => {
                        let sorted: BTreeMap<String, Value> = m.into_iter().collect();
                        sorted
                            .into_iter()
                            .map(|(k, x)| (Value::String(k), x))
                            .collect()
                    }
                    Value::Null => Vec::new(),
                    Value::String(s) if s == NO_VALUE => Vec::new(),
                    other => {
                        return Err(format!(
                            "template: output:1:{}: range can't iterate over {}",
                            p.pos + 2,
                            go_text(&other)
                        ))
                    }
                };
                let vars = ex.vars.len();
                if items.is_empty() {
                    frames.push(Frame {
                        nodes: els,
                        pos: 0,
                        dot,
                        vars,
                        range: None,
                    });
                } else {
                    let (k, v) = items[0].clone();
                    bind_range(&mut ex, &names, k, v.clone());
                    frames.push(Frame {
                        nodes: body,
                        pos: 0,
                        dot: v,
                        vars,
                        range: Some((items, 1, body, names)),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The rest of a range: its items as (key, value), the next index, the body and the names
/// its variables take.
type RangeRest<'n> = (Vec<(Value, Value)>, usize, &'n [GNode], Vec<String>);

fn bind_range(ex: &mut Exec<'_>, names: &[String], k: Value, v: Value) {
    match names {
        [e] => ex.vars.push((e.clone(), v)),
        [i, e, ..] => {
            ex.vars.push((i.clone(), k));
            ex.vars.push((e.clone(), v));
        }
        [] => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pods() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}}, "spec": {"containers": [{"image": "nginx", "ports": [{"containerPort": 80}]}]}, "status": {"phase": "Running", "restarts": 1000000}},
            {"metadata": {"name": "b", "labels": {"app": "db"}}, "spec": {"containers": [{"image": "busybox"}, {"image": "redis"}]}, "status": {"phase": "Pending", "restarts": 0}}
        ]})
    }

    #[test]
    fn jsonpath_paths_filters_slices_and_ranges() {
        let v = pods();
        let jp = |t: &str| jsonpath(t, &v).expect(t);
        assert_eq!(jp("{.items[*].metadata.name}"), "a b");
        assert_eq!(
            jp("{.items[?(@.metadata.name==\"b\")].status.phase}"),
            "Pending"
        );
        assert_eq!(jp("{.items[?(@.status.restarts > 10)].metadata.name}"), "a");
        assert_eq!(
            jp("{.items[?(@.spec.containers[0].ports)].metadata.name}"),
            "a"
        );
        assert_eq!(jp("{.items[0:1].metadata.name}"), "a");
        assert_eq!(jp("{.items[-1].metadata.name}"), "b");
        assert_eq!(jp("{..image}"), "nginx busybox redis");
        assert_eq!(jp("{.items[*].metadata.labels['app']}"), "web db");
        assert_eq!(jp("{.items[0]['metadata.x','kind']}"), "");
        assert_eq!(
            jp("{range .items[*]}{.metadata.name}{\"\\t\"}{range .spec.containers[*]}{.image},{end}{\"\\n\"}{end}"),
            "a\tnginx,\nb\tbusybox,redis,\n"
        );
        assert_eq!(
            jp("{range .items[?(@.x)]}{.metadata.name}{end}done"),
            "done"
        );
        assert_eq!(
            jsonpath("{.items[5]}", &v).expect_err("out of range"),
            "array index out of bounds: index 5, length 2"
        );
        assert!(jsonpath("{.items[0}", &v).is_err());
        assert!(jsonpath("{range .items[*]}{.x}", &v).is_err());
    }

    #[test]
    fn go_templates_with_control_flow_functions_and_variables() {
        let v = pods();
        let gt = |t: &str| go_template(t, &v).expect(t);
        assert_eq!(gt("{{range .items}}{{.metadata.name}} {{end}}"), "a b ");
        assert_eq!(
            gt("{{range .items}}{{if eq .status.phase \"Running\"}}{{.metadata.name}}{{else}}-{{end}}{{end}}"),
            "a-"
        );
        assert_eq!(gt("{{len .items}}"), "2");
        assert_eq!(gt("{{(index .items 1).metadata.name}}"), "b");
        assert_eq!(
            gt("{{index .items 0 \"metadata\" \"labels\" \"app\"}}"),
            "web"
        );
        assert_eq!(
            gt("{{range $i, $p := .items}}{{$i}}={{$p.metadata.name}} {{end}}"),
            "0=a 1=b "
        );
        assert_eq!(gt("{{with $x := \"hi\"}}{{$x}}{{end}}"), "hi");
        assert_eq!(gt("{{(index .items 0).status.restarts}}"), "1e+06");
        assert_eq!(gt("{{(index .items 1).spec.containers | len}}"), "2");
        assert_eq!(gt("{{printf \"%s:%d\" .kind 7}}"), "List:7");
        assert_eq!(gt("{{.nothing}}"), "<no value>");
        assert_eq!(gt("{{(index .items 0).metadata.labels}}"), "map[app:web]");
        assert_eq!(
            gt("{{- range .items -}}\n  {{ .metadata.name }}\n{{- end }}"),
            "ab"
        );
        assert_eq!(gt("{{if and .items (not .nothing)}}yes{{end}}"), "yes");
        assert!(go_template("{{.a.b.c}}", &v)
            .expect_err("nil")
            .contains("nil pointer evaluating interface {}.b"));
        assert_eq!(
            go_template("{{foo .x}}", &v).expect_err("undefined"),
            "template: output:1: function \"foo\" not defined"
        );
        assert!(go_template("{{range .items}}", &v).is_err());
    }

    #[test]
    fn go_prints_floats_as_go_does() {
        assert_eq!(go_float(80.0), "80");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(1234567.0), "1.234567e+06");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(0.00001), "1e-05");
    }
}
