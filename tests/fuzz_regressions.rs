//! Every input under `fuzz/regressions/TARGET/` (crashes the fuzzers found, and the issue's
//! reproducers), and the fuzzers' seeds, through the same checks the fuzz targets run
//! (`podplay::checks`): none may panic or grow without bound. A new crash from
//! `scripts/fuzz.sh` goes into the folder of its target and is covered from then on.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable");
            (p.display().to_string(), bytes)
        })
        .collect()
}

fn each(dirs: &[&str], check: fn(&[u8])) {
    let mut n = 0;
    for dir in dirs {
        for (name, bytes) in inputs(dir) {
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{name} panicked");
            n += 1;
        }
    }
    assert!(n > 0, "no inputs in {dirs:?}");
}

#[test]
fn manifests() {
    each(
        &["fuzz/regressions/manifest", "tests/sessions/examples"],
        podplay::checks::manifest,
    );
}

#[test]
fn session_scripts() {
    each(
        &["fuzz/regressions/session", "tests/sessions"],
        podplay::checks::session_script,
    );
}

#[test]
fn container_shell_scripts() {
    each(
        &["fuzz/regressions/shell", "fuzz/seeds/shell"],
        podplay::checks::container_shell,
    );
}

#[test]
fn kubectl_lines() {
    each(&["fuzz/regressions/kubectl"], podplay::checks::kubectl_line);
}

#[test]
fn cluster_files() {
    each(
        &["fuzz/regressions/cluster", "fuzz/seeds/cluster"],
        podplay::checks::cluster_file,
    );
}
