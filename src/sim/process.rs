//! Running processes: a compiled shell script (or a single program) stepping on the virtual
//! clock, with the busybox-style commands learners use.
//!
//! A process never blocks the engine: `run` executes until the process sleeps, waits forever,
//! exits, or spends its step budget, and reports which, with what it printed.

use std::collections::BTreeMap;

use super::fs::{normalize, FsError};
use super::shell::{self, Env, Op, Prepared, Program, RedirTarget};
use super::time::SimTime;

/// What a process needs from its container.
pub trait Sys {
    fn now(&self) -> SimTime;
    fn read(&self, path: &str) -> Result<String, FsError>;
    fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), FsError>;
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError>;
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError>;
    fn list(&self, path: &str) -> Result<Vec<String>, FsError>;
    fn is_dir(&self, path: &str) -> bool;
    fn exists(&self, path: &str) -> bool;
    fn hostname(&self) -> String;
    /// Fetches a URL; `Err` holds the client's error text.
    /// An HTTP GET; `agent` is the client's User-Agent (`Wget`, `curl/…`).
    fn http_get(&mut self, url: &str, agent: &str) -> Result<(u16, String), String>;
    /// Opens a TCP connection (`nc -z`); `Err` is the reason it failed.
    fn connect(&mut self, _host: &str, _port: u16) -> Result<(), String> {
        Err("Connection refused".into())
    }
    /// Pings an address: the TTL replies arrive with, or why there is none.
    fn ping(&mut self, host: &str) -> Result<(String, u8), String> {
        Err(format!("bad address '{host}'"))
    }
    /// The command line of the container's main process (`ps`).
    /// Whether the container's image ships this program (for the network tools that vary).
    /// The address a name resolves to (a literal address, /etc/hosts, then DNS).
    fn resolve(&self, host: &str) -> Option<std::net::Ipv4Addr> {
        match host {
            "localhost" => Some(std::net::Ipv4Addr::LOCALHOST),
            _ => host.parse().ok(),
        }
    }
    /// The container's network interface, for `ip` and `hostname -i`.
    fn net(&self) -> Option<super::coreutils::NetInfo> {
        None
    }
    /// The container's volume mounts.
    fn mount_table(&self) -> Vec<super::coreutils::Mount> {
        Vec::new()
    }
    /// The `Server` header of the last web server an HTTP request reached.
    fn last_server(&self) -> String {
        "nginx/1.27.4".into()
    }
    /// A name lookup through the container's resolver (getaddrinfo).
    fn lookup(&self, _name: &str) -> super::dns::Lookup {
        super::dns::Lookup::NotFound
    }
    /// The first nameserver of resolv.conf as written, and whether it answers.
    fn nameserver(&self) -> (String, super::dns::Nameserver) {
        ("127.0.0.1".into(), super::dns::Nameserver::Refused)
    }
    /// How a nameserver named on the command line treats the container's queries.
    fn server_state(&self, _server: &str) -> super::dns::Nameserver {
        super::dns::Nameserver::Refused
    }
    /// resolv.conf's search list.
    fn search_list(&self) -> Vec<String> {
        Vec::new()
    }
    /// The nameserver's answer to one question.
    fn dns_answer(&self, _name: &str) -> super::dns::Answer {
        super::dns::Answer::NxDomain
    }
    fn has_program(&self, _name: &str) -> bool {
        true
    }
    fn main_command(&self) -> String {
        String::new()
    }
    /// The bytes the container's processes may hold before the kernel's OOM killer ends them.
    fn memory_limit(&self) -> usize {
        MEMORY_CAP
    }
}

/// The most memory a simulated container holds, whatever its limit says: shell variables,
/// loop lists and pending output count against it. A container over it is OOMKilled.
pub const MEMORY_CAP: usize = 32 * 1024 * 1024;

/// How deep shells may nest (`sh -c` inside `sh -c`, `$(…)`): past it a fork fails, as it would
/// in a container that reached its process limit.
pub const MAX_SHELL_DEPTH: u32 = 32;

/// The exit status a step reports when the OOM killer ended the process.
pub const OOM_KILLED: i32 = -137;

/// How a run slice ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Sleeping for this many milliseconds.
    Sleep(u64),
    /// Waiting forever (`tail -f`, a server with nothing to do).
    Block,
    /// Exited with this code.
    Exit(i32),
    /// Out of steps; runnable again at once.
    Yield,
}

/// Which shell dialect prints errors (`sh: x: not found` or bash's wording).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Busybox,
    Bash,
    /// Debian's and Ubuntu's `/bin/sh`: errors carry the line number (`sh: 1: x: not found`).
    Dash,
}

/// A running shell.
#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    prog: Program,
    pc: usize,
    vars: BTreeMap<String, String>,
    status: i32,
    loops: Vec<(Vec<String>, usize)>,
    cwd: String,
    dialect: Dialect,
    name: String,
    /// Positional parameters: `$0`, `$1`…
    params: Vec<String>,
    /// The `trap` action for SIGTERM (`Some("")` ignores it).
    term_trap: Option<String>,
    /// A SIGTERM arrived; its trap runs once the current foreground command ends.
    pending_term: bool,
    /// The interrupted program and position while a trap action runs.
    saved: Option<(Program, usize)>,
    /// Shell functions defined so far.
    funcs: BTreeMap<String, Program>,
    /// Functions (and `.` scripts) being run: where to return to.
    calls: Vec<Call>,
    pub stdout: String,
    pub stderr: String,
    /// Standard output and error interleaved as they were written: what `kubectl logs` shows.
    log: String,
    /// How many shells enclose this one.
    depth: u32,
    /// Steps spent in the current slice, and the slice's budget.
    spent: u32,
    slice_budget: u32,
    /// Bytes held by variables (names and values).
    var_bytes: usize,
    /// A nested `sh -c` running in the foreground; this shell resumes when it exits.
    child: Option<Box<Process>>,
    /// An expansion ran out of memory.
    oom: bool,
}

/// A function call (or a `.` script) in progress: the caller's program, position, positional
/// parameters (kept for a `.` script) and loop depth.
#[derive(Clone, Debug, PartialEq)]
struct Call {
    prog: Program,
    pc: usize,
    params: Option<Vec<String>>,
    loops: usize,
}

/// How deeply functions may call each other (bash's limit, with its message).
pub const MAX_CALL_DEPTH: usize = 1000;

