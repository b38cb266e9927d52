//! `podplay run --check`: a tutorial's expected output, kept beside it or inside it, compared
//! with what the session prints, so a docs author's CI catches a tutorial that went stale.
//!
//! Identifiers a real cluster makes up at random (UIDs, container IDs, the token volume's
//! suffix, resource versions) become placeholders on both sides before comparing, so expected
//! output copied from a real cluster matches too.

use regex::Regex;

/// Replaces the values a real cluster generates at random with placeholders.
pub fn normalize(text: &str) -> String {
    let rules = [
        (r"containerd://[0-9a-f]{64}", "containerd://<id>"),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<uid>",
        ),
        (r"kube-api-access-[a-z0-9]{5}", "kube-api-access-<xxxxx>"),
        (
            r#"resourceVersion(["]?): "[0-9]+""#,
            r#"resourceVersion$1: "<rv>""#,
        ),
    ];
    let mut out = text.to_string();
    for (pat, rep) in rules {
        if let Ok(re) = Regex::new(pat) {
            out = re.replace_all(&out, rep).into_owned();
        }
    }
    out
}

/// The expected output written inside a script: each command followed by `#| line` comments
/// (`#|` alone for an empty line). Returns (command line, expected text) for the commands that
/// have some, or `None` if the script has none.
pub fn embedded(script: &str) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut any = false;
    for line in script.lines() {
        if let Some(rest) = line.strip_prefix("#|") {
            any = true;
            if let Some((_, text)) = current.as_mut() {
                text.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                text.push('\n');
            }
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(c) = current.take().filter(|(_, text)| !text.is_empty()) {
            out.push(c);
        }
        current = Some((t.to_string(), String::new()));
    }
    if let Some(c) = current.filter(|(_, text)| !text.is_empty()) {
        out.push(c);
    }
    any.then_some(out)
}

/// Each command's output in a transcript (`$ command` lines start one; `> ` lines continue a
/// here-document's command).
fn outputs(transcript: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in transcript.split_inclusive('\n') {
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.push((cmd.trim_end().to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            if line.starts_with("> ") && last.1.is_empty() {
                continue;
            }
            last.1.push_str(line);
        }
    }
    out
}

/// A unified diff of `want` and `got`, or `None` if they are the same once normalized.
pub fn diff(want: &str, got: &str, want_name: &str) -> Option<String> {
    let (want, got) = (normalize(want), normalize(got));
    if want == got {
        return None;
    }
    Some(
        similar::TextDiff::from_lines(&want, &got)
            .unified_diff()
            .context_radius(3)
            .header(want_name, "this run")
            .to_string(),
    )
}

/// Compares a transcript with the expectations embedded in its script: every command that has
/// `#|` lines must have printed exactly those. Returns the diffs of the ones that did not.
pub fn check_embedded(expected: &[(String, String)], transcript: &str) -> Vec<String> {
    let got = outputs(transcript);
    let mut used = vec![false; got.len()];
    let mut problems = Vec::new();
    for (cmd, want) in expected {
        // The first not yet matched run of this command.
        let found = got
            .iter()
            .enumerate()
            .find(|(i, (c, _))| !used[*i] && c == cmd);
        match found {
            Some((i, (_, text))) => {
                used[i] = true;
                if let Some(d) = diff(want, text, &format!("expected output of `{cmd}`")) {
                    problems.push(d);
                }
            }
            None => problems.push(format!("`{cmd}` did not run\n")),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_expectations_are_read_and_checked() {
        let script = "# a tutorial\nkubectl get pods\n#| No resources found in default namespace.\nsleep 5\nkubectl version --client\n#| Client Version: v1.32.5\n#|\n";
        let want = embedded(script).expect("has expectations");
        assert_eq!(want.len(), 2);
        assert_eq!(want[1].1, "Client Version: v1.32.5\n\n");
        let transcript = "$ kubectl get pods\nNo resources found in default namespace.\n$ sleep 5\n$ kubectl version --client\nClient Version: v1.32.5\nKustomize Version: v5.5.0\n";
        let problems = check_embedded(&want, transcript);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("+Kustomize Version: v5.5.0"),
            "{}",
            problems[0]
        );
        assert!(embedded("kubectl get pods\n").is_none());
    }

    #[test]
    fn generated_identifiers_do_not_count() {
        assert!(diff(
            "uid: 0f6c2a8e-1b2c-4d3e-8f9a-0b1c2d3e4f50\n",
            "uid: 11111111-2222-3333-4444-555555555555\n",
            "x"
        )
        .is_none());
        let d = diff("a\nb\nc\n", "a\nB\nc\n", "t.out").expect("differs");
        assert!(
            d.contains("--- t.out") && d.contains("-b") && d.contains("+B"),
            "{d}"
        );
    }
}
