//! The smaller commands: `logs`, `exec`, `run`, `label`/`annotate`, `patch`, `create
//! namespace|configmap|secret`, `cordon`, `version`, `api-resources`, `cluster-info`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::apply::wait_for_deletion;
use super::args::{flag, parse, FlagSpec, Parsed};
use super::get::{namespace, resolve_kind, targets};
use super::{encode, Ctx, Output};
use crate::sim::api::ApiError;
use crate::sim::meta::Kind;
use crate::sim::pod::{ContainerState, Pod};
use crate::sim::time::{parse_rfc3339 as parse_rfc3339_time, SimTime};

pub(crate) const COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Cobra's "Did you mean this?" suggestion.
pub fn suggest(cmd: &str) -> Option<String> {
    let hits: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| *c != cmd && (levenshtein(cmd, c) <= 2 || c.starts_with(cmd)))
        .collect();
    (!hits.is_empty()).then(|| hits.join("\n\t"))
}

fn usage_error(out: &mut Output, e: String, cmd: &str) {
    out.fail(e);
    out.err(format!("See 'kubectl {cmd} --help' for usage.\n"));
}

/// `POD` or `pod/POD` (and `TYPE/NAME` for other kinds, refused).
fn pod_name(arg: &str) -> Result<String, String> {
    match arg.split_once('/') {
        None => Ok(arg.to_string()),
        Some((t, n)) => match resolve_kind(t) {
            Some(Kind::Pod) => Ok(n.to_string()),
            Some(_) => Err(format!(
                "cannot attach to {t}: selector for {t} not implemented"
            )),
            None => Err(super::get::unknown_type(t)),
        },
    }
}

fn all_container_names(p: &Pod) -> String {
    let mut names: Vec<String> = p.spec.containers.iter().map(|c| c.name.clone()).collect();
    names.extend(
        p.spec
            .init_containers
            .iter()
            .map(|c| format!("{} (init)", c.name)),
    );
    names.join(", ")
}

/// Picks the container: `-c`, the default-container annotation, or the first (with a notice).
fn pick_container(p: &Pod, wanted: Option<&str>, out: &mut Output) -> String {
    if let Some(c) = wanted {
        return c.to_string();
    }
    if let Some(d) = p
        .meta
        .annotations
        .get("kubectl.kubernetes.io/default-container")
    {
        return d.clone();
    }
    let first = p
        .spec
        .containers
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    if p.spec.containers.len() + p.spec.init_containers.len() > 1 {
        out.err(format!(
            "Defaulted container \"{first}\" out of: {}\n",
            all_container_names(p)
        ));
    }
    first
}

const LOGS_FLAGS: &[FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("previous", Some('p'), false),
    flag("follow", Some('f'), false),
    flag("tail", None, true),
    flag("timestamps", None, false),
    flag("all-containers", None, false),
    flag("since", None, true),
    flag("since-time", None, true),
    flag("limit-bytes", None, true),
    flag("prefix", None, false),
];

/// Whether a `kubectl logs` command line follows the log (`-f`, and not `--previous`).
pub fn logs_follow(args: &[String]) -> bool {
    parse(args, LOGS_FLAGS).is_ok_and(|p| p.bool("follow") && !p.bool("previous"))
}

/// The pod uid and container a `kubectl logs` command line reads, chosen as `logs` chooses.
pub fn logs_target(world: &crate::sim::World, args: &[String]) -> Option<(String, String)> {
    let p = parse(args, LOGS_FLAGS).ok()?;
    let name = pod_name(p.positional.first()?).ok()?;
    let pod = world.pods.get(&(namespace(&p), name))?;
    let wanted = p
        .get("container")
        .or_else(|| p.positional.get(1).map(String::as_str));
    let container = pick_container(pod, wanted, &mut Output::default());
    Some((pod.meta.uid.clone(), container))
}

