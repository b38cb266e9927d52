//! The app's state: one session (the engine and its workspace) plus what the page shows about
//! it. The reducer is a thin adapter: every action turns into a session command, a clock move,
//! or a change of what is shown.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::i18n::Lang;
use crate::kubectl::Stream;
use crate::session::examples::{Examples, EXAMPLES};
use crate::session::follow::Follow;
use crate::session::{heredoc_marker, Attached, Entry, Session};
use crate::sim::network::Verdict;
use crate::sim::time::SimTime;

/// How many terminal lines are kept (the oldest go first).
const TERMINAL_LINES: usize = 4000;
/// Milliseconds of engine work per animation frame at most, so a frame never freezes the page
/// (the clock then lags behind the wall clock, and the status bar says so).
const ENGINE_MS_PER_FRAME: f64 = 8.0;

/// What a terminal line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A command as typed, with its prompt.
    Command,
    Out,
    Err,
    /// podplay's own notes (not program output).
    Note,
}

/// One terminal line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

/// What the side panel of a selected pod shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Describe,
    Logs,
    Yaml,
}

/// The colour theme: the system's, or chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

/// A traced packet path being shown on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceShown {
    pub verdict: Verdict,
    /// How many hops the animation has revealed.
    pub revealed: usize,
    /// Milliseconds of wall time since the last hop appeared.
    pub since_ms: f64,
}

/// Everything the page shows.
pub struct Model {
    pub session: Session,
    pub playing: bool,
    pub speed: u32,
    /// The instant shown while time-travelling; `None` is live.
    pub view_at: Option<SimTime>,
    /// Whether the last frame could not keep up with the asked speed.
    pub lagging: bool,
    /// Shared with the terminal's log component, which re-renders only when this changes.
    pub lines: Rc<Vec<Line>>,
    pub follow: Option<Follow>,
    pub attached: Option<Attached>,
    /// The pod a `kubectl run -it` shell belongs to, and whether to delete it (`--rm`) on exit.
    run_pod: Option<(String, String, bool)>,
    /// A here-document being typed: its command entry and end marker.
    pending: Option<(Entry, String)>,
    pub typed: Vec<String>,
    pub files: Vec<String>,
    pub active_file: String,
    /// Bumped when a file's content changes from outside the editor (an example opened).
    pub doc_version: u64,
    pub selected: Option<(String, String)>,
    pub side_tab: SideTab,
    pub show_system: bool,
    pub trace: Option<TraceShown>,
    pub theme: Theme,
    pub lang: Lang,
    /// The pane shown on a phone.
    pub phone_pane: &'static str,
    pub collapsed: Vec<&'static str>,
    /// Bumped when the cluster's history has grown and the map and timeline should redraw;
    /// with many pods at most a few times a second, so drawing never eats every frame.
    pub view_epoch: u64,
    epoch_seen: (usize, usize, u64, usize),
    since_epoch_ms: f64,
    /// Pane sizes in percent: the left column's width, and the top pane's height in each column.
    pub split_columns: f64,
    pub split_left: f64,
    pub split_right: f64,
    /// The clock when the session was last saved, and whether saving failed (said once).
    saved_at: Option<SimTime>,
    save_failed: bool,
    /// Embedded in another page (`?embed`): compact, and never touches the saved session.
    pub embed: bool,
    /// The lesson being followed, and which of its steps are done (a step stays done).
    pub lesson: Option<(crate::session::lesson::Lesson, Vec<bool>)>,
}

/// Where the browser keeps the session between visits.
pub const STORAGE_KEY: &str = "podplay.session";
/// Where an unreadable saved session is set aside.
pub const BROKEN_KEY: &str = "podplay.session.broken";

