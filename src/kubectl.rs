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
pub mod get;
pub mod misc;
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
}

impl Output {
    pub fn out(&mut self, s: impl Into<String>) {
        self.chunks.push((Stream::Out, s.into()));
    }
    pub fn err(&mut self, s: impl Into<String>) {
        self.chunks.push((Stream::Err, s.into()));
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

    /// All output as one text, in order.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, s)| s.as_str()).collect()
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
            out.out(misc::USAGE);
        } else {
            out.fail(format!("unknown flag: {}", args[0]));
            out.err("See 'kubectl --help' for usage.\n");
        }
        return out;
    };
    // Global flags may come before the command.
    let mut rest: Vec<String> = args[..cmd].to_vec();
    rest.extend_from_slice(&args[cmd + 1..]);
    match args[cmd].as_str() {
        "get" => get::get(ctx, &rest, &mut out),
        "describe" => describe::describe(ctx, &rest, &mut out),
        "apply" => apply::apply(ctx, &rest, &mut out),
        "create" => apply::create(ctx, &rest, &mut out),
        "replace" => apply::replace(ctx, &rest, &mut out),
        "delete" => apply::delete(ctx, &rest, &mut out),
        "logs" => misc::logs(ctx, &rest, &mut out),
        "exec" => misc::exec(ctx, &rest, &mut out),
        "run" => misc::run_pod(ctx, &rest, &mut out),
        "explain" => explain::explain(&rest, &mut out),
        "label" => misc::label(ctx, &rest, &mut out, "labels"),
        "annotate" => misc::label(ctx, &rest, &mut out, "annotations"),
        "patch" => misc::patch(ctx, &rest, &mut out),
        "version" => misc::version(&rest, &mut out),
        "api-resources" => misc::api_resources(&rest, &mut out),
        "cordon" | "uncordon" => misc::cordon(ctx, &rest, &mut out, args[cmd] == "cordon"),
        "taint" => misc::taint(ctx, &rest, &mut out),
        "drain" => misc::drain(ctx, &rest, &mut out),
        "cluster-info" => misc::cluster_info(&mut out),
        other => {
            out.fail(format!("unknown command \"{other}\" for \"kubectl\""));
            if let Some(s) = misc::suggest(other) {
                out.err(format!("\nDid you mean this?\n\t{s}\n"));
            }
        }
    }
    out
}
