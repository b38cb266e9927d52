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
        }
    }
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
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

/// A label selector as `kubectl -l` accepts it: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
/// `a in (x,y)`, `a notin (x)`, joined by commas.
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
}

impl Selector {
    /// Parses a selector; the error is kubectl's text after `error: `.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut cur = String::new();
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            }
            cur.push(c);
        }
        parts.push(cur);
        for p in parts {
            let p = p.trim();
            if p.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                return Err("found '', expected: identifier".to_string());
            }
            let req = if let Some(k) = p.strip_prefix('!') {
                Requirement::NotExists(check_key(k.trim())?)
            } else if let Some((k, v)) = p.split_once("!=") {
                Requirement::NotEquals(check_key(k.trim())?, v.trim().to_string())
            } else if let Some((k, v)) = p.split_once("==") {
                Requirement::Equals(check_key(k.trim())?, v.trim().to_string())
            } else if let Some((k, v)) = p.split_once('=') {
                Requirement::Equals(check_key(k.trim())?, v.trim().to_string())
            } else if let Some((k, rest)) = split_word(p, " notin ") {
                Requirement::NotIn(check_key(k)?, set_values(rest)?)
            } else if let Some((k, rest)) = split_word(p, " in ") {
                Requirement::In(check_key(k)?, set_values(rest)?)
            } else {
                Requirement::Exists(check_key(p)?)
            };
            reqs.push(req);
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
        self.reqs.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
        })
    }
}

fn split_word<'a>(p: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    p.split_once(word).map(|(a, b)| (a.trim(), b.trim()))
}

fn set_values(rest: &str) -> Result<Vec<String>, String> {
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("found '{rest}', expected: '('"))?;
    Ok(inner
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

fn check_key(k: &str) -> Result<String, String> {
    if k.is_empty() || k.contains(' ') {
        return Err(format!(
            "unable to parse requirement: found '{k}', expected: identifier"
        ));
    }
    Ok(k.to_string())
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
    }
}
