//! Pipes and redirections on a terminal line: `kubectl get pods | grep web`,
//! `kubectl get pod x -o yaml > x.yml`, `cat <<EOF | kubectl apply -f -`.
//!
//! The line is split the way a shell splits it (quotes and backslashes respected), so a `|`
//! inside quotes stays an argument. After a `|` come the text filters a learner reaches for
//! (`grep`, `head`, `tail`, `wc`, `sort`, `uniq`, `cat`) or `kubectl` reading the text as
//! `-f -`. `>`/`>>` write a workspace file, `<` reads one, `2>&1` and `2>/dev/null` steer
//! errors. What a real shell would do but the playground does not (`$(…)`, `&&`, `;`) is an
//! error that says so instead of a wrong answer.

use crate::kubectl::Output;

/// Where a line sends its error stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stderr {
    Terminal,
    Discard,
    ToStdout,
}

/// A line with pipes or redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// The commands, each as its words.
    pub stages: Vec<Vec<String>>,
    /// `< FILE`: the first command's standard input.
    pub input: Option<String>,
    /// `> FILE` (false) or `>> FILE` (true).
    pub output: Option<(String, bool)>,
    pub stderr: Stderr,
}

#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Op(&'static str),
}

const UNSUPPORTED: &str =
    "is not supported in the playground's terminal; run each command on its own line";

/// Splits a line into words and operators, respecting quotes. Errors are the terminal's.
fn tokens(line: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let flush = |word: &mut String, in_word: &mut bool, toks: &mut Vec<Tok>| {
        if *in_word {
            toks.push(Tok::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err("sh: syntax error: unterminated quoted string".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => {
                                return Err("sh: syntax error: unterminated quoted string".into())
                            }
                        },
                        Some('$') if chars.peek() == Some(&'(') => {
                            return Err(format!("podplay: command substitution $(…) {UNSUPPORTED}"))
                        }
                        Some('`') => {
                            return Err(format!("podplay: command substitution `…` {UNSUPPORTED}"))
                        }
                        Some(ch) => word.push(ch),
                        None => return Err("sh: syntax error: unterminated quoted string".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    word.push(ch);
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                return Err(format!("podplay: command substitution $(…) {UNSUPPORTED}"))
            }
            '`' => return Err(format!("podplay: command substitution `…` {UNSUPPORTED}")),
            ' ' | '\t' => flush(&mut word, &mut in_word, &mut toks),
            '|' => {
                flush(&mut word, &mut in_word, &mut toks);
                if chars.peek() == Some(&'|') {
                    return Err(format!("podplay: `||` {UNSUPPORTED}"));
                }
                toks.push(Tok::Op("|"));
            }
            '&' => {
                flush(&mut word, &mut in_word, &mut toks);
                return Err(if chars.peek() == Some(&'&') {
                    format!("podplay: `&&` {UNSUPPORTED}")
                } else {
                    format!("podplay: running a command in the background with `&` {UNSUPPORTED}")
                });
            }
            ';' => return Err(format!("podplay: `;` {UNSUPPORTED}")),
            '<' => {
                flush(&mut word, &mut in_word, &mut toks);
                toks.push(Tok::Op("<"));
            }
            '>' => {
                // `2>` when the word so far is exactly the digit 2.
                let fd2 = in_word && word == "2";
                if fd2 {
                    word.clear();
                    in_word = false;
                } else {
                    flush(&mut word, &mut in_word, &mut toks);
                }
                let append = chars.peek() == Some(&'>');
                if append {
                    chars.next();
                }
                if chars.peek() == Some(&'&') {
                    chars.next();
                    match (fd2, chars.next()) {
                        (true, Some('1')) => toks.push(Tok::Op("2>&1")),
                        _ => return Err(format!("podplay: this redirection {UNSUPPORTED}")),
                    }
                    continue;
                }
                toks.push(Tok::Op(match (fd2, append) {
                    (false, false) => ">",
                    (false, true) => ">>",
                    (true, false) => "2>",
                    (true, true) => "2>>",
                }));
            }
            ch => {
                in_word = true;
                word.push(ch);
            }
        }
    }
    flush(&mut word, &mut in_word, &mut toks);
    Ok(toks)
}

/// The pipeline a line spells, or `None` for a plain command.
pub fn parse(line: &str) -> Result<Option<Pipeline>, String> {
    let toks = tokens(line)?;
    if !toks.iter().any(|t| matches!(t, Tok::Op(_))) {
        return Ok(None);
    }
    let mut p = Pipeline {
        stages: vec![Vec::new()],
        input: None,
        output: None,
        stderr: Stderr::Terminal,
    };
    let mut it = toks.into_iter();
    let syntax = |near: &str| format!("sh: syntax error: unexpected {near}");
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => {
                if let Some(stage) = p.stages.last_mut() {
                    stage.push(w);
                }
            }
            Tok::Op("|") => {
                if p.stages.last().is_some_and(Vec::is_empty) || p.output.is_some() {
                    return Err(syntax("\"|\""));
                }
                p.stages.push(Vec::new());
            }
            Tok::Op("2>&1") => p.stderr = Stderr::ToStdout,
            Tok::Op(op) => {
                let Some(Tok::Word(target)) = it.next() else {
                    return Err(syntax("newline"));
                };
                match op {
                    "<" => p.input = Some(target),
                    ">" | ">>" => p.output = Some((target, op == ">>")),
                    _ if target == "/dev/null" => p.stderr = Stderr::Discard,
                    _ => return Err(format!("podplay: writing errors to a file {UNSUPPORTED}")),
                }
            }
        }
    }
    if p.stages.last().is_some_and(Vec::is_empty) {
        return Err(syntax("end of file"));
    }
    Ok(Some(p))
}

