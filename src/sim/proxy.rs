//! kube-proxy in iptables mode: a connection to a service's cluster IP (or a node port on any
//! node's address) is DNATed to one ready endpoint. iptables picks endpoint i of n with
//! probability 1/(n−i), which is a uniform choice; podplay draws it from the session's seed and
//! the number of connections made so far, so a replay picks the same endpoints.
//! `sessionAffinity: ClientIP` sends a client back to the endpoint it had until the affinity
//! times out.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use sha2::{Digest, Sha256};

use super::node::Cidr;
use super::service::{Service, SERVICE_CIDR};
use super::time::SimTime;
use super::world::World;

/// What kube-proxy remembers between connections: how many it has balanced, and each
/// affinity (service port, client) → (endpoint, last used).
#[derive(Clone, Debug, Default)]
pub struct ProxyState {
    picks: u64,
    affinity: BTreeMap<(String, Ipv4Addr), (Ipv4Addr, SimTime)>,
}

/// The rewrite kube-proxy's rules make to a packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nat {
    /// The node whose rules matched (the client's node).
    pub node: String,
    /// `namespace/name:port-name` of the service port.
    pub service: String,
    /// The chains the packet went through, as `iptables-save` names them.
    pub chains: Vec<String>,
    pub from: (Ipv4Addr, u16),
    pub to: (Ipv4Addr, u16),
    /// Which endpoint, of how many ready ones.
    pub pick: (usize, usize),
    /// The source address after masquerading, when the rules masquerade.
    pub masquerade: Option<Ipv4Addr>,
    /// The pod behind the endpoint (namespace, name, uid).
    pub pod: Option<(String, String, String)>,
}

/// Where kube-proxy's rules send a packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Not a service address: routed as it is.
    Direct,
    /// Rewritten to an endpoint.
    Nat(Nat),
    /// A service port without ready endpoints: rejected (`icmp-port-unreachable`, which the
    /// client sees as "Connection refused").
    Rejected(String),
    /// A cluster IP, but no rule for this port: the packet leaves by the default route and
    /// nothing ever answers.
    Dropped,
}

/// kube-proxy's chain-name hash: SHA-256, base32, 16 characters.
fn chain_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    data_encoding::BASE32.encode(&digest)[..16].to_string()
}

fn port_name(svc: &Service, i: usize) -> String {
    let p = &svc.ports[i];
    if p.name.is_empty() {
        format!("{}/{}", svc.meta.namespace, svc.meta.name)
    } else {
        format!("{}/{}:{}", svc.meta.namespace, svc.meta.name, p.name)
    }
}

impl World {
    /// The service port a packet to `ip:port` matches: by cluster IP, or a node port on a node's
    /// address.
    fn service_port(
        &self,
        ip: Ipv4Addr,
        port: u16,
        proto: &str,
    ) -> Option<(&Service, usize, bool)> {
        let port = i64::from(port);
        if let Some(svc) = self.service_at(ip) {
            return svc
                .ports
                .iter()
                .position(|p| p.port == port && p.protocol == proto)
                .map(|i| (svc, i, false));
        }
        let external = self
            .services
            .values()
            .find(|s| s.external_ips.iter().any(|e| *e == ip.to_string()));
        if let Some(svc) = external {
            return svc
                .ports
                .iter()
                .position(|p| p.port == port && p.protocol == proto)
                .map(|i| (svc, i, false));
        }
        if self.nodes.values().any(|n| n.ip == ip) {
            for svc in self.services.values() {
                if let Some(i) = svc
                    .ports
                    .iter()
                    .position(|p| p.node_port == Some(port) && p.protocol == proto)
                {
                    return Some((svc, i, true));
                }
            }
        }
        None
    }

    /// What kube-proxy on `node` does with a TCP/UDP packet from `client` to `ip:port`: a
    /// connection, which counts for balancing and affinity.
    pub fn kube_proxy(
        &self,
        client: Option<Ipv4Addr>,
        node: &str,
        ip: Ipv4Addr,
        port: u16,
        proto: &str,
    ) -> Route {
        self.proxy_route(client, node, ip, port, proto, true)
    }

    /// The route the next connection would take, without making it (for `podplay trace`).
    pub fn kube_proxy_peek(
        &self,
        client: Option<Ipv4Addr>,
        node: &str,
        ip: Ipv4Addr,
        port: u16,
        proto: &str,
    ) -> Route {
        self.proxy_route(client, node, ip, port, proto, false)
    }

