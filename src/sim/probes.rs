//! Probes and lifecycle hooks: the kubelet's liveness, readiness and startup workers, postStart
//! and preStop handlers, and stopping a container within its grace period.

use serde_json::Value;

use super::kubelet::PodRuntime;
use super::pod::ContainerState;
use super::time::SimTime;
use super::world::{Task, World};

/// Which probe a worker runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness = 0,
    Readiness = 1,
    Startup = 2,
}

impl ProbeKind {
    pub fn from_index(i: u8) -> ProbeKind {
        match i {
            0 => ProbeKind::Liveness,
            1 => ProbeKind::Readiness,
            _ => ProbeKind::Startup,
        }
    }
    fn title(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Startup => "Startup",
        }
    }
}

/// One probe worker's memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProbeState {
    /// The current result (true = Success).
    pub ok: bool,
    pub fails: u32,
    pub successes: u32,
    /// After a liveness/startup failure the worker waits for a new container.
    pub on_hold: bool,
}

fn num(p: &Value, k: &str, default: i64) -> i64 {
    p.get(k)
        .and_then(Value::as_i64)
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// The host an httpGet or tcpSocket action connects to: its `host`, or the pod's IP.
fn action_host(action: &Value, pod_ip: &str) -> String {
    action
        .get("host")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(pod_ip)
        .to_string()
}

/// The URL an httpGet action requests (`scheme` defaults to HTTP, `path` to `/`).
fn http_action_url(action: &Value, host: &str, port: u16) -> String {
    let path = action.get("path").and_then(Value::as_str).unwrap_or("/");
    let scheme = action
        .get("scheme")
        .and_then(Value::as_str)
        .unwrap_or("HTTP")
        .to_lowercase();
    format!("{scheme}://{host}:{port}{path}")
}

fn port_of(v: Option<&Value>, ports: &[super::pod::ContainerPort]) -> Option<u16> {
    match v {
        Some(Value::Number(n)) => n.as_u64().and_then(|p| u16::try_from(p).ok()),
        Some(Value::String(name)) => ports
            .iter()
            .find(|p| &p.name == name)
            .and_then(|p| u16::try_from(p.container_port).ok()),
        _ => None,
    }
}

impl World {
    fn probe_spec(&self, uid: &str, i: usize, kind: ProbeKind) -> Option<Value> {
        let c = &self.runtimes.get(uid)?.containers.get(i)?.spec;
        match kind {
            ProbeKind::Liveness => c.liveness_probe.clone(),
            ProbeKind::Readiness => c.readiness_probe.clone(),
            ProbeKind::Startup => c.startup_probe.clone(),
        }
    }

    /// Starts the probe workers of a freshly started container.
    pub(crate) fn start_probes(&mut self, uid: &str, i: usize, started: SimTime) {
        let now = started;
        let Some(rt) = self.runtimes.get_mut(uid) else {
            return;
        };
        let c = &mut rt.containers[i];
        let inc = c.incarnation;
        let has_startup = c.spec.startup_probe.is_some();
        c.probes = Default::default();
        c.probes[ProbeKind::Liveness as usize].ok = true;
        c.started_ok = !has_startup;
        let kinds: Vec<ProbeKind> = if has_startup {
            vec![ProbeKind::Startup]
        } else {
            [ProbeKind::Liveness, ProbeKind::Readiness]
                .into_iter()
                .filter(|k| self.probe_spec(uid, i, *k).is_some())
                .collect()
        };
        for k in kinds {
            let delay = self.probe_spec(uid, i, k).map_or(0, |p| {
                p.get("initialDelaySeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
                    .max(0) as u64
            });
            self.schedule(
                now.plus_secs(delay),
                Task::Probe(uid.to_string(), i, k as u8, inc),
            );
        }
    }

    /// Runs one probe and acts on its result.
    pub(crate) fn run_probe(&mut self, uid: &str, i: usize, kind: ProbeKind, inc: u32) {
        let now = self.now();
        let Some(rt) = self.runtimes.get(uid) else {
            return;
        };
        let Some(c) = rt.containers.get(i) else {
            return;
        };
        if c.incarnation != inc
            || !c.running()
            || c.stopping
            || c.probes[kind as usize].on_hold
            || rt.terminating && kind != ProbeKind::Readiness
        {
            return;
        }
        let Some(spec) = self.probe_spec(uid, i, kind) else {
            return;
        };
        let name = c.name.clone();
        let period = num(&spec, "periodSeconds", 10) as u64;
        let failure_threshold = num(&spec, "failureThreshold", 3) as u32;
        let success_threshold = num(&spec, "successThreshold", 1) as u32;
        let was_ok = c.probes[kind as usize].ok;
        let (ok, output) = self.probe_once(uid, i, &spec);
        // The result flips only when a threshold is crossed.
        let mut result = was_ok;
        let mut crossed_fail = false;
        let mut crossed_ok = false;
        if let Some(rt) = self.runtimes.get_mut(uid) {
            let st = &mut rt.containers[i].probes[kind as usize];
            if ok {
                st.successes += 1;
                st.fails = 0;
                if st.successes >= success_threshold {
                    st.ok = true;
                    crossed_ok = true;
                }
            } else {
                st.fails += 1;
                st.successes = 0;
                if st.fails >= failure_threshold {
                    st.ok = false;
                    crossed_fail = true;
                }
            }
            result = st.ok;
        }
        if !ok {
            self.kubelet_event(
                uid,
                Some(&name),
                "Warning",
                "Unhealthy",
                format!("{} probe failed: {}", kind.title(), output),
            );
        }
        match kind {
            ProbeKind::Startup if crossed_ok => {
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    rt.containers[i].started_ok = true;
                }
                for k in [ProbeKind::Liveness, ProbeKind::Readiness] {
                    if self.probe_spec(uid, i, k).is_some() {
                        self.schedule(now, Task::Probe(uid.to_string(), i, k as u8, inc));
                    }
                }
                self.refresh_status(uid);
                return;
            }
            ProbeKind::Liveness | ProbeKind::Startup if crossed_fail => {
                if let Some(rt) = self.runtimes.get_mut(uid) {
                    rt.containers[i].probes[kind as usize].on_hold = true;
                }
                let policy = self
                    .runtimes
                    .get(uid)
                    .and_then(|rt| self.pods.get(&rt.key))
                    .map(|p| p.spec.restart_policy.clone())
                    .unwrap_or_default();
                let what = if kind == ProbeKind::Liveness {
                    "liveness"
                } else {
                    "startup"
                };
                let suffix = if policy == "Never" {
                    ""
                } else {
                    ", will be restarted"
                };
                let grace = spec
                    .get("terminationGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .or_else(|| {
                        self.runtimes
                            .get(uid)
                            .and_then(|rt| self.pods.get(&rt.key))
                            .and_then(|p| p.spec.termination_grace_period_seconds)
                    })
                    .unwrap_or(30);
                self.kill_container(
                    uid,
                    i,
                    grace,
                    format!("Container {name} failed {what} probe{suffix}"),
                );
                return;
            }
            ProbeKind::Readiness if result != was_ok => self.refresh_status(uid),
            _ => {}
        }
        self.schedule(
            now.plus_secs(period),
            Task::Probe(uid.to_string(), i, kind as u8, inc),
        );
    }

    /// One probe run: (success, output on failure).
    fn probe_once(&mut self, uid: &str, i: usize, spec: &Value) -> (bool, String) {
        let Some(rt) = self.runtimes.get(uid) else {
            return (false, String::new());
        };
        let c = &rt.containers[i];
        let ip = rt.ip.map(|ip| ip.to_string()).unwrap_or_default();
        let ports = c.spec.ports.clone();
        let name = c.name.clone();
        if let Some(cmd) = spec.pointer("/exec/command").and_then(Value::as_array) {
            let argv: Vec<String> = cmd
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            return match self.exec_in(uid, &name, &argv) {
                Ok((_, _, 0)) => (true, String::new()),
                Ok((o, e, _)) => (false, format!("{o}{e}")),
                Err(e) => (false, e),
            };
        }
        if let Some(h) = spec.get("httpGet") {
            let host = action_host(h, &ip);
            let Some(port) = port_of(h.get("port"), &ports) else {
                return (false, "port not found".into());
            };
            let url = http_action_url(h, &host, port);
            let from = self.kubelet_source(uid);
            return match self.http_request(&url, from, "kube-probe/1.32") {
                Ok((code, _)) if (200..400).contains(&code) => (true, String::new()),
                Ok((code, _)) => (false, format!("HTTP probe failed with statuscode: {code}")),
                Err(_) => (
                    false,
                    format!("Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"),
                ),
            };
        }
        if let Some(t) = spec.get("tcpSocket") {
            let host = action_host(t, &ip);
            let Some(port) = port_of(t.get("port"), &ports) else {
                return (false, "port not found".into());
            };
            return match self.listener(uid, port) {
                Some(index) => {
                    self.count_connection(uid, index);
                    (true, String::new())
                }
                None => (
                    false,
                    format!("dial tcp {host}:{port}: connect: connection refused"),
                ),
            };
        }
        if let Some(g) = spec.get("grpc") {
            let port = g.get("port").and_then(Value::as_u64).unwrap_or(0) as u16;
            return if self.listener(uid, port).is_some() {
                (true, String::new())
            } else {
                (false, format!("timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded"))
            };
        }
        (false, String::new())
    }

    /// Stops one container: `Killing` event, preStop within the grace period, SIGTERM, then
    /// SIGKILL when the (remaining) grace period ends.
    pub(crate) fn kill_container(&mut self, uid: &str, i: usize, grace: i64, message: String) {
        let now = self.now();
        let Some(rt) = self.runtimes.get_mut(uid) else {
            return;
        };
        let Some(c) = rt.containers.get_mut(i) else {
            return;
        };
        if !c.running() || c.stopping {
            return;
        }
        c.stopping = true;
        let name = c.name.clone();
        let inc = c.incarnation;
        let handles = c.handles_term;
        if handles
            && c.pulled
                .is_some_and(|img| img.repo == "docker.io/library/nginx")
        {
            // nginx's stop signal is SIGQUIT: a graceful shutdown.
            c.log
                .write(now, &super::images::nginx_shutdown(now, 2, None));
        }
        let pre_stop = c
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.get("preStop"))
            .cloned();
        self.kubelet_event(uid, Some(&name), "Normal", "Killing", message);
        let mut g = grace.max(0) as u64 * 1000;
        let mut hook_ms = 0;
        if let (Some(hook), true) = (pre_stop, g > 0) {
            let (ok, elapsed) = self.run_hook(uid, i, &hook, g);
            hook_ms = elapsed.min(g);
            if !ok {
                self.kubelet_event(
                    uid,
                    Some(&name),
                    "Warning",
                    "FailedPreStopHook",
                    "PreStopHook failed".into(),
                );
            }
            g = g.saturating_sub(hook_ms / 1000 * 1000);
        }
        if g < 2000 {
            g = 2000;
        }
        let term_at = now.plus_ms(hook_ms);
        if handles {
            self.schedule(term_at.plus_ms(100), Task::Exit(uid.to_string(), i, inc, 0));
        } else {
            // SIGTERM after the hook: a shell's TERM trap may still end the process in time.
            self.schedule(term_at, Task::Term(uid.to_string(), i, inc));
            self.schedule(term_at.plus_ms(g), Task::Exit(uid.to_string(), i, inc, 137));
        }
    }

    /// Runs a lifecycle handler; returns (success, how long it took in ms, bounded by `limit`).
    pub(crate) fn run_hook(
        &mut self,
        uid: &str,
        i: usize,
        hook: &Value,
        limit: u64,
    ) -> (bool, u64) {
        if let Some(cmd) = hook.pointer("/exec/command").and_then(Value::as_array) {
            let argv: Vec<String> = cmd
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            let name = self
                .runtimes
                .get(uid)
                .map(|rt| rt.containers[i].name.clone())
                .unwrap_or_default();
            return match self.exec_timed(uid, &name, &argv, limit) {
                Some((code, ms)) => (code == 0, ms),
                None => (false, 0),
            };
        }
        if let Some(secs) = hook.pointer("/sleep/seconds").and_then(Value::as_u64) {
            return (true, (secs * 1000).min(limit));
        }
        if let Some(h) = hook.get("httpGet") {
            return (self.hook_http(uid, i, h).is_ok(), 0);
        }
        (false, 0)
    }

    /// The address the kubelet's requests to a pod come from: its node's bridge (`cni0`).
    fn kubelet_source(&self, uid: &str) -> std::net::Ipv4Addr {
        let node = self
            .runtimes
            .get(uid)
            .and_then(|rt| self.nodes.get(&rt.node));
        node.map_or(std::net::Ipv4Addr::UNSPECIFIED, |n| n.pod_cidr.nth(1))
    }

    /// An HTTP hook's GET; the error is the kubelet's text.
    pub(crate) fn hook_http(&mut self, uid: &str, i: usize, h: &Value) -> Result<(), String> {
        let Some(rt) = self.runtimes.get(uid) else {
            return Err("pod not found".into());
        };
        let ip = rt.ip.map(|ip| ip.to_string()).unwrap_or_default();
        let ports = rt.containers[i].spec.ports.clone();
        let (cname, pod_name, ns) = (
            rt.containers[i].name.clone(),
            rt.key.1.clone(),
            rt.key.0.clone(),
        );
        let host = action_host(h, &ip);
        let port = port_of(h.get("port"), &ports).unwrap_or(80);
        let path = h.get("path").and_then(Value::as_str).unwrap_or("/");
        let url = http_action_url(h, &host, port);
        let from = self.kubelet_source(uid);
        match self.http_request(&url, from, "kube-lifecycle/1.32") {
            Ok((code, _)) if (200..400).contains(&code) => Ok(()),
            Ok((code, _)) => Err(format!("HTTP lifecycle hook ({path}) for Container \"{}\" in Pod \"{}_{}({uid})\" failed - error: <nil>, message: \"HTTP lifecycle hook failed with statuscode: {code}\"", cname, pod_name, ns)),
            Err(e) => {
                let why = if host.parse::<std::net::Ipv4Addr>().is_ok() {
                    format!("dial tcp {host}:{port}: connect: connection refused")
                } else {
                    let _ = e;
                    format!("dial tcp: lookup {host} on 192.168.1.1:53: no such host")
                };
                Err(format!("HTTP lifecycle hook ({path}) for Container \"{}\" in Pod \"{}_{}({uid})\" failed - error: Get \"{url}\": {why}, message: \"\"", cname, pod_name, ns))
            }
        }
    }

    /// Handles a container's postStart hook right after it started. Returns false if it failed
    /// (the container is then being killed).
    pub(crate) fn post_start(
        &mut self,
        uid: &str,
        i: usize,
        before: (ContainerState, ContainerState, i32),
    ) -> bool {
        let Some(hook) = self
            .runtimes
            .get(uid)
            .and_then(|rt| rt.containers[i].spec.lifecycle.as_ref())
            .and_then(|l| l.get("postStart"))
            .cloned()
        else {
            return true;
        };
        let name = self.runtimes[uid].containers[i].name.clone();
        let key = self.runtimes[uid].key.clone();
        let failure: Option<String> = if let Some(h) = hook.get("httpGet") {
            self.hook_http(uid, i, h).err()
        } else if let Some(cmd) = hook.pointer("/exec/command").and_then(Value::as_array) {
            let argv: Vec<String> = cmd
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            match self.exec_in(uid, &name, &argv) {
                Ok((_, _, 0)) => None,
                Ok((o, e, code)) => Some(format!(
                    "Exec lifecycle hook ({argv:?}) for Container \"{name}\" in Pod \"{}_{}({uid})\" failed - error: command '{}' exited with {code}: {e}, message: \"{o}{e}\"",
                    key.1,
                    key.0,
                    argv.join(" ")
                )),
                Err(e) => Some(e),
            }
        } else {
            hook.get("tcpSocket")
                .map(|_| "TCPSocket is not supported in lifecycle hooks".to_string())
        };
        let Some(msg) = failure else {
            // The kubelet reports the container only once the hook returns: a hook that sleeps
            // keeps it ContainerCreating (the Started event is already out) until then.
            let took = match hook.pointer("/exec/command").and_then(Value::as_array) {
                Some(cmd) if cmd.len() >= 3 && cmd[1].as_str() == Some("-c") => {
                    cmd[2].as_str().map_or(0, sleep_total)
                }
                _ => 0,
            };
            if took > 0 {
                let now = self.now();
                if let Some(c) = self
                    .runtimes
                    .get_mut(uid)
                    .and_then(|rt| rt.containers.get_mut(i))
                {
                    c.shown = Some(before);
                    let inc = c.incarnation;
                    self.schedule(now.plus_ms(took), Task::HookDone(uid.to_string(), i, inc));
                }
            }
            return true;
        };
        self.kubelet_event(
            uid,
            Some(&name),
            "Warning",
            "FailedPostStartHook",
            "PostStartHook failed".into(),
        );
        if let Some(rt) = self.runtimes.get_mut(uid) {
            let c = &mut rt.containers[i];
            c.shown = Some(before);
            c.exit_reason = Some(("PostStartHookError".into(), msg));
        }
        let grace = self
            .pods
            .get(&key)
            .and_then(|p| p.spec.termination_grace_period_seconds)
            .unwrap_or(30);
        self.kill_container(uid, i, grace, "FailedPostStartHook".into());
        false
    }

    /// Runs a command in a container, letting it sleep up to `limit` ms of virtual time.
    /// Returns (exit code, elapsed ms).
    fn exec_timed(
        &mut self,
        uid: &str,
        container: &str,
        argv: &[String],
        limit: u64,
    ) -> Option<(i32, u64)> {
        let script_sleeps: u64 = if argv.len() >= 3 && argv[1] == "-c" {
            sleep_total(&argv[2])
        } else {
            0
        };
        let (_, _, code) = self.exec_in(uid, container, argv).ok()?;
        // A hook still running when the grace period ends is abandoned, not failed.
        Some((
            if script_sleeps > limit { 0 } else { code },
            script_sleeps.min(limit),
        ))
    }
}

/// The total of the `sleep N` commands in a simple script (how long a hook runs).
fn sleep_total(script: &str) -> u64 {
    script
        .split([';', '&', '\n'])
        .filter_map(|part| {
            let mut w = part.split_whitespace();
            (w.next() == Some("sleep"))
                .then(|| w.next().and_then(super::time::parse_duration))
                .flatten()
        })
        .sum()
}

/// Helpers the kubelet uses for the runtime it keeps per pod.
impl PodRuntime {
    pub fn container_index(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| c.name == name)
    }
}