/// Runs a text filter after a `|`. `None` if `name` is not one.
pub fn filter(words: &[String], input: &str) -> Option<Output> {
    let mut out = Output::default();
    let (name, args) = words.split_first()?;
    let lines: Vec<&str> = input.lines().collect();
    let joined = |ls: &[&str]| -> String { ls.iter().map(|l| format!("{l}\n")).collect() };
    match name.as_str() {
        "cat" if args.is_empty() || args == ["-"] => out.out(input.to_string()),
        "head" | "tail" => match count_arg(args) {
            Ok(n) => {
                let n = n.min(lines.len());
                let part = if name == "head" {
                    &lines[..n]
                } else {
                    &lines[lines.len() - n..]
                };
                out.out(joined(part));
            }
            Err(a) => {
                out.err(format!("{name}: invalid number '{a}'\n"));
                out.code = 1;
            }
        },
        "wc" => {
            let l = lines.len();
            let w = input.split_whitespace().count();
            let c = input.len();
            let text = match args.first().map(String::as_str) {
                Some("-l") => format!("{l}\n"),
                Some("-w") => format!("{w}\n"),
                Some("-c") => format!("{c}\n"),
                _ => format!("{l:>7} {w:>7} {c:>7}\n"),
            };
            out.out(text);
        }
        "sort" => {
            let mut ls = lines.clone();
            ls.sort_unstable();
            if args.iter().any(|a| a == "-r") {
                ls.reverse();
            }
            out.out(joined(&ls));
        }
        "uniq" => {
            let mut ls = lines.clone();
            ls.dedup();
            out.out(joined(&ls));
        }
        "grep" => return Some(grep(args, &lines)),
        _ => return None,
    }
    Some(out)
}

/// `head -n 5`, `head -5`, `head -n5`, or ten lines.
fn count_arg(args: &[String]) -> Result<usize, String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let n = if a == "-n" {
            it.next().cloned().unwrap_or_default()
        } else if let Some(n) = a.strip_prefix("-n") {
            n.to_string()
        } else if let Some(n) = a.strip_prefix('-') {
            n.to_string()
        } else {
            continue;
        };
        return n.parse::<usize>().map_err(|_| n);
    }
    Ok(10)
}

