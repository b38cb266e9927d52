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
                        let res = r
                            .get("resource")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let (kind, name) = res.split_once('.').unwrap_or(("", res));
                        let q = c
                            .resources
                            .limits
                            .get(name)
                            .filter(|_| kind == "limits")
                            .or_else(|| {
                                c.resources
                                    .requests
                                    .get(name)
                                    .filter(|_| kind == "requests")
                            })
                            .and_then(Quantity::from_value);
                        Some(match (name, q) {
                            ("cpu", Some(q)) => q.value().to_string(),
                            (_, Some(q)) => q.value().to_string(),
                            ("cpu", None) => "2".into(),
                            (_, None) => "4100480000".into(),
                        })
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
            let master = s.meta.namespace == "default" && s.meta.name == "kubernetes";
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