fn var_size(vars: &BTreeMap<String, String>) -> usize {
    vars.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// Steps a slice may take before it yields.
pub const STEP_BUDGET: u32 = 10_000;

impl Process {
    /// A shell running `script` (`sh -c script name args…`).
    pub fn shell(
        script: &str,
        params: Vec<String>,
        env: BTreeMap<String, String>,
        cwd: &str,
        dialect: Dialect,
    ) -> Result<Process, String> {
        let shell_name = if dialect == Dialect::Bash {
            "bash"
        } else {
            "sh"
        };
        let prog = shell::compile(script).map_err(|e| match dialect {
            Dialect::Busybox => format!("sh: {e}"),
            Dialect::Dash => format!("sh: 1: {e}"),
            Dialect::Bash => format!("/bin/bash: -c: line 1: {e}"),
        })?;
        Ok(Process::with_program(
            prog,
            env,
            cwd,
            dialect,
            shell_name.into(),
            params,
        ))
    }

    /// A process running one program directly (no shell parsing of its arguments).
    pub fn exec(argv: &[String], env: BTreeMap<String, String>, cwd: &str) -> Process {
        Process::with_program(
            shell::Program::exec(argv),
            env,
            cwd,
            Dialect::Busybox,
            argv.first().cloned().unwrap_or_default(),
            Vec::new(),
        )
    }

    /// A process about to run `prog` from its start.
    fn with_program(
        prog: Program,
        env: BTreeMap<String, String>,
        cwd: &str,
        dialect: Dialect,
        name: String,
        params: Vec<String>,
    ) -> Process {
        Process {
            prog,
            pc: 0,
            var_bytes: var_size(&env),
            log: String::new(),
            spent: 0,
            slice_budget: STEP_BUDGET,
            depth: 0,
            child: None,
            oom: false,
            vars: env,
            status: 0,
            loops: Vec::new(),
            cwd: if cwd.is_empty() {
                "/".into()
            } else {
                cwd.into()
            },
            dialect,
            name,
            params,
            term_trap: None,
            pending_term: false,
            saved: None,
            funcs: BTreeMap::new(),
            calls: Vec::new(),
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// The function `name` calls, if any. POSIX shells (busybox, dash) find special builtins
    /// such as `:` before functions; bash finds functions first.
    fn function_for(&self, name: &str) -> Option<Program> {
        const SPECIAL: &[&str] = &[
            ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return",
            "set", "shift", "times", "trap", "unset",
        ];
        if self.dialect != Dialect::Bash && SPECIAL.contains(&name) {
            return None;
        }
        self.funcs.get(name).cloned()
    }

    /// Runs a child shell in place (in a pipeline, or with redirections) on what is left of
    /// this slice, collecting its output; a child that sleeps or blocks takes this shell with it.
    fn run_to_end(
        &mut self,
        mut child: Process,
        sys: &mut dyn Sys,
        out: &mut String,
        err: &mut String,
    ) -> Outcome {
        let step = child.run(sys, self.allowance());
        self.spent = self.spent.saturating_add(child.spent);
        out.push_str(&child.stdout);
        err.push_str(&child.stderr);
        match step {
            Step::Exit(OOM_KILLED) => Outcome::Exit(OOM_KILLED),
            Step::Exit(c) => Outcome::Status(c),
            Step::Sleep(ms) => Outcome::Sleep(ms),
            _ => Outcome::Block,
        }
    }

    /// The steps a shell run synchronously now may take: what is left of this slice.
    fn allowance(&self) -> u32 {
        self.slice_budget.saturating_sub(self.spent).max(1)
    }

    fn set_var(&mut self, k: String, v: String) {
        self.var_bytes += k.len() + v.len();
        if let Some(old) = self.vars.insert(k.clone(), v) {
            self.var_bytes -= k.len() + old.len();
        }
    }

    fn unset_var(&mut self, k: &str) {
        if let Some(old) = self.vars.remove(k) {
            self.var_bytes -= k.len() + old.len();
        }
    }

    /// Bytes this shell and the shells it waits for hold.
    fn memory(&self) -> usize {
        let loops: usize = self
            .loops
            .iter()
            .map(|(items, _)| items.iter().map(String::len).sum::<usize>())
            .sum();
        self.var_bytes
            + loops
            + self.stdout.len()
            + self.stderr.len()
            + self.log.len()
            + self.child.as_ref().map_or(0, |c| c.memory())
    }

    /// A shell for `sh -c script` or `$(…)` inside this one, or the fork error.
    fn subshell(&self, script: &str) -> Result<Process, String> {
        self.subshell_with(script, Vec::new())
    }

    /// A child shell for `script` with positional parameters `params` (`$0` first); it knows
    /// this shell's variables and functions.
    fn subshell_with(&self, script: &str, params: Vec<String>) -> Result<Process, String> {
        if self.depth + 1 >= MAX_SHELL_DEPTH {
            return Err(if self.dialect == Dialect::Bash {
                format!("{}: fork: Resource temporarily unavailable", self.name)
            } else {
                format!(
                    "{}: can't fork: Resource temporarily unavailable",
                    self.name
                )
            });
        }
        let mut child = Process::shell(script, params, self.vars.clone(), &self.cwd, self.dialect)?;
        child.depth = self.depth + 1;
        child.funcs = self.funcs.clone();
        Ok(child)
    }

    /// The script and parameters of `sh -c SCRIPT [NAME ARGS…]` or `sh FILE [ARGS…]` (also
    /// `bash` and `ash`), or the error reading FILE.
    fn nested(
        &self,
        argv: &[String],
        sys: &dyn Sys,
    ) -> Option<Result<(String, Vec<String>), String>> {
        let name = argv.first()?.rsplit('/').next()?;
        if !matches!(name, "sh" | "bash" | "ash") {
            return None;
        }
        match argv.get(1).map(String::as_str) {
            Some("-c") => {
                let script = argv.get(2)?.clone();
                Some(Ok((
                    script,
                    argv.get(3..).map(<[String]>::to_vec).unwrap_or_default(),
                )))
            }
            Some(file) if !file.starts_with('-') => {
                let path = normalize(&self.cwd, file);
                Some(match sys.read(&path) {
                    Ok(script) => Ok((script, argv[1..].to_vec())),
                    Err(e) => Err(format!("{name}: can't open '{file}': {}", e.text())),
                })
            }
            _ => None,
        }
    }

    /// Starts running `prog` in this shell (a function, or a `.` script when `params` is None),
    /// returning to where it stands when `prog` ends.
    fn enter(&mut self, prog: Program, params: Option<Vec<String>>) {
        let caller = std::mem::replace(&mut self.prog, prog);
        let old_params = params.map(|p| std::mem::replace(&mut self.params, p));
        self.calls.push(Call {
            prog: caller,
            pc: self.pc,
            params: old_params,
            loops: self.loops.len(),
        });
        self.pc = 0;
    }

    /// Returns from the innermost call; false if there is none.
    fn leave(&mut self) -> bool {
        let Some(call) = self.calls.pop() else {
            return false;
        };
        self.prog = call.prog;
        self.pc = call.pc;
        if let Some(p) = call.params {
            self.params = p;
        }
        self.loops.truncate(call.loops);
        true
    }

    /// Runs the commands that change this shell itself or wait on a child: a nested shell, a
    /// function call, `return`, `.`/`source`. `None` if `c` is none of them; otherwise whether
    /// it started (an error was printed if not).
    fn in_shell(&mut self, c: &Prepared, sys: &mut dyn Sys) -> Option<bool> {
        let argv = &c.argv;
        let first = argv.first()?.as_str();
        if let Some(nested) = self.nested(argv, sys) {
            let started = nested.and_then(|(script, params)| self.subshell_with(&script, params));
            return Some(match started {
                Ok(mut child) => {
                    // `X=1 sh -c …`: the assignment is the child's, not this shell's.
                    for (k, v) in &c.assigns {
                        child.set_var(k.clone(), v.clone());
                    }
                    self.child = Some(Box::new(child));
                    true
                }
                Err(e) => {
                    self.err(&e);
                    false
                }
            });
        }
        if let Some(body) = self.function_for(first) {
            for (k, v) in &c.assigns {
                self.set_var(k.clone(), v.clone());
            }
            if self.calls.len() >= MAX_CALL_DEPTH {
                self.err(&format!(
                    "{}: {first}: maximum function nesting level exceeded ({MAX_CALL_DEPTH})",
                    self.name
                ));
                return Some(false);
            }
            self.enter(body, Some(argv.clone()));
            return Some(true);
        }
        match first {
            "return" => {
                if let Some(code) = argv.get(1).and_then(|a| a.parse::<i32>().ok()) {
                    self.status = code & 0xff;
                }
                if !self.calls.is_empty() {
                    // Jump to the end of the function; the next step returns.
                    self.pc = self.prog.ops.len();
                }
                Some(true)
            }
            "." | "source" => {
                let Some(file) = argv.get(1) else {
                    self.err(&format!("{}: .: filename argument required", self.name));
                    return Some(false);
                };
                let path = normalize(&self.cwd, file);
                let script = match sys.read(&path) {
                    Ok(s) => s,
                    Err(e) => {
                        self.err(&format!(
                            "{}: .: can't open '{file}': {}",
                            self.name,
                            e.text()
                        ));
                        return Some(false);
                    }
                };
                match shell::compile(&script) {
                    Ok(prog) => {
                        // `. FILE ARGS…` sets the positional parameters while FILE runs.
                        let params = (argv.len() > 2).then(|| {
                            let zero = self.params.first().cloned().unwrap_or(self.name.clone());
                            std::iter::once(zero)
                                .chain(argv[2..].iter().cloned())
                                .collect()
                        });
                        self.enter(prog, params);
                        Some(true)
                    }
                    Err(e) => {
                        self.err(&format!("{}: {file}: {e}", self.name));
                        Some(false)
                    }
                }
            }
            _ => None,
        }
    }

    /// Takes what the process wrote, both streams in the order written, for the container log.
    pub fn take_log(&mut self) -> String {
        self.stdout.clear();
        self.stderr.clear();
        std::mem::take(&mut self.log)
    }

    pub fn take_output(&mut self) -> (String, String) {
        self.log.clear();
        (
            std::mem::take(&mut self.stdout),
            std::mem::take(&mut self.stderr),
        )
    }

    /// Delivers SIGTERM to the shell. Returns whether a trap will handle it: the action runs
    /// when the current foreground command finishes, as a real shell defers it.
    pub fn deliver_term(&mut self) -> bool {
        match self.term_trap.as_deref() {
            Some("") => true,
            Some(_) => {
                self.pending_term = true;
                true
            }
            None => false,
        }
    }

    /// Switches to a pending trap action, keeping the interrupted program to resume.
    fn enter_trap(&mut self) {
        if !self.pending_term || self.saved.is_some() {
            return;
        }
        self.pending_term = false;
        let action = self.term_trap.clone().unwrap_or_default();
        match shell::compile(&action) {
            Ok(prog) => {
                let old = std::mem::replace(&mut self.prog, prog);
                self.saved = Some((old, self.pc));
                self.pc = 0;
            }
            Err(e) => {
                let msg = format!("{}: {e}", self.name);
                self.err(&msg);
            }
        }
    }

    /// Runs until the process sleeps, blocks, exits, or spends `budget` steps.
    pub fn run(&mut self, sys: &mut dyn Sys, budget: u32) -> Step {
        // Steps of this slice, the shells it runs synchronously included (a fork bomb or a
        // `$(…)` that loops spends the same budget as the shell that started it).
        self.spent = 0;
        self.slice_budget = budget;
        self.enter_trap();
        let limit = sys.memory_limit();
        loop {
            let allowance = self.allowance();
            if let Some(child) = self.child.as_mut() {
                let step = child.run(sys, allowance);
                self.spent = self.spent.saturating_add(child.spent);
                self.stdout.push_str(&std::mem::take(&mut child.stdout));
                self.stderr.push_str(&std::mem::take(&mut child.stderr));
                self.log.push_str(&std::mem::take(&mut child.log));
                match step {
                    Step::Exit(OOM_KILLED) => return Step::Exit(OOM_KILLED),
                    Step::Exit(code) => {
                        self.child = None;
                        self.status = code;
                    }
                    other => return other,
                }
            }
            if self.oom || self.memory() > limit {
                return Step::Exit(OOM_KILLED);
            }
            if self.pc >= self.prog.ops.len() {
                if self.leave() {
                    continue;
                }
                // The end of a trap action resumes the interrupted script, `$?` intact.
                match self.saved.take() {
                    Some((prog, pc)) => {
                        self.prog = prog;
                        self.pc = pc;
                        continue;
                    }
                    None => break,
                }
            }
            self.spent = self.spent.saturating_add(1);
            if self.spent > budget {
                return Step::Yield;
            }
            let op = self.prog.ops[self.pc].clone();
            self.pc += 1;
            match op {
                Op::Jump(t) => self.pc = t,
                Op::JumpIfOk(t) => {
                    if self.status == 0 {
                        self.pc = t
                    }
                }
                Op::JumpIfFail(t) => {
                    if self.status != 0 {
                        self.pc = t
                    }
                }
                Op::Not => self.status = i32::from(self.status == 0),
                Op::Background => {}
                Op::Define(name, prog) => {
                    self.funcs.insert(name, prog);
                    self.status = 0;
                }
                Op::ForStart(words) => {
                    let items = match words {
                        Some(ws) => {
                            let mut env = ExpandEnv { p: self, sys };
                            shell::expand_list(&ws, &mut env)
                        }
                        None => self.params.iter().skip(1).cloned().collect(),
                    };
                    self.loops.push((items, 0));
                }
                Op::ForNext(var, end) => match self.loops.last_mut() {
                    Some((items, i)) if *i < items.len() => {
                        let v = items[*i].clone();
                        *i += 1;
                        self.set_var(var, v);
                    }
                    _ => self.pc = end,
                },
                Op::ForEnd => {
                    self.loops.pop();
                    self.status = 0;
                }
                Op::Run(cmds, negate) => {
                    if cmds.is_empty() {
                        self.status = 0;
                        continue;
                    }
                    let mut input: Option<String> = None;
                    let n = cmds.len();
                    for (i, c) in cmds.iter().enumerate() {
                        let prepared = {
                            let mut env = ExpandEnv { p: self, sys };
                            shell::prepare(c, &mut env)
                        };
                        if self.oom {
                            return Step::Exit(OOM_KILLED);
                        }
                        // A lone `sh -c script` (or `sh FILE`) runs as a child this shell
                        // waits for, so it can sleep and resume like any process; a lone
                        // function call, `return` and `.` run in this shell.
                        if n == 1 && !negate && prepared.redirs.is_empty() {
                            if let Some(started) = self.in_shell(&prepared, sys) {
                                if !started {
                                    self.status = 2;
                                }
                                break;
                            }
                        }
                        let last = i + 1 == n;
                        let mut out = String::new();
                        let outcome = self.command(&prepared, input.take(), &mut out, sys);
                        if last {
                            self.stdout.push_str(&out);
                            self.log.push_str(&out);
                        } else {
                            input = Some(out);
                        }
                        match outcome {
                            Outcome::Status(s) => self.status = s,
                            Outcome::Sleep(ms) => {
                                self.status = 0;
                                if negate {
                                    self.status = 1;
                                }
                                return Step::Sleep(ms);
                            }
                            Outcome::Wait(ms, status) => {
                                self.status = if negate {
                                    i32::from(status == 0)
                                } else {
                                    status
                                };
                                return Step::Sleep(ms);
                            }
                            Outcome::Block => return Step::Block,
                            Outcome::Exit(code) => {
                                self.pc = self.prog.ops.len();
                                return Step::Exit(code);
                            }
                        }
                    }
                    if negate {
                        self.status = i32::from(self.status == 0);
                    }
                }
            }
        }
        Step::Exit(self.status)
    }

    fn err(&mut self, text: &str) {
        self.stderr.push_str(text);
        self.stderr.push('\n');
        self.log.push_str(text);
        self.log.push('\n');
    }

    fn not_found(&mut self, cmd: &str) -> Outcome {
        let msg = match self.dialect {
            Dialect::Busybox => format!("{}: {cmd}: not found", self.name),
            Dialect::Dash => format!("{}: 1: {cmd}: not found", self.name),
            Dialect::Bash => format!("/bin/bash: line 1: {cmd}: command not found"),
        };
        self.err(&msg);
        Outcome::Status(127)
    }

    fn command(
        &mut self,
        c: &Prepared,
        stdin: Option<String>,
        out: &mut String,
        sys: &mut dyn Sys,
    ) -> Outcome {
        if c.argv.is_empty() {
            for (k, v) in &c.assigns {
                self.set_var(k.clone(), v.clone());
            }
            return Outcome::Status(0);
        }
        // Input redirection.
        let mut stdin = stdin;
        for (_, r) in &c.redirs {
            if let RedirTarget::Read(path) = r {
                let p = normalize(&self.cwd, path);
                match sys.read(&p) {
                    Ok(s) => stdin = Some(s),
                    Err(e) => {
                        self.err(&format!("{}: can't open '{path}': {}", self.name, e.text()));
                        return Outcome::Status(1);
                    }
                }
            }
        }
        let mut cmd_out = String::new();
        let mut cmd_err = String::new();
        let outcome = self.builtin(c, stdin, &mut cmd_out, &mut cmd_err, sys);
        // Output redirection.
        let mut to_stdout = cmd_out;
        let mut to_stderr = cmd_err;
        for (fd, r) in &c.redirs {
            match r {
                RedirTarget::ToStdout if *fd == 2 => {
                    to_stdout.push_str(&std::mem::take(&mut to_stderr));
                }
                RedirTarget::ToStderr => {
                    to_stderr.push_str(&std::mem::take(&mut to_stdout));
                }
                RedirTarget::Write(path) | RedirTarget::Append(path) => {
                    let append = matches!(r, RedirTarget::Append(_));
                    let p = normalize(&self.cwd, path);
                    let data = if *fd == 2 {
                        std::mem::take(&mut to_stderr)
                    } else {
                        std::mem::take(&mut to_stdout)
                    };
                    if p == "/dev/null" {
                        continue;
                    }
                    if p == "/dev/stderr" {
                        to_stderr.push_str(&data);
                        continue;
                    }
                    if p == "/dev/stdout" {
                        to_stdout.push_str(&data);
                        continue;
                    }
                    if let Err(e) = sys.write(&p, &data, append) {
                        if e == FsError::NoSpace {
                            self.err(&format!("{}: write error: {}", self.name, e.text()));
                            return Outcome::Status(1);
                        }
                        self.err(&format!("{}: can't create {path}: {}", self.name, e.text()));
                        return Outcome::Status(1);
                    }
                }
                _ => {}
            }
        }
        out.push_str(&to_stdout);
        self.stderr.push_str(&to_stderr);
        self.log.push_str(&to_stderr);
        outcome
    }

    fn builtin(
        &mut self,
        c: &Prepared,
        stdin: Option<String>,
        out: &mut String,
        err: &mut String,
        sys: &mut dyn Sys,
    ) -> Outcome {
        let argv = &c.argv;
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        if let Some(body) = self.function_for(&argv[0]) {
            // A function in a pipeline or with redirections runs in a subshell.
            return match self.subshell_with("", argv.to_vec()) {
                Ok(mut child) => {
                    child.prog = body;
                    self.run_to_end(child, sys, out, err)
                }
                Err(e) => {
                    err.push_str(&e);
                    err.push('\n');
                    Outcome::Status(2)
                }
            };
        }
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let fail = |err: &mut String, msg: String| {
            err.push_str(&msg);
            err.push('\n');
        };
        match name.as_str() {
            ":" | "true" => Outcome::Status(0),
            "false" => Outcome::Status(1),
            "echo" => {
                let mut newline = true;
                let mut escapes = false;
                let mut rest = &args[..];
                while let Some(flag) = rest.first() {
                    match *flag {
                        "-n" => newline = false,
                        "-e" => escapes = true,
                        "-ne" | "-en" => {
                            newline = false;
                            escapes = true
                        }
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                let mut text = rest.join(" ");
                if escapes {
                    text = text.replace("\\n", "\n").replace("\\t", "\t");
                }
                out.push_str(&text);
                if newline {
                    out.push('\n');
                }
                Outcome::Status(0)
            }
            "printf" => {
                let Some(fmt) = args.first() else {
                    fail(err, "printf: usage: printf FORMAT [ARGUMENT]...".into());
                    return Outcome::Status(1);
                };
                out.push_str(&printf(fmt, &args[1..]));
                Outcome::Status(0)
            }
            "sleep" => {
                let Some(a) = args.first() else {
                    fail(err, "sleep: missing operand".into());
                    return Outcome::Status(1);
                };
                if *a == "infinity" {
                    return Outcome::Block;
                }
                let total: Option<u64> = args.iter().map(|a| super::time::parse_duration(a)).sum();
                match total {
                    Some(ms) if ms > 0 => Outcome::Sleep(ms),
                    Some(_) => Outcome::Status(0),
                    None => {
                        fail(err, format!("sleep: invalid number '{a}'"));
                        Outcome::Status(1)
                    }
                }
            }
            // Internal: the kernel's OOM killer ends the process (see `stress`).
            "oom-kill" => Outcome::Exit(-137),
            "exit" => Outcome::Exit(
                args.first()
                    .and_then(|a| a.parse::<i32>().ok())
                    .map_or(self.status, |c| c & 0xff),
            ),
            "trap" => {
                let Some((action, signals)) = args.split_first() else {
                    return Outcome::Status(0);
                };
                for sig in signals {
                    let upper = sig.to_ascii_uppercase();
                    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
                    match name {
                        "TERM" | "15" => {
                            self.term_trap = (*action != "-").then(|| action.to_string());
                        }
                        "EXIT" | "0" | "HUP" | "1" | "INT" | "2" | "QUIT" | "3" | "USR1" | "10"
                        | "USR2" | "12" | "CHLD" | "17" | "PIPE" | "13" | "ALRM" | "14" => {}
                        _ => {
                            fail(
                                err,
                                format!("{}: trap: {sig}: invalid signal specification", self.name),
                            );
                            // An error in a special builtin ends a non-interactive shell.
                            return Outcome::Exit(2);
                        }
                    }
                }
                Outcome::Status(0)
            }
            "export" | "readonly" | "local" => {
                for a in &args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.set_var(k.to_string(), v.to_string());
                    }
                }
                Outcome::Status(0)
            }
            "unset" => {
                for a in &args {
                    self.unset_var(a);
                }
                Outcome::Status(0)
            }
            "cd" => {
                let target = args
                    .first()
                    .map_or("/root".to_string(), |a| normalize(&self.cwd, a));
                if sys.is_dir(&target) {
                    self.cwd = target;
                    Outcome::Status(0)
                } else {
                    fail(
                        err,
                        format!(
                            "{}: cd: can't cd to {}: No such file or directory",
                            self.name,
                            args.first().unwrap_or(&"")
                        ),
                    );
                    Outcome::Status(2)
                }
            }
            "pwd" => {
                out.push_str(&self.cwd);
                out.push('\n');
                Outcome::Status(0)
            }
            "cat" => Outcome::Status(super::coreutils::cat(
                &args,
                stdin.as_deref(),
                &self.cwd,
                out,
                err,
                sys,
            )),
            "head" | "tail" => {
                let (status, follow) = super::coreutils::head_tail(
                    &name,
                    &args,
                    stdin.as_deref(),
                    &self.cwd,
                    out,
                    err,
                    sys,
                );
                if follow {
                    return Outcome::Block;
                }
                Outcome::Status(status)
            }
            "mkdir" => {
                let parents = args.contains(&"-p");
                let mut status = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if let Err(e) = sys.mkdir(&normalize(&self.cwd, a), parents) {
                        fail(
                            err,
                            format!("mkdir: can't create directory '{a}': {}", e.text()),
                        );
                        status = 1;
                    }
                }
                Outcome::Status(status)
            }
            "rm" => {
                let flags: String = args
                    .iter()
                    .filter(|a| a.starts_with('-'))
                    .map(|a| &a[1..])
                    .collect();
                let force = flags.contains('f');
                let recursive = flags.contains('r') || flags.contains('R');
                let mut status = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = normalize(&self.cwd, a);
                    match sys.remove(&p, recursive) {
                        Ok(()) => {}
                        Err(FsError::NotFound) if force => {}
                        Err(FsError::IsDir) | Err(FsError::NotEmpty) => {
                            fail(err, format!("rm: '{a}' is a directory"));
                            status = 1;
                        }
                        Err(e) => {
                            fail(err, format!("rm: can't remove '{a}': {}", e.text()));
                            status = 1;
                        }
                    }
                }
                Outcome::Status(status)
            }
            "touch" => {
                let mut status = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = normalize(&self.cwd, a);
                    if !sys.exists(&p) {
                        if let Err(e) = sys.write(&p, "", true) {
                            fail(err, format!("touch: {a}: {}", e.text()));
                            status = 1;
                        }
                    }
                }
                Outcome::Status(status)
            }
            "ls" => Outcome::Status(super::coreutils::ls(&args, &self.cwd, out, err, sys)),
            "hostname" => Outcome::Status(super::coreutils::hostname(&args, out, err, sys)),
            "sort" => Outcome::Status(super::coreutils::sort(
                &args,
                stdin.as_deref(),
                &self.cwd,
                out,
                err,
                sys,
            )),
            "ip" => Outcome::Status(super::coreutils::ip(&args, out, err, sys)),
            "df" => Outcome::Status(super::coreutils::df(&args, out, err, sys)),
            "mount" => Outcome::Status(super::coreutils::mount(&args, out, err, sys)),
            "env" | "printenv" => {
                if name == "printenv" && !args.is_empty() {
                    let mut status = 0;
                    for a in &args {
                        match self.vars.get(*a) {
                            Some(v) => {
                                out.push_str(v);
                                out.push('\n');
                            }
                            None => status = 1,
                        }
                    }
                    return Outcome::Status(status);
                }
                for (k, v) in &self.vars {
                    out.push_str(&format!("{k}={v}\n"));
                }
                Outcome::Status(0)
            }
            "date" => {
                out.push_str(&date_text(sys.now()));
                out.push('\n');
                Outcome::Status(0)
            }
            "id" => Outcome::Status(super::coreutils::id(&args, out, err)),
            "whoami" => {
                out.push_str("root\n");
                Outcome::Status(0)
            }
            "test" | "[" => {
                let mut a: Vec<&str> = args.clone();
                if name == "[" {
                    if a.last() != Some(&"]") {
                        fail(err, format!("{}: missing ]", self.name));
                        return Outcome::Status(2);
                    }
                    a.pop();
                }
                Outcome::Status(if test(&a, sys, &self.cwd) { 0 } else { 1 })
            }
            "wc" => Outcome::Status(super::coreutils::wc(
                &args,
                stdin.as_deref(),
                &self.cwd,
                out,
                err,
                sys,
            )),
            "grep" => Outcome::Status(super::coreutils::grep(
                &args,
                stdin.as_deref(),
                &self.cwd,
                out,
                err,
                sys,
            )),
            "cp" | "mv" => {
                let files: Vec<&str> = args
                    .iter()
                    .copied()
                    .filter(|a| !a.starts_with('-'))
                    .collect();
                if files.len() < 2 {
                    fail(
                        err,
                        format!(
                            "{name}: missing destination file operand after '{}'",
                            files.first().unwrap_or(&"")
                        ),
                    );
                    return Outcome::Status(1);
                }
                let dest = normalize(&self.cwd, files[files.len() - 1]);
                let mut status = 0;
                for src in &files[..files.len() - 1] {
                    let sp = normalize(&self.cwd, src);
                    match sys.read(&sp) {
                        Ok(content) => {
                            let target = if sys.is_dir(&dest) {
                                format!(
                                    "{}/{}",
                                    dest.trim_end_matches('/'),
                                    sp.rsplit('/').next().unwrap_or_default()
                                )
                            } else {
                                dest.clone()
                            };
                            if let Err(e) = sys.write(&target, &content, false) {
                                fail(
                                    err,
                                    format!(
                                        "{name}: can't create '{}': {}",
                                        files[files.len() - 1],
                                        e.text()
                                    ),
                                );
                                status = 1;
                            } else if name == "mv" {
                                let _ = sys.remove(&sp, false);
                            }
                        }
                        Err(e) => {
                            fail(err, format!("{name}: can't stat '{src}': {}", e.text()));
                            status = 1;
                        }
                    }
                }
                Outcome::Status(status)
            }
            "chmod" | "chown" | "chgrp" => {
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')).skip(1) {
                    if !sys.exists(&normalize(&self.cwd, f)) {
                        fail(err, format!("{name}: {f}: No such file or directory"));
                        status = 1;
                    }
                }
                Outcome::Status(status)
            }
            "ps" => {
                out.push_str("PID   USER     TIME  COMMAND\n");
                let main = sys.main_command();
                if !main.is_empty() {
                    out.push_str(&format!("    1 root      0:00 {main}\n"));
                }
                out.push_str(format!("{:>5} root      0:00 ps {}", 7, args.join(" ")).trim_end());
                out.push('\n');
                Outcome::Status(0)
            }
            "kill" => {
                if args.is_empty() {
                    fail(err, "kill: usage: kill [-s SIGNAL | -SIGNAL] PID...".into());
                    return Outcome::Status(1);
                }
                // PID 1 of a container ignores signals it has no handler for.
                Outcome::Status(0)
            }
            "uname" => {
                out.push_str(if args.contains(&"-a") {
                    "Linux podplay 5.15.0-131-generic #141-Ubuntu SMP x86_64 GNU/Linux\n"
                } else if args.contains(&"-r") {
                    "5.15.0-131-generic\n"
                } else {
                    "Linux\n"
                });
                Outcome::Status(0)
            }
            "wget" | "curl" | "nc" | "ping" | "nslookup" if !sys.has_program(&name) => {
                self.not_found(&name)
            }
            "nslookup" => nslookup(&args, out, err, sys),
            "nc" => ran(super::nettools::nc(&args, err, sys)),
            "ping" => ran(super::nettools::ping(&args, out, err, sys)),
            "wget" => ran(super::nettools::wget(&args, &self.cwd, out, err, sys)),
            "curl" => ran(super::nettools::curl(&args, &self.cwd, out, err, sys)),
            "sh" | "bash" | "ash" => {
                // A nested shell in a pipeline runs in place: `sh -c 'script'`, `sh FILE`.
                match self.nested(argv, sys) {
                    None => Outcome::Status(0),
                    Some(Err(e)) => {
                        fail(err, e);
                        Outcome::Status(2)
                    }
                    Some(Ok((script, params))) => match self.subshell_with(&script, params) {
                        Ok(child) => self.run_to_end(child, sys, out, err),
                        Err(e) => {
                            fail(err, e);
                            Outcome::Status(2)
                        }
                    },
                }
            }
            _ => self.not_found(&argv[0]),
        }
    }
}

