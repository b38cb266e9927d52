//! The native command's body (see `../podplay.rs`).

use std::path::{Path, PathBuf};

use podplay::host::DiskFiles;
use std::process::ExitCode;

use podplay::session::{heredoc_marker, Entry, Session};

const HELP: &str = "podplay: a Kubernetes Pod playground on a simulated cluster\n\nUsage:\n  podplay                      interactive prompt against a fresh cluster\n  podplay run SCRIPT [--seed N] [--cluster FILE]\n                               run a session script and print its transcript\n  podplay run --check SCRIPT   compare the transcript with the expected output in\n                               SCRIPT (`#|` lines) or in SCRIPT's .out file\n  podplay lesson --list         the built-in lessons\n  podplay lesson LESSON SCRIPT run SCRIPT against a lesson (a built-in id or a\n                               lesson file) and say which steps it completes\n  podplay --help | --version\n";

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => repl(0),
        Some("--help") | Some("-h") | Some("help") => {
            print!(
                "{HELP}\nSession commands (at the prompt and in scripts):\n{}",
                podplay::session::HELP
            );
            ExitCode::SUCCESS
        }
        Some("--version") | Some("version") => {
            println!(
                "podplay {} (emulating Kubernetes v1.32.5)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        Some("--seed") => match args.get(1).and_then(|s| s.parse().ok()) {
            Some(seed) => repl(seed),
            None => usage("--seed needs a number"),
        },
        Some("run") => {
            let mut script = None;
            let mut check = false;
            let mut seed = 0u64;
            let mut cluster: Option<String> = None;
            let mut i = 1;
            while i < args.len() {
                match args[i].as_str() {
                    "--check" => check = true,
                    "--seed" => {
                        i += 1;
                        match args.get(i).and_then(|s| s.parse().ok()) {
                            Some(s) => seed = s,
                            None => return usage("--seed needs a number"),
                        }
                    }
                    "--cluster" => {
                        i += 1;
                        match args.get(i) {
                            Some(c) => cluster = Some(c.clone()),
                            None => return usage("--cluster needs a FILE"),
                        }
                    }
                    s if s.starts_with("--cluster=") => {
                        cluster = Some(s["--cluster=".len()..].to_string())
                    }
                    s if s.starts_with("--seed=") => match s["--seed=".len()..].parse() {
                        Ok(v) => seed = v,
                        Err(_) => return usage("--seed needs a number"),
                    },
                    s if script.is_none() => script = Some(s.to_string()),
                    s => return usage(&format!("unexpected argument '{s}'")),
                }
                i += 1;
            }
            let Some(script) = script else {
                return usage("run needs a SCRIPT");
            };
            let text = match std::fs::read_to_string(&script) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("podplay: cannot read {script}: {e}");
                    return ExitCode::from(2);
                }
            };
            let base = Path::new(&script)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let world = match &cluster {
                None => podplay::sim::World::new(seed),
                Some(path) => {
                    let text = match std::fs::read_to_string(path) {
                        Ok(t) => t,
                        Err(e) => {
                            eprintln!("podplay: cannot read {path}: {e}");
                            return ExitCode::from(2);
                        }
                    };
                    match podplay::sim::cluster::ClusterSpec::parse(&text)
                        .and_then(|spec| podplay::sim::World::with_cluster(seed, &spec))
                    {
                        Ok(w) => w,
                        Err(e) => {
                            eprintln!("podplay: {path}: {e}");
                            return ExitCode::from(2);
                        }
                    }
                }
            };
            let mut session = Session::with_world(world, Box::new(DiskFiles::new(base)));
            if check {
                return check_script(&mut session, &script, &text);
            }
            let stdout = std::io::stdout();
            let result = session.run_script_streaming(&text, |piece| {
                // Each command's part is written as soon as it has run: a crash or a timeout
                // keeps what came before.
                use std::io::Write;
                let mut out = stdout.lock();
                let _ = out.write_all(piece.as_bytes());
                let _ = out.flush();
            });
            match result {
                Ok(failed) if failed.is_empty() => ExitCode::SUCCESS,
                Ok(failed) => {
                    let lines: Vec<String> = failed.iter().map(usize::to_string).collect();
                    eprintln!(
                        "podplay: {script}: {} command{} failed (line{} {})",
                        failed.len(),
                        if failed.len() == 1 { "" } else { "s" },
                        if failed.len() == 1 { "" } else { "s" },
                        lines.join(", ")
                    );
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("podplay: {script}: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some("lesson") => lesson_command(&args[1..]),
        Some(other) => usage(&format!("unknown command '{other}'")),
    }
}

/// `podplay run --check`: exit 0 if the transcript is as expected, 1 with a diff if not, 2
/// if there is nothing to compare with or the script cannot run.
fn check_script(session: &mut Session, script: &str, text: &str) -> ExitCode {
    use podplay::host::check;
    let transcript = match session.run_script(text) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("podplay: {script}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(expected) = check::embedded(text) {
        let problems = check::check_embedded(&expected, &transcript);
        if problems.is_empty() {
            eprintln!(
                "podplay: {script}: the output of all {} checked commands is as expected",
                expected.len()
            );
            return ExitCode::SUCCESS;
        }
        for p in &problems {
            print!("{p}");
        }
        eprintln!(
            "podplay: {script}: {} of {} checked commands printed something else",
            problems.len(),
            expected.len()
        );
        return ExitCode::from(1);
    }
    let out_path = match script.strip_suffix(".sh") {
        Some(stem) => format!("{stem}.out"),
        None => format!("{script}.out"),
    };
    let Ok(want) = std::fs::read_to_string(&out_path) else {
        eprintln!("podplay: {script}: nothing to check against: write the expected output after each command as `#| ` lines, or in {out_path}");
        return ExitCode::from(2);
    };
    match check::diff(&want, &transcript, &out_path) {
        None => {
            eprintln!("podplay: {script}: the transcript matches {out_path}");
            ExitCode::SUCCESS
        }
        Some(d) => {
            print!("{d}");
            eprintln!("podplay: {script}: the transcript differs from {out_path}");
            ExitCode::from(1)
        }
    }
}

/// `podplay lesson`: a lesson's checks, headless (as a docs author's CI runs them).
fn lesson_command(args: &[String]) -> ExitCode {
    use podplay::session::lesson;
    match args {
        [flag] if flag == "--list" => {
            for (id, text) in lesson::BUILT_IN {
                if let Ok(l) = lesson::parse(id, text) {
                    println!("{id:<22} {}", l.title.en);
                }
            }
            ExitCode::SUCCESS
        }
        [which, script] => {
            let lesson = match lesson::built_in(which) {
                Some(l) => l,
                None => match std::fs::read_to_string(which) {
                    Ok(text) => match lesson::parse(which, &text) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("podplay: {e}");
                            return ExitCode::from(2);
                        }
                    },
                    Err(e) => {
                        eprintln!("podplay: {which} is no built-in lesson and cannot be read: {e}");
                        return ExitCode::from(2);
                    }
                },
            };
            let text = match std::fs::read_to_string(script) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("podplay: cannot read {script}: {e}");
                    return ExitCode::from(2);
                }
            };
            let base = Path::new(script)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let done = match lesson.run_headless(&text, Box::new(DiskFiles::new(base))) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("podplay: {script}: {e}");
                    return ExitCode::from(2);
                }
            };
            println!("{}", lesson.title.en);
            for (i, (step, ok)) in lesson.steps.iter().zip(&done).enumerate() {
                println!(
                    "  [{}] {}. {}",
                    if *ok { "x" } else { " " },
                    i + 1,
                    step.say.en
                );
            }
            let n = done.iter().filter(|d| **d).count();
            println!("{n} of {} steps done", done.len());
            if n == done.len() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        _ => usage("lesson needs --list, or a LESSON and a SCRIPT"),
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("podplay: {msg}\n\n{HELP}");
    ExitCode::from(2)
}