    fn proxy_route(
        &self,
        client: Option<Ipv4Addr>,
        node: &str,
        ip: Ipv4Addr,
        port: u16,
        proto: &str,
        commit: bool,
    ) -> Route {
        let Some((svc, i, node_port)) = self.service_port(ip, port, proto) else {
            let in_range = Cidr::parse(SERVICE_CIDR).is_some_and(|c| c.contains(ip));
            return if in_range {
                Route::Dropped
            } else {
                Route::Direct
            };
        };
        if svc.headless() {
            return Route::Direct;
        }
        let name = port_name(svc, i);
        let proto_l = proto.to_lowercase();
        let eps: Vec<_> = self
            .service_endpoints(svc)
            .into_iter()
            .filter(|e| e.usable())
            .filter_map(|e| e.ports[i].map(|tp| (e, tp)))
            .collect();
        if eps.is_empty() {
            return Route::Rejected(name);
        }
        // externalTrafficPolicy: Local keeps node-port traffic on the receiving node's own
        // endpoints; a node without one drops it.
        let eps = if node_port && svc.external_traffic_policy.as_deref() == Some("Local") {
            let here = self
                .nodes
                .values()
                .find(|n| n.ip == ip)
                .map(|n| n.name().to_string())
                .unwrap_or_default();
            let local: Vec<_> = eps.into_iter().filter(|(e, _)| e.node == here).collect();
            if local.is_empty() {
                return Route::Dropped;
            }
            local
        } else if !node_port && svc.internal_traffic_policy.as_deref() == Some("Local") {
            // internalTrafficPolicy: Local keeps cluster-IP traffic on the client's node.
            let local: Vec<_> = eps.into_iter().filter(|(e, _)| e.node == node).collect();
            if local.is_empty() {
                return Route::Dropped;
            }
            local
        } else {
            eps
        };
        let now = self.now();
        let state = &self.proxy;
        let pick = {
            let mut st = state.borrow_mut();
            let sticky = svc.affinity_timeout.and_then(|t| {
                let c = client?;
                let (ip, at) = *st.affinity.get(&(name.clone(), c))?;
                (now.since(at) <= (t as u64).saturating_mul(1000))
                    .then(|| eps.iter().position(|(e, _)| e.ip == ip))
                    .flatten()
            });
            let k = match sticky {
                Some(k) => k,
                None => {
                    let n = st.picks + 1;
                    if commit {
                        st.picks = n;
                    }
                    let h = splitmix(self.seed() ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                    (h % eps.len() as u64) as usize
                }
            };
            if let (Some(_), Some(c), true) = (svc.affinity_timeout, client, commit) {
                st.affinity.insert((name.clone(), c), (eps[k].0.ip, now));
            }
            k
        };
        let (ep, target) = &eps[pick];
        let svc_chain = format!("KUBE-SVC-{}", chain_hash(&format!("{name}{proto_l}")));
        let sep = format!(
            "KUBE-SEP-{}",
            chain_hash(&format!("{name}{proto_l}{}:{target}", ep.ip))
        );
        let mut chains = vec![if node_port {
            "KUBE-NODEPORTS".to_string()
        } else {
            "KUBE-SERVICES".to_string()
        }];
        if node_port {
            chains.push(format!(
                "KUBE-EXT-{}",
                chain_hash(&format!("{name}{proto_l}"))
            ));
        }
        chains.push(svc_chain);
        chains.push(sep);
        // Node-port traffic is masqueraded (externalTrafficPolicy: Cluster), and so is a pod
        // reaching itself through its own service (hairpin).
        let masquerade = if node_port && svc.external_traffic_policy.as_deref() != Some("Local") {
            // Out of the receiving node's interface towards the endpoint: its bridge when the
            // endpoint is local, else flannel.1 (or eth0 with host-gw).
            self.nodes.values().find(|n| n.ip == ip).map(|n| {
                if n.pod_cidr.contains(ep.ip) {
                    n.pod_cidr.nth(1)
                } else if self.network.backend == "host-gw" {
                    n.ip
                } else {
                    n.pod_cidr.base
                }
            })
        } else if client == Some(ep.ip) {
            self.nodes.get(node).map(|n| n.pod_cidr.nth(1))
        } else {
            None
        };
        Route::Nat(Nat {
            node: node.to_string(),
            service: name,
            chains,
            from: (ip, port),
            to: (ep.ip, u16::try_from(*target).unwrap_or(0)),
            pick: (pick + 1, eps.len()),
            masquerade,
            pod: ep.pod.clone(),
        })
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Shared so that `&World` readers (a shell's `wget`) can advance it.
pub type ProxyCell = RefCell<ProxyState>;