/// A network tool's result as a command outcome.
fn ran(r: super::nettools::Ran) -> Outcome {
    if r.ms == u64::MAX {
        return Outcome::Block;
    }
    if r.ms > 0 {
        Outcome::Wait(r.ms, r.status)
    } else {
        Outcome::Status(r.status)
    }
}

enum Outcome {
    Status(i32),
    Sleep(u64),
    /// Takes this long, then ends with this status.
    Wait(u64, i32),
    Block,
    Exit(i32),
}

struct ExpandEnv<'a, 'b> {
    p: &'a mut Process,
    sys: &'b mut dyn Sys,
}

impl Env for ExpandEnv<'_, '_> {
    fn error(&mut self, msg: &str) {
        let line = format!("{}: {msg}", self.p.name);
        self.p.err(&line);
    }
    fn room(&self) -> usize {
        self.sys.memory_limit().saturating_sub(self.p.memory())
    }
    fn overflow(&mut self) {
        self.p.oom = true;
    }
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.p.status.to_string()),
            "$" => Some("1".into()),
            "#" => Some(self.p.params.len().saturating_sub(1).to_string()),
            "HOSTNAME" if !self.p.vars.contains_key("HOSTNAME") => Some(self.sys.hostname()),
            "PWD" => Some(self.p.cwd.clone()),
            n if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
                let i = (n.as_bytes()[0] - b'0') as usize;
                if i == 0 {
                    Some(
                        self.p
                            .params
                            .first()
                            .cloned()
                            .unwrap_or_else(|| self.p.name.clone()),
                    )
                } else {
                    self.p.params.get(i).cloned()
                }
            }
            "@" | "*" => Some(
                self.p
                    .params
                    .iter()
                    .skip(1)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            n => self.p.vars.get(n).cloned(),
        }
    }

    fn subst(&mut self, script: &str) -> String {
        match self.p.subshell(script) {
            Ok(mut child) => {
                let step = child.run(self.sys, self.p.allowance());
                self.p.spent = self.p.spent.saturating_add(child.spent);
                if step == Step::Exit(OOM_KILLED) {
                    self.p.oom = true;
                }
                self.p.stderr.push_str(&child.stderr);
                self.p.log.push_str(&child.stderr);
                child.stdout
            }
            Err(e) => {
                self.p.err(&e);
                String::new()
            }
        }
    }
}