pub fn logs(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, LOGS_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "logs"),
    };
    // Flag values are typed: a value that is no number or duration is a usage error.
    let int_flag = |name: &str| -> Result<Option<i64>, String> {
        p.get(name).map_or(Ok(None), |v| {
            v.parse::<i64>().map(Some).map_err(|_| {
                format!("invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
            })
        })
    };
    let (tail_flag, limit) = match (int_flag("tail"), int_flag("limit-bytes")) {
        (Ok(t), Ok(l)) => (t, l),
        (Err(e), _) | (_, Err(e)) => return usage_error(out, e, "logs"),
    };
    let since = match p.get("since").map(crate::sim::time::parse_go_duration) {
        None => None,
        Some(Ok(ms)) => Some(ms),
        Some(Err(e)) => {
            let v = p.get("since").unwrap_or_default();
            return usage_error(
                out,
                format!("invalid argument \"{v}\" for \"--since\" flag: {e}"),
                "logs",
            );
        }
    };
    let Some(first) = p.positional.first() else {
        out.fail("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
        out.err("See 'kubectl logs -h' for help and examples\n");
        return;
    };
    let name = match pod_name(first) {
        Ok(n) => n,
        Err(e) => return out.fail(e),
    };
    let ns = namespace(&p);
    let Some(pod) = ctx.world.pods.get(&(ns.clone(), name.clone())).cloned() else {
        // kubectl looks the pod up itself and wraps the server's answer.
        return out.fail(format!(
            "error from server (NotFound): pods \"{name}\" not found in namespace \"{ns}\""
        ));
    };
    // kubectl validates the values once it has found the pod.
    if let Some(t) = p.get("since-time") {
        if !is_rfc3339(t) {
            return out.fail(format!(
                "parsing time \"{t}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{t}\" as \"2006\""
            ));
        }
        if since.is_some() {
            return out.fail("at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
    }
    if since.is_some_and(|ms| ms < 0) {
        return out.fail("--since must be greater than 0");
    }
    if limit.is_some_and(|l| l < 0) {
        return out.fail("--limit-bytes must be greater than 0");
    }
    if tail_flag.is_some_and(|t| t < -1) {
        return out.fail("--tail must be greater than or equal to -1");
    }
    let wanted = p
        .get("container")
        .or_else(|| p.positional.get(1).map(String::as_str));
    if let Some(w) = wanted {
        if !pod.all_containers().any(|c| c.name == w) {
            return out.fail(format!("container {w} is not valid for pod {name}"));
        }
    }
    // --all-containers reads init containers, then the others, and names no default.
    let all = p.bool("all-containers") && wanted.is_none();
    let containers: Vec<String> = if all {
        pod.spec
            .init_containers
            .iter()
            .chain(pod.spec.containers.iter())
            .map(|c| c.name.clone())
            .collect()
    } else {
        vec![pick_container(&pod, wanted, out)]
    };
    let previous = p.bool("previous");
    let since_time: Option<SimTime> = match p.get("since-time") {
        Some(t) => parse_rfc3339_time(t),
        None => since
            .map(|ms| SimTime::from_ms(ctx.world.now().millis().saturating_sub(ms.max(0) as u64))),
    };
    let mut last = String::new();
    for container in &containers {
        let Some(status) = pod
            .status
            .init_container_statuses
            .iter()
            .chain(pod.status.container_statuses.iter())
            .find(|s| &s.name == container)
        else {
            if pod.spec.node_name.is_empty() {
                // An unscheduled pod has no logs yet: kubectl prints nothing.
                return;
            }
            return out.api_error(&ApiError::BadRequest(format!("container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating")), None);
        };
        if previous && !matches!(status.last_state, ContainerState::Terminated { .. }) {
            return out.api_error(
                &ApiError::BadRequest(format!(
                    "previous terminated container \"{container}\" in pod \"{name}\" not found"
                )),
                None,
            );
        }
        if !previous && status.container_id.is_none() {
            let reason = match &status.state {
                ContainerState::Waiting { reason, .. } if reason == "ErrImagePull" => {
                    "image can't be pulled".to_string()
                }
                ContainerState::Waiting { reason, .. } if reason == "ImagePullBackOff" => {
                    "trying and failing to pull image".to_string()
                }
                ContainerState::Waiting { reason, .. } => reason.clone(),
                _ => "ContainerCreating".into(),
            };
            return out.api_error(
                &ApiError::BadRequest(format!(
                    "container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
                )),
                None,
            );
        }
        let uid = pod.meta.uid.clone();
        let lines: Vec<(SimTime, String)> = ctx
            .world
            .container_log_lines(&uid, container, previous)
            .into_iter()
            .filter(|(t, _)| since_time.is_none_or(|s| *t >= s))
            .collect();
        let skip = match tail_flag.filter(|t| *t >= 0) {
            Some(n) => lines
                .len()
                .saturating_sub(usize::try_from(n).unwrap_or(usize::MAX)),
            None => 0,
        };
        let prefix = if p.bool("prefix") {
            format!("[pod/{name}/{container}] ")
        } else {
            String::new()
        };
        let mut shown = String::new();
        for (t, line) in &lines[skip..] {
            shown.push_str(&prefix);
            if p.bool("timestamps") {
                shown.push_str(&t.rfc3339_nano());
                shown.push(' ');
            }
            shown.push_str(line);
        }
        if let Some(limit) = limit
            .and_then(|l| usize::try_from(l).ok())
            .filter(|l| *l > 0)
        {
            let mut cut = limit.min(shown.len());
            while !shown.is_char_boundary(cut) {
                cut -= 1;
            }
            shown.truncate(cut);
        }
        out.out(shown);
        last = container.clone();
    }
    let _ = last;
    let uid = pod.meta.uid.clone();
    if p.bool("follow") && !previous {
        let until = ctx.world.now().plus_ms(ctx.watch_ms.unwrap_or(60_000));
        // Every container shown is followed (one with --all-containers); bytes written so far
        // mark what is new, even after old lines are dropped.
        let mut streams: Vec<(String, Option<u64>)> = containers
            .iter()
            .map(|c| {
                let seen = ctx.world.container_log_buffer(&uid, c).map(|l| l.written());
                (c.clone(), seen)
            })
            .collect();
        while let Some(t) = ctx.world.next_event_at() {
            if t > until || streams.iter().all(|(_, seen)| seen.is_none()) {
                break;
            }
            ctx.world.step();
            let now = ctx.world.now();
            for (c, seen) in streams.iter_mut() {
                let Some(done) = *seen else { continue };
                let Some(log) = ctx.world.container_log_buffer(&uid, c) else {
                    *seen = None;
                    continue;
                };
                match log.since(done) {
                    // A restart began another log: the stream of this one is over.
                    None => *seen = None,
                    Some("") => {}
                    Some(new) => {
                        let mut text = String::new();
                        for line in new.split_inclusive('\n') {
                            if p.bool("prefix") {
                                text.push_str(&format!("[pod/{name}/{c}] "));
                            }
                            if p.bool("timestamps") {
                                text.push_str(&now.rfc3339_nano());
                                text.push(' ');
                            }
                            text.push_str(line);
                        }
                        out.out(text);
                        *seen = Some(log.written());
                    }
                }
            }
        }
        ctx.world.run_until(until);
    }
}

/// Whether `t` looks like an RFC 3339 time (`2024-01-01T00:00:00Z`, with an offset or
/// fraction).
fn is_rfc3339(t: &str) -> bool {
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

const EXEC_FLAGS: &[FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    flag("filename", Some('f'), true),
];

pub fn exec(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, EXEC_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "exec"),
    };
    let Some(first) = p.positional.first() else {
        out.fail("pod, type/name or --filename must be specified");
        return;
    };
    if p.positional.len() > 1 && !p.dash_seen {
        out.fail(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
        );
        out.err("See 'kubectl exec -h' for help and examples\n");
        return;
    }
    if p.after_dash.is_empty() {
        out.fail("you must specify at least one command for the container");
        return;
    }
    let name = match pod_name(first) {
        Ok(n) => n,
        Err(e) => return out.fail(e),
    };
    let ns = namespace(&p);
    let Some(pod) = ctx.world.pods.get(&(ns.clone(), name.clone())).cloned() else {
        return out.api_error(&ApiError::not_found(Kind::Pod, &name), None);
    };
    if pod.status.phase.is_terminal() {
        return out.fail(format!(
            "cannot exec into a container in a completed pod; current phase is {}",
            pod.status.phase.as_str()
        ));
    }
    let container = pick_container(&pod, p.get("container"), out);
    if !pod.all_containers().any(|c| c.name == container) {
        return out.api_error(
            &ApiError::BadRequest(format!("container {container} is not valid for pod {name}")),
            None,
        );
    }
    if pod.spec.node_name.is_empty() {
        return out.api_error(
            &ApiError::BadRequest(format!("pod {name} does not have a host assigned")),
            None,
        );
    }
    let running = pod
        .status
        .container_statuses
        .iter()
        .chain(pod.status.init_container_statuses.iter())
        .any(|s| s.name == container && matches!(s.state, ContainerState::Running { .. }));
    if !running {
        return out.fail(format!("Internal error occurred: unable to upgrade connection: container not found (\"{container}\")"));
    }
    if p.bool("tty") {
        out.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    match ctx.world.exec_in(&pod.meta.uid, &container, &p.after_dash) {
        Ok((o, e, 127))
            if !matches!(
                p.after_dash[0].rsplit('/').next(),
                Some("sh" | "bash" | "ash")
            ) && e.contains("not found") =>
        {
            // The runtime could not start the program at all.
            let _ = o;
            let exec_id = ctx.world.random_hex(64);
            out.fail(format!(
                "Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                p.after_dash[0]
            ));
        }
        Ok((o, e, code)) => {
            out.out(o);
            if !e.is_empty() {
                out.err(e);
            }
            if code != 0 {
                out.err(format!("command terminated with exit code {code}\n"));
                out.code = code;
            }
        }
        Err(e) => out.fail(format!("unable to upgrade connection: {e}")),
    }
}

const RUN_FLAGS: &[FlagSpec] = &[
    flag("image", None, true),
    flag("restart", None, true),
    flag("command", None, false),
    flag("env", None, true),
    flag("labels", Some('l'), true),
    flag("port", None, true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("rm", None, false),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("image-pull-policy", None, true),
    flag("attach", None, false),
    flag("annotations", None, true),
    flag("overrides", None, true),
    flag("privileged", None, false),
];

pub fn run_pod(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, RUN_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "run"),
    };
    let Some(name) = p.positional.first().cloned() else {
        out.fail("NAME is required for run");
        out.err("See 'kubectl run -h' for help and examples\n");
        return;
    };
    let Some(image) = p.get("image").filter(|i| !i.is_empty()).map(String::from) else {
        out.fail("required flag(s) \"image\" not set");
        return;
    };
    let attach = p.bool("stdin") || p.bool("tty") || p.bool("attach");
    let dry = p.get("dry-run").filter(|d| *d != "none");
    if dry.is_some() && attach {
        out.fail("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
        out.err("See 'kubectl run -h' for help and examples\n");
        return;
    }
    if p.bool("rm") && !attach {
        return out.fail("--rm should only be used for attached containers");
    }
    let restart = p.get("restart").unwrap_or("Always").to_string();
    if !matches!(restart.as_str(), "Always" | "OnFailure" | "Never") {
        out.fail(format!("invalid restart policy: {restart}"));
        out.err("See 'kubectl run -h' for help and examples\n");
        return;
    }
    let mut labels = BTreeMap::new();
    match p.get("labels") {
        Some(l) => {
            for kv in l.split(',') {
                if let Some((k, v)) = kv.split_once('=') {
                    labels.insert(k.to_string(), v.to_string());
                }
            }
        }
        None => {
            labels.insert("run".to_string(), name.clone());
        }
    }
    let mut container = json!({"name": name, "image": image, "resources": {}});
    let words: Vec<String> = p.after_dash.clone();
    if !words.is_empty() {
        container[if p.bool("command") { "command" } else { "args" }] = json!(words);
    }
    let env: Vec<Value> = p
        .all("env")
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(port) = p.get("port").and_then(|x| x.parse::<i64>().ok()) {
        container["ports"] = json!([{"containerPort": port}]);
    }
    if let Some(pp) = p.get("image-pull-policy") {
        container["imagePullPolicy"] = json!(pp);
    }
    if attach {
        container["stdin"] = json!(p.bool("stdin"));
        if p.bool("stdin") {
            container["stdinOnce"] = json!(true);
        }
        container["tty"] = json!(p.bool("tty"));
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"labels": labels, "name": name, "creationTimestamp": null},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {}
    });
    // --overrides is a JSON merge patch over the generated object (--override-type=merge).
    if let Some(overrides) = p.get("overrides").filter(|o| !o.is_empty()) {
        match serde_json::from_str::<Value>(overrides) {
            Ok(patch) if patch.is_object() => json_patch::merge(&mut pod, &patch),
            _ => return out.fail("Invalid JSON Patch"),
        }
    }
    if dry == Some("client") {
        let fmt = match super::get::output_format(&p) {
            Ok(f) => f,
            Err(e) => return out.fail(e),
        };
        super::get::print_client_object(Kind::Pod, &pod, Some(&fmt), "created", out);
        return;
    }
    let ns = namespace(&p);
    let mut obj = pod.clone();
    if let Some(m) = obj.as_object_mut() {
        m.remove("status");
    }
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("creationTimestamp");
    }
    if let Err(e) = ctx.world.create_pod(&obj, &ns) {
        return out.api_error(&e, None);
    }
    if !attach {
        out.warnings(ctx.world);
        out.out(format!("pod/{name} created\n"));
        return;
    }
    // Attached: wait for the container to start, show what it printed, and (with --rm) clean up.
    if p.bool("tty") && !ctx.interactive {
        out.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    let key = (ns.clone(), name.clone());
    let limit = ctx.world.now().plus_ms(300_000);
    loop {
        let started = ctx.world.pods.get(&key).is_some_and(|p| {
            p.status
                .container_statuses
                .iter()
                .any(|s| s.container_id.is_some())
        });
        if started {
            break;
        }
        match ctx.world.next_event_at() {
            Some(t) if t <= limit => {
                ctx.world.step();
            }
            _ => break,
        }
    }
    ctx.world.advance(1000);
    if ctx.interactive {
        // The REPL attaches a shell next; it cleans up afterwards.
        out.out("If you don't see a command prompt, try pressing enter.\n");
        return;
    }
    if let Some(pod) = ctx.world.pods.get(&key) {
        let uid = pod.meta.uid.clone();
        out.out(
            ctx.world
                .container_log(&uid, &name, false)
                .unwrap_or_default(),
        );
    }
    if p.bool("rm") {
        if ctx.world.delete_pod(&ns, &name, None).is_ok() {
            out.out(format!("pod \"{name}\" deleted\n"));
        }
        wait_for_deletion(ctx, &[key]);
    }
}

const LABEL_FLAGS: &[FlagSpec] = &[
    flag("overwrite", None, false),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("list", None, false),
    flag("resource-version", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
];

/// `kubectl label` and `kubectl annotate`.
pub fn label(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output, field: &str) {
    let cmd = if field == "labels" {
        "label"
    } else {
        "annotate"
    };
    let p = match parse(args, LABEL_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, cmd),
    };
    // Split the arguments into resources and key=value / key- changes.
    let (changes, resources): (Vec<String>, Vec<String>) = p
        .positional
        .iter()
        .cloned()
        .partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    let list = p.bool("list");
    if list && p.has("output") {
        return out.fail("--list and --output may not be specified together");
    }
    if changes.is_empty() && !list {
        return out.fail(format!(
            "at least one {} update is required",
            &field[..field.len() - 1]
        ));
    }
    for c in &changes {
        if c.matches('=').count() > 1 {
            return out.fail(format!("invalid {} spec: {c}", &field[..field.len() - 1]));
        }
    }
    let removed: Vec<&str> = changes
        .iter()
        .filter_map(|c| c.strip_suffix('-'))
        .filter(|k| !k.contains('='))
        .collect();
    if changes
        .iter()
        .any(|c| c.split_once('=').is_some_and(|(k, _)| removed.contains(&k)))
    {
        return out.fail(format!(
            "can not both modify and remove {} in the same command",
            if field == "labels" {
                "a label"
            } else {
                "an annotation"
            }
        ));
    }
    let fmt = match super::get::output_format(&p) {
        Ok(super::get::Format::Table { .. }) => None,
        Ok(f) => Some(f),
        Err(e) => return out.fail(e),
    };
    // kubectl checks label values itself; keys are left to the API server.
    if field == "labels" {
        for c in &changes {
            if let Some((_, v)) = c.split_once('=') {
                let msgs = crate::sim::validation::label_value(v);
                if !msgs.is_empty() {
                    return out.fail(format!("invalid label value: \"{c}\": {}", msgs.join("; ")));
                }
            }
        }
    }
    let groups =
        match targets(&resources) {
            Ok(g) if !g.is_empty() => g,
            Ok(_) => return out.fail(
                "one or more resources must be specified as <resource> <name> or <resource>/<name>",
            ),
            Err(e) => return out.fail(e),
        };
    let ns = namespace(&p);
    let overwrite = p.bool("overwrite");
    let several = groups.iter().map(|(_, n)| n.len()).sum::<usize>() > 1;
    for (kind, names) in groups {
        for name in names {
            let current: Option<BTreeMap<String, String>> = match kind {
                Kind::Pod => ctx.world.pods.get(&(ns.clone(), name.clone())).map(|p| {
                    if field == "labels" {
                        p.meta.labels.clone()
                    } else {
                        p.meta.annotations.clone()
                    }
                }),
                Kind::Node => ctx.world.nodes.get(&name).map(|n| {
                    if field == "labels" {
                        n.meta.labels.clone()
                    } else {
                        n.meta.annotations.clone()
                    }
                }),
                Kind::Namespace => ctx.world.namespaces.get(&name).map(|n| {
                    if field == "labels" {
                        n.meta.labels.clone()
                    } else {
                        n.meta.annotations.clone()
                    }
                }),
                Kind::Service => ctx
                    .world
                    .services
                    .get(&(ns.clone(), name.clone()))
                    .map(|s| {
                        if field == "labels" {
                            s.meta.labels.clone()
                        } else {
                            s.meta.annotations.clone()
                        }
                    }),
                _ => None,
            };
            let Some(mut map) = current else {
                out.api_error(&ApiError::not_found(kind, &name), None);
                continue;
            };
            if list {
                // kubectl walks a Go map (in no set order); podplay lists keys sorted.
                if several {
                    out.out(format!("Listing {field} for {}./{name}:\n", kind.name()));
                }
                for (k, v) in &map {
                    out.out(format!("{}{k}={v}\n", if several { " " } else { "" }));
                }
                continue;
            }
            let before = map.clone();
            let mut conflicts = Vec::new();
            let mut absent = Vec::new();
            for c in &changes {
                if let Some(k) = c.strip_suffix('-').filter(|_| !c.contains('=')) {
                    if map.remove(k).is_none() && field == "labels" {
                        absent.push(format!("label \"{k}\" not found.\n"));
                    }
                } else if let Some((k, v)) = c.split_once('=') {
                    if let Some(old) = map.get(k) {
                        if !overwrite && old != v {
                            conflicts.push(format!("'{k}' already has a value ({old})"));
                            continue;
                        }
                    }
                    map.insert(k.to_string(), v.to_string());
                }
            }
            if let Some(first) = conflicts.first() {
                if field == "labels" {
                    out.fail(format!("{first}, and --overwrite is false"));
                } else {
                    out.fail(format!(
                        "--overwrite is false but found the following declared annotation(s): {}",
                        conflicts.join("; ")
                    ));
                }
                return;
            }
            for note in absent {
                out.out(note);
            }
            // label: unchanged → "not labeled"; shorter without --overwrite → "unlabeled"
            // (kubectl compares the object's JSON before and after); annotate always says
            // "annotated".
            let size =
                |m: &BTreeMap<String, String>| serde_json::to_string(m).map_or(0, |s| s.len());
            let verb = if field != "labels" {
                "annotated"
            } else if map == before {
                "not labeled"
            } else if !overwrite && size(&map) < size(&before) {
                "unlabeled"
            } else {
                "labeled"
            };
            // Every write is validated as the API server validates it: nothing is stored
            // when a key or value is refused.
            if matches!(kind, Kind::Node | Kind::Namespace | Kind::Service) {
                let (labels, annotations) = if field == "labels" {
                    (map.clone(), BTreeMap::new())
                } else {
                    (BTreeMap::new(), map.clone())
                };
                let errs = crate::sim::validation::validate_meta_maps(&labels, &annotations);
                if !errs.is_empty() {
                    let kind_name = kind.name();
                    out.api_error(
                        &ApiError::Invalid {
                            kind: kind_name.into(),
                            name: name.clone(),
                            causes: errs,
                        },
                        None,
                    );
                    continue;
                }
            }
            match kind {
                Kind::Pod => {
                    let written = ctx.world.patch_pod_meta(&ns, &name, |m| {
                        if field == "labels" {
                            m.labels = map.clone();
                        } else {
                            m.annotations = map.clone();
                        }
                    });
                    if let Err(e) = written {
                        out.api_error(&e, None);
                        continue;
                    }
                }
                Kind::Node => {
                    if let Some(n) = ctx.world.nodes.get_mut(&name) {
                        if field == "labels" {
                            n.meta.labels = map.clone();
                        } else {
                            n.meta.annotations = map.clone();
                        }
                    }
                    ctx.world.reschedule_pending();
                }
                Kind::Namespace => {
                    if let Some(n) = ctx.world.namespaces.get_mut(&name) {
                        if field == "labels" {
                            n.meta.labels = map.clone();
                        } else {
                            n.meta.annotations = map.clone();
                        }
                    }
                }
                Kind::Service => {
                    let rv = ctx.world.next_resource_version();
                    if let Some(s) = ctx.world.services.get_mut(&(ns.clone(), name.clone())) {
                        if field == "labels" {
                            s.meta.labels = map.clone();
                        } else {
                            s.meta.annotations = map.clone();
                        }
                        s.meta.resource_version = rv;
                    }
                }
                _ => {}
            }
            match &fmt {
                Some(f) => {
                    let value =
                        super::get::list(ctx.world, kind, kind.namespaced().then_some(ns.as_str()))
                            .into_iter()
                            .find(|i| i.name == name)
                            .map(|i| i.value);
                    if let Some(v) = value {
                        super::get::print_objects(&[(kind, v)], f, true, out);
                    }
                }
                None => out.out(format!("{}/{name} {verb}\n", kind.singular())),
            }
        }
    }
}

pub fn create_sub(ctx: &mut Ctx<'_>, sub: &str, args: &[String], out: &mut Output) {
    if sub == "service" || sub == "svc" {
        return super::expose::create_service(ctx, args, out);
    }
    const F: &[FlagSpec] = &[
        flag("from-literal", None, true),
        flag("from-file", None, true),
        flag("dry-run", None, true),
        flag("output", Some('o'), true),
        flag("type", None, true),
        flag("save-config", None, false),
    ];
    let p = match parse(args, F) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "create"),
    };
    let rest: Vec<String> = p.positional.iter().skip(1).cloned().collect();
    let ns = namespace(&p);
    let fmt = match super::get::output_format(&p) {
        Ok(super::get::Format::Table { .. }) => None,
        Ok(f) => Some(f),
        Err(e) => return out.fail(e),
    };
    // A client dry run answers without the server; a server one runs (on the dispatcher's
    // throw-away copy of the cluster) so the server's checks apply.
    let dry = p.get("dry-run") == Some("client");
    match sub {
        "namespace" | "ns" => {
            let Some(name) = rest.first() else {
                out.fail("exactly one NAME is required, got 0");
                out.err("See 'kubectl create namespace -h' for help and examples\n");
                return;
            };
            if dry {
                let obj = json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name, "creationTimestamp": null}, "spec": {}, "status": {}});
                return super::get::print_client_object(
                    Kind::Namespace,
                    &obj,
                    fmt.as_ref(),
                    "created",
                    out,
                );
            }
            match ctx
                .world
                .create(Kind::Namespace, &json!({"metadata": {"name": name}}), "")
            {
                Ok(_) => out.out(format!("namespace/{name} created\n")),
                Err(e) => out.api_error(&e, None),
            }
        }
        "configmap" | "cm" | "secret" => {
            let (kind, rest) = if sub == "secret" {
                match rest.first().map(String::as_str) {
                    Some("generic") => (Kind::Secret, rest[1..].to_vec()),
                    Some(other) => {
                        return out.fail(format!(
                            "unknown command \"{other}\" for \"kubectl create secret\""
                        ))
                    }
                    None => return out.fail("exactly one NAME is required, got 0"),
                }
            } else {
                (Kind::ConfigMap, rest)
            };
            let Some(name) = rest.first() else {
                return out.fail("exactly one NAME is required, got 0");
            };
            let mut data = serde_json::Map::new();
            for lit in p.all("from-literal") {
                let Some((k, v)) = lit.split_once('=') else {
                    return out.fail(format!("invalid literal source {lit}, expected key=value"));
                };
                let v = if kind == Kind::Secret {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(v)
                } else {
                    v.to_string()
                };
                if data.contains_key(k) {
                    return out.fail(format!(
                        "cannot add key \"{k}\", another key by that name already exists in Data for {} \"{name}\"",
                        kind.name()
                    ));
                }
                data.insert(k.to_string(), Value::String(v));
            }
            for f in p.all("from-file") {
                let (key, path) = f.split_once('=').map_or(
                    (f.rsplit('/').next().unwrap_or(&f).to_string(), f.clone()),
                    |(k, p)| (k.to_string(), p.to_string()),
                );
                let Some(content) = ctx.files.read(&path) else {
                    return out.fail(format!("error reading {path}: no such file or directory"));
                };
                let v = if kind == Kind::Secret {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(content)
                } else {
                    content
                };
                data.insert(key, Value::String(v));
            }
            let mut obj = json!({"metadata": {"name": name}, "data": data});
            if kind == Kind::Secret {
                obj["type"] = json!(p.get("type").unwrap_or("Opaque"));
            }
            if dry {
                let mut client = json!({"kind": kind.name(), "apiVersion": "v1", "metadata": {"name": name, "creationTimestamp": null}});
                if let Some(ns) = p.get("namespace") {
                    client["metadata"]["namespace"] = json!(ns);
                }
                if !obj["data"].as_object().is_some_and(|m| m.is_empty()) {
                    client["data"] = obj["data"].clone();
                }
                if let Some(t) = p.get("type") {
                    client["type"] = json!(t);
                }
                return super::get::print_client_object(
                    kind,
                    &client,
                    fmt.as_ref(),
                    "created",
                    out,
                );
            }
            match ctx.world.create(kind, &obj, &ns) {
                Ok(_) => out.out(format!("{}/{name} created\n", kind.singular())),
                Err(ApiError::AlreadyExists { resource, name }) => {
                    if kind == Kind::Secret {
                        out.fail(format!(
                            "failed to create secret {resource} \"{name}\" already exists"
                        ));
                    } else {
                        out.fail(format!(
                            "failed to create configmap: {resource} \"{name}\" already exists"
                        ));
                    }
                }
                Err(e) => out.api_error(&e, None),
            }
        }
        other => {
            out.fail(format!(
                "unknown command \"{other}\" for \"kubectl create\""
            ));
        }
    }
}

