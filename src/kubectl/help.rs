//! `kubectl --help`, `kubectl help [COMMAND]` and `kubectl COMMAND --help`, laid out as
//! kubectl's templates lay them out (command groups; Examples, Options, Usage), listing what
//! podplay simulates. The summaries, examples and flag descriptions are podplay's own words;
//! the command names, one-line titles, usage lines and flag defaults are kubectl's.

use super::Output;

/// One command's help.
struct Command {
    name: &'static str,
    /// The one-line title kubectl lists it with.
    short: &'static str,
    /// What it does, in a few sentences.
    summary: &'static str,
    /// (comment, command line) pairs.
    examples: &'static [(&'static str, &'static str)],
    flags: &'static [&'static str],
    usage: &'static str,
}

const GROUPS: &[(&str, &[&str])] = &[
    ("Basic Commands (Beginner)", &["create", "expose", "run"]),
    (
        "Basic Commands (Intermediate)",
        &["explain", "get", "delete"],
    ),
    (
        "Cluster Management Commands",
        &["cluster-info", "cordon", "uncordon", "drain", "taint"],
    ),
    (
        "Troubleshooting and Debugging Commands",
        &["describe", "logs", "exec"],
    ),
    ("Advanced Commands", &["apply", "patch", "replace"]),
    ("Settings Commands", &["label", "annotate"]),
    ("Other Commands", &["api-resources", "version"]),
];

