//! Nodes: their identity, addresses, pod subnet, capacity, taints and image cache, and the
//! host-local IP allocator that hands out pod addresses from the node's subnet.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use serde_json::{json, Map, Value};

use super::meta::ObjectMeta;
use super::time::SimTime;

/// A node taint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

impl Taint {
    /// `key=value:Effect`, or `key:Effect` without a value, as `kubectl describe` prints it.
    pub fn text(&self) -> String {
        if self.value.is_empty() {
            format!("{}:{}", self.key, self.effect)
        } else {
            format!("{}={}:{}", self.key, self.value, self.effect)
        }
    }
}

/// A subnet in CIDR form with IPv4 arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub base: Ipv4Addr,
    pub prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, p) = s.split_once('/')?;
        let base: Ipv4Addr = ip.parse().ok()?;
        let prefix: u8 = p.parse().ok()?;
        (prefix <= 32).then_some(Cidr { base, prefix })
    }
    pub fn size(&self) -> u32 {
        1u32.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0)
    }
    pub fn nth(&self, n: u32) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.base).wrapping_add(n))
    }
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let mask = if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        };
        (u32::from(ip) & mask) == (u32::from(self.base) & mask)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

/// host-local IPAM state of one node: the next address after the last one handed out.
#[derive(Clone, Debug, PartialEq)]
pub struct Ipam {
    pub subnet: Cidr,
    pub last: Option<Ipv4Addr>,
    pub in_use: BTreeSet<Ipv4Addr>,
}

impl Ipam {
    pub fn new(subnet: Cidr) -> Ipam {
        Ipam {
            subnet,
            last: None,
            in_use: BTreeSet::new(),
        }
    }

    /// Allocates the next free address: after the last one handed out, wrapping past the end,
    /// never the network, gateway (`.1`) or broadcast address.
    pub fn allocate(&mut self) -> Option<Ipv4Addr> {
        let size = self.subnet.size();
        if size < 4 {
            return None;
        }
        let first = 2u32;
        let last = size - 2;
        let start = match self.last {
            Some(ip) => u32::from(ip).wrapping_sub(u32::from(self.subnet.base)) + 1,
            None => first,
        };
        for k in 0..(last - first + 1) {
            let mut off = start + k;
            if off > last {
                off = first + (off - last - 1) % (last - first + 1);
            }
            let ip = self.subnet.nth(off);
            if !self.in_use.contains(&ip) {
                self.in_use.insert(ip);
                self.last = Some(ip);
                return Some(ip);
            }
        }
        None
    }

    pub fn release(&mut self, ip: Ipv4Addr) {
        self.in_use.remove(&ip);
    }
}

/// A node of the simulated cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub meta: ObjectMeta,
    pub ip: Ipv4Addr,
    pub pod_cidr: Cidr,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    /// Millicores.
    pub cpu_milli: i128,
    /// Bytes.
    pub memory: i128,
    pub max_pods: u32,
    pub ready: bool,
    pub ready_since: SimTime,
    /// Powered off (`podplay node stop`): its kubelet posts nothing and runs nothing.
    pub stopped: bool,
    /// The kernel's boot ID, a UUID.
    pub boot_id: String,
    /// When it was powered off (its last heartbeats are from before then).
    pub stopped_at: Option<SimTime>,
    /// Images present on the node, by full reference (`docker.io/library/busybox:latest`).
    pub images: BTreeSet<String>,
    pub ipam: Ipam,
    /// When an image pull in progress ends (pulls are serialised per node).
    pub pull_busy_until: SimTime,
}

pub const KUBELET_VERSION: &str = "v1.32.5";

