//! `ObjectMeta` and the identity of stored objects.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::time::SimTime;

/// The kinds of object the simulated API server stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Pod,
    Namespace,
    ConfigMap,
    Secret,
    Node,
    Event,
    ServiceAccount,
    Service,
    Endpoints,
    EndpointSlice,
    PriorityClass,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Namespace => "Namespace",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::Node => "Node",
            Kind::Event => "Event",
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::PriorityClass => "PriorityClass",
        }
    }
    /// The lower-case plural the API and kubectl's messages use (`pods "x" not found`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Pod => "pods",
            Kind::Namespace => "namespaces",
            Kind::ConfigMap => "configmaps",
            Kind::Secret => "secrets",
            Kind::Node => "nodes",
            Kind::Event => "events",
            Kind::ServiceAccount => "serviceaccounts",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices",
            Kind::PriorityClass => "priorityclasses",
        }
    }
    /// The lower-case singular kubectl prints in `pod/x created`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Namespace => "namespace",
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::Node => "node",
            Kind::Event => "event",
            Kind::ServiceAccount => "serviceaccount",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::PriorityClass => "priorityclass.scheduling.k8s.io",
        }
    }
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node | Kind::PriorityClass)
    }
    pub fn from_kind_name(s: &str) -> Option<Kind> {
        Some(match s {
            "Pod" => Kind::Pod,
            "Namespace" => Kind::Namespace,
            "ConfigMap" => Kind::ConfigMap,
            "Secret" => Kind::Secret,
            "Node" => Kind::Node,
            "Event" => Kind::Event,
            "ServiceAccount" => Kind::ServiceAccount,
            "Service" => Kind::Service,
            "Endpoints" => Kind::Endpoints,
            "EndpointSlice" => Kind::EndpointSlice,
            "PriorityClass" => Kind::PriorityClass,
            _ => return None,
        })
    }
}

/// Metadata every object carries (the subset of `metav1.ObjectMeta` podplay keeps).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    pub generate_name: String,
    pub namespace: String,
    pub uid: String,
    pub resource_version: u64,
    pub generation: i64,
    pub creation: SimTime,
    pub deletion: Option<SimTime>,
    pub deletion_grace_period_seconds: Option<i64>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
    /// Owner references, kept as written.
    pub owner_references: Vec<Value>,
}

impl ObjectMeta {
    /// The metadata as the API server returns it in JSON.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if !self.annotations.is_empty() {
            m.insert("annotations".into(), json!(self.annotations));
        }
        m.insert("creationTimestamp".into(), json!(self.creation.rfc3339()));
        if let Some(g) = self.deletion_grace_period_seconds {
            m.insert("deletionGracePeriodSeconds".into(), json!(g));
        }
        if let Some(d) = self.deletion {
            m.insert("deletionTimestamp".into(), json!(d.rfc3339()));
        }
        if !self.finalizers.is_empty() {
            m.insert("finalizers".into(), json!(self.finalizers));
        }
        if !self.generate_name.is_empty() {
            m.insert("generateName".into(), json!(self.generate_name));
        }
        if self.generation != 0 {
            m.insert("generation".into(), json!(self.generation));
        }
        if !self.labels.is_empty() {
            m.insert("labels".into(), json!(self.labels));
        }
        m.insert("name".into(), json!(self.name));
        if !self.namespace.is_empty() {
            m.insert("namespace".into(), json!(self.namespace));
        }
        if !self.owner_references.is_empty() {
            m.insert(
                "ownerReferences".into(),
                Value::Array(self.owner_references.clone()),
            );
        }
        m.insert(
            "resourceVersion".into(),
            json!(self.resource_version.to_string()),
        );
        m.insert("uid".into(), json!(self.uid));
        Value::Object(m)
    }

    /// Reads the user-settable parts of metadata from a decoded manifest.
    pub fn from_manifest(v: &Value) -> ObjectMeta {
        let str_map = |key: &str| -> BTreeMap<String, String> {
            v.get(key)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        };
        ObjectMeta {
            name: v
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            generate_name: v
                .get("generateName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            namespace: v
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            labels: str_map("labels"),
            annotations: str_map("annotations"),
            finalizers: v
                .get("finalizers")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            owner_references: v
                .get("ownerReferences")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            ..ObjectMeta::default()
        }
    }
}

/// A label selector as `kubectl -l` sends it and the API server parses it: `a=b`, `a==b`,
/// `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, `a>1`, `a<1`, joined by commas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    reqs: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Greater(String, i64),
    Less(String, i64),
}

