//! Cluster files: the nodes and the flannel network a session starts with.
//!
//! ```yaml
//! nodes:                      # or `workers: 3` for the default control plane plus N workers
//! - name: control-plane
//!   address: 192.168.1.10
//!   role: control-plane       # adds the role label and the NoSchedule taint
//!   labels: {disk: ssd}
//!   taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
//!   capacity: {cpu: "4", memory: 8Gi, pods: "110"}
//! network:                    # flannel's net-conf.json
//!   Network: 10.244.0.0/16
//!   SubnetLen: 24
//!   Backend: {Type: vxlan}    # or host-gw
//! ```

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::Deserialize;
use serde_json::Value;

use super::node::{Cidr, Node, Taint};
use super::quantity::Quantity;
use super::time::SimTime;
use super::world::World;
use super::yaml::parse_documents;

/// The most nodes a cluster holds (a cluster file, or `podplay node add`).
pub const MAX_NODES: usize = 100;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// The nodes; absent means the default cluster (a control plane and `workers` workers).
    #[serde(default)]
    pub nodes: Option<Vec<NodeSpec>>,
    #[serde(default)]
    pub workers: Option<u32>,
    #[serde(default)]
    pub network: Option<NetConf>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub taints: Vec<TaintSpec>,
    #[serde(default)]
    pub capacity: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TaintSpec {
    pub key: String,
    #[serde(default)]
    pub value: String,
    pub effect: String,
}

/// flannel's `net-conf.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NetConf {
    #[serde(rename = "Network", default = "default_network")]
    pub network: String,
    #[serde(rename = "SubnetLen", default)]
    pub subnet_len: Option<u8>,
    #[serde(rename = "Backend", default)]
    pub backend: Option<Backend>,
    #[serde(rename = "EnableNFTables", default)]
    pub enable_nftables: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Backend {
    #[serde(rename = "Type")]
    pub type_: String,
}

fn default_network() -> String {
    "10.244.0.0/16".into()
}

/// The network settings the engine runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub cidr: Cidr,
    pub subnet_len: u8,
    /// `vxlan` or `host-gw`.
    pub backend: String,
}

impl Default for Network {
    fn default() -> Network {
        Network {
            cidr: Cidr {
                base: Ipv4Addr::new(10, 244, 0, 0),
                prefix: 16,
            },
            subnet_len: 24,
            backend: "vxlan".into(),
        }
    }
}

impl ClusterSpec {
    /// Reads a cluster file; errors name the line and column.
    pub fn parse(text: &str) -> Result<ClusterSpec, String> {
        let docs = parse_documents(text).map_err(|e| e.to_string())?;
        let v = docs
            .into_iter()
            .next()
            .map(|d| d.value)
            .unwrap_or(Value::Null);
        if v.is_null() {
            return Ok(ClusterSpec::default());
        }
        serde_json::from_value(v).map_err(|e| format!("invalid cluster file: {e}"))
    }

    /// The default cluster: a control plane and two workers on 192.168.1.0/24.
    pub fn default_nodes(workers: u32) -> Vec<NodeSpec> {
        let mut v = vec![NodeSpec {
            name: "control-plane".into(),
            role: Some("control-plane".into()),
            ..NodeSpec::default()
        }];
        for i in 1..=workers {
            v.push(NodeSpec {
                name: format!("worker-{i}"),
                ..NodeSpec::default()
            });
        }
        v
    }
}