pub fn cordon(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output, on: bool) {
    let cmd = if on { "cordon" } else { "uncordon" };
    let p = match parse(
        args,
        &[
            flag("dry-run", None, true),
            flag("selector", Some('l'), true),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, cmd),
    };
    if p.positional.is_empty() {
        out.fail("USAGE: cordon NODE [flags]");
        return;
    }
    for name in &p.positional {
        let name = name.strip_prefix("node/").unwrap_or(name);
        match ctx.world.nodes.get_mut(name) {
            None => out.api_error(&ApiError::not_found(Kind::Node, name), None),
            Some(n) => {
                if n.unschedulable == on {
                    out.out(format!("node/{name} already {cmd}ed\n"));
                } else {
                    n.unschedulable = on;
                    out.out(format!("node/{name} {cmd}ed\n"));
                }
            }
        }
    }
    ctx.world.reschedule_pending();
}

pub fn version(args: &[String], out: &mut Output) {
    let p: Parsed = match parse(
        args,
        &[
            flag("client", None, false),
            flag("output", Some('o'), true),
            flag("short", None, false),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "version"),
    };
    let client = json!({"buildDate": "2025-05-15T09:12:10Z", "compiler": "gc", "gitCommit": "9894294ef13a5b32803e3ca2c0d620a088cc84d1", "gitTreeState": "clean", "gitVersion": "v1.32.5", "goVersion": "go1.23.8", "major": "1", "minor": "32", "platform": "linux/amd64"});
    let server = json!({"buildDate": "2025-05-15T08:59:01Z", "compiler": "gc", "gitCommit": "9894294ef13a5b32803e3ca2c0d620a088cc84d1", "gitTreeState": "clean", "gitVersion": "v1.32.5", "goVersion": "go1.23.8", "major": "1", "minor": "32", "platform": "linux/amd64"});
    let only_client = p.bool("client");
    match p.get("output") {
        Some("yaml") | Some("json") => {
            let mut v = json!({"clientVersion": client, "kustomizeVersion": "v5.5.0"});
            if !only_client {
                v["serverVersion"] = server;
            }
            out.out(if p.get("output") == Some("yaml") {
                encode::to_yaml(&v)
            } else {
                encode::to_json(&v)
            });
        }
        Some(other) => out.fail(format!("--output must be 'yaml' or 'json', got {other}")),
        None => {
            out.out("Client Version: v1.32.5\nKustomize Version: v5.5.0\n");
            if !only_client {
                out.out("Server Version: v1.32.5\n");
            }
        }
    }
}