impl Model {
    pub fn new(seed: u64, lang: Lang) -> Model {
        let mut session = Session::new(seed, Box::new(Examples));
        session.world.track_history();
        // A person is typing: `kubectl run -it` attaches a shell, as at the CLI's prompt.
        session.interactive = true;
        let first = "examples/examplepod.yml".to_string();
        let content = EXAMPLES
            .iter()
            .find(|(n, _)| *n == "examplepod.yml")
            .map(|(_, c)| c.to_string())
            .unwrap_or_default();
        session.workspace.insert(first.clone(), content);
        Model {
            session,
            playing: true,
            speed: 1,
            view_at: None,
            lagging: false,
            lines: Rc::new(vec![Line {
                kind: LineKind::Note,
                text: super::i18n::tr(lang, "welcome").into(),
            }]),
            follow: None,
            attached: None,
            run_pod: None,
            pending: None,
            typed: Vec::new(),
            files: vec![first.clone()],
            active_file: first,
            doc_version: 0,
            selected: None,
            side_tab: SideTab::Describe,
            show_system: false,
            trace: None,
            theme: Theme::System,
            lang,
            phone_pane: "editor",
            collapsed: Vec::new(),
            view_epoch: 0,
            epoch_seen: (0, 0, 0, 0),
            since_epoch_ms: 0.0,
            split_columns: 46.0,
            split_left: 55.0,
            split_right: 55.0,
            saved_at: None,
            save_failed: false,
            embed: false,
            lesson: None,
        }
    }

    /// Starts a built-in lesson: its files go into the workspace, its steps into the panel.
    pub fn start_lesson(&mut self, id: &str, add_files: bool) {
        let Some(lesson) = crate::session::lesson::built_in(id) else {
            return;
        };
        if add_files {
            // The welcome example goes if it is all there is and untouched.
            let welcome = "examples/examplepod.yml";
            let untouched = self.session.workspace.len() == 1
                && self.session.workspace.get(welcome).map(String::as_str)
                    == EXAMPLES
                        .iter()
                        .find(|(n, _)| *n == "examplepod.yml")
                        .map(|(_, c)| *c);
            if untouched {
                self.session.workspace.clear();
            }
            for (name, content) in &lesson.files {
                self.session.workspace.insert(name.clone(), content.clone());
            }
            self.sync_files();
            if let Some(first) = lesson.files.keys().next() {
                self.active_file = first.clone();
                self.doc_version += 1;
            }
        }
        let n = lesson.steps.len();
        self.lesson = Some((lesson, vec![false; n]));
        self.update_lesson();
    }

    /// Ticks off the lesson's steps that hold now.
    fn update_lesson(&mut self) {
        if let Some((lesson, done)) = self.lesson.as_mut() {
            for (d, now) in done.iter_mut().zip(lesson.progress(&self.session)) {
                *d |= now;
            }
        }
    }

    /// An embedded playground opened on a manifest (it goes into the editor) or a session
    /// script (its commands run, as `podplay run` would run them).
    pub fn embedded(kind: &str, text: &str, lang: Lang) -> Model {
        let mut m = Model::new(1, lang);
        m.embed = true;
        m.collapsed = vec!["map"];
        if kind == "yaml" {
            m.session.workspace.clear();
            m.session
                .workspace
                .insert("pod.yml".into(), text.to_string());
            m.files = vec!["pod.yml".into()];
            m.active_file = "pod.yml".into();
        } else {
            match crate::session::parse_script(text) {
                Ok(entries) => {
                    for e in entries {
                        for (i, l) in e.text.lines().enumerate() {
                            m.push(
                                LineKind::Command,
                                &format!("{}{l}", if i == 0 { "$ " } else { "> " }),
                            );
                        }
                        let out = m.session.run_entry(&e);
                        m.print(&out);
                    }
                    m.sync_files();
                }
                Err(e) => m.push(LineKind::Err, &e),
            }
        }
        m
    }

    /// The full playground's address for this session (an embed's "Open in podplay").
    pub fn open_url(&self) -> String {
        let page = super::js::page_url();
        let full = page.split('?').next().unwrap_or(&page).to_string();
        format!("{full}#s={}", self.encoded())
    }

