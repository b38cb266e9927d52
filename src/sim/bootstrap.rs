//! The pods a kubeadm cluster with flannel already runs when a learner arrives: the control
//! plane's static pods, CoreDNS, kube-proxy and flannel on every node. They are running from the
//! cluster's first instant, with no events, and their names and identifiers come from their own
//! seeded generator so they do not disturb the session's.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::{json, Value};

use super::kubelet::Stage;
use super::meta::Kind;
use super::pod::ContainerState;
use super::time::SimTime;
use super::world::World;

const SUFFIX: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

struct Ids(Pcg64Mcg);

impl Ids {
    fn hex(&mut self, n: usize) -> String {
        let mut s = String::new();
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.0.next_u64()));
        }
        s.truncate(n);
        s
    }
    fn uid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[16..20],
            &h[20..32]
        )
    }
    fn suffix(&mut self) -> String {
        (0..5)
            .map(|_| SUFFIX[(self.0.next_u64() % SUFFIX.len() as u64) as usize] as char)
            .collect()
    }
}

/// Where a running pod's identifiers come from.
trait IdSource {
    fn uid(&mut self) -> String;
    fn hex64(&mut self) -> String;
}

impl IdSource for Ids {
    fn uid(&mut self) -> String {
        Ids::uid(self)
    }
    fn hex64(&mut self) -> String {
        self.hex(64)
    }
}

/// Identifiers drawn beforehand from the session's generator.
struct Drawn {
    uid: Option<String>,
    hexes: Vec<String>,
}

impl IdSource for Drawn {
    fn uid(&mut self) -> String {
        self.uid.take().unwrap_or_default()
    }
    fn hex64(&mut self) -> String {
        self.hexes.pop().unwrap_or_default()
    }
}

fn owner(kind: &str, name: &str, uid: &str) -> Value {
    json!([{"apiVersion": if kind == "Node" { "v1" } else { "apps/v1" }, "blockOwnerDeletion": true, "controller": true, "kind": kind, "name": name, "uid": uid}])
}

