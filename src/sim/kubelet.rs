//! The kubelet: it takes a pod bound to its node, creates the sandbox and its address, pulls
//! images, runs the containers one after another (init containers first), restarts them per the
//! restart policy with back-off, stops them on deletion within the grace period, and reports
//! the pod's status as the real kubelet computes it.
//!
//! Timings (documented in the README): the kubelet acts 200 ms after binding, the sandbox and
//! its IP are ready 800 ms later, a pull takes 500 ms plus 40 ms per MB (one pull at a time per
//! node), and a container starts 50 ms after its image is there.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::event::ObjectRef;
use super::fs::{normalize, Fs, FsError};
use super::images::{self, Image, Reference};
use super::pod::{Container, ContainerState, ContainerStatus, PodPhase};
use super::process::{Dialect, Process, Step, Sys, MEMORY_CAP, STEP_BUDGET};
use super::proxy::Route;
use super::quantity::Quantity;
use super::time::{go_duration, SimTime};
use super::world::{Task, World};

const SANDBOX_MS: u64 = 800;
const START_MS: u64 = 50;
/// How often the kubelet relists containers and notices that one exited.
const PLEG_RELIST_MS: u64 = 1000;
const BACKOFF_INITIAL_MS: u64 = 10_000;
const BACKOFF_MAX_MS: u64 = 300_000;
const BACKOFF_RESET_MS: u64 = 600_000;
/// A busy process gets this much virtual time per step budget.
const SLICE_MS: u64 = 1000;

/// Where the kubelet is with a pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Admitted,
    Synced,
    Ready,
}

/// What a container waits for before it can run.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    None,
    /// A pull in progress: (started, ends).
    Pulling(SimTime, SimTime),
    /// Waiting out a back-off until this time.
    BackOff(SimTime),
}

/// The kubelet's view of one container.
#[derive(Clone, Debug, PartialEq)]
pub struct CRuntime {
    pub name: String,
    pub is_init: bool,
    pub spec: Container,
    pub fs: Fs,
    pub proc: Option<Process>,
    pub incarnation: u32,
    pub log: super::log::ContainerLog,
    pub prev_log: super::log::ContainerLog,
    pub state: ContainerState,
    pub last_state: ContainerState,
    pub restart_count: i32,
    pub id: String,
    pub created: bool,
    pub pulled: Option<&'static Image>,
    pub pending: Pending,
    pub backoff_ms: u64,
    pub backoff_updated: Option<SimTime>,
    pub handles_term: bool,
    pub stopping: bool,
    pub image_failures: u32,
    /// The instance was killed by the kernel for passing its memory limit.
    pub oom: bool,
    /// The main process's command line, as `ps` shows it.
    pub main_cmd: String,
    /// The environment the current instance runs with (also `kubectl exec`'s).
    pub env: BTreeMap<String, String>,
    /// Probe workers: liveness, readiness, startup.
    pub probes: [super::probes::ProbeState; 3],
    /// Whether the startup probe (if any) has passed.
    pub started_ok: bool,
    /// While a failed postStart hook is being handled, the status the kubelet last reported.
    pub shown: Option<(ContainerState, ContainerState, i32)>,
    /// The waiting reason and message to show after this instance exits (`PostStartHookError`).
    pub exit_reason: Option<(String, String)>,
    /// Connections the container's web server has accepted (nginx numbers them in its log).
    pub connections: u64,
}

impl CRuntime {
    /// The exit of the last instance, if it exited: (exit code, finished at).
    pub fn last_exit(&self) -> Option<(i32, SimTime)> {
        match (&self.state, &self.last_state) {
            (
                ContainerState::Terminated {
                    exit_code,
                    finished_at,
                    ..
                },
                _,
            ) => Some((*exit_code, *finished_at)),
            (
                ContainerState::Waiting { .. },
                ContainerState::Terminated {
                    exit_code,
                    finished_at,
                    ..
                },
            ) if self.created => Some((*exit_code, *finished_at)),
            _ => None,
        }
    }

    pub fn running(&self) -> bool {
        matches!(self.state, ContainerState::Running { .. })
    }
    fn finished_ok(&self) -> bool {
        matches!(self.state, ContainerState::Terminated { exit_code: 0, .. })
    }
}

/// The kubelet's state for one pod.
#[derive(Clone, Debug, PartialEq)]
pub struct PodRuntime {
    pub uid: String,
    pub key: (String, String),
    pub node: String,
    pub stage: Stage,
    pub containers: Vec<CRuntime>,
    pub n_init: usize,
    pub volumes: BTreeMap<String, Fs>,
    pub ip: Option<Ipv4Addr>,
    pub terminating: bool,
    pub grace_deadline: Option<SimTime>,
    pub mount_failures: u32,
}

impl PodRuntime {
    /// Indexes of the containers whose process runs.
    pub fn running_containers(&self) -> Vec<usize> {
        self.containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.running())
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether every container has stopped or never started.
    pub fn all_stopped(&self) -> bool {
        self.containers.iter().all(|c| !c.running())
    }
}

/// A container's file system operations, with its volumes mounted.
/// What a web server logs for one request: an error-log text (after the connection number)
/// and the access-log line.
#[derive(Clone, Debug)]
pub(crate) struct LogEntry {
    pub error: Option<String>,
    pub access: String,
}

impl LogEntry {
    /// A connection that carried no request (`nc -z`): counted, not logged.
    fn connection() -> LogEntry {
        LogEntry {
            error: None,
            access: String::new(),
        }
    }
}

/// The container whose web server answered a request, and how the request reached it.
#[derive(Clone, Debug)]
pub(crate) struct Served {
    pub uid: String,
    pub index: usize,
    pub path: String,
    /// The node whose hostPort the request came in through.
    pub via_node: Option<String>,
    /// Apache's common log format rather than nginx's combined one.
    pub httpd: bool,
}

/// The `Server` headers of the catalogue's web servers.
const NGINX_SERVER: &str = "nginx/1.27.4";
const HTTPD_SERVER: &str = "Apache/2.4.63 (Unix)";

/// The space of each filesystem a container writes to: its own writable layer and each volume.
pub const DISK_CAP: usize = 8 * 1024 * 1024;

struct ContainerSys<'a> {
    fs: &'a mut Fs,
    volumes: &'a mut BTreeMap<String, Fs>,
    mounts: Vec<(String, String, bool)>,
    now: SimTime,
    hostname: String,
    world: &'a World,
    /// The node the container runs on (for TTLs).
    node: String,
    /// The main process's command line.
    main: String,
    /// The pod's address, the source of its requests.
    client: Option<Ipv4Addr>,
    /// The pod, this container's index and spec, whether its own web server runs, and the
    /// pod's other containers (before and after it): what `localhost` reaches.
    uid: &'a str,
    index: usize,
    spec: &'a Container,
    own_server: (bool, bool),
    own_httpd: bool,
    /// The container's image, for the programs it ships.
    image: Option<&'static Image>,
    others: (&'a [CRuntime], &'a [CRuntime]),
    /// Access-log lines for web servers this process's requests reached: (pod uid, index, line).
    access: Vec<(String, usize, LogEntry)>,
    /// The `Server` header of the last web server a request reached.
    last_server: &'static str,
}

impl ContainerSys<'_> {
    /// For `localhost` or the pod's own address: the source address the request carries.
    fn local_source(&self, host: &str) -> Option<Ipv4Addr> {
        match host {
            "localhost" | "127.0.0.1" => Some(Ipv4Addr::LOCALHOST),
            _ => host.parse().ok().filter(|ip| Some(*ip) == self.client),
        }
    }
    /// The pod's container listening on `port`, and whether it is Apache httpd.
    fn local_server(&self, port: u16) -> Option<(usize, bool)> {
        let (running, handles_term) = self.own_server;
        let count = self.others.0.len() + 1 + self.others.1.len();
        (0..count).find_map(|j| {
            if j == self.index {
                serves_port(running, handles_term, self.spec, port).then_some((j, self.own_httpd))
            } else {
                let c = self.other(j);
                serves_port(c.running(), c.handles_term, &c.spec, port)
                    .then(|| (j, is_httpd(c.pulled)))
            }
        })
    }
    /// An address for a host name: a literal address, `/etc/hosts`, then DNS.
    fn resolve_host(&self, host: &str) -> Result<Ipv4Addr, ()> {
        if host == "localhost" {
            return Ok(Ipv4Addr::LOCALHOST);
        }
        if let Ok(ip) = host.parse::<Ipv4Addr>() {
            return Ok(ip);
        }
        if let Ok(hosts) = self.read("/etc/hosts") {
            for line in hosts.lines() {
                let line = line.split('#').next().unwrap_or_default();
                let mut words = line.split_whitespace();
                let Some(Ok(ip)) = words.next().map(str::parse::<Ipv4Addr>) else {
                    continue;
                };
                if words.any(|w| w == host) {
                    return Ok(ip);
                }
            }
        }
        match Sys::lookup(self, host) {
            super::dns::Lookup::Found(_, ips) => ips.first().copied().ok_or(()),
            _ => Err(()),
        }
    }
    /// Another container of the pod, by index.
    fn other(&self, j: usize) -> &CRuntime {
        if j < self.index {
            &self.others.0[j]
        } else {
            &self.others.1[j - self.index - 1]
        }
    }
    fn resolve(&self, path: &str) -> Option<(String, String, bool)> {
        self.mounts
            .iter()
            .filter(|(m, _, _)| path == m || path.starts_with(&format!("{m}/")))
            .max_by_key(|(m, _, _)| m.len())
            .map(|(m, v, ro)| (v.clone(), normalize("/", &path[m.len()..]), *ro))
    }
    fn with_fs<R>(&self, path: &str, f: impl FnOnce(&Fs, &str) -> R) -> R {
        match self.resolve(path) {
            Some((v, rel, _)) => match self.volumes.get(&v) {
                Some(fs) => f(fs, &rel),
                None => f(self.fs, path),
            },
            None => f(self.fs, path),
        }
    }
    fn with_fs_mut<R>(
        &mut self,
        path: &str,
        f: impl FnOnce(&mut Fs, &str) -> Result<R, FsError>,
    ) -> Result<R, FsError> {
        match self.resolve(path) {
            Some((_, _, true)) => Err(FsError::ReadOnly),
            Some((v, rel, false)) => match self.volumes.get_mut(&v) {
                Some(fs) => f(fs, &rel),
                None => f(self.fs, path),
            },
            None => f(self.fs, path),
        }
    }
}