const COMMANDS: &[Command] = &[
    Command {
        name: "create",
        short: "Create a resource from a file or from stdin",
        summary: "Creates the objects a manifest file describes, or a namespace, ConfigMap, Secret or Service from its sub-command. It fails for an object that already exists (apply updates instead).",
        examples: &[
            ("Create the pod a manifest describes", "kubectl create -f pod.yaml"),
            ("Create a ConfigMap from literal values", "kubectl create configmap app-config --from-literal=mode=debug"),
            ("Show the Service kubectl would send, without sending it", "kubectl create service clusterip web --tcp=80:8080 --dry-run=client -o yaml"),
        ],
        flags: &["dry-run", "filename", "output", "recursive", "save-config"],
        usage: "kubectl create -f FILENAME [options]",
    },
    Command {
        name: "expose",
        short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
        summary: "Creates a Service that selects the pods of an existing pod (by its labels) or service (by its selector). Without --port, the new service uses every container port of the pod.",
        examples: &[
            ("Give the pod web a Service of the same name on its container port", "kubectl expose pod web"),
            ("Serve on port 8080 and forward to the container's port 80", "kubectl expose pod web --port=8080 --target-port=80 --name=web-8080"),
            ("Reach the pod on a port of every node", "kubectl expose pod web --type=NodePort --name=web-np"),
        ],
        flags: &["cluster-ip", "dry-run", "external-ip", "labels", "name", "output", "port", "protocol", "selector", "session-affinity", "target-port", "type"],
        usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    },
    Command {
        name: "run",
        short: "Run a particular image on the cluster",
        summary: "Creates a pod with one container running the image. Words after -- become the container's arguments, or its command with --command. With -i and -t the terminal attaches to the container.",
        examples: &[
            ("Start an nginx pod", "kubectl run web --image=nginx"),
            ("Start a pod that sleeps, with a label", "kubectl run box --image=busybox --labels=app=box -- sleep 3600"),
            ("Show the pod kubectl would create", "kubectl run web --image=nginx --dry-run=client -o yaml"),
        ],
        flags: &["annotations", "attach", "command", "dry-run", "env", "image", "image-pull-policy", "labels", "output", "overrides", "port", "restart", "rm", "stdin", "tty"],
        usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    },
    Command {
        name: "explain",
        short: "Get documentation for a resource",
        summary: "Describes a kind and its fields, following a dotted path into nested fields.",
        examples: &[
            ("What a pod is", "kubectl explain pods"),
            ("The fields of a container's readiness probe", "kubectl explain pod.spec.containers.readinessProbe"),
        ],
        flags: &["api-version", "output", "recursive"],
        usage: "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]",
    },
    Command {
        name: "get",
        short: "Display one or many resources",
        summary: "Lists objects as a table, or prints them as YAML, JSON, names, JSONPath, a Go template or custom columns. A label selector (-l) or field selector narrows the list; -w keeps watching for changes.",
        examples: &[
            ("The pods of the current namespace", "kubectl get pods"),
            ("With their addresses and nodes", "kubectl get pods -o wide"),
            ("Services and their endpoints together", "kubectl get svc,endpoints"),
            ("One field of one pod", "kubectl get pod web -o jsonpath='{.status.podIP}'"),
        ],
        flags: &["all-namespaces", "chunk-size", "field-selector", "filename", "ignore-not-found", "label-columns", "no-headers", "output", "recursive", "selector", "show-kind", "show-labels", "show-managed-fields", "sort-by", "template", "watch", "watch-only"],
        usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    },
    Command {
        name: "delete",
        short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
        summary: "Deletes objects by name, by label selector, by manifest file or all of a kind. Pods stop gracefully first (their grace period), and kubectl waits until they are gone unless --wait=false.",
        examples: &[
            ("Delete a pod and wait until it is gone", "kubectl delete pod web"),
            ("Delete the pods labelled app=web", "kubectl delete pods -l app=web"),
            ("Delete a pod at once, without waiting for its containers", "kubectl delete pod web --grace-period=0 --force"),
        ],
        flags: &["all", "all-namespaces", "cascade", "dry-run", "field-selector", "filename", "force", "grace-period", "ignore-not-found", "now", "output", "recursive", "selector", "timeout", "wait"],
        usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    },
    Command {
        name: "cluster-info",
        short: "Display cluster information",
        summary: "Prints the addresses of the control plane and of CoreDNS.",
        examples: &[("Where the control plane listens", "kubectl cluster-info")],
        flags: &[],
        usage: "kubectl cluster-info [flags] [options]",
    },
    Command {
        name: "cordon",
        short: "Mark node as unschedulable",
        summary: "Stops the scheduler from placing new pods on a node; pods already there keep running.",
        examples: &[("Keep new pods off worker-1", "kubectl cordon worker-1")],
        flags: &["dry-run", "selector"],
        usage: "kubectl cordon NODE [options]",
    },
    Command {
        name: "uncordon",
        short: "Mark node as schedulable",
        summary: "Lets the scheduler place pods on a cordoned node again.",
        examples: &[("Open worker-1 to new pods again", "kubectl uncordon worker-1")],
        flags: &["dry-run", "selector"],
        usage: "kubectl uncordon NODE [options]",
    },
    Command {
        name: "drain",
        short: "Drain node in preparation for maintenance",
        summary: "Cordons a node and evicts its pods. Pods no controller owns are refused unless --force; DaemonSet pods unless --ignore-daemonsets.",
        examples: &[("Empty worker-1 for maintenance", "kubectl drain worker-1 --ignore-daemonsets --force")],
        flags: &["delete-emptydir-data", "disable-eviction", "dry-run", "force", "grace-period", "ignore-daemonsets", "pod-selector", "selector", "timeout"],
        usage: "kubectl drain NODE [options]",
    },
    Command {
        name: "taint",
        short: "Update the taints on one or more nodes",
        summary: "Adds a taint (KEY=VALUE:EFFECT) to nodes, or removes one (KEY:EFFECT- or KEY-). Pods without a matching toleration stay off (NoSchedule) or are evicted (NoExecute).",
        examples: &[
            ("Keep pods without a toleration off worker-1", "kubectl taint nodes worker-1 dedicated=db:NoSchedule"),
            ("Remove that taint", "kubectl taint nodes worker-1 dedicated=db:NoSchedule-"),
        ],
        flags: &["all", "dry-run", "overwrite", "selector"],
        usage: "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
    },
    Command {
        name: "describe",
        short: "Show details of a specific resource or group of resources",
        summary: "Prints everything about objects in a readable page: for a pod its containers, their states, probes, mounts, conditions and recent events; for a service its ports and endpoints.",
        examples: &[
            ("Why a pod is not running", "kubectl describe pod web"),
            ("Which pods a service sends traffic to", "kubectl describe svc web"),
        ],
        flags: &["all-namespaces", "chunk-size", "filename", "selector", "show-events"],
        usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    },
    Command {
        name: "logs",
        short: "Print the logs for a container in a pod",
        summary: "Prints what a container wrote to its standard output and error; -p shows the previous run of a restarted container and -f follows new lines.",
        examples: &[
            ("The log of a pod's only container", "kubectl logs web"),
            ("The run before the last restart", "kubectl logs web -p"),
            ("Every container of a pod, each line marked with its source", "kubectl logs web --all-containers --prefix"),
        ],
        flags: &["all-containers", "container", "follow", "limit-bytes", "prefix", "previous", "since", "since-time", "tail", "timestamps"],
        usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    },
    Command {
        name: "exec",
        short: "Execute a command in a container",
        summary: "Runs a command in a running container and prints its output; -it opens an interactive shell.",
        examples: &[
            ("List a container's files", "kubectl exec web -- ls /usr/share/nginx/html"),
            ("Fetch a page through a service from another pod", "kubectl exec client -- wget -qO- http://web"),
            ("A shell in the sidecar container", "kubectl exec -it web -c sidecar -- sh"),
        ],
        flags: &["container", "filename", "quiet", "stdin", "tty"],
        usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    },
    Command {
        name: "apply",
        short: "Apply a configuration to a resource by file name or stdin",
        summary: "Creates the objects in a manifest, or updates the ones that exist to match it. Every valid document of a multi-document file is applied.",
        examples: &[
            ("Create or update what pod.yaml describes", "kubectl apply -f pod.yaml"),
            ("Check a manifest against the server without changing anything", "kubectl apply -f pod.yaml --dry-run=server"),
        ],
        flags: &["dry-run", "field-manager", "filename", "force", "grace-period", "output", "overwrite", "prune", "recursive", "save-config", "selector", "server-side", "timeout", "validate", "wait"],
        usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    },
    Command {
        name: "patch",
        short: "Update fields of a resource",
        summary: "Changes fields of an object with a strategic merge patch (the default), a JSON merge patch or a JSON patch.",
        examples: &[
            ("Add a label", "kubectl patch pod web -p '{\"metadata\":{\"labels\":{\"tier\":\"fe\"}}}'"),
            ("Change the image with a JSON patch", "kubectl patch pod web --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"nginx:1.27\"}]'"),
        ],
        flags: &["dry-run", "output", "patch", "patch-file", "type"],
        usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    },
    Command {
        name: "replace",
        short: "Replace a resource by file name or stdin",
        summary: "Replaces an existing object with the manifest's version; --force deletes and recreates it.",
        examples: &[("Replace the pod with the manifest's version", "kubectl replace -f pod.yaml --force")],
        flags: &["dry-run", "filename", "force", "grace-period", "output", "recursive", "save-config", "timeout", "validate", "wait"],
        usage: "kubectl replace -f FILENAME [options]",
    },
    Command {
        name: "label",
        short: "Update the labels on a resource",
        summary: "Adds or changes labels (KEY=VALUE) or removes them (KEY-). Changing a label that has a value needs --overwrite; --list prints the labels.",
        examples: &[
            ("Label a pod", "kubectl label pod web tier=frontend"),
            ("Change it", "kubectl label pod web tier=backend --overwrite"),
            ("Remove it", "kubectl label pod web tier-"),
        ],
        flags: &["all", "dry-run", "list", "output", "overwrite", "resource-version", "selector"],
        usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    },
    Command {
        name: "annotate",
        short: "Update the annotations on a resource",
        summary: "Adds or changes annotations (KEY=VALUE) or removes them (KEY-). Changing an existing annotation needs --overwrite; --list prints them.",
        examples: &[
            ("Note who owns a pod", "kubectl annotate pod web owner=team-a"),
            ("Remove the note", "kubectl annotate pod web owner-"),
        ],
        flags: &["all", "dry-run", "list", "output", "overwrite", "resource-version", "selector"],
        usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    },
    Command {
        name: "api-resources",
        short: "Print the supported API resources on the server",
        summary: "Lists the kinds the API server knows, with their short names and whether they live in a namespace.",
        examples: &[("Every kind, with its short names", "kubectl api-resources")],
        flags: &["api-group", "cached", "namespaced", "no-headers", "output", "sort-by", "verbs"],
        usage: "kubectl api-resources [flags] [options]",
    },
    Command {
        name: "version",
        short: "Print the client and server version information",
        summary: "Prints the versions of kubectl and of the API server.",
        examples: &[("Both versions", "kubectl version")],
        flags: &["client", "output"],
        usage: "kubectl version [flags] [options]",
    },
];