/// A token of the selector language.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    End,
    Id(String),
    /// `!`, `=`, `==`, `!=`, `(`, `)`, `,`, `>`, `<`, `in`, `notin`.
    Sym(&'static str),
}

impl Tok {
    fn text(&self) -> &str {
        match self {
            Tok::End => "",
            Tok::Id(s) => s,
            Tok::Sym(s) => s,
        }
    }
    /// In a list of values, `in` and `notin` are plain words.
    fn as_value(&self) -> Option<&str> {
        match self {
            Tok::Id(s) => Some(s),
            Tok::Sym(s @ ("in" | "notin")) => Some(s),
            _ => None,
        }
    }
}

const SYMBOLS: [&str; 9] = ["!", "=", "==", "!=", "(", ")", ",", ">", "<"];

fn is_symbol(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex_selector(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | '\r' | '\n') {
            i += 1;
        }
        if i >= chars.len() {
            toks.push(Tok::End);
            return toks;
        }
        if is_symbol(chars[i]) {
            // The longest run of symbol characters that still spells an operator (every
            // symbol character is one by itself).
            let mut best = "";
            let mut buf = String::new();
            while i < chars.len() && is_symbol(chars[i]) {
                buf.push(chars[i]);
                match SYMBOLS.iter().find(|s| **s == buf) {
                    Some(s) => {
                        best = s;
                        i += 1;
                    }
                    None => break,
                }
            }
            toks.push(Tok::Sym(best));
        } else {
            let start = i;
            while i < chars.len()
                && !is_symbol(chars[i])
                && !matches!(chars[i], ' ' | '\t' | '\r' | '\n')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            toks.push(match word.as_str() {
                "in" => Tok::Sym("in"),
                "notin" => Tok::Sym("notin"),
                _ => Tok::Id(word),
            });
        }
    }
}

/// The API server's `Invalid value` errors for a key, with no field path (`<nil>`).
fn check_key(k: &str) -> Result<(), String> {
    let msgs = super::validation::qualified_name(k);
    if msgs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "<nil>: Invalid value: \"{k}\": {}",
            msgs.join("; ")
        ))
    }
}

fn check_values(key: &str, values: &[String]) -> Result<(), String> {
    let errs: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let msgs = super::validation::label_value(v);
            (!msgs.is_empty()).then(|| {
                format!(
                    "values[{i}][{key}]: Invalid value: \"{v}\": {}",
                    msgs.join("; ")
                )
            })
        })
        .collect();
    match errs.len() {
        0 => Ok(()),
        1 => Err(errs[0].clone()),
        _ => Err(format!("[{}]", errs.join(", "))),
    }
}

struct SelectorParser {
    toks: Vec<Tok>,
    i: usize,
}

impl SelectorParser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.i).unwrap_or(&Tok::End)
    }
    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.i = (self.i + 1).min(self.toks.len());
        t
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut not = false;
        let mut t = self.next();
        if t == Tok::Sym("!") {
            not = true;
            t = self.next();
        }
        let Some(key) = t.as_value().map(str::to_string) else {
            return Err(format!("found '{}', expected: identifier", t.text()));
        };
        check_key(&key)?;
        if not {
            return Ok(Requirement::NotExists(key));
        }
        if matches!(self.peek(), Tok::End | Tok::Sym(",")) {
            return Ok(Requirement::Exists(key));
        }
        let op = self.next();
        match op {
            Tok::Sym(s @ ("in" | "notin")) => {
                let values = self.values()?;
                check_values(&key, &values)?;
                Ok(if s == "in" {
                    Requirement::In(key, values)
                } else {
                    Requirement::NotIn(key, values)
                })
            }
            Tok::Sym(s @ ("=" | "==" | "!=" | ">" | "<")) => {
                let value = match self.peek() {
                    Tok::End | Tok::Sym(",") => String::new(),
                    _ => {
                        let t = self.next();
                        match t.as_value() {
                            Some(v) => v.to_string(),
                            None => {
                                return Err(format!("found '{}', expected: identifier", t.text()))
                            }
                        }
                    }
                };
                check_values(&key, std::slice::from_ref(&value))?;
                Ok(match s {
                    "!=" => Requirement::NotEquals(key, value),
                    ">" | "<" => {
                        let Ok(n) = value.parse::<i64>() else {
                            return Err(format!("values[0]: Invalid value: \"{value}\": for 'Gt', 'Lt' operators, the value must be an integer"));
                        };
                        if s == ">" {
                            Requirement::Greater(key, n)
                        } else {
                            Requirement::Less(key, n)
                        }
                    }
                    _ => Requirement::Equals(key, value),
                })
            }
            other => Err(format!(
                "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                other.text()
            )),
        }
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        let open = self.next();
        if open != Tok::Sym("(") {
            return Err(format!("found '{}' expected: '('", open.text()));
        }
        let mut out: Vec<String> = Vec::new();
        let add = |v: &str, out: &mut Vec<String>| {
            if !out.iter().any(|x| x == v) {
                out.push(v.to_string());
            }
        };
        match self.peek().clone() {
            Tok::Sym(")") => {
                self.next();
                return Ok(vec![String::new()]);
            }
            t if t.as_value().is_none() && t != Tok::Sym(",") => {
                return Err(format!(
                    "found '{}', expected: ',', ')' or identifier",
                    t.text()
                ));
            }
            _ => {}
        }
        loop {
            let t = self.next();
            if let Some(v) = t.as_value() {
                add(v, &mut out);
                match self.peek() {
                    Tok::Sym(",") => {
                        self.next();
                        if *self.peek() == Tok::Sym(")") {
                            add("", &mut out);
                        }
                        continue;
                    }
                    Tok::Sym(")") => break,
                    other => return Err(format!("found '{}', expected: ',' or ')'", other.text())),
                }
            } else if t == Tok::Sym(",") {
                add("", &mut out);
                if *self.peek() == Tok::Sym(")") {
                    break;
                }
            } else if t == Tok::Sym(")") {
                self.i -= 1;
                break;
            } else {
                return Err(format!(
                    "found '{}', expected: ',', or identifier",
                    t.text()
                ));
            }
        }
        let close = self.next();
        if close != Tok::Sym(")") {
            return Err(format!("found '{}', expected: ')'", close.text()));
        }
        out.sort();
        Ok(out)
    }
}