impl Node {
    pub fn new(
        name: &str,
        ip: Ipv4Addr,
        pod_cidr: Cidr,
        control_plane: bool,
        created: SimTime,
        uid: String,
    ) -> Node {
        let uid_for_ids = uid.clone();
        let mut labels = BTreeMap::new();
        labels.insert("beta.kubernetes.io/arch".to_string(), "amd64".to_string());
        labels.insert("beta.kubernetes.io/os".to_string(), "linux".to_string());
        labels.insert("kubernetes.io/arch".to_string(), "amd64".to_string());
        labels.insert("kubernetes.io/hostname".to_string(), name.to_string());
        labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
        let mut taints = Vec::new();
        if control_plane {
            labels.insert(
                "node-role.kubernetes.io/control-plane".to_string(),
                String::new(),
            );
            labels.insert(
                "node.kubernetes.io/exclude-from-external-load-balancers".to_string(),
                String::new(),
            );
            taints.push(Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                value: String::new(),
                effect: "NoSchedule".into(),
            });
        }
        let mut annotations = BTreeMap::new();
        annotations.insert(
            "flannel.alpha.coreos.com/backend-type".to_string(),
            "vxlan".to_string(),
        );
        annotations.insert(
            "flannel.alpha.coreos.com/backend-data".to_string(),
            format!(
                "{{\"VNI\":1,\"VtepMAC\":\"{}\"}}",
                derived_mac(&uid_for_ids)
            ),
        );
        annotations.insert(
            "flannel.alpha.coreos.com/kube-subnet-manager".to_string(),
            "true".to_string(),
        );
        annotations.insert(
            "flannel.alpha.coreos.com/public-ip".to_string(),
            ip.to_string(),
        );
        annotations.insert(
            "kubeadm.alpha.kubernetes.io/cri-socket".to_string(),
            "unix:///var/run/containerd/containerd.sock".to_string(),
        );
        annotations.insert("node.alpha.kubernetes.io/ttl".to_string(), "0".to_string());
        annotations.insert(
            "volumes.kubernetes.io/controller-managed-attach-detach".to_string(),
            "true".to_string(),
        );
        let mut images = BTreeSet::new();
        images.insert("registry.k8s.io/pause:3.10".to_string());
        Node {
            meta: ObjectMeta {
                name: name.into(),
                uid,
                creation: created,
                labels,
                annotations,
                ..ObjectMeta::default()
            },
            ip,
            pod_cidr,
            taints,
            unschedulable: false,
            cpu_milli: 2000,
            memory: 4_005_236 * 1024,
            max_pods: 110,
            ready: true,
            ready_since: created,
            stopped: false,
            stopped_at: None,
            boot_id: derived_uuid(&uid_for_ids, "boot"),
            images,
            ipam: Ipam::new(pod_cidr),
            pull_busy_until: SimTime::ZERO,
        }
    }

    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// The last time the kubelet posted node status: at changes, and every 5 minutes otherwise.
    pub fn heartbeat(&self, now: SimTime) -> SimTime {
        let t = self.stopped_at.map_or(now, |s| s.min(now));
        let period = 300_000;
        let posted = self
            .meta
            .creation
            .plus_ms(t.since(self.meta.creation) / period * period);
        let changed = if self.ready {
            self.ready_since
        } else {
            self.meta.creation
        };
        posted.max(changed.min(t))
    }

    /// The last renewal of the node's lease (every 10 seconds while the kubelet runs).
    pub fn lease_renewed(&self, now: SimTime) -> SimTime {
        let t = self.stopped_at.map_or(now, |s| s.min(now));
        SimTime(t.millis() / 10_000 * 10_000)
    }

    pub fn is_control_plane(&self) -> bool {
        self.meta
            .labels
            .contains_key("node-role.kubernetes.io/control-plane")
    }

    /// `ROLES` as kubectl derives it from `node-role.kubernetes.io/*` labels.
    pub fn roles(&self) -> String {
        let roles: Vec<&str> = self
            .meta
            .labels
            .keys()
            .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
            .filter(|r| !r.is_empty())
            .collect();
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        }
    }

    /// Allocatable memory (capacity minus the kubelet's eviction reserve of 100Mi).
    pub fn allocatable_memory(&self) -> i128 {
        self.memory - 100 * 1024 * 1024
    }

    pub fn to_value(&self, now: SimTime) -> Value {
        let mut spec = Map::new();
        spec.insert("podCIDR".into(), json!(self.pod_cidr.to_string()));
        spec.insert("podCIDRs".into(), json!([self.pod_cidr.to_string()]));
        if !self.taints.is_empty() {
            spec.insert(
                "taints".into(),
                Value::Array(
                    self.taints
                        .iter()
                        .map(|t| {
                            let mut m = Map::new();
                            m.insert("effect".into(), json!(t.effect));
                            m.insert("key".into(), json!(t.key));
                            if !t.value.is_empty() {
                                m.insert("value".into(), json!(t.value));
                            }
                            Value::Object(m)
                        })
                        .collect(),
                ),
            );
        }
        if self.unschedulable {
            spec.insert("unschedulable".into(), json!(true));
        }
        let cap_mem = format!("{}Ki", self.memory / 1024);
        let alloc_mem = format!("{}Ki", self.allocatable_memory() / 1024);
        let cpu = (self.cpu_milli / 1000).to_string();
        let hb = self.heartbeat(now);
        // Kubelet-owned conditions: the last heartbeat, and when the status last changed.
        let cond = |t: &str, status: &str, reason: &str, msg: &str, since: SimTime| {
            json!({
                "lastHeartbeatTime": if t == "NetworkUnavailable" { since.rfc3339() } else { hb.rfc3339() },
                "lastTransitionTime": since.rfc3339(),
                "message": msg,
                "reason": reason,
                "status": status,
                "type": t,
            })
        };
        let created = self.meta.creation;
        let unknown = |t: &str| {
            cond(
                t,
                "Unknown",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
                self.ready_since,
            )
        };
        let ready = if self.ready {
            cond(
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                self.ready_since,
            )
        } else {
            unknown("Ready")
        };
        let pressure = |t: &str, reason: &str, msg: &str| {
            if self.ready {
                cond(t, "False", reason, msg, created)
            } else {
                unknown(t)
            }
        };
        let images: Vec<Value> = self
            .images
            .iter()
            .map(|i| json!({"names": [i], "sizeBytes": super::images::Reference::parse(i).and_then(|r| super::images::lookup(&r)).map_or(0, |im| im.size)}))
            .collect();
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": self.meta.to_value(),
            "spec": spec,
            "status": {
                "addresses": [
                    {"address": self.ip.to_string(), "type": "InternalIP"},
                    {"address": self.name(), "type": "Hostname"}
                ],
                "allocatable": {"cpu": cpu, "ephemeral-storage": "47233297124", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": alloc_mem, "pods": self.max_pods.to_string()},
                "capacity": {"cpu": cpu, "ephemeral-storage": "51250724Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": cap_mem, "pods": self.max_pods.to_string()},
                "conditions": [
                    cond("NetworkUnavailable", "False", "FlannelIsUp", "Flannel is running on this node", created),
                    pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    ready
                ],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "images": images,
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": self.boot_id,
                    "containerRuntimeVersion": "containerd://1.7.25",
                    "kernelVersion": "5.15.0-131-generic",
                    "kubeProxyVersion": KUBELET_VERSION,
                    "kubeletVersion": KUBELET_VERSION,
                    "machineID": self.meta.uid.replace('-', ""),
                    "operatingSystem": "linux",
                    "osImage": "Ubuntu 22.04.5 LTS",
                    "systemUUID": self.meta.uid
                }
            }
        })
    }
}