    /// A playground that replays a scenario (a share link's, or the saved session), showing
    /// the replayed transcript under `intro`.
    pub fn open(encoded: &str, lang: Lang, intro: &str) -> Result<Model, String> {
        let scenario = crate::session::share::decode(encoded)?;
        let (mut session, transcript) =
            Session::replay_with(&scenario, Box::new(Examples), |w| w.track_history())?;
        session.interactive = true;
        let mut m = Model::new(scenario.seed, lang);
        m.session = session;
        m.files = m.session.workspace.keys().cloned().collect();
        m.active_file = m.files.first().cloned().unwrap_or_default();
        m.apply_ui(&scenario.ui);
        m.push(LineKind::Note, super::i18n::tr(m.lang, intro));
        for line in transcript.lines() {
            let kind = if line.starts_with("$ ") || line.starts_with("> ") {
                LineKind::Command
            } else {
                LineKind::Out
            };
            m.push(kind, line);
        }
        m.saved_at = Some(m.session.world.now());
        Ok(m)
    }

    /// The interface settings a share link and the saved session carry.
    fn ui_settings(&self) -> serde_json::Value {
        serde_json::json!({
            "theme": match self.theme { Theme::System => "system", Theme::Light => "light", Theme::Dark => "dark" },
            "lang": self.lang.tag(),
            "speed": self.speed,
            "playing": self.playing,
            "active": self.active_file,
            "collapsed": self.collapsed,
            "split": [self.split_columns, self.split_left, self.split_right],
            "lesson": self.lesson.as_ref().map(|(l, _)| l.id.clone()),
        })
    }

    fn apply_ui(&mut self, ui: &serde_json::Value) {
        match ui["theme"].as_str() {
            Some("light") => self.theme = Theme::Light,
            Some("dark") => self.theme = Theme::Dark,
            Some(_) => self.theme = Theme::System,
            None => {}
        }
        if let Some(l) = ui["lang"].as_str() {
            self.lang = Lang::from_tag(l);
        }
        if let Some(s) = ui["speed"].as_u64() {
            self.speed = (s as u32).clamp(1, 600);
        }
        if let Some(p) = ui["playing"].as_bool() {
            self.playing = p;
        }
        if let Some(f) = ui["active"]
            .as_str()
            .filter(|f| self.files.iter().any(|x| x == f))
        {
            self.active_file = f.to_string();
        }
        if let Some(c) = ui["collapsed"].as_array() {
            self.collapsed = ["editor", "terminal", "map", "timeline"]
                .into_iter()
                .filter(|p| c.iter().any(|x| x.as_str() == Some(p)))
                .collect();
        }
        if let Some(id) = ui["lesson"].as_str() {
            self.start_lesson(id, false);
        }
        if let Some([a, b, c]) = ui["split"].as_array().map(Vec::as_slice) {
            if let (Some(a), Some(b), Some(c)) = (a.as_f64(), b.as_f64(), c.as_f64()) {
                self.split_columns = a.clamp(15.0, 85.0);
                self.split_left = b.clamp(15.0, 85.0);
                self.split_right = c.clamp(15.0, 85.0);
            }
        }
    }

    /// This session as a share link's fragment value (`v1.…`).
    pub fn encoded(&self) -> String {
        crate::session::share::encode(&self.session.scenario(self.ui_settings()))
    }

    /// Saves the session in the browser, so a reload or a restart brings it back.
    pub fn save(&mut self) {
        self.saved_at = Some(self.session.world.now());
        let encoded = self.encoded();
        match super::js::storage_set(STORAGE_KEY, &encoded) {
            Ok(()) => self.save_failed = false,
            Err(why) => {
                if !self.save_failed {
                    self.save_failed = true;
                    let msg = format!("{} ({why}).", super::i18n::tr(self.lang, "storage_full"));
                    self.push(LineKind::Err, &msg);
                }
            }
        }
    }

    /// Puts the session in the page's address and copies the link.
    pub fn share(&mut self) {
        let hash = format!("#s={}", self.encoded());
        super::js::replace_hash(&hash);
        let url = format!("{}{hash}", super::js::page_url());
        super::js::copy_text(&url);
        self.push(LineKind::Note, super::i18n::tr(self.lang, "share_done"));
        self.push(LineKind::Note, &url);
    }