impl World {
    /// Adds kube-system's and kube-flannel's pods to a freshly built cluster.
    pub(crate) fn bootstrap_system_pods(&mut self) {
        let mut ids = Ids(Pcg64Mcg::seed_from_u64(self.seed() ^ 0x6b75_6265_6164_6d31));
        if !self.namespaces.contains_key("kube-flannel") {
            // Built with our own identifiers: the session's generator must not move.
            let rv = self.next_rv();
            let mut meta = super::meta::ObjectMeta {
                name: "kube-flannel".into(),
                uid: ids.uid(),
                resource_version: rv,
                ..Default::default()
            };
            meta.labels
                .insert("kubernetes.io/metadata.name".into(), "kube-flannel".into());
            meta.labels.insert(
                "pod-security.kubernetes.io/enforce".into(),
                "privileged".into(),
            );
            self.namespaces.insert(
                "kube-flannel".into(),
                super::world::Namespace {
                    meta,
                    terminating: false,
                },
            );
            let rv = self.next_rv();
            let mut cm = self
                .configmaps
                .get(&("default".to_string(), "kube-root-ca.crt".to_string()))
                .cloned();
            if let Some(c) = cm.as_mut() {
                c.meta.namespace = "kube-flannel".into();
                c.meta.uid = ids.uid();
                c.meta.resource_version = rv;
                self.configmaps.insert(
                    ("kube-flannel".into(), "kube-root-ca.crt".into()),
                    c.clone(),
                );
            }
        }
        let nodes: Vec<(String, bool)> = self
            .nodes
            .values()
            .map(|n| (n.name().to_string(), n.is_control_plane()))
            .collect();
        let cp = nodes.iter().find(|(_, cp)| *cp).map(|(n, _)| n.clone());
        let ds_flannel = ids.uid();
        let ds_proxy = ids.uid();
        let rs_dns = ids.uid();
        let v = "v1.32.5";
        let mut pods: Vec<(String, Value, String)> = Vec::new();
        for (node, _) in &nodes {
            for (ns, obj) in daemon_pods(&mut || ids.suffix(), &ds_flannel, &ds_proxy) {
                pods.push((ns, obj, node.clone()));
            }
        }
        if let Some(cp) = cp {
            for _ in 0..2 {
                let name = format!("coredns-668d6bf9bc-{}", ids.suffix());
                let spec = json!({"priorityClassName": "system-cluster-critical", "serviceAccountName": "coredns", "dnsPolicy": "Default",
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                    "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.3", "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"}, {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}, {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}}}]});
                pods.push(("kube-system".into(), json!({"metadata": {"name": name, "labels": {"k8s-app": "kube-dns", "pod-template-hash": "668d6bf9bc"}, "ownerReferences": owner("ReplicaSet", "coredns-668d6bf9bc", &rs_dns)}, "spec": spec}), cp.clone()));
            }
            let statics = [
                (
                    "etcd",
                    "registry.k8s.io/etcd:3.5.16-0",
                    json!({"cpu": "100m", "memory": "100Mi"}),
                    "etcd",
                ),
                (
                    "kube-apiserver",
                    &*format!("registry.k8s.io/kube-apiserver:{v}"),
                    json!({"cpu": "250m"}),
                    "kube-apiserver",
                ),
                (
                    "kube-controller-manager",
                    &*format!("registry.k8s.io/kube-controller-manager:{v}"),
                    json!({"cpu": "200m"}),
                    "kube-controller-manager",
                ),
                (
                    "kube-scheduler",
                    &*format!("registry.k8s.io/kube-scheduler:{v}"),
                    json!({"cpu": "100m"}),
                    "kube-scheduler",
                ),
            ]
            .map(|(n, i, r, c)| (n.to_string(), i.to_string(), r, c.to_string()));
            let node_uid = self
                .nodes
                .get(&cp)
                .map(|n| n.meta.uid.clone())
                .unwrap_or_default();
            for (component, image, requests, cmd) in statics {
                let spec = json!({"hostNetwork": true, "priorityClassName": "system-node-critical", "priority": 2_000_001_000,
                    "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
                    "containers": [{"name": component, "image": image, "command": [cmd], "resources": {"requests": requests}}]});
                pods.push(("kube-system".into(), json!({"metadata": {"name": format!("{component}-{cp}"), "labels": {"component": component, "tier": "control-plane"}, "ownerReferences": owner("Node", &cp, &node_uid)}, "spec": spec}), cp.clone()));
            }
        }
        for (ns, obj, node) in pods {
            self.add_running_pod(&mut ids, &ns, &obj, &node, SimTime::ZERO);
        }
        if self.services.is_empty() {
            let ids = std::cell::RefCell::new(ids);
            self.bootstrap_services(&mut || ids.borrow_mut().uid(), &mut || {
                ids.borrow_mut().suffix()
            });
        }
    }

    /// The DaemonSet controller's pods for a node that joined: kube-flannel and kube-proxy,
    /// running from the moment the node is added.
    pub(crate) fn start_daemon_pods(&mut self, node: &str) {
        let owner_of = |w: &World, label: &str| -> String {
            w.pods
                .values()
                .find(|p| p.meta.labels.get("k8s-app").map(String::as_str) == Some(label))
                .and_then(|p| p.meta.owner_references.first())
                .and_then(|o| o.get("uid"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (flannel, proxy) = (owner_of(self, "flannel"), owner_of(self, "kube-proxy"));
        if flannel.is_empty() || proxy.is_empty() {
            return;
        }
        let now = self.now();
        let pods = {
            let w = std::cell::RefCell::new(&mut *self);
            daemon_pods(&mut || w.borrow_mut().random_suffix(5), &flannel, &proxy)
        };
        for (ns, obj) in pods {
            let mut ids = Drawn {
                uid: Some(self.new_uid()),
                hexes: (0..3).map(|_| self.random_hex(64)).collect(),
            };
            self.add_running_pod(&mut ids, &ns, &obj, node, now);
        }
    }

    fn add_running_pod(
        &mut self,
        ids: &mut dyn IdSource,
        ns: &str,
        obj: &Value,
        node: &str,
        at: SimTime,
    ) {
        let Ok(mut pod) = self.build_pod(obj, ns, false) else {
            return;
        };
        pod.meta.uid = ids.uid();
        pod.meta.owner_references = obj
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        pod.meta.resource_version = self.next_rv();
        pod.meta.creation = at;
        pod.spec.node_name = node.to_string();
        if let Value::Object(m) = &mut pod.spec_json {
            m.insert("nodeName".into(), json!(node));
            m.entry("priority").or_insert(json!(2_000_001_000));
        }
        let key = (ns.to_string(), pod.meta.name.clone());
        let uid = pod.meta.uid.clone();
        let host_network = pod.spec.host_network;
        let node_ip = self.nodes.get(node).map(|n| n.ip);
        pod.status.start_time = Some(at);
        pod.status.host_ip = node_ip.map(|i| i.to_string());
        pod.status
            .set_condition("PodScheduled", true, None, None, at);
        self.uids.insert(uid.clone(), key.clone());
        self.pods.insert(key.clone(), pod);
        self.kubelet_admit(&uid, node);
        let ip = if host_network {
            node_ip
        } else {
            self.nodes.get_mut(node).and_then(|n| n.ipam.allocate())
        };
        let Some(rt) = self.runtimes.get_mut(&uid) else {
            return;
        };
        rt.stage = Stage::Ready;
        rt.ip = ip;
        for c in rt.containers.iter_mut() {
            c.id = ids.hex64();
            c.created = true;
            c.started_ok = true;
            c.handles_term = true;
            c.main_cmd = c
                .spec
                .command
                .iter()
                .chain(c.spec.args.iter())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            c.state = if c.is_init {
                ContainerState::Terminated {
                    exit_code: 0,
                    signal: None,
                    reason: "Completed".into(),
                    message: None,
                    started_at: at,
                    finished_at: at,
                    container_id: format!("containerd://{}", c.id),
                }
            } else {
                ContainerState::Running { started_at: at }
            };
        }
        self.refresh_status(&uid);
        let _ = Kind::Pod;
    }
}

/// The pods the kube-flannel and kube-proxy DaemonSets run on every node: (namespace, pod).
fn daemon_pods(
    suffix: &mut dyn FnMut() -> String,
    ds_flannel: &str,
    ds_proxy: &str,
) -> Vec<(String, Value)> {
    let tolerate_all = json!([{"operator": "Exists"}]);
    let v = "v1.32.5";
    let spec = json!({
        "hostNetwork": true, "priorityClassName": "system-node-critical", "serviceAccountName": "flannel", "tolerations": tolerate_all,
        "initContainers": [
            {"name": "install-cni-plugin", "image": "ghcr.io/flannel-io/flannel-cni-plugin:v1.6.2-flannel1", "command": ["cp"], "args": ["-f", "/flannel", "/opt/cni/bin/flannel"]},
            {"name": "install-cni", "image": "ghcr.io/flannel-io/flannel:v0.26.4", "command": ["cp"], "args": ["-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"]}
        ],
        "containers": [{"name": "kube-flannel", "image": "ghcr.io/flannel-io/flannel:v0.26.4", "command": ["/opt/bin/flanneld"], "args": ["--ip-masq", "--kube-subnet-mgr"],
            "resources": {"requests": {"cpu": "100m", "memory": "50Mi"}}}]
    });
    let flannel = json!({"metadata": {"name": format!("kube-flannel-ds-{}", suffix()), "labels": {"app": "flannel", "k8s-app": "flannel", "tier": "node", "controller-revision-hash": "7f8c9b5d6c", "pod-template-generation": "1"}, "ownerReferences": owner("DaemonSet", "kube-flannel-ds", ds_flannel)}, "spec": spec});
    let spec = json!({"hostNetwork": true, "priorityClassName": "system-node-critical", "serviceAccountName": "kube-proxy", "tolerations": tolerate_all,
        "containers": [{"name": "kube-proxy", "image": format!("registry.k8s.io/kube-proxy:{v}"), "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"]}]});
    let proxy = json!({"metadata": {"name": format!("kube-proxy-{}", suffix()), "labels": {"k8s-app": "kube-proxy", "controller-revision-hash": "64b9dbc74b", "pod-template-generation": "1"}, "ownerReferences": owner("DaemonSet", "kube-proxy", ds_proxy)}, "spec": spec});
    vec![
        ("kube-flannel".into(), flannel),
        ("kube-system".into(), proxy),
    ]
}