impl World {
    /// A world built from a cluster file.
    pub fn with_cluster(seed: u64, spec: &ClusterSpec) -> Result<World, String> {
        let mut w = World::empty(seed);
        let net = match &spec.network {
            None => Network::default(),
            Some(n) => {
                let cidr = Cidr::parse(&n.network)
                    .ok_or_else(|| format!("network: invalid Network \"{}\"", n.network))?;
                let subnet_len = n.subnet_len.unwrap_or(if cidr.prefix < 22 {
                    24
                } else {
                    cidr.prefix + 2
                });
                if subnet_len <= cidr.prefix || subnet_len > 30 {
                    return Err(format!(
                        "network: SubnetLen {subnet_len} does not fit in {}",
                        n.network
                    ));
                }
                let backend = n
                    .backend
                    .as_ref()
                    .map_or("vxlan".to_string(), |b| b.type_.clone());
                if backend != "vxlan" && backend != "host-gw" {
                    return Err(format!("network: unsupported Backend.Type \"{backend}\" (podplay knows vxlan and host-gw)"));
                }
                Network {
                    cidr,
                    subnet_len,
                    backend,
                }
            }
        };
        let nodes = match &spec.nodes {
            None => {
                let workers = spec.workers.unwrap_or(2);
                if workers as usize >= MAX_NODES {
                    return Err(format!(
                        "workers: {workers} is too many; the playground's cluster holds at most {MAX_NODES} nodes"
                    ));
                }
                ClusterSpec::default_nodes(workers)
            }
            Some(n) if n.is_empty() => {
                return Err("nodes: a cluster needs at least one node".into())
            }
            Some(n) if n.len() > MAX_NODES => {
                return Err(format!(
                    "nodes: {} nodes; the playground's cluster holds at most {MAX_NODES}",
                    n.len()
                ))
            }
            Some(n) => n.clone(),
        };
        if nodes.len() > 1 << (net.subnet_len - net.cidr.prefix) {
            return Err(format!(
                "network: {} has room for only {} node subnets",
                net.cidr,
                1 << (net.subnet_len - net.cidr.prefix)
            ));
        }
        let mut used = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            if !super::validation::dns1123_subdomain(&n.name).is_empty() {
                return Err(format!("nodes[{i}].name: invalid node name \"{}\"", n.name));
            }
            if w.nodes.contains_key(&n.name) {
                return Err(format!("nodes[{i}].name: duplicate node \"{}\"", n.name));
            }
            let ip = match &n.address {
                Some(a) => a
                    .parse::<Ipv4Addr>()
                    .map_err(|_| format!("nodes[{i}].address: invalid IPv4 address \"{a}\""))?,
                None => (10..250u8)
                    .map(|k| Ipv4Addr::new(192, 168, 1, k))
                    .find(|ip| !used.contains(ip))
                    .ok_or("no free node address")?,
            };
            if used.contains(&ip) {
                return Err(format!("nodes[{i}].address: {ip} is used twice"));
            }
            if net.cidr.contains(ip) {
                return Err(format!(
                    "nodes[{i}].address: {ip} is inside the pod network {}; node and pod addresses must not overlap",
                    net.cidr
                ));
            }
            if !matches!(n.role.as_deref(), None | Some("control-plane" | "worker")) {
                return Err(format!(
                    "nodes[{i}].role: unknown role \"{}\" (control-plane or worker)",
                    n.role.as_deref().unwrap_or_default()
                ));
            }
            used.push(ip);
            // The range allocator hands out subnets in registration order.
            let step = 1u32 << (32 - u32::from(net.subnet_len));
            let base = Ipv4Addr::from(u32::from(net.cidr.base) + step * i as u32);
            let cidr = Cidr {
                base,
                prefix: net.subnet_len,
            };
            let cp = n.role.as_deref() == Some("control-plane");
            let uid = w.new_uid();
            let mut node = Node::new(&n.name, ip, cidr, cp, SimTime::ZERO, uid);
            node.meta.labels.extend(n.labels.clone());
            for t in &n.taints {
                if !matches!(
                    t.effect.as_str(),
                    "NoSchedule" | "PreferNoSchedule" | "NoExecute"
                ) {
                    return Err(format!(
                        "nodes[{i}].taints: unsupported effect \"{}\"",
                        t.effect
                    ));
                }
                node.taints.push(Taint {
                    key: t.key.clone(),
                    value: t.value.clone(),
                    effect: t.effect.clone(),
                });
            }
            for (res, q) in &n.capacity {
                let Some(q) = Quantity::from_value(q) else {
                    return Err(format!("nodes[{i}].capacity.{res}: invalid quantity"));
                };
                if q.is_negative() || q.milli_value() == 0 {
                    return Err(format!(
                        "nodes[{i}].capacity.{res}: must be greater than zero"
                    ));
                }
                match res.as_str() {
                    "cpu" => node.cpu_milli = q.milli_value(),
                    "memory" => node.memory = q.value(),
                    "pods" => node.max_pods = q.value().clamp(1, 10_000) as u32,
                    other => {
                        return Err(format!("nodes[{i}].capacity: unknown resource \"{other}\""))
                    }
                }
            }
            node.meta.resource_version = w.next_rv();
            w.nodes.insert(n.name.clone(), node);
        }
        w.network = net;
        w.bootstrap_system_pods();
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_files() {
        let spec = ClusterSpec::parse(
            "workers: 4\nnetwork:\n  Network: 10.10.0.0/16\n  Backend: {Type: host-gw}\n",
        )
        .expect("valid");
        let w = World::with_cluster(1, &spec).expect("builds");
        assert_eq!(w.nodes.len(), 5);
        assert_eq!(w.nodes["worker-4"].pod_cidr.to_string(), "10.10.4.0/24");
        assert_eq!(w.network.backend, "host-gw");
        assert!(ClusterSpec::parse("nodez: []\n").is_err());
        let bad = ClusterSpec::parse("nodes:\n- name: a\n  address: 1.2.3\n").expect("parses");
        assert!(World::with_cluster(1, &bad)
            .unwrap_err()
            .contains("nodes[0].address"));
        let refused = |text: &str| {
            let spec = ClusterSpec::parse(text).expect("parses");
            World::with_cluster(1, &spec).expect_err(text)
        };
        assert_eq!(
            refused("nodes: []\n"),
            "nodes: a cluster needs at least one node"
        );
        assert!(refused("nodes:\n- name: a\n  capacity: {cpu: -1}\n").contains("greater than zero"));
        assert!(refused("nodes:\n- name: a\n  role: boss\n").contains("unknown role"));
        assert!(refused("nodes:\n- name: a\n  address: 10.244.0.5\n").contains("must not overlap"));
        assert!(refused("workers: 4000000000\n").contains("at most 100 nodes"));
    }
}