impl Sys for ContainerSys<'_> {
    fn now(&self) -> SimTime {
        self.now
    }
    fn memory_limit(&self) -> usize {
        self.spec
            .resources
            .limits
            .get("memory")
            .and_then(Quantity::from_value)
            .map_or(MEMORY_CAP, |q| {
                usize::try_from(q.value().max(0)).map_or(MEMORY_CAP, |b| b.min(MEMORY_CAP))
            })
    }
    fn read(&self, path: &str) -> Result<String, FsError> {
        if path == "/dev/null" {
            return Ok(String::new());
        }
        self.with_fs(path, |fs, p| fs.read(p).map(String::from))
    }
    fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), FsError> {
        if path == "/dev/null" {
            return Ok(());
        }
        self.with_fs_mut(path, |fs, p| {
            // A whole file is rewritten: its old bytes are freed first.
            let freed = if append {
                0
            } else {
                fs.read(p).map_or(0, str::len)
            };
            if fs.size() - freed.min(fs.size()) + content.len() > DISK_CAP {
                return Err(FsError::NoSpace);
            }
            fs.write(p, content, append)
        })
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        self.with_fs_mut(path, |fs, p| {
            if parents {
                fs.mkdir_all(p);
                Ok(())
            } else {
                fs.mkdir(p)
            }
        })
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        self.with_fs_mut(path, |fs, p| fs.remove(p, recursive))
    }
    fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        self.with_fs(path, |fs, p| fs.list(p))
    }
    fn is_dir(&self, path: &str) -> bool {
        self.with_fs(path, |fs, p| fs.is_dir(p))
    }
    fn exists(&self, path: &str) -> bool {
        path == "/dev/null" || self.with_fs(path, |fs, p| fs.get(p).is_some())
    }
    fn hostname(&self) -> String {
        self.hostname.clone()
    }
    fn http_get(&mut self, url: &str, agent: &str) -> Result<(u16, String), String> {
        let (host, port, path) = split_url(url);
        let ip = match self.resolve_host(&host) {
            Ok(ip) => ip,
            Err(_) if port == 80 => return Err(format!("wget: bad address '{host}'")),
            Err(_) => return Err(format!("wget: bad address '{host}:{port}'")),
        };
        // kube-proxy's rules come first: a service address becomes one of its endpoints.
        let (ip, port, masquerade) =
            match self
                .world
                .kube_proxy(self.client, &self.node, ip, port, "TCP")
            {
                Route::Nat(nat) => (nat.to.0, nat.to.1, nat.masquerade),
                Route::Rejected(_) => {
                    return Err(format!(
                        "wget: can't connect to remote host ({ip}): Connection refused"
                    ))
                }
                Route::Dropped => {
                    return Err(format!(
                        "wget: can't connect to remote host ({ip}): Connection timed out"
                    ))
                }
                Route::Direct => (ip, port, None),
            };
        if let Some(source) = self.local_source(&ip.to_string()) {
            let source = masquerade.unwrap_or(source);
            let Some((index, httpd)) = self.local_server(port) else {
                return Err(format!(
                    "wget: can't connect to remote host ({ip}): Connection refused"
                ));
            };
            let (code, body) = if index == self.index {
                serve_path(httpd, self.spec, self.fs, self.volumes, &path)
            } else {
                let c = self.other(index);
                serve_path(httpd, &c.spec, &c.fs, self.volumes, &path)
            };
            self.last_server = if httpd { HTTPD_SERVER } else { NGINX_SERVER };
            let served = Served {
                uid: self.uid.to_string(),
                index,
                path,
                via_node: None,
                httpd,
            };
            let entry = self
                .world
                .access_line(&served, source, agent, code, body.len(), url);
            self.access.push((served.uid, index, entry));
            return Ok((code, body));
        }
        let target = match super::dns::external_name(ip) {
            Some(name) => format!("http://{name}{path}"),
            None => format!("http://{ip}:{port}{path}"),
        };
        let (code, body, served) = self.world.http_serve(&target)?;
        self.last_server = match &served {
            Some(s) if s.httpd => HTTPD_SERVER,
            Some(_) => NGINX_SERVER,
            None => "BWS/1.1",
        };
        if let (Some(served), Some(client)) = (served, self.client) {
            let entry = self.world.access_line(
                &served,
                masquerade.unwrap_or(client),
                agent,
                code,
                body.len(),
                url,
            );
            self.access.push((served.uid, served.index, entry));
        }
        Ok((code, body))
    }
    fn has_program(&self, name: &str) -> bool {
        self.image.is_none_or(|i| !i.lacks.contains(&name))
    }
    fn connect(&mut self, host: &str, port: u16) -> Result<(), String> {
        let ip = self
            .resolve_host(host)
            .map_err(|_| format!("bad address '{host}'"))?;
        let (ip, port) = match self
            .world
            .kube_proxy(self.client, &self.node, ip, port, "TCP")
        {
            Route::Nat(nat) => nat.to,
            Route::Rejected(_) => return Err("Connection refused".into()),
            Route::Dropped => return Err("Connection timed out".into()),
            Route::Direct => (ip, port),
        };
        if self.local_source(&ip.to_string()).is_some() {
            return match self.local_server(port) {
                Some((index, _)) => {
                    self.access
                        .push((self.uid.to_string(), index, LogEntry::connection()));
                    Ok(())
                }
                None => Err("Connection refused".into()),
            };
        }
        // A connection a pod's server accepted still counts for its numbering.
        if let Some((uid, index)) = self.world.tcp_connect(&ip.to_string(), port)? {
            self.access.push((uid, index, LogEntry::connection()));
        }
        Ok(())
    }
    fn ping(&mut self, host: &str) -> Result<(String, u8), String> {
        let ip = self
            .resolve_host(host)
            .map_err(|_| format!("bad address '{host}'"))?;
        if Some(ip) == self.client || ip.is_loopback() {
            return Ok((ip.to_string(), 64));
        }
        self.world.ping_from(&self.node, &ip.to_string())
    }
    fn resolve(&self, host: &str) -> Option<Ipv4Addr> {
        self.resolve_host(host).ok()
    }
    fn last_server(&self) -> String {
        self.last_server.to_string()
    }
    fn net(&self) -> Option<super::coreutils::NetInfo> {
        let ip = self.client?;
        let pod = self.world.pod_by_uid(self.uid)?;
        let node = self.world.nodes.get(&self.node)?;
        let vxlan = self.world.network.backend == "vxlan";
        if pod.spec.host_network {
            return Some(super::coreutils::NetInfo {
                ip,
                prefix: 24,
                gateway: Ipv4Addr::new(192, 168, 1, 1),
                cluster: self.world.network.cidr.to_string(),
                mtu: 1500,
                peer_index: 0,
                host_network: true,
            });
        }
        // The host end's index: after lo, eth0, flannel.1 and cni0, one per pod on the node.
        let index = self
            .world
            .runtimes
            .values()
            .filter(|rt| rt.node == self.node && rt.ip.is_some_and(|i| i != node.ip))
            .filter(|rt| rt.ip.is_some_and(|i| i < ip))
            .count() as u32
            + 5;
        Some(super::coreutils::NetInfo {
            ip,
            prefix: node.pod_cidr.prefix,
            gateway: node.pod_cidr.nth(1),
            cluster: self.world.network.cidr.to_string(),
            mtu: if vxlan { 1450 } else { 1500 },
            peer_index: index,
            host_network: false,
        })
    }
    fn mount_table(&self) -> Vec<super::coreutils::Mount> {
        let Some(pod) = self.world.pod_by_uid(self.uid) else {
            return Vec::new();
        };
        self.mounts
            .iter()
            .map(|(path, vol, ro)| {
                let kind = pod
                    .spec
                    .volumes
                    .iter()
                    .find(|v| &v.name == vol)
                    .map(|v| {
                        if v.secret.is_some() {
                            "secret"
                        } else if v.projected.is_some() {
                            "projected"
                        } else if v.downward_api.is_some() {
                            "downwardAPI"
                        } else if v.config_map.is_some() {
                            "configMap"
                        } else if v.host_path.is_some() {
                            "hostPath"
                        } else {
                            "emptyDir"
                        }
                    })
                    .unwrap_or("emptyDir");
                (path.clone(), kind.to_string(), *ro)
            })
            .collect()
    }
    fn lookup(&self, name: &str) -> super::dns::Lookup {
        match self.world.pod_by_uid(self.uid) {
            Some(p) => {
                let conf = self.world.resolv_conf(p);
                self.world.lookup(&conf, self.client, &self.node, name)
            }
            None => super::dns::Lookup::NotFound,
        }
    }
    fn nameserver(&self) -> (String, super::dns::Nameserver) {
        let conf = self
            .world
            .pod_by_uid(self.uid)
            .map(|p| self.world.resolv_conf(p))
            .unwrap_or_default();
        let server = conf
            .nameservers
            .first()
            .cloned()
            .unwrap_or_else(|| "127.0.0.1".into());
        let state = match server.parse::<Ipv4Addr>() {
            Ok(ip) => self.world.nameserver_state(self.client, &self.node, ip),
            Err(_) => super::dns::Nameserver::Silent,
        };
        (server, state)
    }
    fn server_state(&self, server: &str) -> super::dns::Nameserver {
        match server.parse::<Ipv4Addr>() {
            Ok(ip) => self.world.nameserver_state(self.client, &self.node, ip),
            Err(_) => super::dns::Nameserver::Silent,
        }
    }
    fn search_list(&self) -> Vec<String> {
        self.world
            .pod_by_uid(self.uid)
            .map(|p| self.world.resolv_conf(p).search)
            .unwrap_or_default()
    }
    fn dns_answer(&self, name: &str) -> super::dns::Answer {
        self.world.dns_answer(name)
    }
    fn main_command(&self) -> String {
        self.main.clone()
    }
}

/// Whether a container's web server answers on `port` (servers listen on 80 and their ports).
fn serves_port(running: bool, handles_term: bool, spec: &Container, port: u16) -> bool {
    running
        && handles_term
        && (port == 80
            || spec
                .ports
                .iter()
                .any(|p| p.container_port == i64::from(port)))
}

fn is_httpd(image: Option<&'static Image>) -> bool {
    image.is_some_and(|i| i.repo.ends_with("/httpd"))
}

/// What nginx (or Apache httpd) answers for `path`: the file under its document root, from
/// the container's own files or a volume mounted there, or its 404 page.
fn serve_path(
    httpd: bool,
    spec: &Container,
    fs: &Fs,
    volumes: &BTreeMap<String, Fs>,
    path: &str,
) -> (u16, String) {
    let root = if httpd {
        "/usr/local/apache2/htdocs"
    } else {
        "/usr/share/nginx/html"
    };
    let file = if path.ends_with('/') {
        format!("{root}{path}index.html")
    } else {
        format!("{root}{path}")
    };
    let mounted = spec
        .volume_mounts
        .iter()
        .find(|m| file.starts_with(&format!("{}/", m.mount_path.trim_end_matches('/'))));
    let body = match mounted {
        Some(m) => volumes.get(&m.name).and_then(|v| {
            v.read(&normalize(
                "/",
                &file[m.mount_path.trim_end_matches('/').len()..],
            ))
            .ok()
        }),
        None => fs.read(&file).ok(),
    };
    match (body, httpd) {
        (Some(b), _) => (200, b.to_string()),
        // nginx's built-in error pages end their lines with CRLF (153 bytes).
        (None, false) => (404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n".into()),
        (None, true) => (404, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".into()),
    }
}

fn split_url(url: &str) -> (String, u16, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().unwrap_or(80)),
        None => (hostport, if url.starts_with("https") { 443 } else { 80 }),
    };
    (host.to_string(), port, path.to_string())
}

/// The program a container runs: `command`/`args` against the image's ENTRYPOINT/CMD.
pub fn container_argv(c: &Container, image: &Image) -> Vec<String> {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match (c.command.is_empty(), c.args.is_empty()) {
        (true, true) => own(image.entrypoint)
            .into_iter()
            .chain(own(image.cmd))
            .collect(),
        (false, true) => c.command.clone(),
        (true, false) => own(image.entrypoint)
            .into_iter()
            .chain(c.args.iter().cloned())
            .collect(),
        (false, false) => c.command.iter().chain(c.args.iter()).cloned().collect(),
    }
}

/// Expands `$(VAR)` references as the kubelet does; `$$` is a literal `$`.
pub fn expand_refs(s: &str, env: &BTreeMap<String, String>) -> String {
    expand_refs_with(s, |name| env.get(name).map(String::as_str))
}