    /// Forgets the session (after asking) and starts a fresh cluster.
    pub fn reset(&mut self) {
        if !super::js::confirm(super::i18n::tr(self.lang, "reset_confirm")) {
            return;
        }
        super::js::storage_remove(STORAGE_KEY);
        super::js::replace_hash("");
        let lang = self.lang;
        let theme = self.theme;
        *self = Model::new(1, lang);
        self.theme = theme;
        self.push(LineKind::Note, super::i18n::tr(lang, "reset_done"));
        self.doc_version += 1;
    }

    /// Shows an error in the terminal.
    pub fn note_error(&mut self, text: &str) {
        self.push(LineKind::Err, text);
    }

    /// The instant the panes show.
    pub fn shown_time(&self) -> SimTime {
        self.view_at.unwrap_or_else(|| self.session.world.now())
    }

    fn push(&mut self, kind: LineKind, text: &str) {
        let lines = Rc::make_mut(&mut self.lines);
        for l in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            lines.push(Line {
                kind,
                text: l.to_string(),
            });
        }
        if lines.len() > TERMINAL_LINES {
            // Keep the newest lines, and say so where the older ones were.
            let extra = lines.len() - TERMINAL_LINES + 1;
            lines.drain(..extra);
            lines.insert(
                0,
                Line {
                    kind: LineKind::Note,
                    text: format!("(older output trimmed: the terminal keeps the last {TERMINAL_LINES} lines)"),
                },
            );
        }
    }

    fn print(&mut self, out: &crate::kubectl::Output) {
        if let Some(n) = out.notice() {
            self.push(LineKind::Err, &n);
        }
        for (stream, text) in &out.chunks {
            if text.is_empty() {
                continue;
            }
            let kind = match stream {
                Stream::Out => LineKind::Out,
                Stream::Err => LineKind::Err,
            };
            self.push(kind, text);
        }
    }

    /// Runs one line typed into the terminal (or sent by a button).
    pub fn run_line(&mut self, line: &str) {
        // While time-travelling, read-only kubectl commands answer from the past; anything
        // else changes the present, so it returns to it first.
        if let Some(at) = self.view_at {
            if self.pending.is_none() && self.attached.is_none() {
                if let Some(out) = self.session.run_read_only_at(line.trim(), at) {
                    self.push(
                        LineKind::Command,
                        &format!("$ {line}    # as of {}", super::clock_text(at.millis())),
                    );
                    self.print(&out);
                    return;
                }
            }
        }
        self.view_at = None;
        if let Some((mut entry, marker)) = self.pending.take() {
            self.push(LineKind::Command, &format!("> {line}"));
            if line.trim_end() == marker {
                entry.text.push('\n');
                entry.text.push_str(line);
                self.run_entry(entry);
            } else {
                let body = entry.heredoc.get_or_insert_with(String::new);
                body.push_str(line);
                body.push('\n');
                entry.text.push('\n');
                entry.text.push_str(line);
                self.pending = Some((entry, marker));
            }
            return;
        }
        if let Some(a) = self.attached.clone() {
            self.push(LineKind::Command, &format!("{}{line}", a.prompt));
            let t = line.trim();
            if t == "exit" {
                self.attached = None;
                if let Some((ns, name, rm)) = self.run_pod.take() {
                    self.push(
                        LineKind::Out,
                        &format!("Session ended, resume using 'kubectl attach {name} -c {} -i -t' command when the pod is running", a.container),
                    );
                    if rm {
                        self.run_entry(Entry {
                            text: String::new(),
                            line: format!("kubectl delete pod {name} -n {ns}"),
                            heredoc: None,
                        });
                    }
                }
            } else if !t.is_empty() {
                let out = self.session.attached_line(&a, t);
                self.print(&out);
            }
            return;
        }
        self.push(LineKind::Command, &format!("$ {line}"));
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        if self.typed.last().map(String::as_str) != Some(line) {
            self.typed.push(line.to_string());
        }
        if trimmed == "clear" {
            self.lines = Rc::new(Vec::new());
            return;
        }
        let entry = Entry {
            text: line.to_string(),
            line: trimmed.to_string(),
            heredoc: None,
        };
        if let Some(marker) = heredoc_marker(trimmed) {
            self.pending = Some((
                Entry {
                    heredoc: Some(String::new()),
                    ..entry
                },
                marker,
            ));
            return;
        }
        if let Some(a) = self.session.interactive_exec(trimmed) {
            self.attached = Some(a);
            return;
        }
        if let Some((ns, name, rm)) = self.session.interactive_run(trimmed) {
            self.run_entry(entry);
            if let Some(a) = self.session.attach_to(&ns, &name) {
                self.attached = Some(a);
                self.run_pod = Some((ns, name, rm));
            }
            return;
        }
        if let Some((out, follow)) = self.session.start_follow(trimmed) {
            self.print(&out);
            self.follow = follow;
            return;
        }
        self.run_entry(entry);
    }

    fn run_entry(&mut self, entry: Entry) {
        let out = self.session.run_entry(&entry);
        self.print(&out);
        self.sync_files();
    }

    /// Keeps the file tabs in step with the workspace (here-documents write files too).
    fn sync_files(&mut self) {
        for name in self.session.workspace.keys() {
            if !self.files.contains(name) {
                self.files.push(name.clone());
            }
        }
        let ws = &self.session.workspace;
        self.files.retain(|f| ws.contains_key(f));
        if !self.files.contains(&self.active_file) {
            if let Some(f) = self.files.first() {
                self.active_file = f.clone();
                self.doc_version += 1;
            }
        }
    }

    /// Ctrl+C: stops a stream, drops a half-typed here-document.
    pub fn interrupt(&mut self) {
        self.follow = None;
        self.pending = None;
        self.push(LineKind::Command, "^C");
    }

    /// Moves the clock on by `wall_ms` of real time at the current speed, a bounded number of
    /// engine tasks at a time; prints what streams have to print.
    pub fn tick(&mut self, wall_ms: f64) {
        if let Some(t) = self.trace.as_mut() {
            t.since_ms += wall_ms;
            if t.since_ms > 450.0 && t.revealed <= t.verdict.hops.len() {
                t.revealed += 1;
                t.since_ms = 0.0;
            }
        }
        if !self.playing || self.view_at.is_some() {
            return;
        }
        self.since_epoch_ms += wall_ms;
        // A hidden tab or a long pause must not turn into a huge jump.
        let ms = (wall_ms.clamp(0.0, 250.0) * f64::from(self.speed)).round() as u64;
        let clock = web_sys::window().and_then(|w| w.performance());
        let started = clock.as_ref().map_or(0.0, |p| p.now());
        let world = &mut self.session.world;
        let target = world.now().plus_ms(ms);
        let mut tasks = 0u32;
        self.lagging = false;
        while world.next_event_at().is_some_and(|t| t <= target) {
            world.step();
            tasks += 1;
            if tasks.is_multiple_of(32)
                && clock
                    .as_ref()
                    .is_some_and(|p| p.now() - started > ENGINE_MS_PER_FRAME)
            {
                self.lagging = true;
                break;
            }
        }
        if !self.lagging {
            world.run_until(target);
        }
        self.poll_follow();
    }

    /// Starts a new view epoch if the history grew and (unless `now`) enough time has passed:
    /// every frame for a small cluster, a few times a second for a large one.
    fn refresh_epoch(&mut self, now: bool) {
        let w = &self.session.world;
        let seen = (
            w.history.count(),
            w.events.len(),
            w.events.iter().map(|e| u64::from(e.count)).sum(),
            w.node_history.as_ref().map_or(0, |h| h.changes.len()),
        );
        if seen == self.epoch_seen {
            return;
        }
        let pods = w.pods.len() as f64;
        let wait = if pods < 150.0 { 0.0 } else { 40.0 + pods / 4.0 };
        if now || self.since_epoch_ms >= wait {
            self.view_epoch += 1;
            self.epoch_seen = seen;
            self.since_epoch_ms = 0.0;
        }
    }

    fn poll_follow(&mut self) {
        if let Some(mut f) = self.follow.take() {
            if let Some(text) = self.session.poll_follow(&mut f) {
                if !text.is_empty() {
                    self.push(LineKind::Out, &text);
                }
                self.follow = Some(f);
            }
        }
    }

    /// Runs the clock to the next thing the engine has queued.
    pub fn step_event(&mut self) {
        self.view_at = None;
        self.session.world.step();
        let now = self.session.world.now();
        self.session.world.run_until(now);
        self.poll_follow();
    }

    /// Moves the clock to `at`: into the past (time travel) or, if later than now, forward.
    pub fn seek(&mut self, at: SimTime) {
        let now = self.session.world.now();
        if at >= now {
            self.view_at = None;
            self.session.world.run_until(at);
            self.poll_follow();
        } else {
            self.view_at = Some(at);
            self.playing = false;
        }
    }

    pub fn open_example(&mut self, name: &str) {
        let Some((_, content)) = EXAMPLES.iter().find(|(n, _)| *n == name) else {
            return;
        };
        let path = format!("examples/{name}");
        self.session
            .workspace
            .insert(path.clone(), content.to_string());
        if !self.files.contains(&path) {
            self.files.push(path.clone());
        }
        self.active_file = path;
        self.doc_version += 1;
    }

    pub fn new_file(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty() || name.contains(' ') {
            return;
        }
        self.session
            .workspace
            .entry(name.to_string())
            .or_insert_with(|| {
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-pod\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: ['sh', '-c', 'echo hello; sleep 3600']\n".into()
            });
        self.sync_files();
        self.active_file = name.to_string();
        self.doc_version += 1;
    }

    /// Traces a packet, showing the command in the terminal and the path on the map.
    pub fn trace(&mut self, src: &str, dst: &str, port: u16) {
        self.run_line(&format!("podplay trace {src} {dst}:{port}"));
        self.trace = self
            .session
            .world
            .trace(src, dst, port)
            .ok()
            .map(|verdict| TraceShown {
                verdict,
                revealed: 1,
                since_ms: 0.0,
            });
    }
}

