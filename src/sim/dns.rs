//! Cluster DNS: the files the kubelet writes into every container (`/etc/resolv.conf` per
//! `dnsPolicy` and `dnsConfig`, `/etc/hosts`), CoreDNS's records (services, headless endpoints,
//! pod names, reverse lookups) and the resolver a program's `getaddrinfo` runs: the search list
//! and `ndots`, then the nameserver, which answers only while kube-dns has ready endpoints.

use std::net::Ipv4Addr;

use serde_json::Value;

use super::pod::Pod;
use super::proxy::Route;
use super::service::{CLUSTER_DOMAIN, DNS_IP};
use super::world::World;

/// The node's own resolver, which `dnsPolicy: Default` pods inherit.
pub const NODE_NAMESERVER: &str = "192.168.1.1";

/// A container's resolver settings.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ResolvConf {
    pub search: Vec<String>,
    pub nameservers: Vec<String>,
    pub options: Vec<String>,
}

impl ResolvConf {
    /// The file as containerd writes it: search, nameservers, options.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if !self.search.is_empty() {
            s.push_str(&format!("search {}\n", self.search.join(" ")));
        }
        for n in &self.nameservers {
            s.push_str(&format!("nameserver {n}\n"));
        }
        if !self.options.is_empty() {
            s.push_str(&format!("options {}\n", self.options.join(" ")));
        }
        s
    }
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .find_map(|o| o.strip_prefix("ndots:"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1)
    }
}

/// What a client sees of a nameserver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nameserver {
    Answers,
    /// An ICMP port-unreachable comes back (kube-proxy's REJECT).
    Refused,
    /// Nothing comes back.
    Silent,
}

/// A DNS answer for one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A records.
    A(Vec<Ipv4Addr>),
    /// The name exists with no record of that type.
    NoData,
    NxDomain,
    /// A PTR record.
    Ptr(String),
    /// A CNAME (an ExternalName service), with the target's A records when upstream knows it.
    Cname(String, Vec<Ipv4Addr>),
}

/// How a name lookup from inside a container ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(String, Vec<Ipv4Addr>),
    /// Every name tried was NXDOMAIN.
    NotFound,
    /// No nameserver answered.
    TimedOut,
}

/// Well-known names outside the cluster that the upstream resolver answers.
const EXTERNAL: &[(&str, [u8; 4])] = &[
    ("www.baidu.com", [110, 242, 70, 57]),
    ("baidu.com", [110, 242, 74, 102]),
    ("kubernetes.io", [15, 197, 167, 90]),
    ("www.kubernetes.io", [15, 197, 167, 90]),
];

/// The external site at an address, for the web answers of well-known names.
pub fn external_name(ip: Ipv4Addr) -> Option<&'static str> {
    EXTERNAL
        .iter()
        .find(|(_, a)| Ipv4Addr::from(*a) == ip)
        .map(|(n, _)| *n)
}

fn dashed(ip: Ipv4Addr) -> String {
    ip.to_string().replace('.', "-")
}