/// `expand_refs` with any lookup (the container's own variables first, then the image's).
pub fn expand_refs_with<'a>(s: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    if !s.contains("$") {
        return s.to_string();
    }
    let b: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '$' && i + 1 < b.len() {
            if b[i + 1] == '$' {
                out.push('$');
                i += 2;
                continue;
            }
            if b[i + 1] == '(' {
                if let Some(end) = b[i + 2..].iter().position(|c| *c == ')') {
                    let name: String = b[i + 2..i + 2 + end].iter().collect();
                    match lookup(&name) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&format!("$({name})")),
                    }
                    i += end + 3;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Daemons in the catalogue images: they run until stopped, and these handle SIGTERM.
fn daemon(argv: &[String]) -> Option<bool> {
    let base = |s: &String| s.rsplit('/').next().unwrap_or(s).to_string();
    let names: Vec<String> = argv.iter().map(base).collect();
    let first = names.first()?.as_str();
    match first {
        "docker-entrypoint.sh" => daemon(&argv[1..]).or(Some(true)),
        "nginx" => (!argv
            .iter()
            .any(|a| a == "-s" || a == "-v" || a == "-V" || a == "-t"))
        .then_some(true),
        "httpd-foreground" | "redis-server" => Some(true),
        "pause" => Some(false),
        _ => None,
    }
}

impl World {
    /// The kubelet learns of a pod bound to its node.
    pub(crate) fn kubelet_admit(&mut self, uid: &str, node: &str) {
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let Some(pod) = self.pods.get(&key) else {
            return;
        };
        let n_init = pod.spec.init_containers.len();
        let containers = pod
            .spec
            .init_containers
            .iter()
            .map(|c| (c, true))
            .chain(pod.spec.containers.iter().map(|c| (c, false)))
            .map(|(c, is_init)| CRuntime {
                name: c.name.clone(),
                is_init,
                spec: c.clone(),
                fs: Fs::new(),
                proc: None,
                incarnation: 0,
                log: Default::default(),
                prev_log: Default::default(),
                state: ContainerState::Waiting {
                    reason: if n_init > 0 {
                        "PodInitializing".into()
                    } else {
                        "ContainerCreating".into()
                    },
                    message: None,
                },
                last_state: ContainerState::None,
                restart_count: 0,
                id: String::new(),
                created: false,
                pulled: None,
                pending: Pending::None,
                backoff_ms: 0,
                backoff_updated: None,
                handles_term: false,
                stopping: false,
                image_failures: 0,
                oom: false,
                main_cmd: String::new(),
                env: BTreeMap::new(),
                probes: Default::default(),
                started_ok: false,
                shown: None,
                exit_reason: None,
                connections: 0,
            })
            .collect();
        let volumes = BTreeMap::new();
        let rt = PodRuntime {
            uid: uid.to_string(),
            key,
            node: node.to_string(),
            stage: Stage::Admitted,
            containers,
            n_init,
            volumes,
            ip: None,
            terminating: false,
            grace_deadline: None,
            mount_failures: 0,
        };
        self.runtimes.insert(uid.to_string(), rt);
    }

    fn pod_ref(&self, uid: &str, container: Option<&str>) -> Option<ObjectRef> {
        let rt = self.runtimes.get(uid)?;
        let field_path = container.map(|c| {
            let is_init = rt.containers.iter().any(|x| x.name == c && x.is_init);
            format!(
                "spec.{}{{{c}}}",
                if is_init {
                    "initContainers"
                } else {
                    "containers"
                }
            )
        });
        Some(ObjectRef {
            kind: "Pod",
            namespace: rt.key.0.clone(),
            name: rt.key.1.clone(),
            uid: uid.to_string(),
            field_path,
        })
    }

    /// The `SandboxChanged` event of a pod whose sandbox vanished (a rebooted node).
    pub(crate) fn kubelet_sandbox_changed(&mut self, uid: &str) {
        self.kubelet_event(
            uid,
            None,
            "Normal",
            "SandboxChanged",
            "Pod sandbox changed, it will be killed and re-created.".into(),
        );
    }

    pub(crate) fn kubelet_event(
        &mut self,
        uid: &str,
        container: Option<&str>,
        type_: &'static str,
        reason: &str,
        message: String,
    ) {
        let Some(r) = self.pod_ref(uid, container) else {
            return;
        };
        let host = self.runtimes.get(uid).map(|rt| rt.node.clone());
        self.record_event(r, type_, reason, message, "kubelet", host);
    }

    /// The kubelet's main loop for one pod: do the next thing that can be done.
    pub(crate) fn kubelet_sync(&mut self, uid: &str) {
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        let now = self.now();
        match rt.stage {
            Stage::Admitted => {
                let node_ip = self.nodes.get(&rt.node).map(|n| n.ip.to_string());
                let key = rt.key.clone();
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    rt.stage = Stage::Synced;
                }
                let deadline = self
                    .pods
                    .get(&key)
                    .and_then(|p| p.spec.active_deadline_seconds);
                if let Some(p) = self.pods.get_mut(&key) {
                    p.status.start_time = Some(now);
                    p.status.host_ip = node_ip;
                }
                if let Some(secs) = deadline.filter(|s| *s > 0) {
                    self.schedule(now.plus_secs(secs as u64), Task::Deadline(uid.to_string()));
                }
                self.refresh_status(uid);
                self.schedule(now.plus_ms(SANDBOX_MS), Task::Kubelet(uid.to_string()));
            }
            Stage::Synced => {
                if rt.terminating {
                    return;
                }
                if let Err((vol, msg)) = self.mount_volumes(uid) {
                    let tries = self.runtimes.get_mut(uid).map_or(0, |rt| {
                        rt.mount_failures += 1;
                        rt.mount_failures
                    });
                    self.kubelet_event(
                        uid,
                        None,
                        "Warning",
                        "FailedMount",
                        format!("MountVolume.SetUp failed for volume \"{vol}\" : {msg}"),
                    );
                    let delay = (500u64 << tries.min(8)).min(122_000);
                    self.schedule(now.plus_ms(delay), Task::Kubelet(uid.to_string()));
                    return;
                }
                let Some(rt) = self.runtimes.get(uid) else {
                    return;
                };
                let node = rt.node.clone();
                let host_network = self.pods.get(&rt.key).is_some_and(|p| p.spec.host_network);
                let ip = if host_network {
                    // hostNetwork pods share the node's address and get no sandbox network.
                    self.nodes.get(&node).map(|n| n.ip)
                } else {
                    self.nodes.get_mut(&node).and_then(|n| n.ipam.allocate())
                };
                match ip {
                    Some(ip) => {
                        if let Some(rt) = self.runtimes.get_mut(uid) {
                            rt.ip = Some(ip);
                            rt.stage = Stage::Ready;
                        }
                        // The kubelet writes status at the start of its next sync: the IP
                        // appears together with the started containers.
                        self.schedule(now, Task::Kubelet(uid.to_string()));
                    }
                    None => {
                        let range = self
                            .nodes
                            .get(&node)
                            .map(|n| {
                                format!(
                                    "{}-{}",
                                    n.pod_cidr.nth(1),
                                    n.pod_cidr.nth(n.pod_cidr.size().saturating_sub(2))
                                )
                            })
                            .unwrap_or_default();
                        let id = self.random_hex(64);
                        self.kubelet_event(uid, None, "Warning", "FailedCreatePodSandBox", format!("Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"{id}\": plugin type=\"flannel\" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: {range}"));
                        self.schedule(now.plus_ms(10_000), Task::Kubelet(uid.to_string()));
                    }
                }
            }
            Stage::Ready => self.start_next_container(uid),
        }
    }

    /// Starts (or continues starting) the next container that should run.
    fn start_next_container(&mut self, uid: &str) {
        let now = self.now();
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        if rt.terminating {
            return;
        }
        // Init containers run one at a time; regular containers after all of them succeeded.
        let mut candidates = Vec::new();
        let mut sidecars = Vec::new();
        let mut init_done = true;
        for (i, c) in rt.containers.iter().enumerate().take(rt.n_init) {
            let sidecar = c.spec.restart_policy.as_deref() == Some("Always");
            // A sidecar counts as done once it has started; it keeps running beside the others.
            if c.finished_ok() && !sidecar || sidecar && c.running() && c.started_ok {
                continue;
            }
            if sidecar && c.created {
                // A sidecar that exited is restarted whatever the pod's restart policy.
                sidecars.push(i);
                continue;
            }
            candidates.push(i);
            init_done = false;
            break;
        }
        if init_done {
            candidates.extend(rt.n_init..rt.containers.len());
        }
        candidates.extend(sidecars);
        for i in candidates {
            let rt = &self.runtimes[uid];
            let c = &rt.containers[i];
            if c.running() || c.stopping {
                if c.is_init && c.spec.restart_policy.as_deref() != Some("Always") {
                    return;
                }
                continue;
            }
            match c.pending {
                Pending::Pulling(_, end) if end > now => return,
                Pending::BackOff(until) if until > now => {
                    // After a failed pull the kubelet reports the image back-off.
                    if let ContainerState::Waiting { reason, message } = c.state.clone() {
                        if reason == "ErrImagePull" {
                            let image = c.spec.image.clone();
                            let name = c.name.clone();
                            let err = message.unwrap_or_default();
                            if let Some(rt) = self.runtimes.get_mut(uid) {
                                rt.containers[i].state = ContainerState::Waiting {
                                    reason: "ImagePullBackOff".into(),
                                    message: Some(format!(
                                        "Back-off pulling image \"{image}\": ErrImagePull: {err}"
                                    )),
                                };
                            }
                            self.kubelet_event(
                                uid,
                                Some(&name),
                                "Normal",
                                "BackOff",
                                format!("Back-off pulling image \"{image}\""),
                            );
                            self.kubelet_event(
                                uid,
                                Some(&name),
                                "Warning",
                                "Failed",
                                "Error: ImagePullBackOff".into(),
                            );
                            self.refresh_status(uid);
                            self.schedule(until, Task::Kubelet(uid.to_string()));
                        }
                    }
                    return;
                }
                _ => {}
            }
            let restartable = match c.last_exit() {
                Some(_) if c.spec.restart_policy.as_deref() == Some("Always") => true,
                Some((exit_code, _)) => {
                    let policy = self
                        .pods
                        .get(&rt.key)
                        .map(|p| p.spec.restart_policy.clone())
                        .unwrap_or_default();
                    match policy.as_str() {
                        "Always" => true,
                        "OnFailure" => exit_code != 0,
                        _ => false,
                    }
                }
                _ => true,
            };
            if !restartable {
                continue;
            }
            if !self.prepare_and_start(uid, i) {
                return;
            }
            // One container at a time: come back for the next.
            self.schedule(self.now(), Task::Kubelet(uid.to_string()));
            return;
        }
    }

    /// Pulls the image if needed, then creates and starts container `i`. Returns false while
    /// waiting for something.
    fn prepare_and_start(&mut self, uid: &str, i: usize) -> bool {
        let now = self.now();
        let Some(rt) = self.runtimes.get(uid) else {
            return false;
        };
        let node_name = rt.node.clone();
        let c = &rt.containers[i];
        let name = c.name.clone();
        let image_str = c.spec.image.clone();
        let policy = c.spec.image_pull_policy.clone();
        let pending = c.pending.clone();

        // Back-off after a crash, per the kubelet's restart back-off.
        if let Some((_, finished_at)) = c.last_exit() {
            if !matches!(pending, Pending::BackOff(_)) {
                let expired = c
                    .backoff_updated
                    .is_none_or(|u| finished_at.since(u) > BACKOFF_RESET_MS);
                if !expired {
                    let until = finished_at.plus_ms(c.backoff_ms);
                    if until > now {
                        let pod_name = format!("{}_{}({uid})", rt.key.1, rt.key.0);
                        let msg = format!(
                            "back-off {} restarting failed container={name} pod={pod_name}",
                            go_duration(c.backoff_ms)
                        );
                        let ev = format!(
                            "Back-off restarting failed container {name} in pod {pod_name}"
                        );
                        if let Some(rt) = self.runtimes.get_mut(uid) {
                            let c = &mut rt.containers[i];
                            c.pending = Pending::BackOff(until);
                            if matches!(c.state, ContainerState::Terminated { .. }) {
                                c.last_state = c.state.clone();
                            }
                            c.state = ContainerState::Waiting {
                                reason: "CrashLoopBackOff".into(),
                                message: Some(msg),
                            };
                        }
                        self.kubelet_event(uid, Some(&name), "Warning", "BackOff", ev);
                        self.refresh_status(uid);
                        self.schedule(until, Task::Kubelet(uid.to_string()));
                        return false;
                    }
                }
            }
        }

        // The image.
        let Some(reference) = Reference::parse(&image_str) else {
            let msg = format!("Failed to apply default image tag \"{image_str}\": couldn't parse image name \"{image_str}\": invalid reference format");
            if let Some(rt) = self.runtimes.get_mut(uid) {
                rt.containers[i].state = ContainerState::Waiting {
                    reason: "InvalidImageName".into(),
                    message: Some(msg.clone()),
                };
            }
            self.kubelet_event(uid, Some(&name), "Warning", "InspectFailed", msg);
            self.kubelet_event(
                uid,
                Some(&name),
                "Warning",
                "Failed",
                "Error: InvalidImageName".into(),
            );
            self.refresh_status(uid);
            return false;
        };
        let full = reference.full();
        let present = self
            .nodes
            .get(&node_name)
            .is_some_and(|n| n.images.contains(&full));
        let catalogued = images::lookup(&reference);
        match pending {
            Pending::Pulling(started, end) if end <= now => {
                if let Some(img) = catalogued {
                    let dur = img.size / 25_000 + 500;
                    let waited = end.since(started);
                    self.kubelet_event(uid, Some(&name), "Normal", "Pulled", format!(
                        "Successfully pulled image \"{image_str}\" in {} ({} including waiting). Image size: {} bytes.",
                        go_duration(dur.min(waited)), go_duration(waited), img.size
                    ));
                    if let Some(n) = self.nodes.get_mut(&node_name) {
                        n.images.insert(full.clone());
                    }
                    if let Some(rt) = self.runtimes.get_mut(uid) {
                        rt.containers[i].pending = Pending::None;
                        rt.containers[i].pulled = Some(img);
                    }
                } else {
                    // A known repository without that tag is NotFound; an unknown repository is
                    // an authorization failure, whose gRPC prefix the kubelet strips.
                    let repo_known = images::CATALOGUE
                        .iter()
                        .any(|img| img.repo == reference.repo);
                    let msg = if repo_known {
                        format!("rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found")
                    } else {
                        format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
                    };
                    self.kubelet_event(
                        uid,
                        Some(&name),
                        "Warning",
                        "Failed",
                        format!("Failed to pull image \"{image_str}\": {msg}"),
                    );
                    self.kubelet_event(
                        uid,
                        Some(&name),
                        "Warning",
                        "Failed",
                        "Error: ErrImagePull".into(),
                    );
                    let failures = self
                        .runtimes
                        .get(uid)
                        .map_or(0, |rt| rt.containers[i].image_failures);
                    let backoff = (BACKOFF_INITIAL_MS << failures.min(5)).min(BACKOFF_MAX_MS);
                    if let Some(rt) = self.runtimes.get_mut(uid) {
                        let c = &mut rt.containers[i];
                        c.image_failures += 1;
                        c.state = ContainerState::Waiting {
                            reason: "ErrImagePull".into(),
                            message: Some(msg.clone()),
                        };
                        c.pending = Pending::BackOff(now.plus_ms(backoff));
                    }
                    self.refresh_status(uid);
                    // Shortly after, the kubelet reports the back-off.
                    let after = now.plus_ms(1000);
                    self.schedule(after, Task::Kubelet(uid.to_string()));
                    self.pending_image_backoff(uid, i, image_str.clone(), msg, after);
                    return false;
                }
            }
            Pending::Pulling(..) => return false,
            _ => {
                let needs_pull = match policy.as_str() {
                    "Never" => {
                        if !present {
                            let msg = format!("Container image \"{image_str}\" is not present with pull policy of Never");
                            if let Some(rt) = self.runtimes.get_mut(uid) {
                                rt.containers[i].state = ContainerState::Waiting {
                                    reason: "ErrImageNeverPull".into(),
                                    message: Some(msg.clone()),
                                };
                            }
                            self.kubelet_event(
                                uid,
                                Some(&name),
                                "Warning",
                                "ErrImageNeverPull",
                                msg,
                            );
                            self.kubelet_event(
                                uid,
                                Some(&name),
                                "Warning",
                                "Failed",
                                "Error: ErrImageNeverPull".into(),
                            );
                            self.refresh_status(uid);
                            self.schedule(now.plus_ms(10_000), Task::Kubelet(uid.to_string()));
                            return false;
                        }
                        false
                    }
                    "IfNotPresent" => !present,
                    _ => true,
                };
                if needs_pull {
                    let size = catalogued.map_or(0, |img| img.size);
                    let dur = if catalogued.is_none() {
                        1200
                    } else if present {
                        300 + size / 2_000_000
                    } else {
                        size / 25_000 + 500
                    };
                    let start = self
                        .nodes
                        .get(&node_name)
                        .map_or(now, |n| n.pull_busy_until.max(now));
                    let end = start.plus_ms(dur);
                    if let Some(n) = self.nodes.get_mut(&node_name) {
                        n.pull_busy_until = end;
                    }
                    if let Some(rt) = self.runtimes.get_mut(uid) {
                        rt.containers[i].pending = Pending::Pulling(now, end);
                    }
                    self.kubelet_event(
                        uid,
                        Some(&name),
                        "Normal",
                        "Pulling",
                        format!("Pulling image \"{image_str}\""),
                    );
                    self.schedule(end, Task::Kubelet(uid.to_string()));
                    return false;
                }
                self.kubelet_event(
                    uid,
                    Some(&name),
                    "Normal",
                    "Pulled",
                    format!("Container image \"{image_str}\" already present on machine"),
                );
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    rt.containers[i].pulled = catalogued;
                }
            }
        }
        let Some(image) = self
            .runtimes
            .get(uid)
            .and_then(|rt| rt.containers[i].pulled)
        else {
            return false;
        };
        self.create_and_start(uid, i, image)
    }

    fn pending_image_backoff(
        &mut self,
        uid: &str,
        i: usize,
        image: String,
        err: String,
        at: SimTime,
    ) {
        // Recorded lazily by the next sync: the state shown after a failed pull.
        let _ = at;
        if let Some(rt) = self.runtimes.get_mut(uid) {
            rt.containers[i].spec.image = image;
            let _ = err;
        }
    }

    fn create_and_start(&mut self, uid: &str, i: usize, image: &'static Image) -> bool {
        let now = self.now().plus_ms(START_MS);
        let id = self.random_hex(64);
        let Some(key) = self.runtimes.get(uid).map(|rt| rt.key.clone()) else {
            return false;
        };
        let Some(pod) = self.pods.get(&key).cloned() else {
            return false;
        };
        let pod_ip = self
            .runtimes
            .get(uid)
            .and_then(|rt| rt.ip)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let Some(spec) = self
            .runtimes
            .get(uid)
            .map(|rt| rt.containers[i].spec.clone())
        else {
            return false;
        };
        let env = match self.container_env(&pod, &spec, image, &pod_ip) {
            Ok(env) => env,
            Err(msg) => {
                let name = spec.name.clone();
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    let c = &mut rt.containers[i];
                    c.state = ContainerState::Waiting {
                        reason: "CreateContainerConfigError".into(),
                        message: Some(msg.clone()),
                    };
                    c.pending = Pending::BackOff(now.plus_ms(10_000));
                }
                self.kubelet_event(
                    uid,
                    Some(&name),
                    "Warning",
                    "Failed",
                    format!("Error: {msg}"),
                );
                self.refresh_status(uid);
                self.schedule(now.plus_ms(10_000), Task::Kubelet(uid.to_string()));
                return false;
            }
        };
        let hosts = self.hosts_file(&pod, &pod_ip);
        let resolv = self.resolv_conf(&pod).text();
        let Some(rt) = self.runtimes.get_mut(uid) else {
            return false;
        };
        // Ports already bound in the pod's network namespace by the other containers.
        let bound: Vec<u16> = rt
            .containers
            .iter()
            .enumerate()
            .filter(|(j, x)| *j != i && x.running() && x.handles_term)
            .filter_map(|(_, x)| x.pulled.and_then(daemon_port))
            .collect();
        let c = &mut rt.containers[i];
        c.env = env.clone();
        let name = c.name.clone();
        let restarting = c.created;
        let before = (c.state.clone(), c.last_state.clone(), c.restart_count);
        let argv: Vec<String> = container_argv(&c.spec, image)
            .iter()
            .map(|a| expand_refs(a, &env))
            .collect();
        c.main_cmd = argv.join(" ");
        let cwd = if c.spec.working_dir.is_empty() {
            image.workdir.to_string()
        } else {
            c.spec.working_dir.clone()
        };
        // A fresh writable layer from the image, with mount points.
        let mut fs = Fs::with(image.dirs, image.files);
        let host_name = if pod.spec.host_network {
            pod.spec.node_name.clone()
        } else if pod.spec.hostname.is_empty() {
            pod.meta.name.clone()
        } else {
            pod.spec.hostname.clone()
        };
        let _ = fs.write("/etc/hostname", &format!("{host_name}\n"), false);
        let _ = fs.write("/etc/hosts", &hosts, false);
        let _ = fs.write("/etc/resolv.conf", &resolv, false);
        fs.mkdir_all(&cwd);
        // The kubelet mounts an empty termination-message file into every container.
        let message_path = if c.spec.termination_message_path.is_empty() {
            "/dev/termination-log".to_string()
        } else {
            normalize("/", &c.spec.termination_message_path)
        };
        if let Some((dir, _)) = message_path.rsplit_once('/') {
            fs.mkdir_all(if dir.is_empty() { "/" } else { dir });
        }
        let _ = fs.write(&message_path, "", false);
        for m in &c.spec.volume_mounts {
            fs.mkdir_all(&m.mount_path);
        }
        c.fs = fs;
        c.id = id.clone();
        c.created = true;
        c.incarnation += 1;
        if restarting {
            c.restart_count += 1;
            c.prev_log = std::mem::take(&mut c.log);
            c.connections = 0;
            if let ContainerState::Terminated { .. } = c.state {
                c.last_state = c.state.clone();
            }
            let expired = c
                .backoff_updated
                .is_none_or(|u| now.since(u) > BACKOFF_RESET_MS);
            c.backoff_ms = if expired || c.backoff_ms == 0 {
                BACKOFF_INITIAL_MS
            } else {
                (c.backoff_ms * 2).min(BACKOFF_MAX_MS)
            };
            c.backoff_updated = Some(now);
        }
        c.pending = Pending::None;
        c.state = ContainerState::Running { started_at: now };
        c.stopping = false;
        // `sh` is dash on the Debian-based images, busybox's ash elsewhere.
        let dialect = if image.bash {
            Dialect::Dash
        } else {
            Dialect::Busybox
        };
        let (proc, handles_term) = match argv.first().map(String::as_str) {
            None => (Err("no command specified".to_string()), false),
            Some(first) => {
                let base = first.rsplit('/').next().unwrap_or(first);
                if matches!(base, "sh" | "bash" | "ash")
                    && argv
                        .iter()
                        .skip(1)
                        .any(|a| a == "-c" || a == "-ec" || a == "-ce")
                {
                    let pos = argv
                        .iter()
                        .position(|a| a == "-c" || a == "-ec" || a == "-ce")
                        .unwrap_or(1);
                    let mut rest = argv[pos + 1..].to_vec();
                    if rest.first().map(String::as_str) == Some("--") {
                        rest.remove(0);
                    }
                    let script = rest.first().cloned().unwrap_or_default();
                    let params: Vec<String> = rest.into_iter().skip(1).collect();
                    let d = if base == "bash" {
                        Dialect::Bash
                    } else {
                        dialect
                    };
                    (Process::shell(&script, params, env.clone(), &cwd, d), false)
                } else if argv
                    .first()
                    .is_some_and(|a| a.rsplit('/').next() == Some("stress"))
                {
                    c.oom = false;
                    (Ok(stress_process(&argv, &c.spec, env.clone(), &cwd)), false)
                } else if let Some(term) = daemon(&argv) {
                    match daemon_port(image).filter(|p| bound.contains(p)) {
                        // The port is taken by another container of the pod: the server cannot bind.
                        Some(port) => (
                            Process::shell(
                                &bind_failure(image, port),
                                Vec::new(),
                                env.clone(),
                                &cwd,
                                dialect,
                            ),
                            false,
                        ),
                        None => (
                            Process::shell(
                                "tail -f /dev/null",
                                Vec::new(),
                                env.clone(),
                                &cwd,
                                dialect,
                            ),
                            term,
                        ),
                    }
                } else if matches!(base, "sh" | "bash" | "ash") && argv.len() == 1 {
                    // A shell waits for input when it has a stdin (`kubectl run -it`); without one
                    // it reads end-of-file and exits.
                    let script = if c.spec.stdin {
                        "tail -f /dev/null"
                    } else {
                        "exit 0"
                    };
                    (
                        Process::shell(script, Vec::new(), env.clone(), &cwd, dialect),
                        false,
                    )
                } else {
                    (Ok(Process::exec(&argv, env.clone(), &cwd)), false)
                }
            }
        };
        c.handles_term = handles_term;
        if image.repo == "docker.io/library/nginx"
            && argv.first().map(String::as_str) == Some("/docker-entrypoint.sh")
            && argv.get(1).map(String::as_str) == Some("nginx")
        {
            c.log.write(now, &images::nginx_startup(now, 2));
        }
        let image_name = format!(
            "{}:{}",
            image.repo,
            Reference::parse(&c.spec.image)
                .map(|r| r.tag)
                .unwrap_or_default()
        );
        let _ = image_name;
        match proc {
            Ok(p) => c.proc = Some(p),
            Err(e) => {
                c.proc = None;
                c.log.write(now, &e);
                c.log.write(now, "\n");
            }
        }
        let field = name.clone();
        self.kubelet_event(
            uid,
            Some(&field),
            "Normal",
            "Created",
            format!("Created container {name}"),
        );
        self.kubelet_event(
            uid,
            Some(&field),
            "Normal",
            "Started",
            format!("Started container {name}"),
        );
        let inc = self.runtimes[uid].containers[i].incarnation;
        self.schedule(now, Task::Wake(uid.to_string(), i, inc));
        self.start_probes(uid, i, now);
        // postStart runs while the process starts; the kubelet reports Running only after it.
        self.post_start(uid, i, before);
        self.refresh_status(uid);
        true
    }

    /// Runs a container's process for one slice.
    pub(crate) fn wake_container(&mut self, uid: &str, i: usize, incarnation: u32) {
        if incarnation == u32::MAX {
            // A process that honours SIGTERM exits cleanly.
            self.container_exited(uid, i, 0, None);
            self.finish_if_stopped(uid);
            return;
        }
        let Some(mut rt) = self.runtimes.remove(uid) else {
            return;
        };
        let now = self.now();
        let valid = rt
            .containers
            .get(i)
            .is_some_and(|c| c.incarnation == incarnation && c.running());
        if !valid {
            self.runtimes.insert(uid.to_string(), rt);
            return;
        }
        let (step, written) = match rt.containers[i].proc.take() {
            None => {
                self.runtimes.insert(uid.to_string(), rt);
                (Step::Exit(127), String::new())
            }
            Some(mut p) => {
                let step =
                    self.run_in_container(uid, rt, i, &mut p, |p, sys| p.run(sys, STEP_BUDGET));
                let written = p.take_log();
                if let Some(c) = self.container_mut(uid, i) {
                    c.proc = Some(p);
                }
                (step, written)
            }
        };
        if let Some(c) = self.container_mut(uid, i) {
            c.log.write(now, &written);
        }
        match step {
            Step::Sleep(ms) => {
                self.schedule(now.plus_ms(ms), Task::Wake(uid.to_string(), i, incarnation))
            }
            Step::Yield => self.schedule(
                now.plus_ms(SLICE_MS),
                Task::Wake(uid.to_string(), i, incarnation),
            ),
            Step::Block => {}
            Step::Exit(-137) => {
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    rt.containers[i].oom = true;
                }
                self.container_exited(uid, i, 137, None);
            }
            Step::Exit(code) => self.container_exited(uid, i, code, None),
        }
    }

    /// A container's main process ended.
    pub(crate) fn container_exited(&mut self, uid: &str, i: usize, code: i32, signal: Option<i32>) {
        let now = self.now();
        let Some(rt) = self.runtimes.get_mut(uid) else {
            return;
        };
        let c = &mut rt.containers[i];
        let started_at = match c.state {
            ContainerState::Running { started_at } => started_at,
            _ => return,
        };
        c.proc = None;
        c.stopping = false;
        let message = termination_message(c, code);
        c.state = ContainerState::Terminated {
            exit_code: code,
            signal,
            reason: if c.oom && code == 137 {
                "OOMKilled".into()
            } else if code == 0 {
                "Completed".into()
            } else {
                "Error".into()
            },
            message,
            started_at,
            finished_at: now,
            container_id: format!("containerd://{}", c.id),
        };
        c.shown = None;
        if let Some((reason, message)) = c.exit_reason.take() {
            // The start failed (a postStart hook): the kubelet reports why, with the exit as
            // the last state.
            c.last_state = c.state.clone();
            c.state = ContainerState::Waiting {
                reason,
                message: Some(message),
            };
        }
        let terminating = rt.terminating;
        let key = rt.key.clone();
        self.refresh_status(uid);
        if terminating {
            self.finish_if_stopped(uid);
            return;
        }
        self.stop_sidecars_when_done(uid, &key);
        // The kubelet notices the exit at its next PLEG relist (every second) and syncs then.
        self.schedule(now.plus_ms(PLEG_RELIST_MS), Task::Kubelet(uid.to_string()));
    }

    /// Stops a pod's containers for deletion with grace period `g` seconds.
    pub(crate) fn kubelet_terminate(&mut self, uid: &str, g: i64) {
        let now = self.now();
        let Some(rt) = self.runtimes.get_mut(uid) else {
            if let Some(key) = self.uids.get(uid).cloned() {
                self.maybe_finish_deletion(&key);
            }
            return;
        };
        if rt.terminating
            && rt
                .grace_deadline
                .is_some_and(|d| d <= now.plus_secs(g.max(2) as u64))
        {
            return;
        }
        rt.terminating = true;
        let deadline = now.plus_secs(g.max(2) as u64);
        rt.grace_deadline = Some(deadline);
        let n_init = rt.n_init;
        let mut running = Vec::new();
        for (i, c) in rt.containers.iter_mut().enumerate() {
            match &c.state {
                ContainerState::Running { .. } => running.push((i, c.name.clone())),
                ContainerState::Waiting { .. } => c.pending = Pending::None,
                _ => {}
            }
        }
        // Regular containers first, then init containers (sidecars), as the kubelet orders it.
        running.sort_by_key(|(i, _)| *i < n_init);
        for (i, name) in running {
            self.kill_container(uid, i, g, format!("Stopping container {name}"));
        }
        self.finish_if_stopped(uid);
    }

    /// The grace period ran out (or a SIGTERM-handling process is due to exit).
    pub(crate) fn kill_deadline(&mut self, uid: &str) {
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        for i in rt.running_containers() {
            self.container_exited(uid, i, 137, None);
        }
        self.finish_if_stopped(uid);
    }

    fn finish_if_stopped(&mut self, uid: &str) {
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        if !rt.terminating || !rt.all_stopped() {
            return;
        }
        let key = rt.key.clone();
        // A pod that failed on its own (deadline) stays, with its logs, until it is deleted.
        if self
            .pods
            .get(&key)
            .is_some_and(|p| p.meta.deletion.is_none())
        {
            return;
        }
        let node = rt.node.clone();
        let ip = rt.ip;
        self.runtimes.remove(uid);
        if let (Some(ip), Some(n)) = (ip, self.nodes.get_mut(&node)) {
            if n.ip != ip {
                n.ipam.release(ip);
            }
        }
        self.maybe_finish_deletion_stopped(&key);
    }

    fn maybe_finish_deletion_stopped(&mut self, key: &(String, String)) {
        let Some(p) = self.pods.get(key) else { return };
        if p.meta.finalizers.is_empty() {
            let was_bound = !p.spec.node_name.is_empty();
            self.pods.remove(key);
            self.record_change(key);
            if was_bound {
                self.reschedule_pending();
            }
        }
    }

    /// A force-deleted pod: its containers are killed without ceremony.
    pub(crate) fn kubelet_orphan(&mut self, uid: &str) {
        if let Some(rt) = self.runtimes.remove(uid) {
            if let (Some(ip), Some(n)) = (rt.ip, self.nodes.get_mut(&rt.node)) {
                n.ipam.release(ip);
            }
        }
    }

    /// A container's image changed: the kubelet restarts it with the new one.
    pub(crate) fn kubelet_spec_changed(&mut self, uid: &str) {
        let Some(key) = self.uids.get(uid).cloned() else {
            return;
        };
        let Some(pod) = self.pods.get(&key).cloned() else {
            return;
        };
        let now = self.now();
        let Some(rt) = self.runtimes.get_mut(uid) else {
            return;
        };
        let mut changed = Vec::new();
        for c in rt.containers.iter_mut() {
            let spec = pod.all_containers().find(|s| s.name == c.name).cloned();
            if let Some(s) = spec {
                if s.image != c.spec.image {
                    c.spec = s;
                    c.pulled = None;
                    if c.running() {
                        changed.push(c.name.clone());
                        c.proc = None;
                        let started_at = match c.state {
                            ContainerState::Running { started_at } => started_at,
                            _ => SimTime::ZERO,
                        };
                        c.state = ContainerState::Terminated {
                            exit_code: 137,
                            signal: None,
                            reason: "Error".into(),
                            message: None,
                            started_at,
                            finished_at: now,
                            container_id: format!("containerd://{}", c.id),
                        };
                        c.backoff_updated = None;
                    }
                }
            }
        }
        for name in changed {
            self.kubelet_event(
                uid,
                Some(&name),
                "Normal",
                "Killing",
                format!("Container {name} definition changed, will be restarted"),
            );
        }
        self.schedule(now, Task::Kubelet(uid.to_string()));
    }

    /// Recomputes the pod's status from the kubelet's containers.
    pub(crate) fn refresh_status(&mut self, uid: &str) {
        let now = self.now();
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        let key = rt.key.clone();
        let Some(pod) = self.pods.get(&key) else {
            return;
        };
        let policy = pod.spec.restart_policy.clone();
        let sidecar_names: Vec<String> = pod
            .spec
            .init_containers
            .iter()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"))
            .map(|c| c.name.clone())
            .collect();
        let to_status = |c: &CRuntime| -> ContainerStatus {
            let running = c.running();
            let (image, image_id) = match c.pulled {
                Some(img) if c.created => {
                    let tag = Reference::parse(&c.spec.image)
                        .map(|r| r.tag)
                        .unwrap_or_else(|| "latest".into());
                    (
                        format!("{}:{tag}", img.repo),
                        format!("{}@sha256:{}", img.repo, img.digest),
                    )
                }
                // Images outside the catalogue (the system pods') report a digest of their own.
                None if c.created => {
                    let h = c.spec.image.bytes().fold(0xcbf29ce484222325u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
                    });
                    let repo = c
                        .spec
                        .image
                        .split(':')
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    (
                        c.spec.image.clone(),
                        format!(
                            "{repo}@sha256:{h:016x}{:016x}{h:016x}{:016x}",
                            h.rotate_left(17),
                            h.rotate_left(41)
                        ),
                    )
                }
                _ => (c.spec.image.clone(), String::new()),
            };
            if let Some((state, last_state, restart_count)) = &c.shown {
                return ContainerStatus {
                    name: c.name.clone(),
                    state: state.clone(),
                    last_state: last_state.clone(),
                    ready: false,
                    restart_count: *restart_count,
                    image,
                    image_id,
                    container_id: None,
                    started: Some(false),
                    volume_mounts: Vec::new(),
                };
            }
            ContainerStatus {
                name: c.name.clone(),
                state: c.state.clone(),
                last_state: c.last_state.clone(),
                ready: if c.is_init && c.spec.restart_policy.as_deref() != Some("Always") {
                    matches!(c.state, ContainerState::Terminated { exit_code: 0, .. })
                } else {
                    running && c.started_ok && (c.spec.readiness_probe.is_none() || c.probes[1].ok)
                },
                restart_count: c.restart_count,
                image,
                image_id,
                container_id: c.created.then(|| format!("containerd://{}", c.id)),
                started: Some(running && c.started_ok),
                volume_mounts: if c.created {
                    c.spec
                        .volume_mounts
                        .iter()
                        .map(|m| (m.name.clone(), m.mount_path.clone(), m.read_only))
                        .collect()
                } else {
                    Vec::new()
                },
            }
        };
        let init: Vec<ContainerStatus> = rt.containers[..rt.n_init].iter().map(to_status).collect();
        let regular: Vec<ContainerStatus> =
            rt.containers[rt.n_init..].iter().map(to_status).collect();
        let sandbox = rt.stage == Stage::Ready;
        let ip = rt.ip.map(|i| i.to_string());
        let terminating = rt.terminating;

        // Phase, as getPhase decides it.
        let mut pending_init = 0;
        let mut failed_init = 0;
        for (c, s) in rt.containers[..rt.n_init].iter().zip(&init) {
            if sidecar_names.contains(&c.name) {
                continue;
            }
            match &s.state {
                ContainerState::Terminated { exit_code: 0, .. } => {}
                ContainerState::Terminated { .. } => failed_init += 1,
                ContainerState::Waiting { .. } if matches!(s.last_state, ContainerState::Terminated { exit_code, .. } if exit_code != 0) => {
                    failed_init += 1
                }
                _ => pending_init += 1,
            }
        }
        let (mut running, mut stopped, mut succeeded, mut waiting) = (0, 0, 0, 0);
        for s in &regular {
            match &s.state {
                ContainerState::Running { .. } => running += 1,
                ContainerState::Terminated { exit_code, .. } => {
                    stopped += 1;
                    if *exit_code == 0 {
                        succeeded += 1;
                    }
                }
                ContainerState::Waiting { .. }
                    if matches!(s.last_state, ContainerState::Terminated { .. }) =>
                {
                    stopped += 1
                }
                _ => waiting += 1,
            }
        }
        let old_phase = pod.status.phase;
        let mut phase = if failed_init > 0 && policy == "Never" {
            PodPhase::Failed
        } else if pending_init > 0 || waiting > 0 {
            PodPhase::Pending
        } else if running > 0 {
            PodPhase::Running
        } else if stopped > 0 {
            if terminating {
                if succeeded == stopped {
                    PodPhase::Succeeded
                } else {
                    PodPhase::Failed
                }
            } else if policy == "Always" {
                PodPhase::Running
            } else if succeeded == stopped {
                PodPhase::Succeeded
            } else if policy == "Never" {
                PodPhase::Failed
            } else {
                PodPhase::Running
            }
        } else {
            PodPhase::Pending
        };
        if old_phase.is_terminal() {
            phase = old_phase;
        }
        let all_ready = !regular.is_empty() && regular.iter().all(|s| s.ready);
        let unready: Vec<String> = regular
            .iter()
            .filter(|s| !s.ready)
            .map(|s| s.name.clone())
            .collect();
        let incomplete: Vec<String> = init
            .iter()
            .filter(|s| !matches!(s.state, ContainerState::Terminated { exit_code: 0, .. }))
            .map(|s| s.name.clone())
            .collect();
        let any_regular_started = regular.iter().any(|s| s.container_id.is_some());

        let Some(p) = self.pods.get_mut(&key) else {
            return;
        };
        p.status.phase = phase;
        p.status.pod_ip = ip;
        p.status.init_container_statuses = init;
        p.status.container_statuses = regular;
        p.status
            .set_condition("PodReadyToStartContainers", sandbox, None, None, now);
        if incomplete.is_empty() || any_regular_started {
            p.status.set_condition("Initialized", true, None, None, now);
        } else {
            p.status.set_condition(
                "Initialized",
                false,
                Some("ContainersNotInitialized".into()),
                Some(format!(
                    "containers with incomplete status: [{}]",
                    incomplete.join(" ")
                )),
                now,
            );
        }
        let (reason, message) = match phase {
            PodPhase::Succeeded => (Some("PodCompleted".to_string()), None),
            PodPhase::Failed => (Some("PodFailed".to_string()), None),
            _ => (
                Some("ContainersNotReady".to_string()),
                Some(format!(
                    "containers with unready status: [{}]",
                    unready.join(" ")
                )),
            ),
        };
        if all_ready && !phase.is_terminal() {
            p.status.set_condition("Ready", true, None, None, now);
            p.status
                .set_condition("ContainersReady", true, None, None, now);
        } else {
            p.status
                .set_condition("Ready", false, reason.clone(), message.clone(), now);
            p.status
                .set_condition("ContainersReady", false, reason, message, now);
        }
        p.status
            .set_condition("PodScheduled", true, None, None, now);
        self.touch_pod(&key);
    }

    /// Answers an HTTP GET from inside the cluster.
    pub fn http_get(&self, url: &str) -> Result<(u16, String), String> {
        self.http_serve(url).map(|(code, body, _)| (code, body))
    }

    /// An HTTP GET from a client at `client` with User-Agent `agent`: the answer, with the
    /// serving web server's access-log line written to its container's log.
    pub(crate) fn http_request(
        &mut self,
        url: &str,
        client: Ipv4Addr,
        agent: &str,
    ) -> Result<(u16, String), String> {
        let (code, body, served) = self.http_serve(url)?;
        if let Some(served) = served {
            let entry = self.access_line(&served, client, agent, code, body.len(), url);
            self.write_access_logs(vec![(served.uid, served.index, entry)]);
        }
        Ok((code, body))
    }

    /// The line a web server logs for one request. A request that came in through a hostPort
    /// from another node was masqueraded to that node's address on the way out.
    pub(crate) fn access_line(
        &self,
        served: &Served,
        client: Ipv4Addr,
        agent: &str,
        code: u16,
        bytes: usize,
        url: &str,
    ) -> LogEntry {
        let source = match (&served.via_node, self.node_of_ip(client)) {
            (Some(via), Some(from)) if from.name() != via => from.ip,
            _ => client,
        };
        let t = self.now().clf();
        let request = format!("GET {} HTTP/1.1", served.path);
        if served.httpd {
            return LogEntry {
                error: None,
                access: format!("{source} - - [{t}] \"{request}\" {code} {bytes}\n"),
            };
        }
        // nginx also reports a missing file on its error log (stderr), before the access line.
        let host = url.split_once("://").map_or(url, |(_, r)| r);
        let host = host.split('/').next().unwrap_or_default();
        let error = (code == 404).then(|| {
            format!(
                "open() \"/usr/share/nginx/html{}\" failed (2: No such file or directory), client: {source}, server: localhost, request: \"{request}\", host: \"{host}\"",
                served.path
            )
        });
        LogEntry {
            error,
            access: format!(
                "{source} - - [{t}] \"{request}\" {code} {bytes} \"-\" \"{agent}\" \"-\"\n"
            ),
        }
    }

    /// The node a pod address (or node address) belongs to.
    fn node_of_ip(&self, ip: Ipv4Addr) -> Option<&super::node::Node> {
        self.nodes
            .values()
            .find(|n| n.ip == ip || n.pod_cidr.contains(ip))
    }

    /// Answers an HTTP GET, and names the container whose web server answered.
    fn http_serve(&self, url: &str) -> Result<(u16, String, Option<Served>), String> {
        let (host, port, path) = split_url(url);
        let Ok(ip) = host.parse::<Ipv4Addr>() else {
            return match host.as_str() {
                "www.baidu.com" | "baidu.com" => Ok((200, "<!DOCTYPE html><html><head><title>百度一下，你就知道</title></head><body></body></html>\n".into(), None)),
                "kubernetes.io" | "www.kubernetes.io" => Ok((200, "<!doctype html><html lang=en><head><title>Kubernetes</title></head><body><h1>Production-Grade Container Orchestration</h1></body></html>\n".into(), None)),
                "localhost" => Err("wget: can't connect to remote host (127.0.0.1): Connection refused".to_string()),
                _ => Err(format!("wget: bad address '{host}'")),
            };
        };
        // A node address: a hostPort mapping on that node leads to its pod (the portmap DNAT).
        if let Some(node) = self.nodes.values().find(|n| n.ip == ip) {
            let target = self
                .runtimes
                .values()
                .filter(|rt| rt.node == node.name())
                .find_map(|rt| {
                    rt.containers
                        .iter()
                        .flat_map(|c| c.spec.ports.iter())
                        .find(|p| p.host_port == i64::from(port))
                        .and_then(|p| rt.ip.map(|pip| (pip, p.container_port)))
                });
            return match target {
                Some((pip, cport)) => self.http_serve(&format!("http://{pip}:{cport}{path}")).map(
                    |(code, body, served)| {
                        let served = served.map(|s| Served {
                            via_node: Some(node.name().to_string()),
                            ..s
                        });
                        (code, body, served)
                    },
                ),
                None => Err(format!(
                    "wget: can't connect to remote host ({ip}): Connection refused"
                )),
            };
        }
        let Some(rt) = self.runtimes.values().find(|rt| rt.ip == Some(ip)) else {
            return Err(format!(
                "wget: can't connect to remote host ({ip}): No route to host"
            ));
        };
        let serving = rt
            .containers
            .iter()
            .enumerate()
            .find(|(_, c)| serves_port(c.running(), c.handles_term, &c.spec, port));
        match serving {
            Some((index, c)) => {
                let httpd = is_httpd(c.pulled);
                let served = Some(Served {
                    uid: rt.uid.clone(),
                    index,
                    path: path.clone(),
                    via_node: None,
                    httpd,
                });
                let (code, body) = serve_path(httpd, &c.spec, &c.fs, &rt.volumes, &path);
                Ok((code, body, served))
            }
            None => Err(format!(
                "wget: can't connect to remote host ({ip}): Connection refused"
            )),
        }
    }

    /// Runs a command inside a running container, as `kubectl exec` does. Returns
    /// (stdout, stderr, exit code).
    pub fn exec_in(
        &mut self,
        uid: &str,
        container: &str,
        argv: &[String],
    ) -> Result<(String, String, i32), String> {
        let Some(mut rt) = self.runtimes.remove(uid) else {
            return Err("container not found".into());
        };
        let Some(i) = rt.containers.iter().position(|c| c.name == container) else {
            self.runtimes.insert(uid.to_string(), rt);
            return Err(format!("container {container} not found"));
        };
        let now = self.now();
        let env: BTreeMap<String, String> = rt.containers[i].env.clone();
        // `nginx -s stop|reload` signals the running master instead of starting a server.
        let c = &mut rt.containers[i];
        if argv.first().map(String::as_str) == Some("nginx")
            && argv.iter().any(|a| a == "-s")
            && c.handles_term
        {
            let stop = argv.iter().any(|a| a == "stop" || a == "quit");
            if stop {
                c.log.write(now, &images::nginx_shutdown(now, 2, Some(31)));
            }
            self.runtimes.insert(uid.to_string(), rt);
            if stop {
                if let Some(c) = self.container_mut(uid, i) {
                    c.handles_term = false;
                }
                self.container_exited(uid, i, 0, None);
            }
            return Ok((String::new(), images::nginx_signaller(now, 31), 0));
        }
        let mut p = if argv.len() >= 3
            && matches!(argv[0].rsplit('/').next(), Some("sh" | "bash"))
            && argv[1] == "-c"
        {
            let dialect = if argv[0].ends_with("bash") {
                Dialect::Bash
            } else if rt.containers[i].pulled.is_some_and(|img| img.bash) {
                Dialect::Dash
            } else {
                Dialect::Busybox
            };
            match Process::shell(&argv[2], Vec::new(), env, "/", dialect) {
                Ok(p) => p,
                Err(e) => {
                    self.runtimes.insert(uid.to_string(), rt);
                    return Ok((String::new(), format!("{e}\n"), 2));
                }
            }
        } else {
            Process::exec(argv, env, "/")
        };
        // An exec may sleep a little; one that never finishes is cut off as the runtime would.
        let code = self.run_in_container(uid, rt, i, &mut p, |p, sys| {
            let mut slices = 0;
            loop {
                match p.run(sys, STEP_BUDGET) {
                    Step::Exit(c) => break c,
                    Step::Sleep(_) | Step::Yield => {
                        slices += 1;
                        if slices > 100 {
                            break 137;
                        }
                    }
                    Step::Block => break 137,
                }
            }
        });
        let (out, err) = p.take_output();
        Ok((out, err, code))
    }

    fn container_mut(&mut self, uid: &str, i: usize) -> Option<&mut CRuntime> {
        self.runtimes.get_mut(uid)?.containers.get_mut(i)
    }

    /// Runs `process` in container `i` of the pod `rt` (taken out of `runtimes`, and put back
    /// here) with the container's view of the world: its files and volumes, hostPath
    /// directories of the node, the network, and the pod's other containers behind
    /// `localhost`. Web servers the process reached log its requests afterwards.
    fn run_in_container<R>(
        &mut self,
        uid: &str,
        mut rt: PodRuntime,
        i: usize,
        process: &mut Process,
        drive: impl FnOnce(&mut Process, &mut ContainerSys<'_>) -> R,
    ) -> R {
        self.host_paths_in(&mut rt);
        let now = self.now();
        let hostname = match self.pods.get(&rt.key) {
            Some(p) if p.spec.host_network => rt.node.clone(),
            Some(p) if !p.spec.hostname.is_empty() => p.spec.hostname.clone(),
            _ => rt.key.1.clone(),
        };
        let node = rt.node.clone();
        let client = rt.ip;
        let mounts: Vec<(String, String, bool)> = rt.containers[i]
            .spec
            .volume_mounts
            .iter()
            .map(|m| (normalize("/", &m.mount_path), m.name.clone(), m.read_only))
            .collect();
        let (result, access) = {
            let PodRuntime {
                containers,
                volumes,
                ..
            } = &mut rt;
            // The other containers stay readable: `localhost` may lead to them.
            let (before, rest) = containers.split_at_mut(i);
            let (c, after) = rest.split_at_mut(1);
            let c = &mut c[0];
            let mut sys = ContainerSys {
                own_server: (c.running(), c.handles_term),
                own_httpd: is_httpd(c.pulled),
                image: c.pulled,
                main: c.main_cmd.clone(),
                fs: &mut c.fs,
                spec: &c.spec,
                volumes,
                mounts,
                now,
                hostname,
                world: self,
                node,
                client,
                uid,
                index: i,
                others: (before, after),
                access: Vec::new(),
                last_server: NGINX_SERVER,
            };
            let result = drive(process, &mut sys);
            (result, sys.access)
        };
        self.host_paths_out(&rt);
        self.runtimes.insert(uid.to_string(), rt);
        self.write_access_logs(access);
        result
    }
}