impl Selector {
    /// Parses a selector as the API server does; the error is its message.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut p = SelectorParser {
            toks: lex_selector(text),
            i: 0,
        };
        let mut reqs = Vec::new();
        loop {
            match p.peek().clone() {
                Tok::End => break,
                t if t.as_value().is_some() || t == Tok::Sym("!") => {
                    let r = p
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    match p.next() {
                        Tok::End => break,
                        Tok::Sym(",") => {
                            let t = p.peek();
                            if t.as_value().is_none() && *t != Tok::Sym("!") {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    t.text()
                                ));
                            }
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                other.text()
                            ))
                        }
                    }
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        other.text()
                    ))
                }
            }
        }
        Ok(Selector { reqs })
    }

    /// A selector from `key=value` pairs (a nodeSelector or `matchLabels`).
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector {
            reqs: m
                .iter()
                .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let number = |k: &str| labels.get(k).and_then(|v| v.parse::<i64>().ok());
        self.reqs.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
            Requirement::Greater(k, n) => number(k).is_some_and(|x| x > *n),
            Requirement::Less(k, n) => number(k).is_some_and(|x| x < *n),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        let mut l = BTreeMap::new();
        l.insert("app".to_string(), "busybox".to_string());
        assert!(Selector::parse("app=busybox").expect("valid").matches(&l));
        assert!(!Selector::parse("app!=busybox").expect("valid").matches(&l));
        assert!(Selector::parse("app in (a,busybox)")
            .expect("valid")
            .matches(&l));
        assert!(Selector::parse("!tier,app").expect("valid").matches(&l));
        assert!(!Selector::parse("tier").expect("valid").matches(&l));
        assert!(Selector::parse("app notin ()").expect("valid").matches(&l));
        assert!(Selector::parse("  ").expect("empty").is_empty());
        l.insert("size".into(), "10".into());
        assert!(Selector::parse("size>5,size<11")
            .expect("valid")
            .matches(&l));
    }

    #[test]
    fn malformed_selectors_fail_with_the_api_servers_words() {
        let err = |s: &str| Selector::parse(s).expect_err(s);
        assert_eq!(
            err("!app=web"),
            "found '=', expected: ',' or 'end of string'"
        );
        assert_eq!(
            err("a b"),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(err("app=web,"), "found '', expected: identifier after ','");
        assert_eq!(
            err("=web"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("app in (a"),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            err("app in a"),
            "unable to parse requirement: found 'a' expected: '('"
        );
        assert!(err("a/b/c=x").starts_with("unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of"));
        assert!(err("app=a@b").starts_with("unable to parse requirement: values[0][app]: Invalid value: \"a@b\": a valid label must be"));
        assert_eq!(
            err("size>x"),
            "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"
        );
    }
}
