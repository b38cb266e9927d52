//! kubectl: command-line parsing and output printers, pure functions over the engine.
//!
//! `run` takes a command line (without the leading `kubectl`) and the world, and returns what
//! kubectl would print, stdout and stderr interleaved in order. Files named by `-f` come from a
//! `Files` provider (the session's workspace), so nothing here touches a disk.

pub mod apply;
pub mod args;
pub mod describe;
pub mod encode;
pub mod explain;
pub mod expose;
pub mod get;
pub mod help;
pub mod misc;
pub mod netprint;
pub mod patch;
pub mod tabwriter;
pub mod template;

use crate::sim::api::ApiError;
use crate::sim::World;

/// Which stream a piece of output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// What a command printed, in order, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub code: i32,
    /// Bytes held in `chunks`.
    size: usize,
    /// Bytes dropped from the front to stay within `OUTPUT_CAP`.
    dropped: usize,
}

/// The most output one command keeps: a longer one (a watch left running for weeks) keeps its
/// newest lines, as a terminal's scrollback would.
pub const OUTPUT_CAP: usize = 1024 * 1024;

impl Output {
    pub fn out(&mut self, s: impl Into<String>) {
        self.push(Stream::Out, s.into());
    }
    pub fn err(&mut self, s: impl Into<String>) {
        self.push(Stream::Err, s.into());
    }
    fn push(&mut self, stream: Stream, s: String) {
        if s.is_empty() {
            return;
        }
        self.size += s.len();
        self.chunks.push((stream, s));
        while self.size > OUTPUT_CAP && self.chunks.len() > 1 {
            let (_, first) = self.chunks.remove(0);
            self.size -= first.len();
            self.dropped += first.len();
        }
        if self.size > OUTPUT_CAP {
            // One chunk alone is too long: keep its end, from a line start.
            let (_, only) = &mut self.chunks[0];
            let mut cut = only.len() - OUTPUT_CAP;
            while !only.is_char_boundary(cut) {
                cut += 1;
            }
            let cut = only[cut..].find('\n').map_or(cut, |i| cut + i + 1);
            only.drain(..cut);
            self.size -= cut;
            self.dropped += cut;
        }
    }
    /// How many bytes from the start of the output were dropped to keep it within the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
    /// Prints `error: msg` on stderr and sets the exit status to 1.
    pub fn fail(&mut self, msg: impl AsRef<str>) {
        self.err(format!("error: {}\n", msg.as_ref()));
        self.code = 1;
    }
    /// Prints the API server's warnings for the last write, as kubectl does (stderr, first).
    pub fn warnings(&mut self, world: &mut crate::sim::World) {
        for w in world.take_warnings() {
            self.err(format!("Warning: {w}\n"));
        }
    }

    /// A note for stderr when the start of the output was dropped.
    pub fn notice(&self) -> Option<String> {
        (self.dropped > 0).then(|| {
            format!(
                "podplay: the first {} bytes of this output were dropped (a command keeps its last {} KiB)\n",
                self.dropped,
                OUTPUT_CAP / 1024
            )
        })
    }
    /// All output as one text, in order (after the notice, if any).
    pub fn text(&self) -> String {
        let mut text = self.notice().unwrap_or_default();
        text.extend(self.chunks.iter().map(|(_, s)| s.as_str()));
        text
    }
    /// The API server's answer to a list whose label selector it cannot parse (`msg`), as
    /// kubectl prints it.
    pub fn bad_selector(
        &mut self,
        kind: crate::sim::meta::Kind,
        label: &str,
        field: &str,
        msg: &str,
    ) {
        self.err(format!("Error from server (BadRequest): Unable to find \"/v1, Resource={}\" that match label selector \"{label}\", field selector \"{field}\": {msg}\n", kind.plural()));
        self.code = 1;
    }
    /// Prints an API error as kubectl does. `source` is (verb, file) for errors about a file.
    pub fn api_error(&mut self, e: &ApiError, source: Option<(&str, &str)>) {
        self.code = 1;
        if let ApiError::Invalid { kind, name, causes } = e {
            let head = format!("The {kind} \"{name}\" is invalid");
            match causes.len() {
                0 => self.err(format!("{head}\n")),
                1 => self.err(format!("{head}: {}\n", causes[0])),
                _ => {
                    let mut s = format!("{head}: \n");
                    for c in causes {
                        s.push_str(&format!("* {c}\n"));
                    }
                    self.err(s);
                }
            }
            return;
        }
        let prefix = source
            .map(|(verb, file)| format!("error when {verb} \"{file}\": "))
            .unwrap_or_default();
        self.err(format!("Error from server ({}): {prefix}{e}\n", e.reason()));
    }
}

