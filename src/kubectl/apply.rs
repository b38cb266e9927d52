//! `apply`, `create`, `replace` and `delete`: reading manifests from files (`-f`, several `-f`,
//! folders), and writing them through the API server with kubectl's messages.

use serde_json::{json, Value};

use super::args::{flag, parse, FlagSpec, Parsed};
use super::encode::to_compact_json;
use super::get::{list, namespace, output_format, print_objects, resolve_kind, targets, Format};
use super::{Ctx, Files, Output};
use crate::sim::api::{decode_object, ApiError, Written};
use crate::sim::decode::decode_field;
use crate::sim::meta::{Kind, Selector};
use crate::sim::yaml::{parse_documents, Spans};

/// One object read from a manifest file.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub source: String,
    pub kind: Kind,
    pub value: Value,
    /// The positions of the document it came from (shared by the items of a `List`).
    pub spans: std::rc::Rc<Spans>,
}

/// The largest manifest file kubectl reads here (the API server's request limit, 3 MiB).
pub const MAX_MANIFEST_BYTES: usize = 3 << 20;

/// The most objects one command reads from its files.
pub const MAX_OBJECTS: usize = 10_000;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn is_manifest_name(n: &str) -> bool {
    n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")
}

/// Reads every object named by `-f` values, as kubectl's resource builder does; any error
/// stops the command before it acts.
pub fn load(files: &dyn Files, names: &[String]) -> Result<Vec<Manifest>, String> {
    match load_partial(files, names, false) {
        (m, None) => Ok(m),
        (_, Some(e)) => Err(e),
    }
}

/// Reads objects as `apply` and `create` consume them, one document at a time: with
/// validation on, a document without `kind` or `apiVersion` ends the reading (those before it
/// are still applied); without, it is reported at the end and the others are applied.
/// Returns the objects and the error to report after acting on them.
pub fn load_partial(
    files: &dyn Files,
    names: &[String],
    validate: bool,
) -> (Vec<Manifest>, Option<String>) {
    let mut out = Vec::new();
    let mut later: Vec<String> = Vec::new();
    let result = read_manifests(files, names, validate, &mut out, &mut later);
    let mut errors = later;
    if let Err(e) = result {
        errors.push(e);
    }
    let error = match errors.len() {
        0 => None,
        1 => errors.pop(),
        // kubectl aggregates several: one per line, in a list.
        _ => Some(format!("[{}]", errors.join(", "))),
    };
    (out, error)
}

