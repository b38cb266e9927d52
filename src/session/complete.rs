//! Tab completion for the terminal: commands, kubectl verbs and flags, resource kinds, the
//! names of pods, nodes, namespaces and containers, and workspace files.

use super::Session;

const COMMANDS: &[&str] = &[
    "cat", "clear", "date", "echo", "help", "kubectl", "ls", "podplay", "rm", "sleep", "timeout",
];

const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cluster-info",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "exec",
    "explain",
    "get",
    "label",
    "logs",
    "patch",
    "replace",
    "run",
    "taint",
    "uncordon",
    "version",
];

const KINDS: &[&str] = &[
    "configmaps",
    "events",
    "namespaces",
    "nodes",
    "pods",
    "secrets",
];

/// Flags worth offering after a verb (kubectl has more; these are the ones podplay models).
fn flags(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &[
            "--all-namespaces",
            "--field-selector",
            "--namespace",
            "--output",
            "--selector",
            "--show-labels",
            "--sort-by",
            "--watch",
            "-A",
            "-l",
            "-n",
            "-o",
            "-w",
        ],
        "describe" => &["--namespace", "--selector", "-l", "-n"],
        "apply" | "create" | "replace" => &[
            "--dry-run=client",
            "--dry-run=server",
            "--filename",
            "--force",
            "--output",
            "-f",
            "-o",
        ],
        "delete" => &[
            "--all",
            "--filename",
            "--force",
            "--grace-period",
            "--namespace",
            "--now",
            "--selector",
            "-f",
            "-l",
            "-n",
        ],
        "logs" => &[
            "--container",
            "--follow",
            "--previous",
            "--tail",
            "-c",
            "-f",
            "-n",
            "-p",
        ],
        "exec" => &["--container", "--stdin", "--tty", "-c", "-it", "-n"],
        "run" => &[
            "--command",
            "--dry-run=client",
            "--env",
            "--image",
            "--labels",
            "--port",
            "--restart",
            "--rm",
            "-it",
        ],
        "explain" => &["--recursive"],
        _ => &["--namespace", "-n"],
    }
}