impl World {
    /// Appends web servers' access-log lines to their containers' logs.
    fn write_access_logs(&mut self, entries: Vec<(String, usize, LogEntry)>) {
        let now = self.now();
        for (uid, index, entry) in entries {
            if let Some(c) = self
                .runtimes
                .get_mut(&uid)
                .and_then(|rt| rt.containers.get_mut(index))
            {
                // Every request is a new connection; nginx numbers them from 1.
                c.connections += 1;
                if let Some(error) = entry.error {
                    c.log.write(
                        now,
                        &format!(
                            "{} [error] 29#29: *{} {error}\n",
                            images::nginx_time(now),
                            c.connections
                        ),
                    );
                }
                c.log.write(now, &entry.access);
            }
        }
    }

    /// Whether nothing of the pod with this uid runs any more.
    pub fn runtimes_stopped(&self, uid: &str) -> bool {
        self.runtimes.get(uid).is_none_or(PodRuntime::all_stopped)
    }
}

impl World {
    /// Fills the pod's volumes: the service-account token, ConfigMaps and Secrets (all keys, or
    /// `items`), empty directories. A missing non-optional source is the kubelet's mount error.
    pub(crate) fn mount_volumes(&mut self, uid: &str) -> Result<(), (String, String)> {
        use base64::Engine;
        let Some(key) = self.runtimes.get(uid).map(|rt| rt.key.clone()) else {
            return Ok(());
        };
        let Some(pod) = self.pods.get(&key).cloned() else {
            return Ok(());
        };
        let mut volumes = BTreeMap::new();
        for v in &pod.spec.volumes {
            let mut fs = Fs::new();
            if v.projected.is_some() && v.name.starts_with("kube-api-access-") {
                let _ = fs.write("/token", "eyJhbGciOiJSUzI1NiIsImtpZCI6InBvZHBsYXkifQ.eyJpc3MiOiJwb2RwbGF5In0.c2lnbmF0dXJl", false);
                let _ = fs.write("/namespace", &key.0, false);
                let _ = fs.write(
                    "/ca.crt",
                    "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
                    false,
                );
            }
            let source = v
                .config_map
                .as_ref()
                .map(|c| (c, "configmap", "name"))
                .or_else(|| v.secret.as_ref().map(|s| (s, "secret", "secretName")));
            if let Some((src, kind, name_field)) = source {
                let name = src
                    .get(name_field)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                let optional = src
                    .get("optional")
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(false);
                let obj = if kind == "secret" {
                    self.secret(&key.0, name)
                } else {
                    self.configmap(&key.0, name)
                };
                match obj {
                    None if optional => {}
                    None => return Err((v.name.clone(), format!("{kind} \"{name}\" not found"))),
                    Some(o) => {
                        let decode = |val: &String| -> String {
                            if kind == "secret" {
                                base64::engine::general_purpose::STANDARD
                                    .decode(val)
                                    .ok()
                                    .and_then(|b| String::from_utf8(b).ok())
                                    .unwrap_or_default()
                            } else {
                                val.clone()
                            }
                        };
                        match src.get("items").and_then(serde_json::Value::as_array) {
                            Some(items) => {
                                for it in items {
                                    let k = it
                                        .get("key")
                                        .and_then(serde_json::Value::as_str)
                                        .unwrap_or_default();
                                    let path = it
                                        .get("path")
                                        .and_then(serde_json::Value::as_str)
                                        .unwrap_or(k);
                                    match o.data.get(k) {
                                        Some(val) => {
                                            let p = normalize("/", path);
                                            if let Some(dir) = p
                                                .rsplit_once('/')
                                                .map(|(d, _)| d)
                                                .filter(|d| !d.is_empty())
                                            {
                                                fs.mkdir_all(dir);
                                            }
                                            let _ = fs.write(&p, &decode(val), false);
                                        }
                                        None if optional => {}
                                        None => {
                                            let label = if kind == "secret" {
                                                "secret"
                                            } else {
                                                "configmap"
                                            };
                                            return Err((v.name.clone(), format!("{label} references non-existent {label} key: {k}")));
                                        }
                                    }
                                }
                            }
                            None => {
                                for (k, val) in &o.data {
                                    let _ = fs.write(&format!("/{k}"), &decode(val), false);
                                }
                            }
                        }
                    }
                }
            }
            let downward: Vec<&serde_json::Value> = v
                .downward_api
                .iter()
                .chain(
                    v.projected
                        .iter()
                        .filter_map(|p| p.get("sources").and_then(serde_json::Value::as_array))
                        .flatten()
                        .filter_map(|src| src.get("downwardAPI")),
                )
                .collect();
            for d in downward {
                for it in d
                    .get("items")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let path = it
                        .get("path")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default();
                    let value = downward_value(&pod, it);
                    let p = normalize("/", path);
                    if let Some(dir) = p.rsplit_once('/').map(|(d, _)| d).filter(|d| !d.is_empty())
                    {
                        fs.mkdir_all(dir);
                    }
                    let _ = fs.write(&p, &value, false);
                }
            }
            volumes.insert(v.name.clone(), fs);
        }
        if let Some(rt) = self.runtimes.get_mut(uid) {
            for (name, fs) in volumes {
                rt.volumes.entry(name).or_insert(fs);
            }
        }
        Ok(())
    }
}