fn read_manifests(
    files: &dyn Files,
    names: &[String],
    validate: bool,
    out: &mut Vec<Manifest>,
    later: &mut Vec<String>,
) -> Result<(), String> {
    for name in names {
        let paths: Vec<String> = match files.list_dir(name) {
            Some(entries) => entries
                .into_iter()
                .filter(|e| is_manifest_name(e))
                .collect(),
            None => vec![name.clone()],
        };
        for path in paths {
            let text = files
                .read(&path)
                .ok_or_else(|| format!("the path \"{path}\" does not exist"))?;
            if text.len() > MAX_MANIFEST_BYTES {
                return Err(format!(
                    "{path} is {} bytes; the playground reads manifest files of up to {} MiB",
                    text.len(),
                    MAX_MANIFEST_BYTES >> 20
                ));
            }
            let docs = parse_documents(&text)
                .map_err(|e| format!("error parsing {path}: error converting YAML to JSON: {e}"))?;
            for d in docs {
                let items: Vec<Value> = match &d.value {
                    Value::Null => continue,
                    Value::Object(m) if m.get("kind").and_then(Value::as_str) == Some("List") => m
                        .get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                    Value::Object(_) => vec![d.value.clone()],
                    other => {
                        let kind = match other {
                            Value::Array(_) => "array",
                            Value::String(_) => "string",
                            Value::Number(_) => "number",
                            _ => "bool",
                        };
                        return Err(format!("error validating \"{path}\": error validating data: invalid object to validate; json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"));
                    }
                };
                let spans = std::rc::Rc::new(d.spans);
                for v in items {
                    let compact = || to_compact_json(&v);
                    let kind_name = v.get("kind").and_then(Value::as_str).unwrap_or_default();
                    let api_version = v
                        .get("apiVersion")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if validate && (kind_name.is_empty() || api_version.is_empty()) {
                        let missing = match (api_version.is_empty(), kind_name.is_empty()) {
                            (true, true) => "[apiVersion not set, kind not set]",
                            (true, false) => "apiVersion not set",
                            _ => "kind not set",
                        };
                        return Err(format!("error validating \"{path}\": error validating data: {missing}; if you choose to ignore these errors, turn validation off with --validate=false"));
                    }
                    if kind_name.is_empty() {
                        later.push(format!(
                            "unable to decode \"{path}\": Object 'Kind' is missing in '{}'",
                            compact()
                        ));
                        continue;
                    }
                    if api_version.is_empty() {
                        later.push(format!(
                            "unable to decode \"{path}\": Object 'apiVersion' is missing in '{}'",
                            compact()
                        ));
                        continue;
                    }
                    if let Some(meta) = v.get("metadata") {
                        if let Some(e) = decode_field(meta, "ObjectMeta", "metadata").type_error {
                            return Err(format!("unable to decode \"{path}\": {e}"));
                        }
                    }
                    let name = v
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let ns = v
                        .pointer("/metadata/namespace")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let kind = match (Kind::from_kind_name(kind_name), api_version) {
                        (Some(Kind::EndpointSlice), "discovery.k8s.io/v1") => Kind::EndpointSlice,
                        (Some(k), "v1") if k != Kind::Event && k != Kind::EndpointSlice => k,
                        _ => {
                            later.push(format!(
                                "resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{path}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first"
                            ));
                            continue;
                        }
                    };
                    if out.len() >= MAX_OBJECTS {
                        return Err(format!(
                            "{path}: more than {MAX_OBJECTS} objects; the playground applies at most {MAX_OBJECTS} at a time"
                        ));
                    }
                    out.push(Manifest {
                        source: path.clone(),
                        kind,
                        value: v,
                        spans: spans.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

fn usage_error(out: &mut Output, e: String, cmd: &str) {
    out.fail(e);
    out.err(format!("See 'kubectl {cmd} --help' for usage.\n"));
}

/// The namespace an object goes to; an error if it contradicts an explicit `-n`.
fn object_namespace(m: &Manifest, p: &Parsed) -> Result<String, String> {
    let own = m
        .value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    match (own, p.get("namespace")) {
        (Some(o), Some(n)) if o != n => Err(format!(
            "the namespace from the provided object \"{o}\" does not match the namespace \"{n}\". You must pass '--namespace={o}' to perform this operation."
        )),
        (Some(o), _) => Ok(o.to_string()),
        (None, _) => Ok(namespace(p)),
    }
}

fn strictness(p: &Parsed) -> Result<(bool, bool), String> {
    match p.get("validate").unwrap_or("strict") {
        "strict" | "true" => Ok((true, false)),
        "warn" => Ok((false, true)),
        "false" | "ignore" => Ok((false, false)),
        other => Err(format!("invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)")),
    }
}

/// Decodes on the server; with `--validate=warn` unknown fields become warnings.
fn server_decode(m: &Manifest, p: &Parsed, out: &mut Output) -> Result<Value, ApiError> {
    let (strict, warn) = strictness(p).map_err(ApiError::BadRequest)?;
    if warn {
        let d = crate::sim::decode::decode(&m.value, m.kind.name());
        for u in &d.unknown {
            out.err(format!("Warning: {u}\n"));
        }
    }
    decode_object(&m.value, m.kind, strict)
}

fn ns_scoped(kind: Kind, ns: &str) -> String {
    if kind.namespaced() {
        ns.to_string()
    } else {
        String::new()
    }
}

const APPLY_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("validate", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("force", None, false),
    flag("grace-period", None, true),
    flag("server-side", None, false),
    flag("prune", None, false),
    flag("selector", Some('l'), true),
    flag("save-config", None, false),
    flag("field-manager", None, true),
    flag("overwrite", None, false),
    flag("wait", None, false),
    flag("timeout", None, true),
    flag("record", None, false),
];

fn files_flag(p: &Parsed, out: &mut Output, cmd: &str) -> Option<Vec<String>> {
    let f = p.all("filename");
    if f.is_empty() {
        out.fail("must specify one of -f and -k");
        out.err(format!("See 'kubectl {cmd} -h' for help and examples\n"));
        return None;
    }
    Some(f)
}

fn dry_run(p: &Parsed) -> Option<&str> {
    p.get("dry-run").filter(|d| *d != "none")
}

/// The `-o` printer a write command was given, if any (none for the plain "created" lines).
fn write_format(p: &Parsed) -> Result<Option<Format>, String> {
    match output_format(p)? {
        Format::Table { .. } => Ok(None),
        f => Ok(Some(f)),
    }
}

/// Prints one written object with the `-o` printer; YAML documents are separated by `---`.
fn print_written(kind: Kind, value: Value, fmt: &Format, count: &mut usize, out: &mut Output) {
    if *count > 0 && matches!(fmt, Format::Yaml) {
        out.out("---\n".to_string());
    }
    *count += 1;
    print_objects(&[(kind, value)], fmt, true, out);
}

/// The object as the server stores it now.
fn stored(ctx: &Ctx<'_>, kind: Kind, ns: &str, name: &str) -> Option<Value> {
    let w = &*ctx.world;
    let key = (ns.to_string(), name.to_string());
    // Looked up by key: listing every object to find one made applying n objects cost n².
    match kind {
        Kind::Pod => w.pods.get(&key).map(|p| p.to_value()),
        Kind::ConfigMap => w
            .configmaps
            .get(&key)
            .map(|o| w.data_object_value(kind.name(), o)),
        Kind::Secret => w
            .secrets
            .get(&key)
            .map(|o| w.data_object_value(kind.name(), o)),
        Kind::Node => w.nodes.get(name).map(|n| n.to_value(w.now())),
        Kind::Service => w.services.get(&key).map(|s| s.to_value()),
        _ => {
            let scope = kind.namespaced().then_some(ns);
            list(w, kind, scope)
                .into_iter()
                .find(|i| i.name == name)
                .map(|i| i.value)
        }
    }
}

/// Merges a manifest into a live object as a three-way apply would for the fields it names.
fn overlay(live: &Value, patch: &Value) -> Value {
    match (live, patch) {
        (Value::Object(l), Value::Object(p)) => {
            let mut m = l.clone();
            for (k, v) in p {
                let merged = match (l.get(k), v) {
                    (Some(Value::Array(la)), Value::Array(pa))
                        if pa.iter().all(|x| x.get("name").is_some()) =>
                    {
                        // Lists of named items merge by name (strategic merge).
                        Value::Array(
                            pa.iter()
                                .map(|item| {
                                    let name = item.get("name");
                                    match la.iter().find(|x| x.get("name") == name) {
                                        Some(old) => overlay(old, item),
                                        None => item.clone(),
                                    }
                                })
                                .collect(),
                        )
                    }
                    (Some(old), _) => overlay(old, v),
                    (None, _) => v.clone(),
                };
                m.insert(k.clone(), merged);
            }
            Value::Object(m)
        }
        (_, p) => p.clone(),
    }
}

pub fn apply(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, APPLY_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "apply"),
    };
    if let Err(e) = strictness(&p) {
        out.fail(e);
        return;
    }
    let Some(names) = files_flag(&p, out, "apply") else {
        return;
    };
    let validate = strictness(&p).is_ok_and(|(strict, warn)| strict || warn);
    let (manifests, load_error) = load_partial(ctx.files, &names, validate);
    if manifests.is_empty() {
        out.fail(load_error.unwrap_or_else(|| "no objects passed to apply".into()));
        return;
    }
    let suffix = match dry_run(&p) {
        Some("client") => " (dry run)",
        Some(_) => " (server dry run)",
        None => "",
    };
    let fmt = match write_format(&p) {
        Ok(f) => f,
        Err(e) => return out.fail(e),
    };
    let mut printed = 0;
    let mut errors: Vec<(ApiError, String)> = Vec::new();
    let mut client_errors = Vec::new();
    for m in &manifests {
        let ns = match object_namespace(m, &p) {
            Ok(n) => n,
            Err(e) => {
                client_errors.push(e);
                continue;
            }
        };
        let decoded = match server_decode(m, &p, out) {
            Ok(v) => v,
            Err(e) => {
                errors.push((e, m.source.clone()));
                continue;
            }
        };
        let name = decoded
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let label = format!("{}/{}", m.kind.singular(), name);
        // The annotation apply keeps: the manifest as given, minus any old copy of itself.
        // kubectl fills in the namespace and an (empty) annotations map before recording it.
        let mut applied = m.value.clone();
        if let Some(meta) = applied.get_mut("metadata").and_then(Value::as_object_mut) {
            let ann = meta.entry("annotations").or_insert_with(|| json!({}));
            if !ann.is_object() {
                *ann = json!({});
            }
            if let Some(a) = ann.as_object_mut() {
                a.remove(LAST_APPLIED);
            }
            if m.kind.namespaced() {
                meta.insert("namespace".into(), json!(ns));
            }
        }
        let last_applied = format!("{}\n", to_compact_json(&applied));
        let mut with_annotation = decoded.clone();
        if let Some(meta) = with_annotation
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            let ann = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(a) = ann.as_object_mut() {
                a.insert(LAST_APPLIED.into(), Value::String(last_applied.clone()));
            }
        }
        let exists = exists(ctx, m.kind, &ns, &name);
        if suffix == " (dry run)" {
            match &fmt {
                Some(f) => {
                    // The object as the client would send it, with the annotation it records.
                    let mut sent = m.value.clone();
                    if let Some(meta) = sent.get_mut("metadata").and_then(Value::as_object_mut) {
                        if m.kind.namespaced() {
                            meta.insert("namespace".into(), json!(ns));
                        }
                        let ann = meta.entry("annotations").or_insert_with(|| json!({}));
                        if let Some(a) = ann.as_object_mut() {
                            a.insert(LAST_APPLIED.into(), Value::String(last_applied.clone()));
                        }
                    }
                    print_written(m.kind, sent, f, &mut printed, out);
                }
                None => out.out(format!(
                    "{label} {}{suffix}\n",
                    if exists { "configured" } else { "created" }
                )),
            }
            continue;
        }
        if !exists {
            if m.kind.namespaced() {
                if let Err(e) = ctx.world.require_namespace(&ns) {
                    errors.push((e, m.source.clone()));
                    continue;
                }
            }
            match ctx
                .world
                .create(m.kind, &with_annotation, &ns_scoped(m.kind, &ns))
            {
                Ok(_) => {
                    out.warnings(ctx.world);
                    match (&fmt, stored(ctx, m.kind, &ns, &name)) {
                        (Some(f), Some(v)) => print_written(m.kind, v, f, &mut printed, out),
                        _ => out.out(format!("{label} created{suffix}\n")),
                    }
                }
                Err(e) => errors.push((e, m.source.clone())),
            }
            continue;
        }
        let written = match m.kind {
            Kind::Pod => {
                let live = ctx.world.pods[&(ns.clone(), name.clone())].clone();
                if !live.meta.annotations.contains_key(LAST_APPLIED) {
                    out.err(format!("Warning: resource pods/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"));
                }
                let mut merged = live.to_value();
                merged = overlay(&merged, &with_annotation);
                if let Some(m) = merged.as_object_mut() {
                    m.remove("status");
                }
                ctx.world.update_pod(&merged, &ns)
            }
            Kind::Namespace | Kind::Node => Ok(Written::Unchanged),
            Kind::Service => ctx.world.update_service(&with_annotation, &ns),
            _ => ctx.world.update_data_object(m.kind, &with_annotation, &ns),
        };
        report_update(
            ctx,
            written,
            (m, &ns, &name),
            fmt.as_ref(),
            &mut printed,
            &mut errors,
            out,
        );
    }
    for e in client_errors {
        out.fail(e);
    }
    report(out, &errors, "creating");
    if let Some(e) = load_error {
        out.fail(e);
    }
}

/// Reports an apply that updated an existing object: `configured`/`unchanged`, or the object
/// itself with `-o`.
fn report_update(
    ctx: &Ctx<'_>,
    written: Result<Written, ApiError>,
    (m, ns, name): (&Manifest, &str, &str),
    fmt: Option<&Format>,
    printed: &mut usize,
    errors: &mut Vec<(ApiError, String)>,
    out: &mut Output,
) {
    let verb = match written {
        Ok(Written::Unchanged) => "unchanged",
        Ok(_) => "configured",
        Err(e) => return errors.push((e, m.source.clone())),
    };
    match (fmt, stored(ctx, m.kind, ns, name)) {
        (Some(f), Some(v)) => print_written(m.kind, v, f, printed, out),
        _ => out.out(format!("{}/{name} {verb}\n", m.kind.singular())),
    }
}

fn exists(ctx: &Ctx<'_>, kind: Kind, ns: &str, name: &str) -> bool {
    let key = (ns.to_string(), name.to_string());
    match kind {
        Kind::Pod => ctx.world.pods.contains_key(&key),
        Kind::Namespace => ctx.world.namespaces.contains_key(name),
        Kind::ConfigMap => ctx.world.configmaps.contains_key(&key),
        Kind::Secret => ctx.world.secrets.contains_key(&key),
        Kind::Service => ctx.world.services.contains_key(&key),
        Kind::Node => ctx.world.nodes.contains_key(name),
        _ => false,
    }
}

/// Prints collected API errors at the end, as kubectl does (one, or an aggregate).
fn report(out: &mut Output, errors: &[(ApiError, String)], verb: &str) {
    if errors.len() == 1 {
        out.api_error(&errors[0].0, Some((verb, &errors[0].1)));
        return;
    }
    for (e, src) in errors {
        out.code = 1;
        out.err(format!(
            "Error from server ({}): error when {verb} \"{src}\": {e}\n",
            e.reason()
        ));
    }
}

pub fn create(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    // Sub-commands: namespace, configmap, secret.
    if let Some(first) = args.iter().find(|a| !a.starts_with('-')) {
        if !args
            .iter()
            .any(|a| a == "-f" || a.starts_with("--filename") || a.starts_with("-f"))
        {
            return super::misc::create_sub(ctx, first, args, out);
        }
    }
    let p = match parse(args, APPLY_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "create"),
    };
    let Some(names) = files_flag(&p, out, "create") else {
        return;
    };
    let validate = strictness(&p).is_ok_and(|(strict, warn)| strict || warn);
    let (manifests, load_error) = load_partial(ctx.files, &names, validate);
    if manifests.is_empty() {
        if let Some(e) = load_error {
            return out.fail(e);
        }
    }
    let fmt = match write_format(&p) {
        Ok(f) => f,
        Err(e) => return out.fail(e),
    };
    let mut printed = 0;
    let mut errors = Vec::new();
    for m in &manifests {
        let ns = match object_namespace(m, &p) {
            Ok(n) => n,
            Err(e) => return out.fail(e),
        };
        let decoded = match server_decode(m, &p, out) {
            Ok(v) => v,
            Err(e) => {
                errors.push((e, m.source.clone()));
                continue;
            }
        };
        if dry_run(&p) == Some("client") {
            let name = decoded
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match &fmt {
                // The client prints the object as it would send it (namespace filled in).
                Some(f) => {
                    let mut sent = m.value.clone();
                    if m.kind.namespaced() {
                        if let Some(meta) = sent.get_mut("metadata").and_then(Value::as_object_mut)
                        {
                            meta.insert("namespace".into(), json!(ns));
                        }
                    }
                    print_written(m.kind, sent, f, &mut printed, out)
                }
                None => out.out(format!("{}/{name} created (dry run)\n", m.kind.singular())),
            }
            continue;
        }
        let suffix = if dry_run(&p).is_some() {
            " (server dry run)"
        } else {
            ""
        };
        match ctx.world.create(m.kind, &decoded, &ns_scoped(m.kind, &ns)) {
            Ok(name) => {
                out.warnings(ctx.world);
                match (&fmt, stored(ctx, m.kind, &ns, &name)) {
                    (Some(f), Some(v)) => print_written(m.kind, v, f, &mut printed, out),
                    _ => out.out(format!("{}/{name} created{suffix}\n", m.kind.singular())),
                }
            }
            Err(e) => errors.push((e, m.source.clone())),
        }
    }
    report(out, &errors, "creating");
    if let Some(e) = load_error {
        out.fail(e);
    }
}

/// Runs the clock until a pod is gone (kubectl's `--wait`), or until nothing more can happen.
pub fn wait_for_deletion(ctx: &mut Ctx<'_>, keys: &[(String, String)]) {
    let limit = ctx.world.now().plus_ms(3_600_000);
    let mut pending: Vec<&(String, String)> = keys.iter().collect();
    // Pods only go away (or stop) through a recorded change: look again only after one, so
    // waiting for n pods does not cost n on every step of the engine.
    let mut seen = usize::MAX;
    loop {
        if ctx.world.history.count() != seen {
            seen = ctx.world.history.count();
            pending.retain(|k| ctx.world.pods.contains_key(*k));
            if pending.is_empty() {
                return;
            }
            // A pod held only by finalizers would block forever; kubectl would hang until Ctrl-C.
            let stuck = pending.iter().all(|k| {
                let p = &ctx.world.pods[*k];
                !p.meta.finalizers.is_empty() && ctx.world.runtimes_stopped(&p.meta.uid)
            });
            if stuck {
                return;
            }
        }
        match ctx.world.next_event_at() {
            Some(t) if t <= limit => {
                ctx.world.step();
            }
            _ => return,
        }
    }
}

pub fn replace(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, APPLY_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "replace"),
    };
    let Some(names) = files_flag(&p, out, "replace") else {
        return;
    };
    if p.bool("force") && dry_run(&p).is_some() {
        return out.fail("--dry-run can not be used when --force is set");
    }
    let manifests = match load(ctx.files, &names) {
        Ok(m) => m,
        Err(e) => return out.fail(e),
    };
    let mut errors = Vec::new();
    for m in &manifests {
        let ns = match object_namespace(m, &p) {
            Ok(n) => n,
            Err(e) => return out.fail(e),
        };
        let decoded = match server_decode(m, &p, out) {
            Ok(v) => v,
            Err(e) => {
                errors.push((e, m.source.clone()));
                continue;
            }
        };
        let name = decoded
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if p.bool("force") {
            let key = (ns.clone(), name.clone());
            if m.kind == Kind::Pod && ctx.world.pods.contains_key(&key) {
                let grace = p
                    .get("grace-period")
                    .and_then(|g| g.parse::<i64>().ok())
                    .filter(|g| *g >= 0);
                if ctx.world.delete_pod(&ns, &name, grace).is_ok() {
                    out.out(format!("pod \"{name}\" deleted\n"));
                }
                wait_for_deletion(ctx, &[key]);
            } else if m.kind != Kind::Pod && exists(ctx, m.kind, &ns, &name) {
                let _ = if m.kind == Kind::Namespace {
                    ctx.world.delete_namespace(&name)
                } else {
                    ctx.world.delete_data_object(m.kind, &ns, &name)
                };
                out.out(format!("{} \"{name}\" deleted\n", m.kind.singular()));
            }
            match ctx.world.create(m.kind, &decoded, &ns_scoped(m.kind, &ns)) {
                Ok(_) => {
                    out.warnings(ctx.world);
                    out.out(format!("{}/{name} replaced\n", m.kind.singular()));
                }
                Err(e) => errors.push((e, m.source.clone())),
            }
            continue;
        }
        if !exists(ctx, m.kind, &ns, &name) {
            errors.push((ApiError::not_found(m.kind, &name), m.source.clone()));
            continue;
        }
        let result = match m.kind {
            Kind::Pod => ctx.world.update_pod(&decoded, &ns).map(|_| ()),
            Kind::ConfigMap | Kind::Secret => ctx
                .world
                .delete_data_object(m.kind, &ns, &name)
                .and_then(|_| ctx.world.create(m.kind, &decoded, &ns).map(|_| ())),
            Kind::Service => ctx.world.update_service(&decoded, &ns).map(|_| ()),
            _ => Ok(()),
        };
        match result {
            Ok(()) => out.out(format!("{}/{name} replaced\n", m.kind.singular())),
            Err(e) => errors.push((e, m.source.clone())),
        }
    }
    report(out, &errors, "replacing");
}

const DELETE_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("grace-period", None, true),
    flag("force", None, false),
    flag("now", None, false),
    flag("wait", None, false),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("all-namespaces", Some('A'), false),
    flag("ignore-not-found", None, false),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("timeout", None, true),
    flag("cascade", None, true),
    flag("field-selector", None, true),
];