pub fn api_resources(args: &[String], out: &mut Output) {
    if let Err(e) = parse(
        args,
        &[
            flag("namespaced", None, false),
            flag("output", Some('o'), true),
            flag("api-group", None, true),
            flag("verbs", None, true),
            flag("no-headers", None, false),
            flag("sort-by", None, true),
            flag("cached", None, false),
        ],
    ) {
        return usage_error(out, e, "api-resources");
    }
    let rows = [
        ("configmaps", "cm", "v1", "true", "ConfigMap"),
        ("endpoints", "ep", "v1", "true", "Endpoints"),
        ("events", "ev", "v1", "true", "Event"),
        ("namespaces", "ns", "v1", "false", "Namespace"),
        ("nodes", "no", "v1", "false", "Node"),
        ("pods", "po", "v1", "true", "Pod"),
        ("secrets", "", "v1", "true", "Secret"),
        ("serviceaccounts", "sa", "v1", "true", "ServiceAccount"),
        ("services", "svc", "v1", "true", "Service"),
        (
            "endpointslices",
            "",
            "discovery.k8s.io/v1",
            "true",
            "EndpointSlice",
        ),
        (
            "priorityclasses",
            "pc",
            "scheduling.k8s.io/v1",
            "false",
            "PriorityClass",
        ),
    ];
    let mut text = String::from("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    for (n, s, v, ns, k) in rows {
        text.push_str(&format!("{n}\t{s}\t{v}\t{ns}\t{k}\n"));
    }
    out.out(super::tabwriter::GET.format(&text));
}

