//! Table cells for Services, Endpoints and EndpointSlices, as the server-side printers
//! (`printService`, `printEndpoints`, `printEndpointSlice`) fill them.

use serde_json::Value;

use super::get::{age, Item};
use crate::sim::meta::Kind;
use crate::sim::World;

/// At most this many addresses in an ENDPOINTS cell, then ` + N more...`.
const MAX_SHOWN: usize = 3;

/// At most three entries joined by commas, then ` + N more...`; `empty` when there are none.
pub(crate) fn shorten(list: &[String], total: usize, empty: &str) -> String {
    if total == 0 {
        return empty.to_string();
    }
    let shown = list
        .iter()
        .take(MAX_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(",");
    if total > MAX_SHOWN {
        format!("{shown} + {} more...", total - MAX_SHOWN)
    } else {
        shown
    }
}

/// `k=v,k2=v2`, or `<none>`.
fn selector_text(v: Option<&Value>) -> String {
    let pairs: Vec<String> = v
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    if pairs.is_empty() {
        "<none>".into()
    } else {
        pairs.join(",")
    }
}

/// The PORT(S) cell: `80/TCP`, `80:31234/TCP`, comma-separated.
pub fn ports_text(spec: &Value) -> String {
    let ports: Vec<String> = spec
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(n) if n > 0 => format!("{port}:{n}/{proto}"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect();
    if ports.is_empty() {
        "<none>".into()
    } else {
        ports.join(",")
    }
}

/// The EXTERNAL-IP cell.
pub fn external_ip_text(spec: &Value) -> String {
    let external: Vec<String> = spec
        .get("externalIPs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect();
    match spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
    {
        "LoadBalancer" if external.is_empty() => "<pending>".into(),
        "ExternalName" => spec
            .get("externalName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ if external.is_empty() => "<none>".into(),
        _ => external.join(","),
    }
}

/// The ENDPOINTS cell of an Endpoints object: ready addresses with each port.
pub fn endpoints_text(v: &Value) -> String {
    let mut list = Vec::new();
    let mut total = 0;
    let Some(subsets) = v.get("subsets").and_then(Value::as_array) else {
        return "<none>".into();
    };
    for ss in subsets {
        let addrs: Vec<&str> = ss
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("ip").and_then(Value::as_str))
            .collect();
        let ports: Vec<i64> = ss
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("port").and_then(Value::as_i64))
            .collect();
        if ports.is_empty() {
            total += addrs.len();
            list.extend(addrs.iter().map(|a| a.to_string()));
        } else {
            for port in ports {
                total += addrs.len();
                list.extend(addrs.iter().map(|a| format!("{a}:{port}")));
            }
        }
    }
    shorten(&list, total, "")
}

pub fn row(world: &World, item: &Item<'_>, wide: bool) -> Vec<String> {
    let now = world.now();
    // Endpoints and slices are born with their service.
    let service = item
        .labels
        .get("kubernetes.io/service-name")
        .filter(|_| item.kind == Kind::EndpointSlice)
        .unwrap_or(&item.name);
    let created = world
        .services
        .get(&(item.namespace.clone(), service.clone()))
        .map(|s| s.meta.creation)
        .unwrap_or_default();
    match item.kind {
        Kind::Service => {
            let spec = &item.value["spec"];
            let ip = spec
                .get("clusterIP")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or("<none>");
            let mut row = vec![
                item.name.clone(),
                spec.get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("ClusterIP")
                    .to_string(),
                ip.to_string(),
                external_ip_text(spec),
                ports_text(spec),
                age(now, created),
            ];
            if wide {
                row.push(selector_text(spec.get("selector")));
            }
            row
        }
        Kind::Endpoints => vec![
            item.name.clone(),
            endpoints_text(&item.value),
            age(now, created),
        ],
        _ => {
            let ports: Vec<String> = item
                .value
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    match (
                        p.get("port").and_then(Value::as_i64),
                        p.get("name").and_then(Value::as_str),
                    ) {
                        (Some(n), _) => n.to_string(),
                        (None, Some(name)) => name.to_string(),
                        (None, None) => "*".to_string(),
                    }
                })
                .collect();
            let addrs: Vec<String> = item
                .value
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|e| {
                    e.get("addresses")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str().map(str::to_string))
                })
                .collect();
            vec![
                item.name.clone(),
                item.value["addressType"]
                    .as_str()
                    .unwrap_or("IPv4")
                    .to_string(),
                shorten(&ports, ports.len(), "<unset>"),
                shorten(&addrs, addrs.len(), "<unset>"),
                age(now, created),
            ]
        }
    }
}