/// (flag, shorthand, default as kubectl prints it, description).
const FLAGS: &[(&str, Option<char>, &str, &str)] = &[
    ("all", None, "false", "Act on every object of the given kinds in the namespace."),
    ("all-containers", None, "false", "Print the logs of every container of the pod."),
    ("all-namespaces", Some('A'), "false", "Look in every namespace instead of the current one."),
    ("annotations", None, "[]", "Annotations to set on the pod."),
    ("api-group", None, "''", "Only list the kinds of this API group."),
    ("api-version", None, "''", "The API version whose schema to explain."),
    ("attach", None, "false", "Wait for the pod to start and attach to its container."),
    ("cached", None, "false", "Use the cached list of kinds."),
    ("cascade", None, "'background'", "How dependents are deleted: background, foreground or orphan."),
    ("chunk-size", None, "500", "How many objects to ask the server for at a time."),
    ("client", None, "false", "Only print the client's version."),
    ("cluster-ip", None, "''", "The cluster IP to give the service; None makes it headless, empty lets the server pick one."),
    ("command", None, "false", "Make the words after -- the container's command rather than its arguments."),
    ("container", Some('c'), "''", "The container to use; without it, the pod's default container."),
    ("delete-emptydir-data", None, "false", "Evict pods that use emptyDir volumes too (their data is lost)."),
    ("disable-eviction", None, "false", "Delete pods instead of evicting them."),
    ("dry-run", None, "'none'", "\"client\" prints what would be sent without sending it; \"server\" lets the server check it without storing it."),
    ("env", None, "[]", "Environment variables for the container, as NAME=VALUE."),
    ("external-ip", None, "''", "An extra address, outside Kubernetes, on which the service also answers."),
    ("field-manager", None, "'kubectl-client-side-apply'", "The name recorded as the owner of the fields written."),
    ("field-selector", None, "''", "Select objects by field values (metadata.name=web, status.phase=Running, spec.nodeName=worker-1)."),
    ("filename", Some('f'), "[]", "The manifest file (or directory) to read."),
    ("follow", Some('f'), "false", "Keep printing new log lines as they are written."),
    ("force", None, "false", "Delete at once without waiting for graceful termination; with drain, also evict pods no controller manages."),
    ("grace-period", None, "-1", "Seconds a pod gets to stop; -1 uses the pod's own, 0 with --force deletes at once."),
    ("ignore-daemonsets", None, "false", "Leave DaemonSet pods where they are."),
    ("ignore-not-found", None, "false", "Say nothing when an object does not exist."),
    ("image", None, "''", "The image the container runs."),
    ("image-pull-policy", None, "''", "When the kubelet pulls the image: Always, IfNotPresent or Never."),
    ("label-columns", Some('L'), "[]", "Show the values of these labels as columns."),
    ("labels", Some('l'), "''", "Labels for the new object, as key=value pairs separated by commas."),
    ("limit-bytes", None, "0", "Print at most this many bytes of log."),
    ("list", None, "false", "Print the object's current values."),
    ("name", None, "''", "The name of the new service."),
    ("namespaced", None, "true", "Only list kinds that live in a namespace (false: only cluster-wide ones)."),
    ("no-headers", None, "false", "Leave out the table's header line."),
    ("now", None, "false", "Ask the pods to stop at once (a grace period of one second)."),
    ("output", Some('o'), "''", "How to print: json, yaml, name, wide, jsonpath=…, go-template=…, custom-columns=…"),
    ("overrides", None, "''", "Inline JSON merged over the object kubectl generates."),
    ("overwrite", None, "false", "Allow changing a key that already has a value."),
    ("patch", Some('p'), "''", "The patch itself."),
    ("patch-file", None, "''", "A file holding the patch."),
    ("pod-selector", None, "''", "Only evict the pods this label selector matches."),
    ("port", None, "''", "The port the service (or the container, for run) listens on."),
    ("prefix", None, "false", "Begin each log line with the pod and container it came from."),
    ("previous", Some('p'), "false", "Print the log of the container's previous run."),
    ("protocol", None, "''", "The service port's protocol (TCP by default)."),
    ("prune", None, "false", "Delete objects the manifests no longer contain."),
    ("quiet", Some('q'), "false", "Print only what the command itself prints."),
    ("recursive", Some('R'), "false", "Read the directories given with -f recursively."),
    ("resource-version", None, "''", "Only update the object if it still has this resource version."),
    ("restart", None, "'Always'", "The pod's restart policy: Always, OnFailure or Never."),
    ("rm", None, "false", "Delete the pod once its attached container exits."),
    ("save-config", None, "false", "Record the configuration in the object's annotation, for later applies."),
    ("selector", Some('l'), "''", "A label selector (app=web, tier!=db, 'env in (a,b)', !key) choosing the objects."),
    ("server-side", None, "false", "Apply on the server and track field ownership there."),
    ("session-affinity", None, "''", "None, or ClientIP to send each client to the same pod."),
    ("show-events", None, "true", "Show the object's recent events."),
    ("show-kind", None, "false", "Print the kind with each name."),
    ("show-labels", None, "false", "Add a column with every label."),
    ("show-managed-fields", None, "false", "Keep metadata.managedFields in YAML and JSON output."),
    ("since", None, "0s", "Only log lines newer than this duration (5s, 2m, 3h)."),
    ("since-time", None, "''", "Only log lines after this RFC3339 time."),
    ("sort-by", None, "''", "Sort the list by this JSONPath field."),
    ("stdin", Some('i'), "false", "Keep the container's standard input open."),
    ("tail", None, "-1", "Print only this many of the newest lines (-1: all)."),
    ("target-port", None, "''", "The container port (a number or a port name) traffic goes to."),
    ("template", None, "''", "The Go template for -o go-template."),
    ("timeout", None, "0s", "How long to wait before giving up."),
    ("timestamps", None, "false", "Begin each log line with the time it was written."),
    ("tty", Some('t'), "false", "Give the container a terminal."),
    ("type", None, "''", "The service type (ClusterIP, NodePort, LoadBalancer, ExternalName), or the patch type (strategic, merge, json)."),
    ("validate", None, "'strict'", "How strictly to check manifests: strict, warn or ignore."),
    ("verbs", None, "[]", "Only list kinds that support these verbs."),
    ("wait", None, "false", "Wait until the objects are gone (or ready) before returning."),
    ("watch", Some('w'), "false", "After listing, keep printing changes."),
    ("watch-only", None, "false", "Print changes only, not the current list."),
];

