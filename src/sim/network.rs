//! The network model: flannel (VXLAN or host-gw) over the nodes' LAN, a `cni0` bridge and veth
//! pairs per node, host-local addresses, hostPort DNAT. `trace` answers, hop by hop, where a
//! packet goes and whether it arrives; `wget`, `nc` and `ping` in containers use the same
//! reachability rules.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use super::proxy::Route;
use super::World;

/// One step of a packet's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Where the packet is: `pod/web eth0`, `worker-1 cni0`…
    pub at: String,
    /// What happens there.
    pub what: String,
}

/// Whether the packet arrives, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Refused,
    Unreachable,
}

/// A traced path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub from: String,
    pub to: String,
    pub hops: Vec<Hop>,
    pub outcome: Outcome,
    pub reason: String,
}

#[derive(Clone, Debug)]
struct End {
    label: String,
    ip: Ipv4Addr,
    node: String,
    /// The pod's uid, or None for a node.
    pod: Option<String>,
}

fn veth(uid: &str) -> String {
    let h = uid.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    format!("veth{:08x}", h as u32)
}

impl World {
    fn endpoint(&self, spec: &str) -> Result<End, String> {
        let (ns, name) = spec.split_once('/').unwrap_or(("default", spec));
        if let Some(p) = self.pods.get(&(ns.to_string(), name.to_string())) {
            let ip: Ipv4Addr = p
                .status
                .pod_ip
                .as_deref()
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| format!("pod {ns}/{name} has no IP yet"))?;
            return Ok(End {
                label: format!("pod/{name}"),
                ip,
                node: p.spec.node_name.clone(),
                pod: Some(p.meta.uid.clone()),
            });
        }
        let spec = spec.strip_prefix("node/").unwrap_or(spec);
        if let Some(n) = self.nodes.get(spec) {
            return Ok(End {
                label: format!("node/{spec}"),
                ip: n.ip,
                node: spec.to_string(),
                pod: None,
            });
        }
        if let Ok(ip) = spec.parse::<Ipv4Addr>() {
            let node_ip = self.nodes.values().any(|n| n.ip == ip);
            if let Some(rt) = self
                .runtimes
                .values()
                .find(|rt| rt.ip == Some(ip) && !node_ip)
            {
                return Ok(End {
                    label: format!("pod/{}", rt.key.1),
                    ip,
                    node: rt.node.clone(),
                    pod: Some(rt.uid.clone()),
                });
            }
            if let Some(n) = self.nodes.values().find(|n| n.ip == ip) {
                return Ok(End {
                    label: format!("node/{}", n.name()),
                    ip,
                    node: n.name().to_string(),
                    pod: None,
                });
            }
            let owner = self
                .nodes
                .values()
                .find(|n| n.pod_cidr.contains(ip))
                .map(|n| n.name().to_string())
                .unwrap_or_default();
            return Ok(End {
                label: ip.to_string(),
                ip,
                node: owner,
                pod: None,
            });
        }
        Err(format!("\"{spec}\" is not a pod, a node or an IP address"))
    }

    /// Traces a TCP packet from `src` to `dst` (pods, nodes, services or addresses) on
    /// `port`. A service address, or a node port on a node, goes through kube-proxy's rules:
    /// the trace shows the DNAT to the endpoint the next connection would take.
    pub fn trace(&self, src: &str, dst: &str, port: u16) -> Result<Verdict, String> {
        let s = self.endpoint(src)?;
        let (dst_ip, dst_label) = match self.service_spec(dst) {
            Some(svc) => {
                let ip = svc
                    .ip()
                    .ok_or_else(|| format!("service {}/{} is headless: it has no cluster IP to trace; trace one of its pods", svc.meta.namespace, svc.meta.name))?;
                (ip, format!("service/{}", svc.meta.name))
            }
            None => {
                let d = self.endpoint(dst)?;
                (d.ip, d.label)
            }
        };
        let client = Some(s.ip);
        let route = self.kube_proxy_peek(client, &s.node, dst_ip, port, "TCP");
        let to = format!("{dst_label} ({dst_ip}:{port})");
        let from = format!("{} ({})", s.label, s.ip);
        let node_port = self
            .nodes
            .values()
            .find(|n| n.ip == dst_ip)
            .map(|n| n.name().to_string());
        match route {
            Route::Direct => self
                .trace_direct(src, &dst_ip.to_string(), port)
                .map(|mut v| {
                    if v.to.starts_with(&dst_ip.to_string()) {
                        v.to = to;
                    }
                    v
                }),
            Route::Nat(nat) => {
                let (ep_ip, target) = nat.to;
                let rule = format!(
                    "{}: DNAT {}:{} → {ep_ip}:{target} (endpoint {} of {} ready, {})",
                    nat.chains.join(" → "),
                    nat.from.0,
                    nat.from.1,
                    nat.pick.0,
                    nat.pick.1,
                    nat.service
                );
                let mut hops;
                let rest;
                if let Some(node) = node_port {
                    // To the node first, then its rules, then on from that node (masqueraded).
                    let first = self.trace_direct(src, &dst_ip.to_string(), port)?;
                    hops = first.hops;
                    while hops
                        .last()
                        .is_some_and(|h| !h.at.starts_with(&node) || h.at.ends_with("iptables"))
                    {
                        hops.pop();
                    }
                    let snat = nat
                        .masquerade
                        .map(|m| format!("; SNAT to {m} (masquerade)"))
                        .unwrap_or_default();
                    hops.push(Hop {
                        at: format!("{node} iptables"),
                        what: format!("{rule}{snat}"),
                    });
                    rest =
                        self.trace_direct(&format!("node/{node}"), &ep_ip.to_string(), target)?;
                    hops.extend(rest.hops.into_iter().skip(1));
                } else {
                    rest = self.trace_direct(src, &ep_ip.to_string(), target)?;
                    // DNAT happens on the source node, once the packet reaches the host (the
                    // bridge for a pod, the OUTPUT chain for the node itself).
                    let at = if s.pod.is_some() { 3 } else { 1 };
                    hops = rest.hops;
                    let hairpin = nat
                        .masquerade
                        .map(|m| format!("; hairpin: SNAT to {m}"))
                        .unwrap_or_default();
                    let at = at.min(hops.len());
                    hops.insert(
                        at,
                        Hop {
                            at: format!("{} iptables", s.node),
                            what: format!("{rule}{hairpin}"),
                        },
                    );
                    if s.pod.is_none() {
                        if let Some(h) = hops.get_mut(0) {
                            h.what = format!("{} → {dst_ip}:{port}", s.ip);
                        }
                    }
                    if s.pod.is_some() && at == 3 {
                        // The pod's packet was bound for the service, not the bridge's subnet.
                        if let Some(h) = hops.get_mut(0) {
                            h.what = format!(
                                "{} → {dst_ip}:{port}, default route via {}",
                                s.ip,
                                self.nodes
                                    .get(&s.node)
                                    .map(|n| n.pod_cidr.nth(1).to_string())
                                    .unwrap_or_default()
                            );
                        }
                        if let Some(h) = hops.get_mut(2) {
                            if let Some(i) = h.what.find(": same subnet") {
                                h.what.truncate(i);
                            }
                        }
                    }
                }
                Ok(Verdict {
                    from,
                    to,
                    hops,
                    outcome: rest.outcome,
                    reason: rest.reason,
                })
            }
            Route::Rejected(svc) => {
                let (node, mut hops) =
                    self.hops_to_rules(src, &s, dst_ip, port, node_port.as_deref())?;
                hops.push(Hop { at: format!("{node} iptables"), what: format!("KUBE-SERVICES: {svc} has no endpoints: REJECT --reject-with icmp-port-unreachable") });
                Ok(Verdict { from, to, hops, outcome: Outcome::Refused, reason: format!("service {svc} has no ready endpoints: kube-proxy rejects the connection (connection refused)") })
            }
            Route::Dropped if node_port.is_some() => {
                let (node, mut hops) =
                    self.hops_to_rules(src, &s, dst_ip, port, node_port.as_deref())?;
                hops.push(Hop { at: format!("{node} iptables"), what: format!("KUBE-NODEPORTS: port {port} has no endpoint on {node} (externalTrafficPolicy: Local): DROP") });
                Ok(Verdict { from, to, hops, outcome: Outcome::Unreachable, reason: format!("no pod behind node port {port} runs on {node}: the packet is dropped (the connection times out)") })
            }
            Route::Dropped => {
                let (node, mut hops) = self.hops_to_rules(src, &s, dst_ip, port, None)?;
                hops.push(Hop {
                    at: format!("{node} routing"),
                    what: format!(
                        "no kube-proxy rule for {dst_ip}:{port}: default route via 192.168.1.1"
                    ),
                });
                Ok(Verdict { from, to, hops, outcome: Outcome::Unreachable, reason: format!("{dst_ip}:{port} is not a service port: the packet leaves the cluster and nothing answers (the connection times out)") })
            }
        }
    }

    /// The hops until kube-proxy's rules see a packet bound for `dst_ip:port`: the source
    /// node's host side, or the target node for a node port. Returns that node and the hops.
    fn hops_to_rules(
        &self,
        src: &str,
        s: &End,
        dst_ip: Ipv4Addr,
        port: u16,
        node_port: Option<&str>,
    ) -> Result<(String, Vec<Hop>), String> {
        if let Some(node) = node_port {
            let mut hops = self.trace_direct(src, &dst_ip.to_string(), port)?.hops;
            while hops
                .last()
                .is_some_and(|h| !h.at.starts_with(node) || h.at.ends_with("iptables"))
            {
                hops.pop();
            }
            return Ok((node.to_string(), hops));
        }
        let mut hops = self.trace_direct(src, &s.ip.to_string(), port)?.hops;
        hops.truncate(if s.pod.is_some() { 3 } else { 1 });
        if let Some(h) = hops.get_mut(0) {
            h.what = match s.pod {
                Some(_) => format!(
                    "{} → {dst_ip}:{port}, default route via {}",
                    s.ip,
                    self.nodes
                        .get(&s.node)
                        .map(|n| n.pod_cidr.nth(1).to_string())
                        .unwrap_or_default()
                ),
                None => format!("{} → {dst_ip}:{port}", s.ip),
            };
        }
        if let Some(h) = hops.get_mut(2) {
            if let Some(i) = h.what.find(": same subnet") {
                h.what.truncate(i);
            }
        }
        Ok((s.node.clone(), hops))
    }

    /// A service named `svc/NAME`    /// A service named `svc/NAME`, `service/NAME` or `NAMESPACE/svc/NAME`.
    fn service_spec(&self, spec: &str) -> Option<&super::service::Service> {
        let parts: Vec<&str> = spec.split('/').collect();
        let (ns, name) = match parts.as_slice() {
            ["svc" | "service" | "services", name] => ("default", *name),
            [ns, "svc" | "service" | "services", name] => (*ns, *name),
            _ => return None,
        };
        self.services.get(&(ns.to_string(), name.to_string()))
    }

    /// The path of a packet with no service rules in the way.
    fn trace_direct(&self, src: &str, dst: &str, port: u16) -> Result<Verdict, String> {
        let s = self.endpoint(src)?;
        let mut d = self.endpoint(dst)?;
        let mut hops = Vec::new();
        let hop = |hops: &mut Vec<Hop>, at: String, what: String| hops.push(Hop { at, what });
        let from = format!("{} ({})", s.label, s.ip);
        let to = format!("{} ({}:{port})", d.label, d.ip);
        let sn = self.nodes.get(&s.node).ok_or("the source is on no node")?;
        if let Some(uid) = &s.pod {
            hop(
                &mut hops,
                format!("{} eth0", s.label),
                format!(
                    "{} → {}:{port}, default route via {}",
                    s.ip,
                    d.ip,
                    sn.pod_cidr.nth(1)
                ),
            );
            hop(
                &mut hops,
                format!("{} {}", s.node, veth(uid)),
                "host end of the pod's veth pair".into(),
            );
            hop(
                &mut hops,
                format!("{} cni0", s.node),
                format!("bridge {}/{}", sn.pod_cidr.nth(1), sn.pod_cidr.prefix),
            );
        } else {
            hop(
                &mut hops,
                format!("{} eth0", s.node),
                format!("{} → {}:{port}", s.ip, d.ip),
            );
        }
        // A node address with a hostPort becomes the pod behind it (portmap DNAT).
        if d.pod.is_none() {
            if let Some(n) = self.nodes.values().find(|n| n.ip == d.ip) {
                let mapped = self
                    .runtimes
                    .values()
                    .filter(|rt| rt.node == n.name())
                    .find_map(|rt| {
                        rt.containers
                            .iter()
                            .flat_map(|c| c.spec.ports.iter())
                            .find(|p| p.host_port == i64::from(port))
                            .and_then(|p| {
                                rt.ip.map(|ip| {
                                    (rt.key.1.clone(), rt.uid.clone(), ip, p.container_port)
                                })
                            })
                    });
                if n.name() != s.node {
                    let what = if s.pod.is_some() {
                        format!("route via eth0 to the LAN; source NAT to {} (flannel --ip-masq: leaving the pod network)", sn.ip)
                    } else {
                        "route via eth0 to the LAN".to_string()
                    };
                    hop(&mut hops, format!("{} eth0", s.node), what);
                    hop(
                        &mut hops,
                        format!("{} eth0", n.name()),
                        format!("arrives at {}", n.ip),
                    );
                }
                match mapped {
                    Some((pod, uid, ip, cport)) => {
                        hop(
                            &mut hops,
                            format!("{} iptables", n.name()),
                            format!("CNI-HOSTPORT-DNAT: {}:{port} → {ip}:{cport}", n.ip),
                        );
                        d = End {
                            label: format!("pod/{pod}"),
                            ip,
                            node: n.name().to_string(),
                            pod: Some(uid),
                        };
                        return Ok(self.finish(from, to, hops, &d, cport as u16, true));
                    }
                    None => {
                        let listening = port == 22 || port == 10250;
                        let (outcome, reason) = if listening {
                            (
                                Outcome::Delivered,
                                format!("{} listens on {port}", n.name()),
                            )
                        } else {
                            (Outcome::Refused, format!("nothing listens on {}:{port}: the node answers with a TCP reset (connection refused)", n.ip))
                        };
                        return Ok(Verdict {
                            from,
                            to,
                            hops,
                            outcome,
                            reason,
                        });
                    }
                }
            }
        }
        let Some(dst_node) = self.nodes.get(&d.node) else {
            hop(
                &mut hops,
                format!("{} routing", s.node),
                format!("no route to {}", d.ip),
            );
            return Ok(Verdict {
                from,
                to,
                hops,
                outcome: Outcome::Unreachable,
                reason: format!("{} is outside every node's pod subnet", d.ip),
            });
        };
        if dst_node.name() != s.node {
            // host-gw routes to the other node directly; vxlan wraps the packet in UDP.
            let host_gw = self.network.backend == "host-gw";
            if host_gw {
                hop(
                    &mut hops,
                    format!("{} routing", s.node),
                    format!(
                        "{} via {} dev eth0 (host-gw: the other node is the next hop)",
                        dst_node.pod_cidr, dst_node.ip
                    ),
                );
                hop(
                    &mut hops,
                    format!("{} eth0", s.node),
                    format!("out to the LAN, no encapsulation ({} → {})", s.ip, d.ip),
                );
            } else {
                hop(
                    &mut hops,
                    format!("{} routing", s.node),
                    format!(
                        "{} via {} dev flannel.1 onlink",
                        dst_node.pod_cidr, dst_node.pod_cidr.base
                    ),
                );
                hop(
                    &mut hops,
                    format!("{} flannel.1", s.node),
                    format!(
                        "VXLAN encapsulation, VNI 1, MTU 1450: outer {} → {}, UDP 8472",
                        sn.ip, dst_node.ip
                    ),
                );
                hop(
                    &mut hops,
                    format!("{} eth0", s.node),
                    format!("out to the LAN ({} → {})", sn.ip, dst_node.ip),
                );
            }
            if dst_node.stopped {
                return Ok(Verdict {
                    from,
                    to,
                    hops,
                    outcome: Outcome::Unreachable,
                    reason: format!(
                        "{} is down: nothing answers at {}",
                        dst_node.name(),
                        dst_node.ip
                    ),
                });
            }
            if host_gw {
                hop(
                    &mut hops,
                    format!("{} eth0", dst_node.name()),
                    format!("routes {} to cni0", d.ip),
                );
            } else {
                hop(
                    &mut hops,
                    format!("{} eth0", dst_node.name()),
                    format!("UDP 8472 from {}", sn.ip),
                );
                hop(
                    &mut hops,
                    format!("{} flannel.1", dst_node.name()),
                    "VXLAN decapsulation".into(),
                );
            }
            hop(
                &mut hops,
                format!("{} cni0", dst_node.name()),
                format!("{} dev cni0 (connected)", dst_node.pod_cidr),
            );
        } else if s.pod.is_none() {
            hop(
                &mut hops,
                format!("{} cni0", s.node),
                format!("{} dev cni0 (connected)", sn.pod_cidr),
            );
        } else if let Some(last) = hops.last_mut() {
            last.what
                .push_str(": same subnet, switched at layer 2, no routing");
        }
        Ok(self.finish(from, to, hops, &d, port, false))
    }

    fn finish(
        &self,
        from: String,
        to: String,
        mut hops: Vec<Hop>,
        d: &End,
        port: u16,
        via_host_port: bool,
    ) -> Verdict {
        let Some(uid) = &d.pod else {
            return Verdict { from, to, hops, outcome: Outcome::Unreachable, reason: format!("no pod has the address {}: the bridge gets no answer to ARP (no route to host)", d.ip) };
        };
        let Some(rt) = self.runtimes.get(uid) else {
            return Verdict {
                from,
                to,
                hops,
                outcome: Outcome::Unreachable,
                reason: format!("{} has no running sandbox", d.label),
            };
        };
        hops.push(Hop {
            at: format!("{} {}", d.node, veth(uid)),
            what: "host end of the pod's veth pair".into(),
        });
        hops.push(Hop {
            at: format!("{} eth0", d.label),
            what: format!("{}:{port}", d.ip),
        });
        let server = rt.containers.iter().find(|c| {
            c.running()
                && c.handles_term
                && (port == 80
                    || c.spec
                        .ports
                        .iter()
                        .any(|p| p.container_port == i64::from(port)))
        });
        let _ = via_host_port;
        match server {
            Some(c) => Verdict {
                from,
                to,
                hops,
                outcome: Outcome::Delivered,
                reason: format!("container {} listens on {port}", c.name),
            },
            None => Verdict {
                from,
                to,
                hops,
                outcome: Outcome::Refused,
                reason: format!(
                    "nothing in {} listens on {port}: TCP reset (connection refused)",
                    d.label
                ),
            },
        }
    }
}