/// `stress` from polinux/stress: allocates `--vm-bytes` per worker and holds it; past the
/// container's memory limit the kernel kills it.
fn stress_process(
    argv: &[String],
    c: &Container,
    env: BTreeMap<String, String>,
    cwd: &str,
) -> Process {
    let arg = |name: &str| {
        argv.iter()
            .position(|a| a == name)
            .and_then(|i| argv.get(i + 1))
            .cloned()
    };
    let workers: u64 = arg("--vm").and_then(|v| v.parse().ok()).unwrap_or(0);
    let bytes = arg("--vm-bytes")
        .and_then(|b| {
            super::quantity::Quantity::parse(&b.replace('B', "")).map(|q| q.value() as u64)
        })
        .unwrap_or(256 * 1024 * 1024);
    let limit = c
        .resources
        .limits
        .get("memory")
        .and_then(super::quantity::Quantity::from_value)
        .map(|q| q.value() as u64);
    let timeout = arg("--timeout").or_else(|| arg("-t"));
    let hogs = format!(
        "echo \"stress: info: [1] dispatching hogs: {} cpu, {} io, {workers} vm, {} hdd\"",
        arg("--cpu").unwrap_or_else(|| "0".into()),
        arg("--io").unwrap_or_else(|| "0".into()),
        arg("--hdd").unwrap_or_else(|| "0".into())
    );
    let script = if workers > 0 && limit.is_some_and(|l| workers * bytes > l) {
        // The allocation passes the limit almost at once; the OOM killer ends the process.
        format!("{hogs}; oom-kill")
    } else if let Some(t) = timeout {
        format!("{hogs}; sleep {t}; echo \"stress: info: [1] successful run completed in {t}\"")
    } else {
        format!("{hogs}; tail -f /dev/null")
    };
    Process::shell(&script, Vec::new(), env, cwd, Dialect::Busybox)
        .unwrap_or_else(|_| Process::exec(argv, BTreeMap::new(), cwd))
}