/// What completing the word at the end of `line` offers: the byte offset where that word
/// starts, and the candidates (sorted, each a whole word).
pub fn complete(session: &Session, line: &str) -> (usize, Vec<String>) {
    let start = line.rfind([' ', '=']).map_or(0, |i| i + 1);
    let partial = &line[start..];
    let before: Vec<&str> = line[..start].split_whitespace().collect();
    let mut options = candidates(session, &before, partial);
    options.retain(|o| o.starts_with(partial));
    options.sort();
    options.dedup();
    (start, options)
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> Vec<String> {
    it.cloned().collect()
}

fn pod_names(s: &Session, ns: &str) -> Vec<String> {
    s.world
        .pods
        .keys()
        .filter(|(n, _)| n == ns)
        .map(|(_, name)| name.clone())
        .collect()
}

fn candidates(s: &Session, before: &[&str], partial: &str) -> Vec<String> {
    let Some(cmd) = before.first() else {
        return COMMANDS.iter().map(|c| c.to_string()).collect();
    };
    let files = || names(s.workspace.keys());
    match *cmd {
        "cat" | "rm" => files(),
        "podplay" => match before.get(1..) {
            Some([]) => vec!["node".into(), "trace".into()],
            Some(["node"]) => ["add", "show", "start", "stop"].map(String::from).to_vec(),
            Some(["node", _]) => names(s.world.nodes.keys()),
            Some(["trace", ..]) => {
                let mut v = pod_names(s, "default");
                v.extend(names(s.world.nodes.keys()));
                v
            }
            _ => Vec::new(),
        },
        "kubectl" | "k" => kubectl(s, &before[1..], partial),
        "timeout" if before.len() == 2 => vec!["kubectl".into()],
        "timeout" => kubectl(s, before.get(3..).unwrap_or_default(), partial),
        _ => Vec::new(),
    }
}

fn kubectl(s: &Session, words: &[&str], partial: &str) -> Vec<String> {
    let Some(verb) = words.first() else {
        return VERBS.iter().map(|v| v.to_string()).collect();
    };
    let ns = words
        .windows(2)
        .find(|w| w[0] == "-n" || w[0] == "--namespace")
        .map_or("default", |w| w[1]);
    let prev = words.last().copied().unwrap_or_default();
    match prev {
        "-f" | "--filename" => return names(s.workspace.keys()),
        "-n" | "--namespace" => return names(s.world.namespaces.keys()),
        "-o" | "--output" => {
            return [
                "json",
                "name",
                "wide",
                "yaml",
                "jsonpath=",
                "custom-columns=",
            ]
            .map(String::from)
            .to_vec()
        }
        "-c" | "--container" => {
            let pod = words[1..].iter().find(|w| !w.starts_with('-'));
            return pod
                .and_then(|p| {
                    s.world
                        .pods
                        .get(&(ns.to_string(), p.trim_start_matches("pod/").to_string()))
                })
                .map(|p| p.all_containers().map(|c| c.name.clone()).collect())
                .unwrap_or_default();
        }
        _ => {}
    }
    if partial.starts_with('-') {
        return flags(verb).iter().map(|f| f.to_string()).collect();
    }
    let positional: Vec<&&str> = words[1..].iter().filter(|w| !w.starts_with('-')).collect();
    match *verb {
        "logs" | "exec" | "attach" if positional.is_empty() => pod_names(s, ns),
        "cordon" | "uncordon" | "drain" | "taint" => names(s.world.nodes.keys()),
        "explain" => ["pods", "pod.spec", "pod.spec.containers"]
            .map(String::from)
            .to_vec(),
        "get" | "describe" | "delete" | "label" | "annotate" | "patch" => {
            match positional.first().map(|k| k.trim_end_matches('s')) {
                None => KINDS.iter().map(|k| k.to_string()).collect(),
                Some("pod" | "po") => pod_names(s, ns),
                Some("node" | "no") => names(s.world.nodes.keys()),
                Some("namespace" | "ns") => names(s.world.namespaces.keys()),
                Some("configmap" | "cm") => s
                    .world
                    .configmaps
                    .keys()
                    .filter(|(n, _)| n == ns)
                    .map(|(_, name)| name.clone())
                    .collect(),
                _ => Vec::new(),
            }
        }
        "create" if positional.is_empty() => ["configmap", "namespace", "secret"]
            .map(String::from)
            .to_vec(),
        _ => Vec::new(),
    }
}

/// The longest prefix every candidate shares.
pub fn common_prefix(options: &[String]) -> String {
    let Some(first) = options.first() else {
        return String::new();
    };
    let mut len = first.len();
    for o in &options[1..] {
        len = first
            .char_indices()
            .zip(o.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::NoFiles;

    #[test]
    fn completes_verbs_kinds_names_flags_and_files() {
        let mut s = Session::new(1, Box::new(NoFiles));
        s.run_script("kubectl run web --image=nginx\nkubectl run worker --image=busybox\n")
            .expect("runs");
        s.workspace.insert("pod.yaml".into(), String::new());
        assert_eq!(complete(&s, "kub"), (0, vec!["kubectl".to_string()]));
        assert_eq!(complete(&s, "kubectl ge").1, vec!["get"]);
        assert_eq!(complete(&s, "kubectl get po").1, vec!["pods"]);
        assert_eq!(complete(&s, "kubectl get pods w").1, vec!["web", "worker"]);
        assert_eq!(
            complete(&s, "kubectl logs we"),
            (13, vec!["web".to_string()])
        );
        assert_eq!(complete(&s, "kubectl apply -f p").1, vec!["pod.yaml"]);
        assert_eq!(complete(&s, "kubectl get pods --wa").1, vec!["--watch"]);
        assert_eq!(complete(&s, "kubectl logs web -c ").1, vec!["web"]);
        assert_eq!(
            complete(&s, "podplay node stop w").1,
            vec!["worker-1", "worker-2"]
        );
        assert_eq!(
            complete(&s, "kubectl get pods -n kube-").1,
            vec![
                "kube-flannel",
                "kube-node-lease",
                "kube-public",
                "kube-system"
            ]
        );
        assert_eq!(
            common_prefix(&["worker-1".into(), "worker-2".into()]),
            "worker-"
        );
        assert_eq!(common_prefix(&[]), "");
    }
}
