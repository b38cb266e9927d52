//! The lifecycle timeline: a lane per pod, a sub-lane per container, with segments for the
//! states the kubelet reported (waiting with its reason, running, ready, terminated) and
//! markers for the events recorded about them. Built from the pod change log and the events,
//! so it covers the whole session and any instant of it.

use std::collections::BTreeMap;

use super::ContainerRole;
use crate::sim::pod::{ContainerState, Pod};
use crate::sim::time::{human_duration, SimTime};
use crate::sim::World;

/// What a stretch of a container's life was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    Waiting,
    Running,
    /// Running and ready.
    Ready,
    Terminated,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Waiting => "waiting",
            SegmentKind::Running => "running",
            SegmentKind::Ready => "ready",
            SegmentKind::Terminated => "terminated",
        }
    }
}

/// One stretch of a container lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: SimTime,
    pub end: SimTime,
    pub kind: SegmentKind,
    /// The text shown on it: `ContainerCreating`, `Running`, `Ready`, `Completed (exit 0)`.
    pub label: String,
}

/// An event on a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub at: SimTime,
    pub reason: String,
    pub message: String,
    pub warning: bool,
    /// How many times the event had happened by this marker.
    pub count: u32,
}

/// One container's lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerLane {
    pub name: String,
    pub role: ContainerRole,
    pub segments: Vec<Segment>,
    pub markers: Vec<Marker>,
}

/// One pod's lane: its own events (scheduling, sandbox, killing) and its containers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodLane {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created: SimTime,
    /// When the pod was removed from the API, if it was.
    pub gone: Option<SimTime>,
    pub markers: Vec<Marker>,
    pub containers: Vec<ContainerLane>,
}

/// Every lane, up to `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub end: SimTime,
    pub lanes: Vec<PodLane>,
}

fn state_of(s: &ContainerState, ready: bool) -> Option<(SegmentKind, String)> {
    match s {
        ContainerState::None => None,
        ContainerState::Waiting { reason, .. } => Some((SegmentKind::Waiting, reason.clone())),
        ContainerState::Running { .. } if ready => Some((SegmentKind::Ready, "Ready".into())),
        ContainerState::Running { .. } => Some((SegmentKind::Running, "Running".into())),
        ContainerState::Terminated {
            exit_code, reason, ..
        } => Some((
            SegmentKind::Terminated,
            format!("{reason} (exit {exit_code})"),
        )),
    }
}

struct Building {
    lane: PodLane,
    /// The open segment of each container: (kind, label, since).
    open: Vec<Option<(SegmentKind, String, SimTime)>>,
}

impl Building {
    fn new(p: &Pod) -> Building {
        let containers: Vec<ContainerLane> = ContainerRole::of_pod(p)
            .map(|(c, role)| ContainerLane {
                name: c.name.clone(),
                role,
                segments: Vec::new(),
                markers: Vec::new(),
            })
            .collect();
        let n = containers.len();
        Building {
            lane: PodLane {
                namespace: p.meta.namespace.clone(),
                name: p.meta.name.clone(),
                uid: p.meta.uid.clone(),
                created: p.meta.creation,
                gone: None,
                markers: Vec::new(),
                containers,
            },
            open: vec![None; n],
        }
    }