/// The actions the page sends.
pub enum Action {
    Run(String),
    Interrupt,
    Tick(f64),
    TogglePlay,
    SetSpeed(u32),
    StepEvent,
    Seek(SimTime),
    Live,
    OpenExample(String),
    NewFile(String),
    SelectFile(String),
    /// The editor's text of the active file.
    Edit(String, String),
    CloseFile(String),
    Select(Option<(String, String)>),
    SideTab(SideTab),
    ToggleSystem,
    Trace(String, String, u16),
    ClearTrace,
    SetTheme(Theme),
    SetLang(Lang),
    PhonePane(&'static str),
    ToggleCollapse(&'static str),
    /// A splitter moved: which one (`columns`, `left`, `right`) and where, in percent.
    Resize(&'static str, f64),
    Share,
    Reset,
    /// Start a built-in lesson, by id.
    Lesson(String),
    CloseLesson,
}

/// The shared state handed to every component through a context.
#[derive(Clone)]
pub struct AppState {
    pub model: Rc<RefCell<Model>>,
    /// Bumped on every change so that components re-render.
    pub version: u64,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model) && self.version == other.version
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let model = self.model.clone();
        let changed = {
            let Ok(mut m) = model.try_borrow_mut() else {
                return self;
            };
            m.apply(action)
        };
        if !changed {
            return self;
        }
        Rc::new(AppState {
            model,
            version: self.version + 1,
        })
    }
}

impl Model {
    /// Applies an action; false when nothing visible changed (no re-render then).
    fn apply(&mut self, action: Action) -> bool {
        let is_tick = matches!(action, Action::Tick(_));
        let epoch = self.view_epoch;
        let changed = self.apply_action(action);
        self.refresh_epoch(!is_tick);
        let ticked = self
            .lesson
            .as_ref()
            .map(|(_, d)| d.iter().filter(|x| **x).count());
        // Checked after a command, and when the cluster's history grows as the clock runs.
        if !is_tick || self.view_epoch != epoch {
            self.update_lesson();
        }
        let changed = changed
            || ticked
                != self
                    .lesson
                    .as_ref()
                    .map(|(_, d)| d.iter().filter(|x| **x).count());
        // Saved after every change, and every few virtual seconds while the clock runs (an
        // embedded playground keeps nothing: it must not overwrite the learner's own session).
        let now = self.session.world.now();
        if changed
            && !self.embed
            && (!is_tick
                || self
                    .saved_at
                    .is_none_or(|t| now.millis() >= t.millis() + 5_000))
        {
            self.save();
        }
        changed || self.view_epoch != epoch
    }

