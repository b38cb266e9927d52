//! Guided lessons: short steps, the files to start from, and a check per step that the engine
//! evaluates, so a step ticks itself off when the learner has done it.
//!
//! A lesson is a YAML file (the built-in ones are in `lessons/`; the format is documented in
//! the README):
//!
//! ```yaml
//! title: {en: Create and inspect a pod, zh: 创建并查看 Pod}
//! intro: {en: …, zh: …}
//! files:
//!   examplepod.yml: |
//!     apiVersion: v1
//!     …
//! steps:
//! - say: {en: Apply the manifest., zh: 应用这个清单。}
//!   check: {pod: examplepod, status: Running}
//! ```
//!
//! A check holds any of: `pod` (a name; with nothing else, it must exist), `status` (the
//! STATUS column of `kubectl get pods`), `ready` (`true`: all containers ready), `log` (text
//! the pod's log contains; `container` picks one), `restarts` (at least this many), `gone`
//! (`true`: the pod existed and no longer does), `ran` (a command the learner typed starts with this),
//! `service` (a name: it must exist) with `endpoints` (how many ready pods it has).
//! All that are given must hold.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Session;
use crate::kubectl::get::{pod_ready, pod_status_text};

/// A text in each interface language.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(default)]
    pub zh: String,
}

impl Text {
    /// The text for a language tag (`en`, `zh-CN`), English when there is no translation.
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("zh") && !self.zh.is_empty() {
            &self.zh
        } else {
            &self.en
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    #[serde(default)]
    pub pod: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub ready: Option<bool>,
    #[serde(default)]
    pub log: Option<String>,
    #[serde(default)]
    pub container: Option<String>,
    #[serde(default)]
    pub restarts: Option<u32>,
    #[serde(default)]
    pub gone: Option<bool>,
    #[serde(default)]
    pub ran: Option<String>,
    /// A service that must exist.
    #[serde(default)]
    pub service: Option<String>,
    /// How many ready endpoints the service must have.
    #[serde(default)]
    pub endpoints: Option<usize>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub say: Text,
    pub check: Check,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    #[serde(skip)]
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    pub steps: Vec<Step>,
}

/// The built-in lessons, in order: (id, source).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "create-and-inspect",
        include_str!("../../lessons/create-and-inspect.yml"),
    ),
    (
        "command-and-args",
        include_str!("../../lessons/command-and-args.yml"),
    ),
    ("env", include_str!("../../lessons/env.yml")),
    ("volumes", include_str!("../../lessons/volumes.yml")),
    ("ports", include_str!("../../lessons/ports.yml")),
    (
        "restart-policy",
        include_str!("../../lessons/restart-policy.yml"),
    ),
    (
        "grace-period",
        include_str!("../../lessons/grace-period.yml"),
    ),
    (
        "init-containers",
        include_str!("../../lessons/init-containers.yml"),
    ),
    ("hooks", include_str!("../../lessons/hooks.yml")),
    ("probes", include_str!("../../lessons/probes.yml")),
    ("networking", include_str!("../../lessons/networking.yml")),
    ("services", include_str!("../../lessons/services.yml")),
];

/// Reads a lesson file; the error names the field or line.
pub fn parse(id: &str, text: &str) -> Result<Lesson, String> {
    let docs = crate::sim::yaml::parse_documents(text).map_err(|e| format!("{id}: {e}"))?;
    let value = docs.into_iter().next().map(|d| d.value).unwrap_or_default();
    let mut lesson: Lesson = serde_json::from_value(value).map_err(|e| format!("{id}: {e}"))?;
    if lesson.steps.is_empty() {
        return Err(format!("{id}: a lesson needs at least one step"));
    }
    lesson.id = id.to_string();
    Ok(lesson)
}

/// A built-in lesson by id.
pub fn built_in(id: &str) -> Option<Lesson> {
    BUILT_IN
        .iter()
        .find(|(i, _)| *i == id)
        .and_then(|(i, text)| parse(i, text).ok())
}