/// `grep` with fixed strings and its common flags: `-i`, `-v`, `-c`, `-n`, `-w`, `-E` (for
/// `a|b`), `-A`/`-B`/`-C N` context. The pattern is matched literally, apart from `^`/`$`
/// anchors and `|` alternatives.
fn grep(args: &[String], lines: &[&str]) -> Output {
    let mut out = Output::default();
    let (mut ignore, mut invert, mut count, mut number, mut word, mut extended) =
        (false, false, false, false, false, false);
    let (mut after, mut before) = (0usize, 0usize);
    let mut pattern: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if pattern.is_none() && a.starts_with('-') && a.len() > 1 {
            let flags: Vec<char> = a[1..].chars().collect();
            let mut i = 0;
            while i < flags.len() {
                match flags[i] {
                    'i' => ignore = true,
                    'v' => invert = true,
                    'c' => count = true,
                    'n' => number = true,
                    'w' => word = true,
                    'E' => extended = true,
                    'F' => {}
                    f @ ('A' | 'B' | 'C') => {
                        let rest: String = flags[i + 1..].iter().collect();
                        let n = if rest.is_empty() {
                            it.next().cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        let Ok(n) = n.parse::<usize>() else {
                            out.err("grep: invalid context length argument\n");
                            out.code = 2;
                            return out;
                        };
                        if f != 'B' {
                            after = n;
                        }
                        if f != 'A' {
                            before = n;
                        }
                        break;
                    }
                    other => {
                        out.err(format!("grep: invalid option -- '{other}'\n"));
                        out.code = 2;
                        return out;
                    }
                }
                i += 1;
            }
        } else if pattern.is_none() {
            pattern = Some(a.clone());
        } else {
            out.err("podplay: grep after | reads the pipe; it takes no file names\n");
            out.code = 2;
            return out;
        }
    }
    let Some(pattern) = pattern else {
        out.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n");
        out.code = 2;
        return out;
    };
    let fold = |s: &str| {
        if ignore {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let alternatives: Vec<String> = if extended {
        pattern.split('|').map(fold).collect()
    } else {
        pattern.split("\\|").map(fold).collect()
    };
    let matches = |line: &str| -> bool {
        let line = fold(line);
        alternatives.iter().any(|alt| {
            let (start, rest) = match alt.strip_prefix('^') {
                Some(r) => (true, r),
                None => (false, alt.as_str()),
            };
            let (end, lit) = match rest.strip_suffix('$') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            line.match_indices(lit).any(|(i, m)| {
                let j = i + m.len();
                let boundary =
                    |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                (!start || i == 0)
                    && (!end || j == line.len())
                    && (!word
                        || (boundary(line[..i].chars().next_back())
                            && boundary(line[j..].chars().next())))
            }) || (lit.is_empty() && (!start || !end || line.is_empty()))
        })
    };
    let hits: Vec<bool> = lines.iter().map(|l| matches(l) != invert).collect();
    let total = hits.iter().filter(|h| **h).count();
    if count {
        out.out(format!("{total}\n"));
    } else {
        let mut shown = vec![false; lines.len()];
        for (i, hit) in hits.iter().enumerate() {
            if *hit {
                let lo = i.saturating_sub(before);
                let hi = (i + after).min(lines.len().saturating_sub(1));
                for s in shown.iter_mut().take(hi + 1).skip(lo) {
                    *s = true;
                }
            }
        }
        let mut text = String::new();
        let mut last: Option<usize> = None;
        for (i, l) in lines.iter().enumerate() {
            if !shown[i] {
                continue;
            }
            if (after > 0 || before > 0) && last.is_some_and(|p| p + 1 != i) {
                text.push_str("--\n");
            }
            if number {
                let sep = if hits[i] { ':' } else { '-' };
                text.push_str(&format!("{}{sep}", i + 1));
            }
            text.push_str(l);
            text.push('\n');
            last = Some(i);
        }
        out.out(text);
    }
    if total == 0 {
        out.code = 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn lines_split_at_unquoted_operators() {
        assert_eq!(parse("kubectl get pods").expect("ok"), None);
        let p =
            parse("kubectl get pods -o jsonpath='{.items[*].a|b}' | grep -i 'a b' > out.txt 2>&1")
                .expect("ok")
                .expect("a pipeline");
        assert_eq!(
            p.stages,
            vec![
                w(&["kubectl", "get", "pods", "-o", "jsonpath={.items[*].a|b}"]),
                w(&["grep", "-i", "a b"])
            ]
        );
        assert_eq!(p.output, Some(("out.txt".into(), false)));
        assert_eq!(p.stderr, Stderr::ToStdout);
        assert!(parse("kubectl get pods | ").is_err());
        assert!(parse("echo $(date)")
            .expect_err("unsupported")
            .contains("$(…)"));
        assert!(parse("a && b").expect_err("unsupported").contains("&&"));
        assert_eq!(parse("echo 'a && b'").expect("quoted"), None);
    }

    #[test]
    fn filters_behave_like_their_coreutils() {
        let text = "NAME READY\nweb 1/1\ndb 0/1\nweb-2 1/1\n";
        let run = |args: &[&str]| filter(&w(args), text).expect("a filter").text();
        assert_eq!(run(&["grep", "web"]), "web 1/1\nweb-2 1/1\n");
        // `-` is not a word character, so `web-2` holds the word `web`; `we` is no word.
        assert_eq!(run(&["grep", "-w", "web"]), "web 1/1\nweb-2 1/1\n");
        assert_eq!(run(&["grep", "-cw", "we"]), "0\n");
        assert_eq!(run(&["grep", "-vc", "web"]), "2\n");
        assert_eq!(run(&["grep", "-E", "^db|READY$"]), "NAME READY\ndb 0/1\n");
        assert_eq!(run(&["grep", "-A1", "db"]), "db 0/1\nweb-2 1/1\n");
        assert_eq!(run(&["head", "-n", "2"]), "NAME READY\nweb 1/1\n");
        assert_eq!(run(&["tail", "-1"]), "web-2 1/1\n");
        assert_eq!(run(&["wc", "-l"]), "4\n");
        assert_eq!(
            filter(&w(&["grep", "nothing"]), text).expect("grep").code,
            1
        );
        assert!(filter(&w(&["awk", "{print}"]), text).is_none());
    }
}
