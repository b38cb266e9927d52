//! Terminal sessions: the commands a learner types (or a script holds), run against one world.
//!
//! A session understands `kubectl …` (also `k …`), `sleep DURATION` (advances the virtual
//! clock), `timeout DURATION kubectl … -w` (a watch of that length), here-documents that write
//! workspace files (`cat <<EOF > NAME` … `EOF`), `cat NAME`, `ls`, `echo`, `#` comments and
//! blank lines. It does no I/O: files outside the workspace come from a `FileSource` the host
//! provides (the CLI reads the script's folder; the browser has none).

pub mod complete;
pub mod examples;
pub mod follow;
pub mod lesson;
pub mod pipeline;
pub mod share;

use std::collections::BTreeMap;

use crate::kubectl::{self, Ctx, Files, Output};
use crate::sim::time::parse_duration;

/// The longest command line the terminal takes (here-document bodies are not counted).
pub const MAX_LINE: usize = 64 * 1024;

/// The most virtual time one command may move the clock (`sleep`, `timeout`): 1000 hours,
/// about six weeks, which is past every back-off and grace period. Longer spans would only
/// spend real time and memory replaying the same cycle.
pub const MAX_ADVANCE_MS: u64 = 1000 * 3_600_000;

fn too_long(cmd: &str, arg: &str) -> String {
    format!("{cmd}: invalid time interval '{arg}': the playground moves its clock at most 1000h per command\n")
}
use crate::sim::World;

/// What `help` prints: the commands a session understands.
pub const HELP: &str = "\
kubectl COMMAND …          the simulated cluster's kubectl (get, describe, apply, create, expose,
                           delete, logs, exec, run, label, patch, drain…; `kubectl help` lists them)
sleep 30s                  move the virtual clock on (a bare number means seconds)
timeout 20s kubectl get pods -w
                           watch for a while (in the browser, Ctrl+C stops a watch or logs -f)
cat <<EOF > pod.yaml       write a workspace file from a here-document (end it with EOF)
cat FILE, ls, rm FILE      read, list and remove workspace files
podplay trace SRC DST[:PORT]   the path of a packet between pods, nodes, services
                           (svc/NAME) or addresses, through kube-proxy's rules
podplay node show|stop|start|add NAME
                           a node's network, power it off or on, or add a worker
clear                      clear the terminal (browser)
";

/// Files the host can offer besides the workspace (e.g. the script's folder on disk).
pub trait FileSource {
    fn read(&self, path: &str) -> Option<String>;
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
}

/// No files besides the workspace.
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, _: &str) -> Option<String> {
        None
    }
    fn list_dir(&self, _: &str) -> Option<Vec<String>> {
        None
    }
}

/// One session: a world, its workspace files and the commands run so far.
pub struct Session {
    pub world: World,
    /// Set by the REPL: a person is typing.
    pub interactive: bool,
    pub workspace: BTreeMap<String, String>,
    pub history: Vec<String>,
    source: Box<dyn FileSource>,
    /// The cluster file the session started from, if any (share links carry it).
    pub cluster: Option<String>,
    seed: u64,
    /// Every command run, with its time and the files changed before it: what replays it.
    pub journal: Vec<share::Step>,
    /// The workspace as the journal last recorded it.
    journal_files: BTreeMap<String, String>,
}

struct SessionFiles<'a> {
    workspace: &'a BTreeMap<String, String>,
    source: &'a dyn FileSource,
    stdin: Option<&'a str>,
}

impl Files for SessionFiles<'_> {
    fn read(&self, name: &str) -> Option<String> {
        if name == "-" {
            return self.stdin.map(String::from);
        }
        let clean = name.strip_prefix("./").unwrap_or(name);
        self.workspace
            .get(clean)
            .cloned()
            .or_else(|| self.source.read(name))
    }
    fn list_dir(&self, name: &str) -> Option<Vec<String>> {
        let prefix = format!(
            "{}/",
            name.trim_end_matches('/')
                .strip_prefix("./")
                .unwrap_or(name.trim_end_matches('/'))
        );
        let mut in_ws: Vec<String> = self
            .workspace
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        if !in_ws.is_empty() {
            in_ws.sort();
            return Some(in_ws);
        }
        self.source.list_dir(name)
    }
}

