//! The native command as a docs author's CI runs it: `podplay run --check`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn podplay(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_podplay"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("podplay-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn check_passes_on_the_golden_transcripts_and_fails_with_a_diff_when_one_goes_stale() {
    let sessions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sessions");
    let (code, _, err) = podplay(&["run", "--check", "03-modify.sh"], &sessions);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the transcript matches 03-modify.out"),
        "{err}"
    );

    let dir = temp_dir("stale");
    let script = std::fs::read_to_string(sessions.join("03-modify.sh")).expect("script");
    let golden = std::fs::read_to_string(sessions.join("03-modify.out")).expect("golden");
    std::fs::write(dir.join("t.sh"), script).expect("write");
    std::fs::create_dir_all(dir.join("examples")).expect("examples dir");
    for e in std::fs::read_dir(sessions.join("examples")).expect("examples") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, dir.join("examples").join(p.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(
        dir.join("t.out"),
        golden.replace("Hello 2022!", "Hello 2023!"),
    )
    .expect("write");
    let (code, out, err) = podplay(&["run", "--check", "t.sh", "--seed", "0"], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("-Hello 2023!") && out.contains("+Hello 2022!"),
        "{out}"
    );
    assert!(err.contains("the transcript differs from t.out"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reads_expectations_written_in_the_script() {
    let dir = temp_dir("embedded");
    std::fs::write(
        dir.join("ok.sh"),
        "kubectl get pods\n#| No resources found in default namespace.\nkubectl run p --image=nginx\n#| pod/p created\n",
    )
    .expect("write");
    let (code, _, err) = podplay(&["run", "--check", "ok.sh"], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("all 2 checked commands"), "{err}");

    std::fs::write(
        dir.join("bad.sh"),
        "kubectl run p --image=nginx\n#| pod/q created\n",
    )
    .expect("write");
    let (code, out, err) = podplay(&["run", "--check", "bad.sh"], &dir);
    assert_eq!(code, 1);
    assert!(
        out.contains("-pod/q created") && out.contains("+pod/p created"),
        "{out}"
    );
    assert!(
        err.contains("1 of 1 checked commands printed something else"),
        "{err}"
    );

    std::fs::write(dir.join("none.sh"), "kubectl get pods\n").expect("write");
    let (code, _, err) = podplay(&["run", "--check", "none.sh"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to check against"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_built_in_lesson_can_be_completed_headless() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, list, _) = podplay(&["lesson", "--list"], root);
    assert_eq!(code, 0);
    let ids: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.len() >= 12, "{list}");
    // Every built-in lesson parses (a broken one would silently drop out of the list).
    assert_eq!(
        ids.len(),
        podplay::session::lesson::BUILT_IN.len(),
        "{list}"
    );
    for id in ids {
        let solution = format!("lessons/solutions/{id}.sh");
        let (code, out, err) = podplay(&["lesson", id, &solution], root);
        assert_eq!(code, 0, "{id}: {out}{err}");
        assert!(out.contains("steps done") && !out.contains("[ ]"), "{out}");
    }
    // A script that stops early leaves steps undone, and says so.
    let dir = temp_dir("lesson");
    std::fs::write(dir.join("half.sh"), "kubectl apply -f examplepod.yml\n").expect("write");
    let (code, out, _) = podplay(&["lesson", "create-and-inspect", "half.sh"], &dir);
    assert_eq!(code, 1);
    assert!(
        out.contains("[x] 1.") && out.contains("[ ] 2.") && out.contains("1 of 5 steps done"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