    fn apply_action(&mut self, action: Action) -> bool {
        let m = self;
        {
            match action {
                Action::Run(line) => m.run_line(&line),
                Action::Interrupt => m.interrupt(),
                Action::Tick(ms) => {
                    let before = (
                        m.session.world.now(),
                        m.lines.len(),
                        m.trace.as_ref().map(|t| t.revealed),
                    );
                    m.tick(ms);
                    let after = (
                        m.session.world.now(),
                        m.lines.len(),
                        m.trace.as_ref().map(|t| t.revealed),
                    );
                    if before == after {
                        // Nothing moved: no re-render.
                        return false;
                    }
                }
                Action::TogglePlay => {
                    if m.view_at.is_some() {
                        m.view_at = None;
                    }
                    m.playing = !m.playing;
                }
                Action::SetSpeed(s) => m.speed = s.clamp(1, 600),
                Action::StepEvent => m.step_event(),
                Action::Seek(t) => m.seek(t),
                Action::Live => m.view_at = None,
                Action::OpenExample(n) => m.open_example(&n),
                Action::NewFile(n) => m.new_file(&n),
                Action::SelectFile(f) => {
                    m.active_file = f;
                    m.doc_version += 1;
                }
                Action::Edit(f, text) => {
                    if m.session.workspace.get(&f) == Some(&text) {
                        return false;
                    }
                    m.session.workspace.insert(f, text);
                }
                Action::CloseFile(f) => {
                    m.session.workspace.remove(&f);
                    m.sync_files();
                    if m.active_file == f {
                        m.active_file = m.files.first().cloned().unwrap_or_default();
                        m.doc_version += 1;
                    }
                }
                Action::Select(s) => m.selected = s,
                Action::SideTab(t) => m.side_tab = t,
                Action::ToggleSystem => m.show_system = !m.show_system,
                Action::Trace(s, d, p) => m.trace(&s, &d, p),
                Action::ClearTrace => m.trace = None,
                Action::SetTheme(t) => m.theme = t,
                Action::SetLang(l) => m.lang = l,
                Action::PhonePane(p) => {
                    m.phone_pane = p;
                    m.collapsed.retain(|c| *c != p);
                }
                Action::Resize(which, pct) => {
                    let pct = pct.clamp(15.0, 85.0);
                    match which {
                        "columns" => m.split_columns = pct,
                        "left" => m.split_left = pct,
                        _ => m.split_right = pct,
                    }
                }
                Action::Lesson(id) => m.start_lesson(&id, true),
                Action::CloseLesson => m.lesson = None,
                Action::Share => m.share(),
                Action::Reset => m.reset(),
                Action::ToggleCollapse(p) => {
                    if let Some(i) = m.collapsed.iter().position(|c| *c == p) {
                        m.collapsed.remove(i);
                    } else {
                        m.collapsed.push(p);
                    }
                }
            }
        }
        true
    }
}

/// The context type components read.
pub type AppContext = UseReducerHandle<AppState>;
