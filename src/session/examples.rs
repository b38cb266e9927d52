//! The tutorial's example manifests, built into podplay so the browser playground (which has
//! no disk) finds `examples/NAME.yml` just as `podplay run tests/sessions/tutorial.sh` does.

use super::FileSource;

/// (file name, content) of every example, in name order.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "busybox-pod-namespace-test.yml",
        include_str!("../../tests/sessions/examples/busybox-pod-namespace-test.yml"),
    ),
    (
        "busybox-sleep.yml",
        include_str!("../../tests/sessions/examples/busybox-sleep.yml"),
    ),
    (
        "examplepod-hello2022.yml",
        include_str!("../../tests/sessions/examples/examplepod-hello2022.yml"),
    ),
    (
        "examplepod.yml",
        include_str!("../../tests/sessions/examples/examplepod.yml"),
    ),
    (
        "examplepodforenv.yml",
        include_str!("../../tests/sessions/examples/examplepodforenv.yml"),
    ),
    (
        "examplepodforinitcontainer.yml",
        include_str!("../../tests/sessions/examples/examplepodforinitcontainer.yml"),
    ),
    (
        "examplepodforliveness.yml",
        include_str!("../../tests/sessions/examples/examplepodforliveness.yml"),
    ),
    (
        "examplepodfornginx.yml",
        include_str!("../../tests/sessions/examples/examplepodfornginx.yml"),
    ),
    (
        "examplepodforport.yml",
        include_str!("../../tests/sessions/examples/examplepodforport.yml"),
    ),
    (
        "examplepodforpoststartandprestop-badhost.yml",
        include_str!("../../tests/sessions/examples/examplepodforpoststartandprestop-badhost.yml"),
    ),
    (
        "examplepodforpoststartandprestop.yml",
        include_str!("../../tests/sessions/examples/examplepodforpoststartandprestop.yml"),
    ),
    (
        "examplepodforreadiness.yml",
        include_str!("../../tests/sessions/examples/examplepodforreadiness.yml"),
    ),
    (
        "examplepodforvolumemount.yml",
        include_str!("../../tests/sessions/examples/examplepodforvolumemount.yml"),
    ),
    (
        "init-demo.yml",
        include_str!("../../tests/sessions/examples/init-demo.yml"),
    ),
    (
        "myapp-pod.yml",
        include_str!("../../tests/sessions/examples/myapp-pod.yml"),
    ),
    (
        "pod-template-annotated.yml",
        include_str!("../../tests/sessions/examples/pod-template-annotated.yml"),
    ),
    (
        "security-context-demo.yml",
        include_str!("../../tests/sessions/examples/security-context-demo.yml"),
    ),
    (
        "ubuntu-loop.yml",
        include_str!("../../tests/sessions/examples/ubuntu-loop.yml"),
    ),
];

/// The examples as files under `examples/`.
pub struct Examples;

impl FileSource for Examples {
    fn read(&self, path: &str) -> Option<String> {
        let path = path.strip_prefix("./").unwrap_or(path);
        let name = path.strip_prefix("examples/")?;
        EXAMPLES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c.to_string())
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let path = path
            .strip_prefix("./")
            .unwrap_or(path)
            .trim_end_matches('/');
        (path == "examples").then(|| {
            EXAMPLES
                .iter()
                .map(|(n, _)| format!("examples/{n}"))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn the_tutorial_examples_apply_by_their_paths() {
        let mut s = Session::new(1, Box::new(Examples));
        let t = s
            .run_script(
                "kubectl apply -f examples/examplepod.yml\nsleep 30\nkubectl logs examplepod\n",
            )
            .expect("runs");
        assert!(t.contains("pod/examplepod created"), "{t}");
        assert!(
            t.ends_with("$ kubectl logs examplepod\nHello Kubernetes!\n"),
            "{t}"
        );
    }
}