/// One parsed entry of a script: the text as written and, for here-documents, the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The lines as written (for echoing).
    pub text: String,
    /// The command line.
    pub line: String,
    /// A here-document's body, if any.
    pub heredoc: Option<String>,
}

/// Splits a script into entries, joining here-documents to their command.
pub fn parse_script(script: &str) -> Result<Vec<Entry>, String> {
    Ok(parse_script_lines(script)?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

/// Like `parse_script`, with the line each entry starts on (1-based).
pub fn parse_script_lines(script: &str) -> Result<Vec<(usize, Entry)>, String> {
    let lines: Vec<&str> = script.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        i += 1;
        let start = i;
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(marker) = heredoc_marker(trimmed) {
            let mut body = String::new();
            let mut text = line.to_string();
            let mut closed = false;
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                text.push('\n');
                text.push_str(l);
                if l.trim_end() == marker {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            if !closed {
                return Err(format!(
                    "line {}: here-document delimited by end-of-file (wanted `{marker}')",
                    i
                ));
            }
            out.push((
                start,
                Entry {
                    text,
                    line: trimmed.to_string(),
                    heredoc: Some(body),
                },
            ));
        } else {
            out.push((
                start,
                Entry {
                    text: line.to_string(),
                    line: trimmed.to_string(),
                    heredoc: None,
                },
            ));
        }
    }
    Ok(out)
}

/// The terminator of a here-document started on this line (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF`).
pub fn heredoc_marker(line: &str) -> Option<String> {
    let pos = line.find("<<")?;
    let rest = line[pos + 2..].trim_start_matches('-').trim_start();
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>')
        .collect();
    let word = word.trim_matches(|c| c == '\'' || c == '"').to_string();
    (!word.is_empty()).then_some(word)
}

impl Session {
    pub fn new(seed: u64, source: Box<dyn FileSource>) -> Session {
        Session::with_world(World::new(seed), source)
    }

    /// A session on a given world (e.g. one built from a cluster file).
    pub fn with_world(world: World, source: Box<dyn FileSource>) -> Session {
        Session {
            seed: world.seed(),
            world,
            interactive: false,
            workspace: BTreeMap::new(),
            history: Vec::new(),
            source,
            cluster: None,
            journal: Vec::new(),
            journal_files: BTreeMap::new(),
        }
    }

    /// Runs one entry and returns what it printed. Whatever the command set in motion for the
    /// same instant (a scheduling decision, say) happens before the next command.
    pub fn run_entry(&mut self, e: &Entry) -> Output {
        let files = share::file_changes(&self.journal_files, &self.workspace);
        if !files.is_empty() {
            self.journal_files = self.workspace.clone();
        }
        self.journal.push(share::Step {
            at: self.world.now().millis(),
            text: e.text.clone(),
            files,
        });
        let out = self.run_entry_inner(e);
        let now = self.world.now();
        self.world.run_until(now);
        out
    }

    fn run_entry_inner(&mut self, e: &Entry) -> Output {
        self.history.push(e.text.clone());
        let line = match &e.heredoc {
            Some(_) => strip_heredoc(&e.line),
            None => e.line.clone(),
        };
        if line.len() > MAX_LINE {
            let mut out = Output::default();
            out.err(format!(
                "podplay: the command is {} bytes long; the terminal takes at most {} KiB\n",
                line.len(),
                MAX_LINE / 1024
            ));
            out.code = 2;
            return out;
        }
        match pipeline::parse(&line) {
            Err(msg) => {
                let mut out = Output::default();
                out.err(format!("{msg}\n"));
                out.code = 2;
                out
            }
            Ok(Some(p)) => self.run_pipeline(&p, e.heredoc.as_deref()),
            Ok(None) => self.run_line(&line, e.heredoc.as_deref()),
        }
    }

    /// Runs the commands of a pipeline, each reading what the one before it printed.
    fn run_pipeline(&mut self, p: &pipeline::Pipeline, heredoc: Option<&str>) -> Output {
        let mut shown = Output::default();
        let mut input: Option<String> = match &p.input {
            None => None,
            Some(f) => match self.read_file(f) {
                Some(text) => Some(text),
                None => {
                    shown.err(format!("sh: can't open '{f}': No such file or directory\n"));
                    shown.code = 1;
                    return shown;
                }
            },
        };
        let mut stdout = String::new();
        for (i, words) in p.stages.iter().enumerate() {
            let name = words.first().map(String::as_str).unwrap_or_default();
            let filtered = match (name, &input) {
                ("kubectl" | "k", _) | (_, None) => None,
                (_, Some(text)) => pipeline::filter(words, text),
            };
            let o = match (name, i, &input, filtered) {
                (_, _, _, Some(o)) => o,
                ("kubectl" | "k", _, Some(text), _) => {
                    let interactive = self.interactive;
                    let text = text.clone();
                    self.run_kubectl(&words[1..], Some(&text), None, interactive)
                }
                (_, 0, _, _) => {
                    let line = shell_words::join(words);
                    self.run_line(&line, heredoc)
                }
                _ => {
                    let mut o = Output::default();
                    o.err(format!("podplay: {name} cannot read from a pipe here; after | the terminal runs grep, head, tail, wc, sort, uniq, cat and kubectl\n"));
                    o.code = 127;
                    o
                }
            };
            stdout.clear();
            for (stream, text) in &o.chunks {
                match (stream, p.stderr) {
                    (kubectl::Stream::Out, _) | (_, pipeline::Stderr::ToStdout) => {
                        stdout.push_str(text)
                    }
                    (_, pipeline::Stderr::Terminal) => shown.err(text.clone()),
                    (_, pipeline::Stderr::Discard) => {}
                }
            }
            shown.code = o.code;
            input = Some(stdout.clone());
        }
        match &p.output {
            Some((file, append)) => {
                let name = file.strip_prefix("./").unwrap_or(file).to_string();
                if *append {
                    self.workspace.entry(name).or_default().push_str(&stdout);
                } else {
                    self.workspace.insert(name, stdout);
                }
            }
            None => shown.out(stdout),
        }
        shown
    }

    /// A workspace file, or one of the built-in examples.
    fn read_file(&self, name: &str) -> Option<String> {
        let files = SessionFiles {
            workspace: &self.workspace,
            source: self.source.as_ref(),
            stdin: None,
        };
        files.read(name)
    }

    /// Runs one command line (no pipes or redirections left in it).
    fn run_line(&mut self, line: &str, heredoc: Option<&str>) -> Output {
        let mut out = Output::default();
        let line = line.to_string();
        let words = match shell_words::split(&line) {
            Ok(w) => w,
            Err(_) => {
                out.err("sh: syntax error: unterminated quoted string\n");
                out.code = 2;
                return out;
            }
        };
        let Some(cmd) = words.first() else { return out };
        match cmd.as_str() {
            "kubectl" | "k" => {
                let interactive = self.interactive;
                return self.run_kubectl(&words[1..], heredoc, None, interactive);
            }
            "sleep" => match words.get(1).and_then(|d| parse_duration(d)) {
                Some(ms) if words.len() == 2 && ms > MAX_ADVANCE_MS => {
                    out.err(too_long("sleep", &words[1]));
                    out.code = 1;
                }
                Some(ms) if words.len() == 2 => self.world.advance(ms),
                _ => {
                    out.err(format!(
                        "sleep: invalid time interval '{}'\n",
                        words.get(1).map(String::as_str).unwrap_or_default()
                    ));
                    out.code = 1;
                }
            },
            "timeout" => {
                let Some(ms) = words.get(1).and_then(|d| parse_duration(d)) else {
                    out.err(format!(
                        "timeout: invalid time interval '{}'\n",
                        words.get(1).map(String::as_str).unwrap_or_default()
                    ));
                    out.code = 125;
                    return out;
                };
                if ms > MAX_ADVANCE_MS {
                    out.err(too_long("timeout", &words[1]));
                    out.code = 125;
                    return out;
                }
                let rest = &words[2..];
                if rest.first().is_some_and(|c| c == "kubectl" || c == "k") {
                    let start = self.world.now();
                    let o = self.run_kubectl(&rest[1..], None, Some(ms), false);
                    // The command is cut when the time is up.
                    let end = start.plus_ms(ms);
                    if self.world.now() < end && o.code == 0 {
                        self.world.run_until(end);
                    }
                    return o;
                } else if rest.first().is_some_and(|c| c == "sleep") {
                    self.world
                        .advance(ms.min(rest.get(1).and_then(|d| parse_duration(d)).unwrap_or(ms)));
                } else {
                    out.err(format!(
                        "timeout: failed to run command '{}': No such file or directory\n",
                        rest.first().map(String::as_str).unwrap_or_default()
                    ));
                    out.code = 127;
                }
            }
            "cat" => self.cat(&words, heredoc, &line, &mut out),
            "ls" => {
                let names: Vec<&String> = self.workspace.keys().collect();
                for n in names {
                    out.out(format!("{n}\n"));
                }
            }
            "echo" => out.out(format!("{}\n", words[1..].join(" "))),
            "rm" => {
                for f in words[1..].iter().filter(|w| !w.starts_with('-')) {
                    if self.workspace.remove(f).is_none() && !words.iter().any(|w| w == "-f") {
                        out.err(format!(
                            "rm: cannot remove '{f}': No such file or directory\n"
                        ));
                        out.code = 1;
                    }
                }
            }
            "date" => out.out(format!(
                "{}\n",
                crate::sim::process::date_text(self.world.now())
            )),
            "podplay" => self.podplay_command(&words[1..], &mut out),
            "help" => out.out(HELP),
            other => {
                out.err(format!("{other}: command not found\n"));
                out.code = 127;
            }
        }
        out
    }

    fn cat(&mut self, words: &[String], heredoc: Option<&str>, line: &str, out: &mut Output) {
        // `cat > NAME` with a here-document writes NAME.
        if let Some(body) = heredoc {
            let target = line
                .split_once('>')
                .map(|(_, t)| t.trim().trim_start_matches('>').trim().to_string())
                .filter(|t| !t.is_empty());
            match target {
                Some(t) => {
                    let name = t.split_whitespace().next().unwrap_or_default().to_string();
                    let name = name.strip_prefix("./").unwrap_or(&name).to_string();
                    if line.contains(">>") {
                        self.workspace.entry(name).or_default().push_str(body);
                    } else {
                        self.workspace.insert(name, body.to_string());
                    }
                }
                None => out.out(body.to_string()),
            }
            return;
        }
        let files = SessionFiles {
            workspace: &self.workspace,
            source: self.source.as_ref(),
            stdin: None,
        };
        for f in words[1..].iter().filter(|w| !w.starts_with('-')) {
            match files.read(f) {
                Some(c) => out.out(c),
                None => {
                    out.err(format!("cat: {f}: No such file or directory\n"));
                    out.code = 1;
                }
            }
        }
    }

    /// Runs a whole script and returns its transcript: each command as `$ command`, then its
    /// output. A script that cannot be parsed is an error.
    pub fn run_script(&mut self, script: &str) -> Result<String, String> {
        let mut transcript = String::new();
        self.run_script_streaming(script, |piece| transcript.push_str(piece))?;
        Ok(transcript)
    }

    /// Runs a script as `run_script` does, handing each command's part of the transcript to
    /// `sink` as soon as it has run, and returns the lines of the commands that failed (exited
    /// non-zero). Like a shell script, it goes on after a failure.
    pub fn run_script_streaming(
        &mut self,
        script: &str,
        mut sink: impl FnMut(&str),
    ) -> Result<Vec<usize>, String> {
        let entries = parse_script_lines(script)?;
        let mut failed = Vec::new();
        let mut ends_with_newline = true;
        for (lineno, e) in &entries {
            let mut piece = String::new();
            if !ends_with_newline {
                piece.push('\n');
            }
            for (i, l) in e.text.lines().enumerate() {
                piece.push_str(if i == 0 { "$ " } else { "> " });
                piece.push_str(l);
                piece.push('\n');
            }
            let out = self.run_entry(e);
            if out.code != 0 {
                failed.push(*lineno);
            }
            piece.push_str(&out.text());
            ends_with_newline = piece.ends_with('\n');
            sink(&piece);
        }
        Ok(failed)
    }
}

/// Runs kubectl `args` (without `kubectl`) on `world`.
fn kubectl_on(
    world: &mut World,
    files: &SessionFiles<'_>,
    watch_ms: Option<u64>,
    interactive: bool,
    args: &[String],
) -> Output {
    let mut ctx = Ctx {
        world,
        files,
        watch_ms,
        interactive,
    };
    kubectl::run(&mut ctx, args)
}

impl Session {
    /// Runs kubectl `args` (without `kubectl`) on this session's cluster with its files
    /// (`stdin` for `-f -`), a watch or `logs -f` lasting `watch_ms` (by default a minute).
    pub(crate) fn run_kubectl(
        &mut self,
        args: &[String],
        stdin: Option<&str>,
        watch_ms: Option<u64>,
        interactive: bool,
    ) -> Output {
        let files = SessionFiles {
            workspace: &self.workspace,
            source: self.source.as_ref(),
            stdin,
        };
        kubectl_on(&mut self.world, &files, watch_ms, interactive, args)
    }
}

/// The command part of a here-document line (`kubectl apply -f - <<EOF` → `kubectl apply -f -`).
fn strip_heredoc(line: &str) -> String {
    match line.find("<<") {
        None => line.to_string(),
        Some(pos) => {
            let before = &line[..pos];
            let after = &line[pos + 2..];
            let rest: String = after
                .trim_start_matches('-')
                .trim_start()
                .chars()
                .skip_while(|c| !c.is_whitespace())
                .collect();
            format!("{before}{rest}").trim().to_string()
        }
    }
}

/// An interactive shell opened with `kubectl exec -it POD -- sh` (REPL only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub uid: String,
    pub pod: String,
    pub container: String,
    /// The prompt the container's shell prints (`/ # ` for busybox, `root@pod:/# ` for bash).
    pub prompt: String,
    bash: bool,
}

impl Session {
    /// If `line` is `kubectl exec -it POD [-c C] -- sh|bash`, the shell to attach to.
    pub fn interactive_exec(&self, line: &str) -> Option<Attached> {
        let words = shell_words::split(line).ok()?;
        if !matches!(words.first().map(String::as_str), Some("kubectl" | "k"))
            || words.get(1).map(String::as_str) != Some("exec")
        {
            return None;
        }
        let dash = words.iter().position(|w| w == "--")?;
        let flags = &words[2..dash];
        let tty = flags
            .iter()
            .any(|f| f == "-it" || f == "-ti" || f == "-t" || f == "--tty");
        let cmd = &words[dash + 1..];
        if !tty || cmd.len() != 1 {
            return None;
        }
        let shell = cmd[0].rsplit('/').next().unwrap_or(&cmd[0]).to_string();
        if !matches!(shell.as_str(), "sh" | "bash" | "ash") {
            return None;
        }
        let mut ns = "default".to_string();
        let mut container = None;
        let mut pod = None;
        let mut i = 0;
        while i < flags.len() {
            match flags[i].as_str() {
                "-n" | "--namespace" => {
                    i += 1;
                    ns = flags.get(i)?.clone();
                }
                "-c" | "--container" => {
                    i += 1;
                    container = flags.get(i).cloned();
                }
                f if f.starts_with("--namespace=") => ns = f["--namespace=".len()..].to_string(),
                f if f.starts_with("-") => {}
                f => pod = Some(f.strip_prefix("pod/").unwrap_or(f).to_string()),
            }
            i += 1;
        }
        let p = self.world.pods.get(&(ns, pod?))?;
        let running = |name: &str| {
            p.status.container_statuses.iter().any(|s| {
                s.name == name && matches!(s.state, crate::sim::pod::ContainerState::Running { .. })
            })
        };
        let container = container.unwrap_or_else(|| {
            p.spec
                .containers
                .first()
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        if !running(&container) {
            return None;
        }
        let bash = shell == "bash";
        let prompt = if bash {
            format!("root@{}:/# ", p.meta.name)
        } else {
            "/ # ".to_string()
        };
        Some(Attached {
            uid: p.meta.uid.clone(),
            pod: p.meta.name.clone(),
            container,
            prompt,
            bash,
        })
    }

    /// Runs one line typed into an attached shell.
    pub fn attached_line(&mut self, a: &Attached, line: &str) -> Output {
        let mut out = Output::default();
        let shell = if a.bash { "bash" } else { "sh" };
        match self.world.exec_in(
            &a.uid,
            &a.container,
            &[shell.to_string(), "-c".to_string(), line.to_string()],
        ) {
            Ok((o, e, _)) => {
                out.out(o);
                out.err(e);
            }
            Err(e) => out.err(format!("error: {e}\n")),
        }
        let now = self.world.now();
        self.world.run_until(now);
        out
    }
}

impl Session {
    /// Runs a read-only kubectl command (`get` without a watch, `describe`, `logs` without
    /// `-f`, `explain`) against the cluster as it was at `at`, for time travel. Other commands
    /// give `None`: they would change the present.
    pub fn run_read_only_at(&self, line: &str, at: crate::sim::time::SimTime) -> Option<Output> {
        let words = shell_words::split(line).ok()?;
        if !matches!(words.first().map(String::as_str), Some("kubectl" | "k")) {
            return None;
        }
        let verb = words.get(1)?.as_str();
        let streams = words.iter().any(|w| {
            matches!(
                w.as_str(),
                "-w" | "--watch" | "--watch-only" | "-f" | "--follow"
            )
        });
        if !matches!(verb, "get" | "describe" | "logs" | "explain")
            || (streams && verb != "describe")
        {
            return None;
        }
        let mut past = crate::view::world_at(&self.world, at);
        let files = SessionFiles {
            workspace: &self.workspace,
            source: self.source.as_ref(),
            stdin: None,
        };
        Some(kubectl_on(&mut past, &files, Some(0), false, &words[1..]))
    }

    /// `podplay node stop|start|add NAME` and `podplay trace SRC DST[:PORT]`.
    fn podplay_command(&mut self, args: &[String], out: &mut Output) {
        let usage = "usage: podplay node stop|start|add|show NAME | podplay trace SRC DST[:PORT]\n";
        match args.first().map(String::as_str) {
            Some("node") => {
                let (Some(verb), Some(name)) = (args.get(1), args.get(2)) else {
                    out.err(usage);
                    out.code = 2;
                    return;
                };
                let result = match verb.as_str() {
                    "stop" => self
                        .world
                        .stop_node(name)
                        .map(|_| format!("node/{name} stopped\n")),
                    "start" => self
                        .world
                        .start_node(name)
                        .map(|_| format!("node/{name} started\n")),
                    "add" => self
                        .world
                        .add_node(name)
                        .map(|_| format!("node/{name} added\n")),
                    "show" => self.world.node_network(name),
                    _ => Err(usage.trim_end().to_string()),
                };
                match result {
                    Ok(msg) => out.out(msg),
                    Err(e) => {
                        out.err(format!("podplay: {e}\n"));
                        out.code = 1;
                    }
                }
            }
            Some("trace") => {
                let (Some(src), Some(dst)) = (args.get(1), args.get(2)) else {
                    out.err(usage);
                    out.code = 2;
                    return;
                };
                let (dst, port) = match dst.rsplit_once(':') {
                    Some((d, p)) => match p.parse::<u16>() {
                        Ok(p) => (d.to_string(), p),
                        Err(_) => {
                            out.err(format!("podplay: invalid port \"{p}\"\n"));
                            out.code = 2;
                            return;
                        }
                    },
                    None => (dst.clone(), 80),
                };
                match self.world.trace(src, &dst, port) {
                    Ok(v) => out.out(v.text()),
                    Err(e) => {
                        out.err(format!("podplay: {e}\n"));
                        out.code = 1;
                    }
                }
            }
            _ => {
                out.err(usage);
                out.code = 2;
            }
        }
    }
}

impl Session {
    /// If `line` is `kubectl run -it …` (REPL only): the pod and container to attach to once
    /// the run command has created it, and whether to delete it afterwards (`--rm`).
    pub fn interactive_run(&self, line: &str) -> Option<(String, String, bool)> {
        let words = shell_words::split(line).ok()?;
        if !matches!(words.first().map(String::as_str), Some("kubectl" | "k"))
            || words.get(1).map(String::as_str) != Some("run")
        {
            return None;
        }
        let end = words.iter().position(|w| w == "--").unwrap_or(words.len());
        let flags = &words[2..end];
        let tty = flags.iter().any(|f| {
            matches!(
                f.as_str(),
                "-it" | "-ti" | "-i" | "-t" | "--stdin" | "--tty"
            )
        });
        if !tty || flags.iter().any(|f| f.starts_with("--dry-run")) {
            return None;
        }
        let name = flags.iter().find(|f| !f.starts_with('-'))?.clone();
        let ns = flags
            .iter()
            .position(|f| f == "-n" || f == "--namespace")
            .and_then(|i| flags.get(i + 1))
            .cloned()
            .unwrap_or_else(|| "default".into());
        Some((ns, name, flags.iter().any(|f| f == "--rm")))
    }

    /// The shell of a pod started with `kubectl run -it`, to attach to.
    pub fn attach_to(&self, ns: &str, name: &str) -> Option<Attached> {
        let p = self.world.pods.get(&(ns.to_string(), name.to_string()))?;
        let c = p.spec.containers.first()?;
        let running = p.status.container_statuses.iter().any(|s| {
            s.name == c.name && matches!(s.state, crate::sim::pod::ContainerState::Running { .. })
        });
        if !running {
            return None;
        }
        let bash = self.world.container_is_bash(&p.meta.uid, &c.name);
        let prompt = if bash {
            format!("root@{}:/# ", p.meta.name)
        } else {
            "/ # ".to_string()
        };
        Some(Attached {
            uid: p.meta.uid.clone(),
            pod: p.meta.name.clone(),
            container: c.name.clone(),
            prompt,
            bash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredocs_and_comments() {
        let s = "# c\n\ncat <<'EOF' > pod.yaml\na: 1\nEOF\nkubectl get pods\n";
        let e = parse_script(s).expect("parses");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].heredoc.as_deref(), Some("a: 1\n"));
        assert_eq!(
            strip_heredoc("kubectl apply -f - <<EOF"),
            "kubectl apply -f -"
        );
        assert!(parse_script("cat <<EOF > x\nno end\n").is_err());
    }

    #[test]
    fn read_only_commands_answer_from_the_past() {
        let mut s = Session::new(1, Box::new(NoFiles));
        s.world.track_history();
        s.run_script("sleep 10\nkubectl run web --image=nginx\nsleep 30\n")
            .expect("runs");
        let at = crate::sim::time::SimTime::from_secs(5);
        let out = s
            .run_read_only_at("kubectl get pods", at)
            .expect("get is read-only");
        assert_eq!(out.text(), "No resources found in default namespace.\n");
        let out = s
            .run_read_only_at("kubectl get nodes", at)
            .expect("read-only");
        assert!(
            out.text()
                .contains("worker-1        Ready    <none>          5s"),
            "{}",
            out.text()
        );
        assert!(s.run_read_only_at("kubectl delete pod web", at).is_none());
        assert!(s.run_read_only_at("kubectl get pods -w", at).is_none());
        // The present is untouched.
        assert!(s.world.pods.contains_key(&("default".into(), "web".into())));
    }

    #[test]
    fn workspace_files() {
        let mut s = Session::new(1, Box::new(NoFiles));
        let t = s
            .run_script("cat <<EOF > a.txt\nhello\nEOF\ncat a.txt\nls\n")
            .expect("runs");
        assert_eq!(
            t,
            "$ cat <<EOF > a.txt\n> hello\n> EOF\n$ cat a.txt\nhello\n$ ls\na.txt\n"
        );
    }
}