impl World {
    /// `activeDeadlineSeconds` ran out: the kubelet fails the pod and stops its containers.
    pub(crate) fn deadline_exceeded(&mut self, uid: &str) {
        let Some(key) = self.runtimes.get(uid).map(|rt| rt.key.clone()) else {
            return;
        };
        let Some(p) = self.pods.get_mut(&key) else {
            return;
        };
        if p.status.phase.is_terminal() {
            return;
        }
        let msg = "Pod was active on the node longer than the specified deadline".to_string();
        p.status.reason = Some("DeadlineExceeded".into());
        p.status.message = Some(msg.clone());
        let grace = p.spec.termination_grace_period_seconds.unwrap_or(30);
        self.kubelet_event(uid, None, "Normal", "DeadlineExceeded", msg);
        if let Some(rt) = self.runtimes.get_mut(uid) {
            rt.terminating = true;
        }
        let running: Vec<(usize, String)> = self.runtimes[uid]
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.running())
            .map(|(i, c)| (i, c.name.clone()))
            .collect();
        for (i, name) in running {
            self.kill_container(uid, i, grace, format!("Stopping container {name}"));
        }
        if let Some(p) = self.pods.get_mut(&key) {
            p.status.phase = PodPhase::Failed;
        }
        self.refresh_status(uid);
    }
}