fn repl(seed: u64) -> ExitCode {
    let mut session = Session::new(seed, Box::new(DiskFiles::new(PathBuf::from("."))));
    session.interactive = true;
    let mut rl = match rustyline::DefaultEditor::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("podplay: cannot start the prompt: {e}");
            return ExitCode::from(1);
        }
    };
    println!("podplay — a simulated Kubernetes v1.32 cluster (3 nodes). Type kubectl commands; `sleep 30` moves the clock; Ctrl-D quits.");
    while let Some(line) = read_line(&mut rl, "$ ") {
        let trimmed = line.trim().to_string();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed == "exit" || trimmed == "quit" {
            break;
        }
        let _ = rl.add_history_entry(&line);
        let mut entry = Entry {
            text: line.clone(),
            line: trimmed.clone(),
            heredoc: None,
        };
        if let Some(marker) = heredoc_marker(&trimmed) {
            let mut body = String::new();
            let mut cancelled = false;
            loop {
                match rl.readline("> ") {
                    Ok(l) if l.trim_end() == marker => break,
                    Ok(l) => {
                        body.push_str(&l);
                        body.push('\n');
                    }
                    // Ctrl-C drops the whole command, as bash does.
                    Err(rustyline::error::ReadlineError::Interrupted) => {
                        cancelled = true;
                        break;
                    }
                    Err(_) => break,
                }
            }
            if cancelled {
                continue;
            }
            entry.heredoc = Some(body);
        }
        if let Some(attached) = session.interactive_exec(&trimmed) {
            shell_loop(&mut rl, &mut session, &attached);
            continue;
        }
        let run_it = session.interactive_run(&trimmed);
        let out = session.run_entry(&entry);
        if let Some((ns, name, rm)) = run_it {
            print_output(&out);
            if let Some(attached) = session.attach_to(&ns, &name) {
                shell_loop(&mut rl, &mut session, &attached);
                println!("Session ended, resume using 'kubectl attach {name} -c {} -i -t' command when the pod is running", attached.container);
            }
            if rm {
                let del = session.run_entry(&Entry {
                    text: String::new(),
                    line: format!("kubectl delete pod {name} -n {ns}"),
                    heredoc: None,
                });
                print_output(&del);
            }
            continue;
        }
        print_output(&out);
    }
    ExitCode::SUCCESS
}