/// A stable hash of a string (FNV-1a), for identifiers derived from a node's uid.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// A UUID derived from a uid and a purpose, so node details stay stable without using the RNG.
fn derived_uuid(uid: &str, what: &str) -> String {
    let a = fnv(&format!("{uid}/{what}/a"));
    let b = fnv(&format!("{uid}/{what}/b"));
    let h = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A locally administered MAC address for the node's VXLAN device.
fn derived_mac(uid: &str) -> String {
    let h = fnv(&format!("{uid}/vtep"));
    let b: Vec<String> = (0..5)
        .map(|i| format!("{:02x}", (h >> (i * 8)) & 0xff))
        .collect();
    format!("2e:{}", b.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_local_allocation() {
        let mut ipam = Ipam::new(Cidr::parse("10.244.1.0/24").expect("valid"));
        let a = ipam.allocate().expect("free");
        let b = ipam.allocate().expect("free");
        let c = ipam.allocate().expect("free");
        assert_eq!(a.to_string(), "10.244.1.2");
        assert_eq!(c.to_string(), "10.244.1.4");
        ipam.release(b);
        assert_eq!(
            ipam.allocate().map(|i| i.to_string()).as_deref(),
            Some("10.244.1.5")
        );
        let mut small = Ipam::new(Cidr::parse("10.0.0.0/30").expect("valid"));
        assert_eq!(
            small.allocate().map(|i| i.to_string()).as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(small.allocate(), None);
    }
}