    fn update(&mut self, p: &Pod, at: SimTime) {
        let statuses = p
            .status
            .init_container_statuses
            .iter()
            .chain(p.status.container_statuses.iter());
        let mut by_name: BTreeMap<&str, Option<(SegmentKind, String)>> = BTreeMap::new();
        for s in statuses {
            by_name.insert(s.name.as_str(), state_of(&s.state, s.ready));
        }
        for (i, lane) in self.lane.containers.iter_mut().enumerate() {
            let now = by_name.get(lane.name.as_str()).cloned().flatten();
            let same = match (&self.open[i], &now) {
                (Some((k, l, _)), Some((k2, l2))) => k == k2 && l == l2,
                (None, None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            if let Some((kind, label, since)) = self.open[i].take() {
                if at > since {
                    lane.segments.push(Segment {
                        start: since,
                        end: at,
                        kind,
                        label,
                    });
                }
            }
            self.open[i] = now.map(|(k, l)| (k, l, at));
        }
    }

    fn close(&mut self, at: SimTime) {
        for (i, lane) in self.lane.containers.iter_mut().enumerate() {
            if let Some((kind, label, since)) = self.open[i].take() {
                lane.segments.push(Segment {
                    start: since,
                    end: at.max(since),
                    kind,
                    label,
                });
            }
        }
    }
}

/// The lanes of every pod the session has seen, system pods only if `system` is set.
pub fn timeline(world: &World, system: bool) -> Timeline {
    let end = world.now();
    let mut order: Vec<String> = Vec::new();
    let mut lanes: BTreeMap<String, Building> = BTreeMap::new();
    let mut uid_of: BTreeMap<(String, String), String> = BTreeMap::new();
    let wanted = |ns: &str| system || !matches!(ns, "kube-system" | "kube-flannel");
    // Pods as the folded part of the log left them, then every change kept.
    let base_at = world.history.base_at().unwrap_or(SimTime::ZERO);
    let folded = world
        .history
        .base()
        .iter()
        .map(|(k, p)| (base_at, k, Some(p)));
    let kept = world
        .history
        .changes()
        .iter()
        .map(|c| (c.at, &c.key, c.pod.as_ref()));
    for (at, key, pod) in folded.chain(kept) {
        if !wanted(&key.0) {
            continue;
        }
        match pod {
            Some(p) => {
                let uid = p.meta.uid.clone();
                if !lanes.contains_key(&uid) {
                    order.push(uid.clone());
                    lanes.insert(uid.clone(), Building::new(p));
                }
                uid_of.insert(key.clone(), uid.clone());
                if let Some(b) = lanes.get_mut(&uid) {
                    b.update(p, at);
                }
            }
            None => {
                if let Some(b) = uid_of.remove(key).and_then(|u| lanes.get_mut(&u)) {
                    b.close(at);
                    b.lane.gone = Some(at);
                }
            }
        }
    }
    // Pods that never changed (the system pods, from the first instant).
    for p in world.pods.values() {
        if wanted(&p.meta.namespace) && !lanes.contains_key(&p.meta.uid) {
            let mut b = Building::new(p);
            b.update(p, p.meta.creation);
            order.push(p.meta.uid.clone());
            lanes.insert(p.meta.uid.clone(), b);
        }
    }
    for e in &world.events {
        let Some(b) = lanes.get_mut(&e.involved.uid) else {
            continue;
        };
        let mut markers = vec![Marker {
            at: e.first,
            reason: e.reason.clone(),
            message: e.message.clone(),
            warning: e.type_ == "Warning",
            count: 1,
        }];
        if e.count > 1 && e.last > e.first {
            markers.push(Marker {
                at: e.last,
                reason: e.reason.clone(),
                message: e.message.clone(),
                warning: e.type_ == "Warning",
                count: e.count,
            });
        }
        let container = e.involved.field_path.as_deref().and_then(|f| {
            let inner = f.split_once('{')?.1.strip_suffix('}')?;
            Some(inner.to_string())
        });
        let target = container.and_then(|c| {
            b.lane
                .containers
                .iter_mut()
                .find(|l| l.name == c)
                .map(|l| &mut l.markers)
        });
        match target {
            Some(m) => m.extend(markers),
            None => b.lane.markers.extend(markers),
        }
    }
    let lanes = order
        .into_iter()
        .filter_map(|u| lanes.remove(&u))
        .map(|mut b| {
            if b.lane.gone.is_none() {
                b.close(end);
            }
            for c in &mut b.lane.containers {
                c.markers.sort_by_key(|m| m.at);
            }
            b.lane.markers.sort_by_key(|m| m.at);
            b.lane
        })
        .collect();
    Timeline { end, lanes }
}

/// Maps instants to pixels on a lane of `width` pixels showing `start..end`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub start: SimTime,
    pub end: SimTime,
    pub width: f64,
}

impl Scale {
    /// A scale that shows at least a minute, ending at `end`.
    pub fn fit(end: SimTime, width: f64) -> Scale {
        Scale {
            start: SimTime::ZERO,
            end: end.max(SimTime::from_secs(60)),
            width: width.max(1.0),
        }
    }

    /// A scale that changes only now and then as the clock moves (so the lanes need not be
    /// redrawn on every frame): it ends at the first round length that leaves a little room
    /// after `now` (1, 2, 3, 5, 10, 15, 20, 30, 45 minutes, then whole hours).
    pub fn stable(now: SimTime, width: f64) -> Scale {
        const ENDS_MIN: [u64; 9] = [1, 2, 3, 5, 10, 15, 20, 30, 45];
        let want = now.millis() + now.millis() / 20;
        let end = ENDS_MIN
            .iter()
            .map(|m| m * 60_000)
            .find(|e| *e >= want)
            .unwrap_or_else(|| want.div_ceil(3_600_000) * 3_600_000);
        Scale {
            start: SimTime::ZERO,
            end: SimTime::ZERO.plus_ms(end),
            width: width.max(1.0),
        }
    }