impl Verdict {
    /// The trace as `podplay trace` prints it.
    pub fn text(&self) -> String {
        let mut out = format!("trace {} → {}\n", self.from, self.to);
        let width = self
            .hops
            .iter()
            .map(|h| h.at.chars().count())
            .max()
            .unwrap_or(0);
        for (i, h) in self.hops.iter().enumerate() {
            let _ = writeln!(out, "{:>3}  {:<width$}  {}", i + 1, h.at, h.what);
        }
        let word = match self.outcome {
            Outcome::Delivered => "delivered",
            Outcome::Refused => "refused",
            Outcome::Unreachable => "unreachable",
        };
        let _ = writeln!(out, "verdict: {word}: {}", self.reason);
        out
    }
}

impl World {
    /// A node's network as `ip` and flannel show it: subnet.env, interfaces, routes.
    pub fn node_network(&self, name: &str) -> Result<String, String> {
        let n = self
            .nodes
            .get(name)
            .ok_or_else(|| format!("node \"{name}\" not found"))?;
        let vxlan = self.network.backend == "vxlan";
        let mtu = if vxlan { 1450 } else { 1500 };
        let mut out = format!(
            "node {name} ({}), pod subnet {}\n\n/run/flannel/subnet.env:\n",
            n.ip, n.pod_cidr
        );
        let _ = writeln!(
            out,
            "FLANNEL_NETWORK={}\nFLANNEL_SUBNET={}/{}\nFLANNEL_MTU={mtu}\nFLANNEL_IPMASQ=true\n",
            self.network.cidr,
            n.pod_cidr.nth(1),
            n.pod_cidr.prefix
        );
        out.push_str("interfaces:\n");
        let _ = writeln!(out, "  eth0       {}/24  mtu 1500", n.ip);
        if vxlan {
            let _ = writeln!(
                out,
                "  flannel.1  {}/32  mtu 1450  vxlan id 1 local {} dstport 8472",
                n.pod_cidr.base, n.ip
            );
        }
        let pods: Vec<&super::kubelet::PodRuntime> = self
            .runtimes
            .values()
            .filter(|rt| rt.node == name && rt.ip.is_some_and(|ip| ip != n.ip))
            .collect();
        if !pods.is_empty() {
            let _ = writeln!(
                out,
                "  cni0       {}/{}  mtu {mtu}  bridge",
                n.pod_cidr.nth(1),
                n.pod_cidr.prefix
            );
            for rt in &pods {
                let _ = writeln!(
                    out,
                    "  {}  mtu {mtu}  master cni0  (pod {}/{}, {})",
                    veth(&rt.uid),
                    rt.key.0,
                    rt.key.1,
                    rt.ip.map(|i| i.to_string()).unwrap_or_default()
                );
            }
        }
        out.push_str("\nroutes:\n  default via 192.168.1.1 dev eth0\n");
        let mut subnets: Vec<&super::node::Node> = self.nodes.values().collect();
        subnets.sort_by_key(|x| u32::from(x.pod_cidr.base));
        for other in subnets {
            if other.name() == name {
                if !pods.is_empty() {
                    let _ = writeln!(
                        out,
                        "  {} dev cni0 proto kernel scope link src {}",
                        other.pod_cidr,
                        other.pod_cidr.nth(1)
                    );
                }
            } else if vxlan {
                let _ = writeln!(
                    out,
                    "  {} via {} dev flannel.1 onlink",
                    other.pod_cidr, other.pod_cidr.base
                );
            } else {
                let _ = writeln!(out, "  {} via {} dev eth0", other.pod_cidr, other.ip);
            }
        }
        let _ = writeln!(
            out,
            "  192.168.1.0/24 dev eth0 proto kernel scope link src {}",
            n.ip
        );
        Ok(out)
    }
}