impl World {
    /// The pod (by IP) and whether a server in it listens on `port`.
    fn pod_at(&self, ip: Ipv4Addr) -> Option<&PodRuntime> {
        // A node's address belongs to the node, not to its host-network pods.
        if self.nodes.values().any(|n| n.ip == ip) {
            return None;
        }
        self.runtimes.values().find(|rt| rt.ip == Some(ip))
    }

    /// The container of a pod whose server listens on `port`.
    pub(crate) fn listener(&self, uid: &str, port: u16) -> Option<usize> {
        self.runtimes
            .get(uid)?
            .containers
            .iter()
            .position(|c| serves_port(c.running(), c.handles_term, &c.spec, port))
    }

    /// Counts a connection a server accepted (nginx numbers them in its error log).
    pub(crate) fn count_connection(&mut self, uid: &str, index: usize) {
        if let Some(c) = self
            .runtimes
            .get_mut(uid)
            .and_then(|rt| rt.containers.get_mut(index))
        {
            c.connections += 1;
        }
    }

    /// A TCP connection from inside the cluster (`nc -z`): pods by IP; nodes by address.
    /// On success, names the pod container (uid, index) that accepted it, if one did.
    pub fn tcp_connect(&self, host: &str, port: u16) -> Result<Option<(String, usize)>, String> {
        let Ok(ip) = host.parse::<Ipv4Addr>() else {
            return match host {
                "localhost" => Err("Connection refused".into()),
                _ => Err(format!("bad address '{host}'")),
            };
        };
        if let Some(rt) = self.pod_at(ip) {
            return match self.listener(&rt.uid, port) {
                Some(index) => Ok(Some((rt.uid.clone(), index))),
                None => Err("Connection refused".into()),
            };
        }
        if self.nodes.values().any(|n| n.ip == ip) {
            // hostPort mappings on that node.
            let mapped = self.pods.values().any(|p| {
                p.status.host_ip.as_deref() == Some(host)
                    && p.spec
                        .containers
                        .iter()
                        .flat_map(|c| c.ports.iter())
                        .any(|cp| cp.host_port == i64::from(port))
            });
            return if mapped || port == 22 || port == 10250 {
                Ok(None)
            } else {
                Err("Connection refused".into())
            };
        }
        Err("No route to host".into())
    }