/// The root help: what podplay's kubectl can do, grouped as kubectl groups its commands.
pub fn root() -> String {
    let mut s = String::from("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n");
    s.push_str(&groups());
    s
}

fn groups() -> String {
    let mut s = String::new();
    for (title, names) in GROUPS {
        s.push_str(&format!("{title}:\n"));
        for n in *names {
            if let Some(c) = COMMANDS.iter().find(|c| c.name == *n) {
                s.push_str(&format!("  {:<15} {}\n", c.name, c.short));
            }
        }
        s.push('\n');
    }
    s.push_str("Usage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

/// A command's help, or None for a command podplay does not simulate.
pub fn command(name: &str) -> Option<String> {
    let c = COMMANDS.iter().find(|c| c.name == name)?;
    let mut s = format!("{}\n\n", c.summary);
    s.push_str("Examples:\n");
    for (i, (comment, line)) in c.examples.iter().enumerate() {
        if i > 0 {
            s.push_str("  \n");
        }
        s.push_str(&format!("  # {comment}\n  {line}\n"));
    }
    if !c.flags.is_empty() {
        s.push_str("\nOptions:\n");
        for f in c.flags {
            let Some((name, short, default, desc)) = FLAGS.iter().find(|x| x.0 == *f) else {
                continue;
            };
            match short {
                Some(ch) => s.push_str(&format!("    -{ch}, --{name}={default}:\n")),
                None => s.push_str(&format!("    --{name}={default}:\n")),
            }
            s.push_str(&format!("\t{desc}\n\n"));
        }
    } else {
        s.push('\n');
    }
    s.push_str(&format!(
        "Usage:\n  {}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
        c.usage
    ));
    Some(s)
}

/// `kubectl help [COMMAND]`.
pub fn help_command(args: &[String], out: &mut Output) {
    match args.first() {
        None => out.out(root()),
        Some(name) => match command(name) {
            Some(text) => out.out(text),
            None => {
                // cobra's help for an unknown topic: on stderr, and still exit 0.
                out.err(format!("Unknown help topic [`{name}`]\n\n\n{}", groups()));
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_command_and_flag_has_help() {
        for (_, names) in GROUPS {
            for n in *names {
                let text = command(n).unwrap_or_else(|| panic!("{n} has help"));
                assert!(text.contains("Usage:\n  kubectl "), "{n}");
            }
        }
        for c in COMMANDS {
            for f in c.flags {
                assert!(
                    FLAGS.iter().any(|x| x.0 == *f),
                    "{} --{f} is described",
                    c.name
                );
            }
        }
    }
}
