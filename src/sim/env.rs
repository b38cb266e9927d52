//! A container's environment as the kubelet builds it: the image's variables, `envFrom`
//! sources, `env` entries with `$(VAR)` expansion and `valueFrom` references, and the service-link
//! variables. A missing reference is the kubelet's
//! `CreateContainerConfigError` text.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::Value;

use super::images::Image;
use super::kubelet::expand_refs_with;
use super::pod::{Container, Pod};
use super::quantity::Quantity;
use super::world::World;

impl World {
    fn lookup_key(&self, ns: &str, kind: &str, sel: &Value) -> Result<Option<String>, String> {
        let name = sel.get("name").and_then(Value::as_str).unwrap_or_default();
        let key = sel.get("key").and_then(Value::as_str).unwrap_or_default();
        let optional = sel
            .get("optional")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let (obj, label) = if kind == "secret" {
            (self.secret(ns, name), "Secret")
        } else {
            (self.configmap(ns, name), "ConfigMap")
        };
        let Some(obj) = obj else {
            return if optional {
                Ok(None)
            } else {
                Err(format!("{kind} \"{name}\" not found"))
            };
        };
        match obj.data.get(key) {
            Some(v) if kind == "secret" => Ok(Some(
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default(),
            )),
            Some(v) => Ok(Some(v.clone())),
            None if optional => Ok(None),
            None => Err(format!("couldn't find key {key} in {label} {ns}/{name}")),
        }
    }

    /// The environment of container `c` of `pod`, or the config error that stops it starting.
    pub fn container_env(
        &self,
        pod: &Pod,
        c: &Container,
        image: &Image,
        pod_ip: &str,
    ) -> Result<BTreeMap<String, String>, String> {
        let ns = &pod.meta.namespace;
        let mut env: BTreeMap<String, String> = image
            .env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        env.insert("HOSTNAME".into(), pod.meta.name.clone());
        env.insert("HOME".into(), "/root".into());
        let mut own: BTreeMap<String, String> = BTreeMap::new();
        let services = self.service_env(pod);
        for from in &c.env_from {
            let prefix = from
                .get("prefix")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let (src, kind) = match (from.get("configMapRef"), from.get("secretRef")) {
                (Some(s), _) => (s, "configmap"),
                (_, Some(s)) => (s, "secret"),
                _ => continue,
            };
            let name = src.get("name").and_then(Value::as_str).unwrap_or_default();
            let optional = src
                .get("optional")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let obj = if kind == "secret" {
                self.secret(ns, name)
            } else {
                self.configmap(ns, name)
            };
            match obj {
                None if optional => {}
                None => return Err(format!("{kind} \"{name}\" not found")),
                Some(o) => {
                    for (k, v) in &o.data {
                        let v = if kind == "secret" {
                            base64::engine::general_purpose::STANDARD
                                .decode(v)
                                .ok()
                                .and_then(|b| String::from_utf8(b).ok())
                                .unwrap_or_default()
                        } else {
                            v.clone()
                        };
                        own.insert(format!("{prefix}{k}"), v);
                    }
                }
            }
        }
        for e in &c.env {
            let v = match (&e.value, &e.value_from) {
                // `$(NAME)` sees the variables defined before it (own ones over the image's).
                (Some(v), _) => Some(expand_refs_with(v, |name| {
                    own.get(name)
                        .or_else(|| env.get(name))
                        .or_else(|| services.get(name))
                        .map(String::as_str)
                })),
                (None, Some(from)) => {
                    if let Some(path) = from.pointer("/fieldRef/fieldPath").and_then(Value::as_str)
                    {
                        Some(match path {
                            "metadata.name" => pod.meta.name.clone(),
                            "metadata.namespace" => pod.meta.namespace.clone(),
                            "metadata.uid" => pod.meta.uid.clone(),
                            "spec.nodeName" => pod.spec.node_name.clone(),
                            "spec.serviceAccountName" => pod.spec.service_account_name.clone(),
                            "status.podIP" | "status.podIPs" => pod_ip.to_string(),
                            "status.hostIP" | "status.hostIPs" => {
                                pod.status.host_ip.clone().unwrap_or_default()
                            }
                            p => {
                                if let Some(l) = p
                                    .strip_prefix("metadata.labels['")
                                    .and_then(|r| r.strip_suffix("']"))
                                {
                                    pod.meta.labels.get(l).cloned().unwrap_or_default()
                                } else if let Some(a) = p
                                    .strip_prefix("metadata.annotations['")
                                    .and_then(|r| r.strip_suffix("']"))
                                {
                                    pod.meta.annotations.get(a).cloned().unwrap_or_default()
                                } else {
                                    String::new()
                                }
                            }
                        })
                    } else if let Some(sel) = from.get("configMapKeyRef") {
                        self.lookup_key(ns, "configmap", sel)?
                    } else if let Some(sel) = from.get("secretKeyRef") {
                        self.lookup_key(ns, "secret", sel)?
                    } else if let Some(r) = from.get("resourceFieldRef") {
                        Some(resource_field(c, r))
                    } else {
                        Some(String::new())
                    }
                }
                _ => Some(String::new()),
            };
            if let Some(v) = v {
                own.insert(e.name.clone(), v);
            }
        }
        env.extend(own);
        // Service links, for names not already taken.
        for (k, v) in self.service_env(pod) {
            env.entry(k).or_insert(v);
        }
        Ok(env)
    }
}