/// Where `-f` finds files: the session's workspace, then the script's folder.
pub trait Files {
    /// The content of a file, if it exists.
    fn read(&self, name: &str) -> Option<String>;
    /// The files directly in a folder (names to pass back to `read`), if it is one.
    fn list_dir(&self, name: &str) -> Option<Vec<String>>;
}

/// No files at all (read-only views of a past cluster, tests).
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, _: &str) -> Option<String> {
        None
    }
    fn list_dir(&self, _: &str) -> Option<Vec<String>> {
        None
    }
}

/// A session's view for one command.
pub struct Ctx<'a> {
    pub world: &'a mut World,
    pub files: &'a dyn Files,
    /// How long a watch (`-w`) runs: the `timeout` in front of the command.
    pub watch_ms: Option<u64>,
    /// Whether a person is at the terminal (the REPL): `run -it` then hands over to an
    /// interactive shell instead of printing and returning.
    pub interactive: bool,
}

/// Runs one kubectl command line (the words after `kubectl`).
pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Output {
    let mut out = Output::default();
    ctx.world.take_warnings();
    let Some(cmd) = args.iter().position(|a| !a.starts_with('-')) else {
        if args.iter().any(|a| a == "-h" || a == "--help") || args.is_empty() {
            out.out(help::root());
        } else {
            out.fail(format!("unknown flag: {}", args[0]));
            out.err("See 'kubectl --help' for usage.\n");
        }
        return out;
    };
    // Global flags may come before the command.
    let mut rest: Vec<String> = args[..cmd].to_vec();
    rest.extend_from_slice(&args[cmd + 1..]);
    if args[cmd] == "help" {
        let topics: Vec<String> = rest
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        help::help_command(&topics, &mut out);
        return out;
    }
    // `--help` or `-h` before `--` asks for the command's help.
    let before_dash = rest.iter().take_while(|a| *a != "--");
    if before_dash.clone().any(|a| a == "--help" || a == "-h") {
        let sub = rest
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str);
        if args[cmd] == "create" && matches!(sub, Some("service" | "svc")) {
            expose::create_service(
                ctx,
                &["service".to_string(), "--help".to_string()],
                &mut out,
            );
            return out;
        }
        match help::command(&args[cmd]) {
            Some(text) => out.out(text),
            None if misc::COMMANDS.contains(&args[cmd].as_str()) => out.fail(format!(
                "\"kubectl {}\" is not simulated by podplay yet (see the README for what is)",
                args[cmd]
            )),
            None => {
                out.fail(format!("unknown command \"{}\" for \"kubectl\"", args[cmd]));
                if let Some(s) = misc::suggest(&args[cmd]) {
                    out.err(format!("\nDid you mean this?\n\t{s}\n"));
                }
            }
        }
        return out;
    }
    // A dry run of a write changes nothing: the command runs against a copy of the cluster that
    // is dropped afterwards, and its "done" lines say which kind of dry run it was.
    let dry = dry_run_mode(&rest).filter(|_| WRITES.contains(&args[cmd].as_str()));
    let saved = dry.map(|_| ctx.world.clone());
    dispatch(ctx, &args[cmd], &rest, &mut out);
    if let (Some(mode), Some(world)) = (dry, saved) {
        *ctx.world = world;
        mark_dry_run(&mut out, mode);
    }
    out
}