fn print_output(out: &podplay::kubectl::Output) {
    if let Some(n) = out.notice() {
        eprint!("{n}");
    }
    for (stream, text) in &out.chunks {
        match stream {
            podplay::kubectl::Stream::Out => print!("{text}"),
            podplay::kubectl::Stream::Err => eprint!("{text}"),
        }
    }
    let text = out.text();
    if !text.is_empty() && !text.ends_with('\n') {
        println!();
    }
}

/// Reads a line as bash does: Ctrl-C abandons the line and prompts again, input that is not
/// UTF-8 is reported and skipped, and only Ctrl-D (or a closed input) ends the session.
fn read_line(rl: &mut rustyline::DefaultEditor, prompt: &str) -> Option<String> {
    use rustyline::error::ReadlineError;
    loop {
        match rl.readline(prompt) {
            Ok(line) => return Some(line),
            Err(ReadlineError::Interrupted) => println!("^C"),
            Err(ReadlineError::Eof) => return None,
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
                eprintln!("podplay: the line is not valid UTF-8")
            }
            Err(ReadlineError::Signal(_)) => {}
            Err(e) => {
                eprintln!("podplay: cannot read the terminal: {e}");
                return None;
            }
        }
    }
}

/// An interactive shell in a container, until `exit` or Ctrl-D.
fn shell_loop(
    rl: &mut rustyline::DefaultEditor,
    session: &mut Session,
    attached: &podplay::session::Attached,
) {
    while let Some(l) = read_line(rl, &attached.prompt) {
        let t = l.trim();
        if t == "exit" {
            break;
        }
        if t.is_empty() {
            continue;
        }
        let _ = rl.add_history_entry(&l);
        print_output(&session.attached_line(attached, t));
    }
}