pub fn cluster_info(out: &mut Output) {
    out.out("Kubernetes control plane is running at https://192.168.1.10:6443\nCoreDNS is running at https://192.168.1.10:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
}

/// `kubectl taint nodes NAME key[=value]:Effect` (a trailing `-` removes the taint).
pub fn taint(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(
        args,
        &[
            flag("overwrite", None, false),
            flag("all", None, false),
            flag("selector", Some('l'), true),
            flag("dry-run", None, true),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "taint"),
    };
    let mut pos = p.positional.clone();
    if pos
        .first()
        .is_some_and(|t| matches!(t.as_str(), "node" | "nodes" | "no"))
    {
        pos.remove(0);
    }
    let (specs, names): (Vec<String>, Vec<String>) = pos
        .into_iter()
        .partition(|a| a.contains(':') || a.ends_with('-') || a.contains('='));
    let names: Vec<String> = names
        .into_iter()
        .map(|n| {
            n.strip_prefix("node/")
                .or_else(|| n.strip_prefix("nodes/"))
                .unwrap_or(&n)
                .to_string()
        })
        .collect();
    if names.is_empty() || specs.is_empty() {
        out.fail("at least one taint update is required");
        out.err("See 'kubectl taint -h' for help and examples\n");
        return;
    }
    for name in names {
        let Some(node) = ctx.world.nodes.get_mut(&name) else {
            out.api_error(&ApiError::not_found(Kind::Node, &name), None);
            continue;
        };
        let mut removed = false;
        let mut added = false;
        for spec in &specs {
            let (body, remove) = match spec.strip_suffix('-') {
                Some(b) => (b, true),
                None => (spec.as_str(), false),
            };
            let (kv, effect) = match body.rsplit_once(':') {
                Some((kv, e)) => (kv, e),
                None if remove => (body, ""),
                None => {
                    return out.fail(format!(
                        "invalid taint spec: {spec}, unknown taint spec: {spec}"
                    ))
                }
            };
            if !effect.is_empty()
                && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
            {
                return out.fail(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
            if remove {
                let before = node.taints.len();
                node.taints
                    .retain(|t| !(t.key == key && (effect.is_empty() || t.effect == effect)));
                if node.taints.len() == before {
                    return out.fail(format!(
                        "taint \"{}\" not found",
                        if effect.is_empty() {
                            key.to_string()
                        } else {
                            format!("{key}:{effect}")
                        }
                    ));
                }
                removed = true;
            } else {
                if let Some(t) = node
                    .taints
                    .iter_mut()
                    .find(|t| t.key == key && t.effect == effect)
                {
                    if !p.bool("overwrite") {
                        return out.fail(format!("node {name} already has {key} taint(s) with same effect(s) and --overwrite is false"));
                    }
                    t.value = value.to_string();
                } else {
                    node.taints.push(crate::sim::node::Taint {
                        key: key.into(),
                        value: value.into(),
                        effect: effect.into(),
                    });
                }
                added = true;
            }
        }
        let verb = match (added, removed) {
            (true, false) => "tainted",
            (false, true) => "untainted",
            _ => "modified",
        };
        out.out(format!("node/{name} {verb}\n"));
    }
    ctx.world.evict_untolerated();
    ctx.world.reschedule_pending();
}

/// `kubectl drain NODE`: cordon it, then evict its pods.
pub fn drain(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(
        args,
        &[
            flag("ignore-daemonsets", None, false),
            flag("force", None, false),
            flag("delete-emptydir-data", None, false),
            flag("grace-period", None, true),
            flag("timeout", None, true),
            flag("disable-eviction", None, false),
            flag("selector", Some('l'), true),
            flag("pod-selector", None, true),
            flag("dry-run", None, true),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "drain"),
    };
    let Some(name) = p
        .positional
        .first()
        .map(|n| n.strip_prefix("node/").unwrap_or(n).to_string())
    else {
        out.fail("USAGE: drain NODE [flags]");
        out.err("See 'kubectl drain -h' for help and examples\n");
        return;
    };
    let Some(node) = ctx.world.nodes.get_mut(&name) else {
        return out.api_error(&ApiError::not_found(Kind::Node, &name), None);
    };
    if node.unschedulable {
        out.out(format!("node/{name} already cordoned\n"));
    } else {
        node.unschedulable = true;
        out.out(format!("node/{name} cordoned\n"));
    }
    // (namespace, name, has emptyDir, controller kind)
    let all: Vec<(String, String, bool, String)> = ctx
        .world
        .pods
        .values()
        .filter(|x| {
            x.spec.node_name == name && !x.status.phase.is_terminal() && x.meta.deletion.is_none()
        })
        .map(|x| {
            let kind = x
                .meta
                .owner_references
                .iter()
                .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
                .and_then(|o| o.get("kind"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            (
                x.meta.namespace.clone(),
                x.meta.name.clone(),
                x.spec.volumes.iter().any(|v| v.empty_dir.is_some()),
                kind,
            )
        })
        .collect();
    let daemon: Vec<String> = all
        .iter()
        .filter(|p| p.3 == "DaemonSet")
        .map(|(ns, n, _, _)| format!("{ns}/{n}"))
        .collect();
    // Mirror pods of static pods (owned by the Node) are left alone.
    let pods: Vec<(String, String, bool)> = all
        .iter()
        .filter(|p| p.3 != "DaemonSet" && p.3 != "Node")
        .map(|(a, b, c, _)| (a.clone(), b.clone(), *c))
        .collect();
    let controlled: Vec<bool> = all
        .iter()
        .filter(|p| p.3 != "DaemonSet" && p.3 != "Node")
        .map(|p| !p.3.is_empty())
        .collect();
    if !daemon.is_empty() && !p.bool("ignore-daemonsets") {
        out.fail(format!("unable to drain node \"{name}\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}, continuing command...", daemon.join(", ")));
        out.err(format!("There are pending nodes to be drained:\n {name}\ncannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}\n", daemon.join(", ")));
        return;
    }
    let bare: Vec<String> = pods
        .iter()
        .zip(&controlled)
        .filter(|(_, c)| !**c)
        .map(|((ns, n, _), _)| format!("{ns}/{n}"))
        .collect();
    let local: Vec<String> = pods
        .iter()
        .filter(|(_, _, e)| *e)
        .map(|(ns, n, _)| format!("{ns}/{n}"))
        .collect();
    let mut errors = Vec::new();
    if !bare.is_empty() && !p.bool("force") {
        errors.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            bare.join(", ")
        ));
    }
    if !local.is_empty() && !p.bool("delete-emptydir-data") {
        errors.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            local.join(", ")
        ));
    }
    if !errors.is_empty() {
        let joined = errors.join(", ");
        out.fail(format!(
            "unable to drain node \"{name}\" due to error: {joined}, continuing command..."
        ));
        out.err(format!(
            "There are pending nodes to be drained:\n {name}\n{}\n",
            errors.join("\n")
        ));
        return;
    }
    let mut warned = Vec::new();
    if !daemon.is_empty() {
        warned.push(format!(
            "ignoring DaemonSet-managed Pods: {}",
            daemon.join(", ")
        ));
    }
    if !bare.is_empty() {
        warned.push(format!(
            "deleting Pods that declare no controller: {}",
            bare.join(", ")
        ));
    }
    if !warned.is_empty() {
        out.err(format!("Warning: {}\n", warned.join("; ")));
    }
    let grace = p
        .get("grace-period")
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|g| *g >= 0);
    let mut keys = Vec::new();
    for (ns, n, _) in &pods {
        out.out(format!("evicting pod {ns}/{n}\n"));
        let _ = ctx.world.delete_pod(ns, n, grace);
        keys.push((ns.clone(), n.clone()));
    }
    wait_for_deletion(ctx, &keys);
    for (ns, n, _) in &pods {
        let _ = ns;
        out.out(format!("pod/{n} evicted\n"));
    }
    out.out(format!("node/{name} drained\n"));
}