impl Check {
    /// Whether the check holds in `s` now.
    pub fn holds(&self, s: &Session) -> bool {
        if let Some(prefix) = &self.ran {
            let typed = s
                .journal
                .iter()
                .any(|st| st.text.trim_start().starts_with(prefix.as_str()));
            if !typed {
                return false;
            }
        }
        if let Some(svc) = &self.service {
            let ns = self.namespace.clone().unwrap_or_else(|| "default".into());
            let Some(service) = s.world.services.get(&(ns, svc.clone())) else {
                return false;
            };
            if let Some(want) = self.endpoints {
                let ready = s
                    .world
                    .service_endpoints(service)
                    .iter()
                    .filter(|e| e.ready)
                    .count();
                if ready != want {
                    return false;
                }
            }
            if self.pod.is_none() {
                return true;
            }
        }
        let Some(name) = &self.pod else {
            return self.ran.is_some();
        };
        let ns = self.namespace.clone().unwrap_or_else(|| "default".into());
        let key = (ns, name.clone());
        let pod = s.world.pods.get(&key);
        if self.gone == Some(true) {
            // It existed at some point, and no longer does.
            return pod.is_none() && s.world.history.knows(&key);
        }
        let Some(pod) = pod else {
            return false;
        };
        if let Some(want) = &self.status {
            if pod_status_text(pod) != *want {
                return false;
            }
        }
        if let Some(want) = self.ready {
            let shown = pod_ready(pod);
            let all = shown
                .split_once('/')
                .is_some_and(|(a, b)| a == b && b != "0");
            if all != want {
                return false;
            }
        }
        if let Some(min) = self.restarts {
            let n: i64 = pod
                .status
                .container_statuses
                .iter()
                .map(|c| i64::from(c.restart_count))
                .sum();
            if n < i64::from(min) {
                return false;
            }
        }
        if let Some(text) = &self.log {
            let container = self
                .container
                .clone()
                .or_else(|| pod.spec.containers.first().map(|c| c.name.clone()))
                .unwrap_or_default();
            let log = s
                .world
                .container_log(&pod.meta.uid, &container, false)
                .unwrap_or_default();
            if !log.contains(text.as_str()) {
                return false;
            }
        }
        true
    }
}

impl Lesson {
    /// Which steps hold now.
    pub fn progress(&self, s: &Session) -> Vec<bool> {
        self.steps.iter().map(|st| st.check.holds(s)).collect()
    }

    /// Runs a session script in a fresh playground with the lesson's files, ticking steps off
    /// after each command as the page does: returns which steps were done.
    pub fn run_headless(
        &self,
        script: &str,
        source: Box<dyn super::FileSource>,
    ) -> Result<Vec<bool>, String> {
        let mut s = Session::new(1, source);
        for (name, content) in &self.files {
            s.workspace.insert(name.clone(), content.clone());
        }
        let mut done = vec![false; self.steps.len()];
        for e in super::parse_script(script)? {
            s.run_entry(&e);
            for (d, now) in done.iter_mut().zip(self.progress(&s)) {
                *d |= now;
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::examples::Examples;

    #[test]
    fn every_built_in_lesson_reads_and_its_steps_can_be_done() {
        for (id, text) in BUILT_IN {
            let lesson = parse(id, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!lesson.title.zh.is_empty(), "{id} has a Chinese title");
            assert!(
                lesson.steps.iter().all(|s| !s.say.zh.is_empty()),
                "{id} is translated"
            );
        }
        let bad = parse(
            "x",
            "title: {en: A}\nsteps:\n- say: {en: B}\n  check: {pod: a, colour: red}\n",
        );
        assert!(bad.expect_err("unknown field").contains("colour"));
    }

    #[test]
    fn the_first_lesson_ticks_off_as_a_learner_does_it() {
        let lesson = built_in("create-and-inspect").expect("built in");
        let mut s = Session::new(1, Box::new(Examples));
        for (name, content) in &lesson.files {
            s.workspace.insert(name.clone(), content.clone());
        }
        assert!(lesson.progress(&s).iter().all(|d| !d));
        // A step, once done, stays ticked (as on the page).
        let mut done = vec![false; lesson.steps.len()];
        for line in [
            "kubectl apply -f examplepod.yml",
            "sleep 30",
            "kubectl get pods",
            "kubectl logs examplepod",
            "kubectl describe pod examplepod",
            "kubectl delete pod examplepod",
        ] {
            s.run_script(&format!("{line}\n")).expect("runs");
            for (d, now) in done.iter_mut().zip(lesson.progress(&s)) {
                *d |= now;
            }
        }
        assert!(done.iter().all(|d| *d), "{done:?}");
    }
}