pub fn delete(ctx: &mut Ctx<'_>, args: &[String], out: &mut Output) {
    let p = match parse(args, DELETE_FLAGS) {
        Ok(p) => p,
        Err(e) => return usage_error(out, e, "delete"),
    };
    let force = p.bool("force");
    let mut grace: Option<i64> = match p.get("grace-period") {
        None => None,
        Some(g) => match g.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => return usage_error(out, format!("invalid argument \"{g}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{g}\": invalid syntax"), "delete"),
        },
    };
    if p.bool("now") {
        if grace.is_some_and(|g| g >= 0) {
            return out.fail("--now and --grace-period cannot be specified together");
        }
        grace = Some(1);
    }
    if force && grace.is_some_and(|g| g > 0) {
        return out.fail("--force and --grace-period greater than 0 cannot be specified together");
    }
    let grace = match (grace, force) {
        (Some(g), _) if g < 0 => None,
        (Some(0), false) => Some(1),
        (None, true) => Some(0),
        (g, _) => g,
    };
    let immediate = force && grace == Some(0);
    if immediate {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let selector = match p.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => {
            // The server refuses the list, so nothing is deleted.
            let kind = targets(&p.positional)
                .ok()
                .and_then(|g| g.first().map(|g| g.0))
                .unwrap_or(Kind::Pod);
            let label = p.get("selector").unwrap_or_default();
            let field = p.get("field-selector").unwrap_or_default();
            return out.bad_selector(kind, label, field, &e);
        }
    };
    // (kind, namespace, name) to delete, in order.
    let mut victims: Vec<(Kind, String, String)> = Vec::new();
    let mut not_found: Vec<(Kind, String)> = Vec::new();
    let files = p.all("filename");
    if !files.is_empty() {
        let manifests = match load(ctx.files, &files) {
            Ok(m) => m,
            Err(e) => return out.fail(e),
        };
        for m in &manifests {
            let ons = match object_namespace(m, &p) {
                Ok(n) => n,
                Err(e) => return out.fail(e),
            };
            let name = m
                .value
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            victims.push((m.kind, ons, name));
        }
    } else {
        if p.positional.is_empty() {
            out.fail("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
            return;
        }
        let groups = match targets(&p.positional) {
            Ok(g) => g,
            Err(e) => return out.fail(e),
        };
        for (kind, names) in groups {
            if names.is_empty() {
                if !p.bool("all") && selector.is_none() {
                    return out.fail("resource(s) were provided, but no name was specified");
                }
                let scope = if kind.namespaced() && !all_ns {
                    Some(ns.as_str())
                } else {
                    None
                };
                for item in super::get::list(ctx.world, kind, scope) {
                    if selector.as_ref().is_none_or(|s| s.matches(&item.labels)) {
                        victims.push((kind, item.namespace.clone(), item.name.clone()));
                    }
                }
            } else {
                for n in names {
                    victims.push((kind, ns.clone(), n));
                }
            }
        }
        if victims.is_empty() && not_found.is_empty() {
            out.err("No resources found\n");
            return;
        }
    }
    let _ = resolve_kind;
    let mut waited = Vec::new();
    for (kind, vns, name) in victims {
        let result = match kind {
            Kind::Pod => ctx.world.delete_pod(&vns, &name, grace),
            Kind::Namespace => ctx.world.delete_namespace(&name),
            Kind::ConfigMap | Kind::Secret => ctx.world.delete_data_object(kind, &vns, &name),
            Kind::Service => ctx.world.delete_service(&vns, &name),
            Kind::Node => {
                if ctx.world.nodes.remove(&name).is_some() {
                    Ok(())
                } else {
                    Err(ApiError::not_found(kind, &name))
                }
            }
            _ => Err(ApiError::MethodNotAllowed(
                "the server does not allow this method on the requested resource".into(),
            )),
        };
        match result {
            Ok(()) => {
                let verb = if immediate {
                    "force deleted"
                } else {
                    "deleted"
                };
                out.out(format!("{} \"{name}\" {verb}\n", kind.singular()));
                if kind == Kind::Pod {
                    waited.push((vns, name));
                }
            }
            Err(ApiError::NotFound { .. }) if p.bool("ignore-not-found") => {}
            Err(e) => {
                not_found.push((kind, name.clone()));
                out.api_error(&e, None);
            }
        }
    }
    if p.get("wait").is_none_or(|w| w != "false") && !immediate {
        wait_for_deletion(ctx, &waited);
    }
}