/// Commands that write to the cluster.
const WRITES: &[&str] = &[
    "apply", "create", "replace", "delete", "label", "annotate", "patch", "run", "cordon",
    "uncordon", "taint", "drain", "expose",
];

/// `--dry-run=client|server` (or `--dry-run client|server`), if given.
fn dry_run_mode(args: &[String]) -> Option<&'static str> {
    let value = args.iter().enumerate().find_map(|(i, a)| {
        if let Some(v) = a.strip_prefix("--dry-run=") {
            Some(v)
        } else if a == "--dry-run" {
            args.get(i + 1).map(String::as_str)
        } else {
            None
        }
    })?;
    match value {
        "client" => Some("client"),
        "server" => Some("server"),
        _ => None,
    }
}

/// Appends kubectl's `(dry run)` / `(server dry run)` to the lines that report an operation.
fn mark_dry_run(out: &mut Output, mode: &str) {
    const VERBS: &[&str] = &[
        "created",
        "configured",
        "deleted",
        "labeled",
        "annotated",
        "patched",
        "replaced",
        "cordoned",
        "uncordoned",
        "tainted",
        "untainted",
        "drained",
        "evicted",
        "exposed",
        "unlabeled",
    ];
    let tag = if mode == "server" {
        " (server dry run)"
    } else {
        " (dry run)"
    };
    for (stream, text) in &mut out.chunks {
        if *stream != Stream::Out {
            continue;
        }
        let marked: Vec<String> = text
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split(' ').collect();
                let reports = words.len() >= 2
                    && words.len() <= 3
                    && VERBS.contains(&words[words.len() - 1])
                    && !line.ends_with(')');
                if reports {
                    format!("{line}{tag}")
                } else {
                    line.to_string()
                }
            })
            .collect();
        let mut joined = marked.join("\n");
        if text.ends_with('\n') {
            joined.push('\n');
        }
        *text = joined;
    }
}

fn dispatch(ctx: &mut Ctx<'_>, command: &str, rest: &[String], out: &mut Output) {
    match command {
        "get" => get::get(ctx, rest, out),
        "describe" => describe::describe(ctx, rest, out),
        "apply" => apply::apply(ctx, rest, out),
        "create" => apply::create(ctx, rest, out),
        "replace" => apply::replace(ctx, rest, out),
        "delete" => apply::delete(ctx, rest, out),
        "logs" => misc::logs(ctx, rest, out),
        "exec" => misc::exec(ctx, rest, out),
        "run" => misc::run_pod(ctx, rest, out),
        "explain" => explain::explain(rest, out),
        "label" => misc::label(ctx, rest, out, "labels"),
        "annotate" => misc::label(ctx, rest, out, "annotations"),
        "patch" => patch::patch(ctx, rest, out),
        "version" => misc::version(rest, out),
        "api-resources" => misc::api_resources(rest, out),
        "cordon" | "uncordon" => misc::cordon(ctx, rest, out, command == "cordon"),
        "taint" => misc::taint(ctx, rest, out),
        "drain" => misc::drain(ctx, rest, out),
        "cluster-info" => misc::cluster_info(out),
        "expose" => expose::expose(ctx, rest, out),
        other if misc::COMMANDS.contains(&other) => {
            out.fail(format!(
                "\"kubectl {other}\" is not simulated by podplay yet (see the README for what is)"
            ));
        }
        other => {
            out.fail(format!("unknown command \"{other}\" for \"kubectl\""));
            if let Some(s) = misc::suggest(other) {
                out.err(format!("\nDid you mean this?\n\t{s}\n"));
            }
        }
    }
}
