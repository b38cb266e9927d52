//! A session as data: what share links and the browser's saved session carry, and how it is
//! played back. Everything in podplay is deterministic, so a session is fully described by its
//! seed, its cluster file, the commands typed (each with the virtual time it ran at and the
//! workspace files it saw changed) and where the clock stood at the end; replaying those gives
//! the same cluster, transcript and timeline.
//!
//! A link holds `v1.` followed by the scenario as JSON, deflated (`miniz_oxide`) and in
//! base64url. Damaged, foreign, oversized or newer links are refused with a message.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{parse_script, FileSource, Session};
use crate::sim::cluster::ClusterSpec;
use crate::sim::time::SimTime;
use crate::sim::World;

/// The scenario format this build writes and reads.
pub const FORMAT: u32 = 1;

/// The longest encoded scenario accepted (a URL fragment or a stored session).
pub const MAX_ENCODED: usize = 512 * 1024;

/// The most a scenario may inflate to.
pub const MAX_DECODED: usize = 8 << 20;

/// One command of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The virtual time it ran at, in milliseconds.
    pub at: u64,
    /// The command as typed (with its here-document, if any).
    pub text: String,
    /// Workspace files changed since the previous command (`None`: removed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Option<String>>,
}

/// A whole session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub format: u32,
    pub seed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Files changed after the last command.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Option<String>>,
    /// Where the clock stood, in milliseconds.
    #[serde(default)]
    pub clock: u64,
    /// The interface's own settings (layout, theme…), kept as they were given.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub ui: serde_json::Value,
}

/// What changed from `before` to `after`.
pub fn file_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.insert(k.clone(), Some(v.clone()));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.insert(k.clone(), None);
        }
    }
    out
}

fn apply_changes(files: &mut BTreeMap<String, String>, changes: &BTreeMap<String, Option<String>>) {
    for (k, v) in changes {
        match v {
            Some(v) => {
                files.insert(k.clone(), v.clone());
            }
            None => {
                files.remove(k);
            }
        }
    }
}