    /// A ping from a pod on `node`: the TTL of the replies (64 on the same node, 62 across).
    pub fn ping_from(&self, node: &str, host: &str) -> Result<(String, u8), String> {
        let ip: Ipv4Addr = match host.parse() {
            Ok(ip) => ip,
            Err(_) => return Err(format!("bad address '{host}'")),
        };
        if let Some(rt) = self.pod_at(ip) {
            return Ok((ip.to_string(), if rt.node == node { 64 } else { 62 }));
        }
        if let Some(n) = self.nodes.values().find(|n| n.ip == ip) {
            return Ok((ip.to_string(), if n.name() == node { 64 } else { 63 }));
        }
        Err(ip.to_string())
    }
}

/// The port a catalogue image's server listens on.
fn daemon_port(image: &Image) -> Option<u16> {
    match image.repo {
        "docker.io/library/nginx" | "docker.io/library/httpd" | "docker.io/ikubernetes/myapp" => {
            Some(80)
        }
        "docker.io/library/redis" => Some(6379),
        _ => None,
    }
}

/// A server that finds its port taken prints why and exits 1.
fn bind_failure(image: &Image, port: u16) -> String {
    match image.repo {
        "docker.io/library/redis" => format!("echo '1:M 03 Mar 2025 09:00:00.000 # Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use' >&2; echo '1:M 03 Mar 2025 09:00:00.000 # Failed listening on port {port} (tcp), aborting.' >&2; exit 1"),
        "docker.io/library/httpd" => format!("echo '(98)Address already in use: AH00072: make_sock: could not bind to address [::]:{port}' >&2; echo 'no listening sockets available, shutting down' >&2; exit 1"),
        _ => format!("echo 'nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)' >&2; echo 'nginx: [emerg] bind() to [::]:{port} failed (98: Address already in use)' >&2; echo 'nginx: [emerg] still could not bind()' >&2; exit 1"),
    }
}

impl World {
    /// The hostPath volumes of a pod: (volume name, path on the node).
    fn host_paths(&self, key: &(String, String)) -> Vec<(String, String)> {
        self.pods
            .get(key)
            .map(|p| {
                p.spec
                    .volumes
                    .iter()
                    .filter_map(|v| {
                        v.host_path
                            .as_ref()
                            .and_then(|h| h.get("path"))
                            .and_then(|x| x.as_str())
                            .map(|path| (v.name.clone(), normalize("/", path)))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Before a container runs: its hostPath volumes show the node's files.
    pub(crate) fn host_paths_in(&mut self, rt: &mut PodRuntime) {
        for (vol, path) in self.host_paths(&rt.key) {
            let view = self
                .node_fs
                .get(&rt.node)
                .map_or_else(Fs::new, |fs| fs.subtree(&path));
            rt.volumes.insert(vol, view);
        }
    }

    /// After it ran: what it wrote there lands on the node, for every pod there to see.
    pub(crate) fn host_paths_out(&mut self, rt: &PodRuntime) {
        for (vol, path) in self.host_paths(&rt.key) {
            if let Some(view) = rt.volumes.get(&vol) {
                self.node_fs
                    .entry(rt.node.clone())
                    .or_default()
                    .replace_subtree(&path, view);
            }
        }
    }
}

impl World {
    /// Whether a container's image has bash as its shell.
    pub fn container_is_bash(&self, uid: &str, container: &str) -> bool {
        self.runtimes
            .get(uid)
            .and_then(|rt| rt.containers.iter().find(|c| c.name == container))
            .and_then(|c| c.pulled)
            .is_some_and(|i| i.bash)
    }
}

impl World {
    /// Sidecars do not keep a finished pod alive: once every regular container has exited for
    /// good, they are stopped too.
    fn stop_sidecars_when_done(&mut self, uid: &str, key: &(String, String)) {
        let Some(policy) = self.pods.get(key).map(|p| p.spec.restart_policy.clone()) else {
            return;
        };
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        let done = rt.containers[rt.n_init..]
            .iter()
            .all(|c| match c.last_exit() {
                Some((code, _)) if matches!(c.state, ContainerState::Terminated { .. }) => {
                    policy == "Never" || (policy == "OnFailure" && code == 0)
                }
                _ => false,
            });
        if !done || rt.n_init == rt.containers.len() {
            return;
        }
        let sidecars: Vec<(usize, String)> = rt.containers[..rt.n_init]
            .iter()
            .enumerate()
            .filter(|(_, c)| c.spec.restart_policy.as_deref() == Some("Always") && c.running())
            .map(|(i, c)| (i, c.name.clone()))
            .collect();
        if sidecars.is_empty() {
            return;
        }
        let grace = self
            .pods
            .get(key)
            .and_then(|p| p.spec.termination_grace_period_seconds)
            .unwrap_or(30);
        if let Some(rt) = self.runtimes.get_mut(uid) {
            rt.terminating = true;
        }
        for (i, name) in sidecars.into_iter().rev() {
            self.kill_container(uid, i, grace, format!("Stopping container {name}"));
        }
    }
}

/// One downward API file's content: a field of the pod (maps as sorted `key="value"` lines,
/// no final newline) or a container's resource.
fn downward_value(pod: &super::pod::Pod, item: &serde_json::Value) -> String {
    let quoted_map = |m: &BTreeMap<String, String>| -> String {
        m.iter()
            .map(|(k, v)| format!("{k}={}", super::validation::quote(v)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Some(f) = item
        .pointer("/fieldRef/fieldPath")
        .and_then(serde_json::Value::as_str)
    {
        return match f {
            "metadata.name" => pod.meta.name.clone(),
            "metadata.namespace" => pod.meta.namespace.clone(),
            "metadata.uid" => pod.meta.uid.clone(),
            "metadata.labels" => quoted_map(&pod.meta.labels),
            "metadata.annotations" => quoted_map(&pod.meta.annotations),
            other => {
                let pick = |prefix: &str, m: &BTreeMap<String, String>| {
                    other
                        .strip_prefix(prefix)
                        .and_then(|r| r.strip_suffix("']"))
                        .map(|k| m.get(k).cloned().unwrap_or_default())
                };
                pick("metadata.labels['", &pod.meta.labels)
                    .or_else(|| pick("metadata.annotations['", &pod.meta.annotations))
                    .unwrap_or_default()
            }
        };
    }
    if let Some(r) = item.get("resourceFieldRef") {
        let name = r
            .get("containerName")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        if let Some(c) = pod.spec.containers.iter().find(|c| c.name == name) {
            return super::env::resource_field(c, r);
        }
    }
    String::new()
}

/// The message the kubelet reports for a container that ended: its termination-message file
/// (at most 4 KiB), or with `FallbackToLogsOnError` and a failure, the end of its log (at most
/// 80 lines and 2 KiB).
fn termination_message(c: &CRuntime, code: i32) -> Option<String> {
    let path = if c.spec.termination_message_path.is_empty() {
        "/dev/termination-log".to_string()
    } else {
        normalize("/", &c.spec.termination_message_path)
    };
    let file = c.fs.read(&path).unwrap_or_default();
    if !file.is_empty() {
        let mut end = file.len().min(4096);
        while !file.is_char_boundary(end) {
            end -= 1;
        }
        return Some(file[..end].to_string());
    }
    if c.spec.termination_message_policy == "FallbackToLogsOnError" && code != 0 {
        let log = c.log.as_str();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(80)..].join("\n");
        let mut start = tail.len().saturating_sub(2048);
        while !tail.is_char_boundary(start) {
            start += 1;
        }
        let msg = &tail[start..];
        return (!msg.is_empty()).then(|| format!("{msg}\n"));
    }
    None
}