impl World {
    /// The service-link variables a container gets (`getServiceEnvVarMap`): the `kubernetes`
    /// service always, and with `enableServiceLinks` every service of the pod's namespace that
    /// has a cluster IP.
    pub fn service_env(&self, pod: &Pod) -> BTreeMap<String, String> {
        let links = pod
            .spec_json
            .get("enableServiceLinks")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut out = BTreeMap::new();
        for s in self.services.values() {
            let master = s.is_api_server();
            if !(master || links && s.meta.namespace == pod.meta.namespace) {
                continue;
            }
            let Some(ip) = s.ip() else { continue };
            let prefix = s.meta.name.to_uppercase().replace('-', "_");
            let Some(first) = s.ports.first() else {
                continue;
            };
            out.insert(format!("{prefix}_SERVICE_HOST"), ip.to_string());
            out.insert(format!("{prefix}_SERVICE_PORT"), first.port.to_string());
            for p in &s.ports {
                if !p.name.is_empty() {
                    let pn = p.name.to_uppercase().replace('-', "_");
                    out.insert(format!("{prefix}_SERVICE_PORT_{pn}"), p.port.to_string());
                }
            }
            out.insert(
                format!("{prefix}_PORT"),
                format!("{}://{ip}:{}", first.protocol.to_lowercase(), first.port),
            );
            for p in &s.ports {
                let proto = p.protocol.to_lowercase();
                let base = format!("{prefix}_PORT_{}_{}", p.port, p.protocol.to_uppercase());
                out.insert(base.clone(), format!("{proto}://{ip}:{}", p.port));
                out.insert(format!("{base}_PROTO"), proto);
                out.insert(format!("{base}_PORT"), p.port.to_string());
                out.insert(format!("{base}_ADDR"), ip.to_string());
            }
        }
        out
    }
}

/// A `resourceFieldRef`'s value (the kubelet's `ExtractContainerResourceValue`): the limit
/// (the node's allocatable when unset) or request, divided by `divisor` and rounded up.
pub(crate) fn resource_field(c: &Container, r: &Value) -> String {
    let res = r
        .get("resource")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (kind, name) = res.split_once('.').unwrap_or(("", res));
    let divisor = r
        .get("divisor")
        .and_then(Quantity::from_value)
        .filter(|d| d.milli_value() > 0);
    let q = match kind {
        "limits" => c.resources.limits.get(name),
        _ => c
            .resources
            .requests
            .get(name)
            .or_else(|| c.resources.limits.get(name)),
    }
    .and_then(Quantity::from_value);
    // Millis of the resource: an unset limit is the node's allocatable, an unset request 0.
    let milli: i128 = match (q, kind, name) {
        (Some(q), _, _) => q.milli_value(),
        (None, "limits", "cpu") => 2_000,
        (None, "limits", "memory") => 4_100_480_000_000,
        (None, "limits", _) => 20_953_301_516_000,
        (None, _, _) => 0,
    };
    let div = divisor.map_or(1_000, |d| d.milli_value());
    let v = if name == "cpu" {
        // CPU counts in millicores against the divisor's millicores.
        (milli + div - 1) / div
    } else {
        let bytes = (milli + 999) / 1000;
        let per = (div / 1000).max(1);
        (bytes + per - 1) / per
    };
    v.to_string()
}