impl World {
    /// The resolver settings the kubelet gives a pod's containers.
    pub fn resolv_conf(&self, pod: &Pod) -> ResolvConf {
        let node = ResolvConf {
            search: Vec::new(),
            nameservers: vec![NODE_NAMESERVER.into()],
            options: Vec::new(),
        };
        let ns = &pod.meta.namespace;
        let cluster = ResolvConf {
            search: vec![
                format!("{ns}.svc.{CLUSTER_DOMAIN}"),
                format!("svc.{CLUSTER_DOMAIN}"),
                CLUSTER_DOMAIN.to_string(),
            ],
            nameservers: vec![DNS_IP.to_string()],
            options: vec!["ndots:5".into()],
        };
        let policy = if pod.spec.dns_policy.is_empty() {
            "ClusterFirst"
        } else {
            pod.spec.dns_policy.as_str()
        };
        let mut conf = match policy {
            "ClusterFirst" if !pod.spec.host_network => cluster,
            "ClusterFirstWithHostNet" => cluster,
            "None" => ResolvConf::default(),
            _ => node,
        };
        let dns_config = pod.spec_json.get("dnsConfig");
        let strings = |key: &str| -> Vec<String> {
            dns_config
                .and_then(|c| c.get(key))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        for n in strings("nameservers") {
            if !conf.nameservers.contains(&n) {
                conf.nameservers.push(n);
            }
        }
        for s in strings("searches") {
            if !conf.search.contains(&s) {
                conf.search.push(s);
            }
        }
        let options: Vec<(String, Option<String>)> = dns_config
            .and_then(|c| c.get("options"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|o| {
                        let name = o.get("name")?.as_str()?.to_string();
                        Some((
                            name,
                            o.get("value").and_then(Value::as_str).map(str::to_string),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (name, value) in options {
            let text = match value {
                Some(v) => format!("{name}:{v}"),
                None => name.clone(),
            };
            let same = |o: &String| o.split(':').next() == Some(name.as_str());
            match conf.options.iter().position(same) {
                Some(i) => conf.options[i] = text,
                None => conf.options.push(text),
            }
        }
        conf.nameservers.truncate(3);
        conf.search.truncate(32);
        conf
    }

    /// `/etc/hosts` as the kubelet writes it.
    pub fn hosts_file(&self, pod: &Pod, pod_ip: &str) -> String {
        let mut s = String::new();
        if pod.spec.host_network {
            s.push_str("# Kubernetes-managed hosts file (host network).\n");
            s.push_str("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n");
            if let Some(ip) = &pod.status.host_ip {
                s.push_str(&format!("{ip} {}\n", pod.spec.node_name));
            }
        } else {
            s.push_str("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
            let hostname = if pod.spec.hostname.is_empty() {
                &pod.meta.name
            } else {
                &pod.spec.hostname
            };
            if pod.spec.subdomain.is_empty() {
                s.push_str(&format!("{pod_ip}\t{hostname}\n"));
            } else {
                s.push_str(&format!(
                    "{pod_ip}\t{hostname}.{}.{}.svc.{CLUSTER_DOMAIN}\t{hostname}\n",
                    pod.spec.subdomain, pod.meta.namespace
                ));
            }
        }
        let aliases: Vec<&Value> = pod
            .spec_json
            .get("hostAliases")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if !aliases.is_empty() {
            s.push_str("\n# Entries added by HostAliases.\n");
            for a in aliases {
                let ip = a.get("ip").and_then(Value::as_str).unwrap_or_default();
                let names: Vec<&str> = a
                    .get("hostnames")
                    .and_then(Value::as_array)
                    .map(|h| h.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                s.push_str(&format!("{ip}\t{}\n", names.join("\t")));
            }
        }
        s
    }

    /// How a nameserver at `server` treats queries from a client on `node`: kube-dns goes
    /// through kube-proxy to a running CoreDNS; without endpoints kube-proxy rejects them.
    pub fn nameserver_state(
        &self,
        client: Option<Ipv4Addr>,
        node: &str,
        server: Ipv4Addr,
    ) -> Nameserver {
        match self.kube_proxy_peek(client, node, server, 53, "UDP") {
            Route::Nat(nat) => {
                let running = nat
                    .pod
                    .and_then(|(ns, name, _)| self.pods.get(&(ns, name)))
                    .is_some_and(|p| p.status.phase == super::pod::PodPhase::Running);
                if running {
                    Nameserver::Answers
                } else {
                    Nameserver::Silent
                }
            }
            Route::Direct if server.to_string() == NODE_NAMESERVER => Nameserver::Answers,
            Route::Rejected(_) => Nameserver::Refused,
            Route::Direct | Route::Dropped => Nameserver::Silent,
        }
    }

    pub fn nameserver_answers(
        &self,
        client: Option<Ipv4Addr>,
        node: &str,
        server: Ipv4Addr,
    ) -> bool {
        self.nameserver_state(client, node, server) == Nameserver::Answers
    }

    /// CoreDNS's answer to an A (or PTR, for `in-addr.arpa`) question; names outside the
    /// cluster domain go upstream.
    pub fn dns_answer(&self, name: &str) -> Answer {
        self.answer_within(name, 8)
    }

    /// The answer, following at most `hops` CNAMEs (a loop of ExternalName services ends as
    /// NXDOMAIN instead of recursing forever).
    fn answer_within(&self, name: &str, hops: u8) -> Answer {
        let name = name.trim_end_matches('.').to_lowercase();
        if let Some(rev) = name.strip_suffix(".in-addr.arpa") {
            let mut parts: Vec<&str> = rev.split('.').collect();
            parts.reverse();
            let Ok(ip) = parts.join(".").parse::<Ipv4Addr>() else {
                return Answer::NxDomain;
            };
            return self.reverse(ip).map_or(Answer::NxDomain, Answer::Ptr);
        }
        let Some(local) = name.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
            return match EXTERNAL.iter().find(|(n, _)| *n == name) {
                Some((_, a)) => Answer::A(vec![Ipv4Addr::from(*a)]),
                None => Answer::NxDomain,
            };
        };
        let labels: Vec<&str> = local.split('.').collect();
        match labels.as_slice() {
            [svc, ns, "svc"] => {
                let Some(s) = self.services.get(&(ns.to_string(), svc.to_string())) else {
                    return Answer::NxDomain;
                };
                if let Some(ip) = s.ip() {
                    return Answer::A(vec![ip]);
                }
                if let Some(target) = s
                    .external_name
                    .as_ref()
                    .filter(|_| s.type_ == "ExternalName")
                {
                    let target = target.trim_end_matches('.').to_lowercase();
                    let ips = match hops.checked_sub(1).map(|h| self.answer_within(&target, h)) {
                        Some(Answer::A(ips)) | Some(Answer::Cname(_, ips)) => ips,
                        _ => Vec::new(),
                    };
                    return match hops {
                        0 => Answer::NxDomain,
                        _ => Answer::Cname(target, ips),
                    };
                }
                if s.headless() {
                    let ips: Vec<Ipv4Addr> = self
                        .service_endpoints(s)
                        .iter()
                        .filter(|e| e.ready || s.publish_not_ready)
                        .map(|e| e.ip)
                        .collect();
                    return if ips.is_empty() {
                        Answer::NxDomain
                    } else {
                        Answer::A(ips)
                    };
                }
                Answer::NoData
            }
            [host, svc, ns, "svc"] => {
                let Some(s) = self.services.get(&(ns.to_string(), svc.to_string())) else {
                    return Answer::NxDomain;
                };
                if !s.headless() {
                    return Answer::NxDomain;
                }
                let ips: Vec<Ipv4Addr> = self
                    .service_endpoints(s)
                    .iter()
                    .filter(|e| e.ready || s.publish_not_ready)
                    .filter(|e| {
                        e.hostname
                            .as_deref()
                            .map_or(dashed(e.ip) == *host, |h| h == *host)
                    })
                    .map(|e| e.ip)
                    .collect();
                if ips.is_empty() {
                    Answer::NxDomain
                } else {
                    Answer::A(ips)
                }
            }
            [ns, "svc"] | [ns, "pod"] if self.namespaces.contains_key(*ns) => Answer::NoData,
            ["svc"] | ["pod"] => Answer::NoData,
            [ip, ns, "pod"] if self.namespaces.contains_key(*ns) => {
                match ip.replace('-', ".").parse::<Ipv4Addr>() {
                    Ok(a) => Answer::A(vec![a]),
                    Err(_) => Answer::NxDomain,
                }
            }
            _ => Answer::NxDomain,
        }
    }

    /// The PTR name of an address: a service's name, or a pod's name under the first
    /// service that selects it.
    fn reverse(&self, ip: Ipv4Addr) -> Option<String> {
        if let Some(s) = self.service_at(ip) {
            return Some(format!(
                "{}.{}.svc.{CLUSTER_DOMAIN}",
                s.meta.name, s.meta.namespace
            ));
        }
        for s in self.services.values() {
            if let Some(e) = self.service_endpoints(s).into_iter().find(|e| e.ip == ip) {
                let host = e.hostname.clone().unwrap_or_else(|| dashed(ip));
                return Some(format!(
                    "{host}.{}.{}.svc.{CLUSTER_DOMAIN}",
                    s.meta.name, s.meta.namespace
                ));
            }
        }
        None
    }

    /// A program's lookup of `host` (getaddrinfo): the search list when the name has fewer
    /// dots than `ndots`, then the name as written.
    pub fn lookup(
        &self,
        conf: &ResolvConf,
        client: Option<Ipv4Addr>,
        node: &str,
        host: &str,
    ) -> Lookup {
        let up = conf.nameservers.iter().any(|n| {
            n.parse::<Ipv4Addr>()
                .is_ok_and(|ip| self.nameserver_answers(client, node, ip))
        });
        if !up {
            return Lookup::TimedOut;
        }
        let cluster_dns = conf.nameservers.iter().any(|n| *n == DNS_IP.to_string());
        let absolute = host.ends_with('.');
        let bare = host.trim_end_matches('.');
        let mut names = Vec::new();
        let dots = bare.matches('.').count();
        if !absolute && dots < conf.ndots() {
            names.extend(conf.search.iter().map(|d| format!("{bare}.{d}")));
            names.push(bare.to_string());
        } else {
            names.push(bare.to_string());
            if !absolute {
                names.extend(conf.search.iter().map(|d| format!("{bare}.{d}")));
            }
        }
        for n in names {
            // The node's resolver knows nothing of the cluster's names.
            if !cluster_dns && n.ends_with(CLUSTER_DOMAIN) {
                continue;
            }
            match self.dns_answer(&n) {
                Answer::A(ips) => return Lookup::Found(n, ips),
                Answer::Cname(target, ips) if !ips.is_empty() => return Lookup::Found(target, ips),
                _ => {}
            }
        }
        Lookup::NotFound
    }
}