fn test(a: &[&str], sys: &dyn Sys, cwd: &str) -> bool {
    match a {
        [] => false,
        ["!", rest @ ..] => !test(rest, sys, cwd),
        [s] => !s.is_empty(),
        ["-n", s] => !s.is_empty(),
        ["-z", s] => s.is_empty(),
        ["-f", p] => sys.exists(&normalize(cwd, p)) && !sys.is_dir(&normalize(cwd, p)),
        ["-d", p] => sys.is_dir(&normalize(cwd, p)),
        ["-e", p] | ["-r", p] | ["-s", p] => sys.exists(&normalize(cwd, p)),
        [x, "=", y] | [x, "==", y] => x == y,
        [x, "!=", y] => x != y,
        [x, op, y] => {
            let (Ok(x), Ok(y)) = (x.parse::<i64>(), y.parse::<i64>()) else {
                return false;
            };
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => false,
            }
        }
        _ => false,
    }
}

fn printf(fmt: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                i += 1;
                match chars[i] {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '\\' => out.push('\\'),
                    c => {
                        out.push('\\');
                        out.push(c)
                    }
                }
            }
            '%' if i + 1 < chars.len() => {
                i += 1;
                match chars[i] {
                    's' => out.push_str(args.next().copied().unwrap_or_default()),
                    'd' | 'i' => out.push_str(
                        &args
                            .next()
                            .and_then(|a| a.parse::<i64>().ok())
                            .unwrap_or(0)
                            .to_string(),
                    ),
                    '%' => out.push('%'),
                    c => {
                        out.push('%');
                        out.push(c)
                    }
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// `date`'s default output: `Mon Mar  3 09:00:34 UTC 2025`.
pub fn date_text(t: SimTime) -> String {
    // rfc1123z gives `Mon, 03 Mar 2025 09:00:34 +0000`.
    let r = t.rfc1123z();
    let parts: Vec<&str> = r.split_whitespace().collect();
    if parts.len() < 5 {
        return r;
    }
    let day = parts[1].trim_start_matches('0');
    format!(
        "{} {} {:>2} {} UTC {}",
        parts[0].trim_end_matches(','),
        parts[2],
        day,
        parts[4],
        parts[3]
    )
}

/// The times `ping` prints: packet `seq` takes 0.080 ms plus a deterministic wobble.
/// busybox's nslookup (the "big" one): A then AAAA questions, through the search list for a
/// name without a dot, printed in question order; exit 1 if any answer was an error.
fn nslookup(args: &[&str], out: &mut String, err: &mut String, sys: &mut dyn Sys) -> Outcome {
    use super::dns::Answer;
    let mut only: Option<&str> = None;
    let mut rest = Vec::new();
    for a in args {
        if let Some(t) = a
            .strip_prefix("-type=")
            .or_else(|| a.strip_prefix("-querytype="))
            .or_else(|| a.strip_prefix("-q="))
        {
            only = Some(t);
        } else if a.starts_with('-') && a.len() > 1 {
            if !a.starts_with("-debug")
                && !a.starts_with("-port=")
                && !a.starts_with("-retry=")
                && !a.starts_with("-timeout=")
                && !a.starts_with("-t=")
            {
                err.push_str(NSLOOKUP_USAGE);
                err.push('\n');
                return Outcome::Status(1);
            }
        } else {
            rest.push(*a);
        }
    }
    let Some(host) = rest.first().copied() else {
        err.push_str(NSLOOKUP_USAGE);
        err.push('\n');
        return Outcome::Status(1);
    };
    let (server, state) = match rest.get(1) {
        Some(s) => {
            let Some(ip) = sys.resolve(s) else {
                err.push_str(&format!("nslookup: bad address '{s}'\n"));
                return Outcome::Status(1);
            };
            (s.to_string(), sys.server_state(&ip.to_string()))
        }
        None => sys.nameserver(),
    };
    if state != super::dns::Nameserver::Answers {
        // The batch is resent every 2.5 s; each refusal is a failed read.
        if state == super::dns::Nameserver::Refused {
            err.push_str(
                "nslookup: read: Connection refused\nnslookup: read: Connection refused\n",
            );
        }
        out.push_str(";; connection timed out; no servers could be reached\n\n");
        return Outcome::Wait(5000, 1);
    }
    out.push_str(&format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n"));
    let mut failed = false;
    // An address asks for its PTR record.
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let o = ip.octets();
        let q = format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
        match sys.dns_answer(&q) {
            Answer::Ptr(name) => out.push_str(&format!("{q}\tname = {name}\n\n")),
            _ => {
                out.push_str(&format!("** server can't find {q}: NXDOMAIN\n\n"));
                failed = true;
            }
        }
        return Outcome::Status(i32::from(failed));
    }
    let search = if rest.len() > 1 || host.contains('.') {
        Vec::new()
    } else {
        sys.search_list()
    };
    let names: Vec<String> = if search.is_empty() {
        vec![host.to_string()]
    } else {
        search.iter().map(|d| format!("{host}.{d}")).collect()
    };
    let types: Vec<&str> = match only.map(str::to_ascii_lowercase).as_deref() {
        Some("a") => vec!["A"],
        Some("aaaa") => vec!["AAAA"],
        None => vec!["A", "AAAA"],
        Some(_) => {
            err.push_str(&format!(
                "nslookup: invalid query type \"{}\"\n",
                only.unwrap_or_default()
            ));
            return Outcome::Status(1);
        }
    };
    for t in types {
        for n in &names {
            match sys.dns_answer(n) {
                Answer::A(ips) if t == "A" => {
                    let canonical = n.trim_end_matches('.');
                    for ip in ips {
                        out.push_str(&format!("Name:\t{canonical}\nAddress: {ip}\n"));
                    }
                    out.push('\n');
                }
                Answer::Cname(target, ips) => {
                    let canonical = n.trim_end_matches('.');
                    out.push_str(&format!("{canonical}\tcanonical name = {target}\n"));
                    if t == "A" {
                        for ip in ips {
                            out.push_str(&format!("Name:\t{target}\nAddress: {ip}\n"));
                        }
                    }
                    out.push('\n');
                }
                Answer::A(_) | Answer::NoData | Answer::Ptr(_) => out.push('\n'),
                Answer::NxDomain => {
                    out.push_str(&format!("** server can't find {n}: NXDOMAIN\n\n"));
                    failed = true;
                }
            }
        }
    }
    Outcome::Status(i32::from(failed))
}

const NSLOOKUP_USAGE: &str = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any";

#[cfg(test)]
mod tests {
    use super::super::fs::Fs;
    use super::*;

    struct T {
        fs: Fs,
    }
    impl Sys for T {
        fn now(&self) -> SimTime {
            SimTime::ZERO
        }
        fn read(&self, p: &str) -> Result<String, FsError> {
            self.fs.read(p).map(String::from)
        }
        fn write(&mut self, p: &str, c: &str, a: bool) -> Result<(), FsError> {
            self.fs.write(p, c, a)
        }
        fn mkdir(&mut self, p: &str, parents: bool) -> Result<(), FsError> {
            if parents {
                self.fs.mkdir_all(p);
                Ok(())
            } else {
                self.fs.mkdir(p)
            }
        }
        fn remove(&mut self, p: &str, r: bool) -> Result<(), FsError> {
            self.fs.remove(p, r)
        }
        fn list(&self, p: &str) -> Result<Vec<String>, FsError> {
            self.fs.list(p)
        }
        fn is_dir(&self, p: &str) -> bool {
            self.fs.is_dir(p)
        }
        fn exists(&self, p: &str) -> bool {
            self.fs.get(p).is_some()
        }
        fn hostname(&self) -> String {
            "pod".into()
        }
        fn http_get(&mut self, url: &str, _agent: &str) -> Result<(u16, String), String> {
            Err(format!("wget: bad address '{url}'"))
        }
    }

    fn run(script: &str) -> (Step, String, String, T) {
        let mut sys = T {
            fs: Fs::with(&["/tmp"], &[]),
        };
        let mut p = Process::shell(
            script,
            vec!["sh".into()],
            BTreeMap::from([("X".to_string(), "1".to_string())]),
            "/",
            Dialect::Busybox,
        )
        .expect("compiles");
        let step = p.run(&mut sys, STEP_BUDGET);
        let (o, e) = p.take_output();
        (step, o, e, sys)
    }

    #[test]
    fn echo_then_sleep() {
        let (step, out, _, _) = run("echo \"Hello Kubernetes!\"; sleep 3600");
        assert_eq!(step, Step::Sleep(3_600_000));
        assert_eq!(out, "Hello Kubernetes!\n");
    }

    #[test]
    fn files_and_status() {
        let (step, out, err, sys) = run("mkdir /files_dir; echo \"important data\" > /files_dir/importantfile; cat /files_dir/importantfile; cat /nope; echo $?");
        assert_eq!(step, Step::Exit(0));
        assert_eq!(out, "important data\n1\n");
        assert_eq!(err, "cat: can't open '/nope': No such file or directory\n");
        assert_eq!(
            sys.fs.read("/files_dir/importantfile"),
            Ok("important data\n")
        );
    }

    #[test]
    fn loops_are_bounded() {
        let (step, _, _, _) = run("while true; do :; done");
        assert_eq!(step, Step::Yield);
        let (step, out, _, _) = run("for i in 1 2 3; do echo $i; done; exit 3");
        assert_eq!(step, Step::Exit(3));
        assert_eq!(out, "1\n2\n3\n");
        let (step, out, _, _) = run("i=0; while [ $i -lt 3 ]; do echo x; i=$(echo 3); done");
        assert_eq!(step, Step::Exit(0));
        assert_eq!(out, "x\n");
    }

    #[test]
    fn unknown_commands_and_tail() {
        let (step, _, err, _) = run("nosuch");
        assert_eq!(step, Step::Exit(127));
        assert_eq!(err, "sh: nosuch: not found\n");
        let (step, _, _, _) = run("tail -f /dev/null");
        assert_eq!(step, Step::Block);
    }

    #[test]
    fn expansion_quoting_and_lists() {
        let (step, out, _, _) = run(r#"echo "$X" '$X' ${X}2; false || echo b && echo c"#);
        assert_eq!(step, Step::Exit(0));
        assert_eq!(out, "1 $X 12\nb\nc\n");
        let (_, out, _, _) = run("if [ -f /tmp/a ]; then echo yes; else echo no; fi");
        assert_eq!(out, "no\n");
        let (step, _, _, _) = run("exit 300");
        assert_eq!(step, Step::Exit(44));
    }

    #[test]
    fn pipes_and_redirections() {
        let (_, out, _, sys) = run(
            "echo x > /tmp/f; echo y >> /tmp/f; wc -l < /tmp/f; printf 'a\\nb\\na\\n' | grep -c a",
        );
        assert_eq!(out, "2\n2\n");
        assert_eq!(sys.fs.read("/tmp/f"), Ok("x\ny\n"));
    }

    #[test]
    fn term_trap_runs_after_the_foreground_command() {
        let mut sys = T {
            fs: Fs::with(&["/tmp"], &[]),
        };
        let env = BTreeMap::new();
        let script = "trap 'echo bye; exit 7' TERM; sleep 5; echo after";
        let mut p = Process::shell(script, vec![], env.clone(), "/", Dialect::Busybox).unwrap();
        assert_eq!(p.run(&mut sys, STEP_BUDGET), Step::Sleep(5000));
        assert!(p.deliver_term());
        assert_eq!(p.run(&mut sys, STEP_BUDGET), Step::Exit(7));
        assert_eq!(p.take_output().0, "bye\n");
        // An action without `exit` resumes the script; no trap means SIGTERM is not handled.
        let script = "trap 'echo t' TERM; sleep 1; echo after";
        let mut p = Process::shell(script, vec![], env.clone(), "/", Dialect::Busybox).unwrap();
        p.run(&mut sys, STEP_BUDGET);
        p.deliver_term();
        assert_eq!(p.run(&mut sys, STEP_BUDGET), Step::Exit(0));
        assert_eq!(p.take_output().0, "t\nafter\n");
        let mut p = Process::shell("sleep 1", vec![], env, "/", Dialect::Busybox).unwrap();
        p.run(&mut sys, STEP_BUDGET);
        assert!(!p.deliver_term());
        let (step, _, err, _) = run("trap 'x' BOGUS; echo no");
        assert_eq!(step, Step::Exit(2));
        assert_eq!(err, "sh: trap: BOGUS: invalid signal specification\n");
    }

    #[test]
    fn date_format() {
        assert_eq!(
            date_text(SimTime::from_secs(34)),
            "Mon Mar  3 09:00:34 UTC 2025"
        );
    }
}