/// Encodes a scenario for a link or for storage.
pub fn encode(s: &Scenario) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!(
        "v{FORMAT}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

/// Decodes a link or a stored session; the error is a sentence for the learner.
pub fn decode(text: &str) -> Result<Scenario, String> {
    let text = text.trim();
    if text.len() > MAX_ENCODED {
        return Err(format!(
            "This session is too large to open ({} KiB; the limit is {} KiB).",
            text.len() / 1024,
            MAX_ENCODED / 1024
        ));
    }
    let Some((version, body)) = text.split_once('.') else {
        return Err("This is not a podplay session link.".into());
    };
    match version
        .strip_prefix('v')
        .and_then(|v| v.parse::<u32>().ok())
    {
        Some(FORMAT) => {}
        Some(n) if n > FORMAT => {
            return Err(format!(
            "This link was made by a newer podplay (format {n}); this one reads format {FORMAT}."
        ))
        }
        _ => return Err("This is not a podplay session link.".into()),
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "This link is damaged: it is not valid base64url.".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED)
        .map_err(|_| "This link is damaged: it could not be decompressed.".to_string())?;
    let s: Scenario =
        serde_json::from_slice(&json).map_err(|e| format!("This link is damaged: {e}."))?;
    if s.format != FORMAT {
        return Err(format!(
            "This link says it is format {}, but it is packed as format {FORMAT}.",
            s.format
        ));
    }
    Ok(s)
}

impl Session {
    /// The scenario that replays this session (`ui` is the interface's settings).
    pub fn scenario(&self, ui: serde_json::Value) -> Scenario {
        let mut files_then = BTreeMap::new();
        for s in &self.journal {
            apply_changes(&mut files_then, &s.files);
        }
        Scenario {
            format: FORMAT,
            seed: self.seed,
            cluster: self.cluster.clone(),
            steps: self.journal.clone(),
            files: file_changes(&files_then, &self.workspace),
            clock: self.world.now().millis(),
            ui,
        }
    }

    /// Plays a scenario back on a fresh session reading files from `source`. Returns the
    /// session and the transcript of its commands (as `podplay run` prints one).
    pub fn replay(s: &Scenario, source: Box<dyn FileSource>) -> Result<(Session, String), String> {
        Session::replay_with(s, source, |_| {})
    }

    /// `replay`, with `prepare` called on the new world before anything runs (the browser
    /// turns on node history there, for time travel).
    pub fn replay_with(
        s: &Scenario,
        source: Box<dyn FileSource>,
        prepare: impl FnOnce(&mut World),
    ) -> Result<(Session, String), String> {
        let mut world = match &s.cluster {
            None => World::new(s.seed),
            Some(text) => ClusterSpec::parse(text)
                .and_then(|spec| World::with_cluster(s.seed, &spec))
                .map_err(|e| format!("The link's cluster file is invalid: {e}"))?,
        };
        prepare(&mut world);
        let mut session = Session::with_world(world, source);
        session.seed = s.seed;
        session.cluster = s.cluster.clone();
        let mut transcript = String::new();
        for step in &s.steps {
            apply_changes(&mut session.workspace, &step.files);
            let at = SimTime::ZERO.plus_ms(step.at);
            if at > session.world.now() {
                session.world.run_until(at);
            }
            let entries = parse_script(&step.text)
                .map_err(|e| format!("A command in the link is damaged: {e}"))?;
            for e in entries {
                if !transcript.is_empty() && !transcript.ends_with('\n') {
                    transcript.push('\n');
                }
                for (i, l) in e.text.lines().enumerate() {
                    transcript.push_str(if i == 0 { "$ " } else { "> " });
                    transcript.push_str(l);
                    transcript.push('\n');
                }
                transcript.push_str(&session.run_entry(&e).text());
            }
        }
        apply_changes(&mut session.workspace, &s.files);
        let end = SimTime::ZERO.plus_ms(s.clock);
        if end > session.world.now() {
            session.world.run_until(end);
        }
        Ok((session, transcript))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::examples::Examples;

    fn typed(s: &mut Session, line: &str) {
        let entries = parse_script(line).expect("parses");
        for e in entries {
            s.run_entry(&e);
        }
    }

    #[test]
    fn a_session_round_trips_through_a_link() {
        let mut s = Session::new(7, Box::new(Examples));
        s.workspace.insert("pod.yml".into(), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n".into());
        typed(&mut s, "kubectl apply -f pod.yml");
        s.world.advance(30_000);
        // The file is edited between two commands: the replay sees each version in turn.
        s.workspace.insert("pod.yml".into(), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, '3600']\n".into());
        typed(&mut s, "kubectl apply -f pod.yml");
        typed(&mut s, "kubectl run w --image=nginx");
        s.world.advance(12_345);
        s.workspace.insert("notes.txt".into(), "later".into());
        let before = s.run_script("kubectl get pods -o wide\n").expect("runs");
        let link = encode(&s.scenario(serde_json::json!({"theme": "dark"})));
        assert!(link.starts_with("v1."));
        assert!(link.len() < 2_000, "{} bytes", link.len());

        let decoded = decode(&link).expect("decodes");
        assert_eq!(decoded.ui["theme"], "dark");
        let (mut again, transcript) =
            Session::replay(&decoded, Box::new(Examples)).expect("replays");
        assert!(transcript.starts_with("$ kubectl apply -f pod.yml\npod/a created\n$ kubectl apply -f pod.yml\npod/b created\n"), "{transcript}");
        assert_eq!(again.world.now(), s.world.now());
        assert_eq!(again.workspace, s.workspace);
        let after = again
            .run_script("kubectl get pods -o wide\n")
            .expect("runs");
        assert_eq!(before, after);
    }

    #[test]
    fn damaged_foreign_newer_and_oversized_links_are_refused_with_a_message() {
        let good = encode(&Scenario {
            format: FORMAT,
            seed: 1,
            ..Scenario::default()
        });
        assert!(decode(&good).is_ok());
        let mut damaged = good.clone();
        damaged.truncate(damaged.len() - 3);
        assert!(decode(&damaged).expect_err("damaged").contains("damaged"));
        assert!(decode("hello")
            .expect_err("foreign")
            .contains("not a podplay"));
        assert!(decode("v9.AAAA")
            .expect_err("newer")
            .contains("newer podplay"));
        assert!(decode(&"v1.".repeat(300_000))
            .expect_err("big")
            .contains("too large"));
        // A small link that inflates to gigabytes is stopped at the limit.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 64 << 20], 9);
        let text = format!(
            "v1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb)
        );
        assert!(decode(&text).expect_err("bomb").contains("damaged"));
    }
}