    pub fn x(&self, t: SimTime) -> f64 {
        let span = self.end.since(self.start).max(1) as f64;
        (t.since(self.start) as f64 / span * self.width).clamp(0.0, self.width)
    }

    /// The instant under pixel `x` (clamped to the scale).
    pub fn time(&self, x: f64) -> SimTime {
        let span = self.end.since(self.start) as f64;
        let f = (x / self.width).clamp(0.0, 1.0);
        self.start.plus_ms((f * span).round() as u64)
    }

    /// Round instants for axis labels, about `min_px` pixels apart or more.
    pub fn ticks(&self, min_px: f64) -> Vec<(SimTime, String)> {
        const STEPS: [u64; 14] = [
            1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
        ];
        let span = self.end.since(self.start).max(1) as f64;
        let px_per_sec = self.width / (span / 1000.0);
        let step = STEPS
            .iter()
            .copied()
            .find(|s| *s as f64 * px_per_sec >= min_px)
            .unwrap_or(86_400);
        let first = self.start.secs().div_ceil(step) * step;
        let mut out = Vec::new();
        let mut s = first;
        while SimTime::from_secs(s) <= self.end && out.len() < 200 {
            out.push((SimTime::from_secs(s), human_duration((s * 1000) as i64)));
            s += step;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{NoFiles, Session};

    #[test]
    fn init_containers_then_main_with_events() {
        let mut s = Session::new(3, Box::new(NoFiles));
        s.workspace.insert(
            "init.yaml".into(),
            include_str!("../../tests/sessions/examples/init-demo.yml").into(),
        );
        s.run_script("kubectl apply -f init.yaml\nsleep 60\n")
            .expect("runs");
        let t = timeline(&s.world, false);
        assert_eq!(t.lanes.len(), 1);
        let lane = &t.lanes[0];
        let roles: Vec<ContainerRole> = lane.containers.iter().map(|c| c.role).collect();
        assert_eq!(roles.first(), Some(&ContainerRole::Init));
        assert_eq!(roles.last(), Some(&ContainerRole::Main));
        let init = &lane.containers[0];
        assert!(init
            .segments
            .iter()
            .any(|g| g.kind == SegmentKind::Terminated && g.label == "Completed (exit 0)"));
        let main = lane.containers.last().expect("main lane");
        // The main container waited while the init container ran, then started.
        assert_eq!(main.segments[0].label, "PodInitializing");
        assert!(main.segments.iter().any(|g| g.kind == SegmentKind::Ready));
        assert_eq!(main.segments.last().map(|g| g.end), Some(s.world.now()));
        // Segments of one lane follow each other without gaps or overlaps.
        for w in main.segments.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        assert!(lane.markers.iter().any(|m| m.reason == "Scheduled"));
        assert!(main.markers.iter().any(|m| m.reason == "Started"));
    }

    #[test]
    fn scale_and_ticks() {
        let sc = Scale::fit(SimTime::from_secs(120), 600.0);
        assert_eq!(sc.x(SimTime::from_secs(60)), 300.0);
        assert_eq!(sc.time(150.0), SimTime::from_secs(30));
        assert_eq!(sc.time(-5.0), SimTime::ZERO);
        let ticks = sc.ticks(40.0);
        // 600 px for 120 s: 5 px a second, so a tick every 10 s.
        assert_eq!(ticks[1].0, SimTime::from_secs(10));
        assert_eq!(ticks[1].1, "10s");
        assert_eq!(ticks.last().map(|t| t.1.as_str()), Some("2m"));
        // A stable scale keeps its end while the clock moves inside it.
        let a = Scale::stable(SimTime::from_secs(70), 100.0);
        let b = Scale::stable(SimTime::from_secs(110), 100.0);
        assert_eq!(
            (a.end, b.end),
            (SimTime::from_secs(120), SimTime::from_secs(120))
        );
        assert_eq!(
            Scale::stable(SimTime::from_secs(118), 100.0).end,
            SimTime::from_secs(180)
        );
        assert_eq!(
            Scale::stable(SimTime::from_secs(50 * 60), 100.0).end,
            SimTime::from_secs(3600)
        );
        assert_eq!(
            Scale::stable(SimTime::from_secs(3 * 3600), 100.0).end,
            SimTime::from_secs(4 * 3600)
        );
        assert_eq!(
            Scale::stable(SimTime::ZERO, 100.0).end,
            SimTime::from_secs(60)
        );
    }
}
