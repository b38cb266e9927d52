//! The browser playground (wasm32 only): Yew components over the session and the view API.
//!
//! - `state` — the app state and its reducer (a thin adapter over `Session`).
//! - `editor` — the YAML editor (CodeMirror through `js`), with the engine's diagnostics.
//! - `terminal` — the kubectl terminal: history, completion, streams, container shells.
//! - `map` — nodes, pods and containers; node actions; reachability traces.
//! - `timeline` — lifecycle lanes, event markers, the playhead and time travel.
//! - `hooks` — the animation-frame loop; `js` — all JavaScript interop; `i18n` — texts.

pub mod editor;
pub mod hooks;
pub mod i18n;
pub mod js;
pub mod map;
pub mod state;
pub mod terminal;
pub mod timeline;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use i18n::{tr, Lang};
use state::{Action, AppContext, AppState, Model, Theme};

/// Starts the playground in the page's `<body>`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| js::show_fatal(&info.to_string())));
    yew::Renderer::<App>::new().render();
}

/// Starts the playground inside `root` (tests mount it in a page of their own).
pub fn mount(root: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

/// The seed of a fresh playground (a share link will carry its own).
const SEED: u64 = 1;

/// The playground a visit opens: the session in the address (a share link), else the one saved
/// in the browser, else a fresh cluster. An unreadable one leaves a fresh cluster and a message.
fn open_model(lang: Lang) -> Model {
    let hash = js::location_hash();
    if js::query_flag("embed") {
        let mut m = match hash.split_once('=') {
            Some(("#s", link)) => open_link(link, lang),
            Some((kind @ ("#yaml" | "#script"), data)) => {
                use base64::Engine;
                let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(data.trim_end_matches('='))
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default();
                Model::embedded(&kind[1..], &text, lang)
            }
            _ => Model::new(SEED, lang),
        };
        m.embed = true;
        if !m.collapsed.contains(&"map") {
            m.collapsed.push("map");
        }
        match js::query_value("theme").as_deref() {
            Some("dark") => m.theme = Theme::Dark,
            Some("light") => m.theme = Theme::Light,
            _ => {}
        }
        return m;
    }
    if let Some(link) = hash.strip_prefix("#s=") {
        return open_link(link, lang);
    }
    if let Some(saved) = js::storage_get(state::STORAGE_KEY) {
        return match Model::open(&saved, lang, "restored") {
            Ok(m) => m,
            Err(why) => {
                let _ = js::storage_set(state::BROKEN_KEY, &saved);
                js::storage_remove(state::STORAGE_KEY);
                let mut m = Model::new(SEED, lang);
                m.note_error(&format!("{} {why}", tr(lang, "storage_broken")));
                m
            }
        };
    }
    Model::new(SEED, lang)
}

/// The playground a share link opens, or a fresh one with the reason it could not.
fn open_link(link: &str, lang: Lang) -> Model {
    Model::open(link, lang, "opened_link").unwrap_or_else(|why| {
        let mut m = Model::new(SEED, lang);
        m.note_error(&format!("{} {why}", tr(lang, "link_broken")));
        m
    })
}

/// The whole playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let mut model = open_model(Lang::from_tag(&js::browser_language()));
        // `?paused` starts with the clock stopped (it then moves only with `sleep`), so a
        // session typed in gives the same transcript as `podplay run --seed 1`.
        if js::query_flag("paused") {
            model.playing = false;
        }
        AppState {
            model: Rc::new(RefCell::new(model)),
            version: 0,
        }
    });
    {
        let state = state.clone();
        hooks::use_animation_frame(Callback::from(move |dt| state.dispatch(Action::Tick(dt))));
    }
    let (theme, lang, phone_pane, collapsed, splits) = {
        let m = state.model.borrow();
        (
            m.theme,
            m.lang,
            m.phone_pane,
            m.collapsed.clone(),
            (m.split_columns, m.split_left, m.split_right),
        )
    };
    // Only when they change: touching <html> makes the browser restyle the whole page.
    use_effect_with((theme, lang), |(theme, lang)| {
        let t = match theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        };
        js::set_root_attr("data-theme", t);
        js::set_root_attr("lang", Some(lang.tag()));
    });
    let pane = |id: &'static str, body: Html, basis: Option<f64>| -> Html {
        let is_collapsed = collapsed.contains(&id);
        let style = match basis {
            Some(b) if !is_collapsed => format!("flex: 0 0 {b:.2}%"),
            _ => String::new(),
        };
        let toggle = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::ToggleCollapse(id)))
        };
        let class = classes!(
            "pane",
            format!("pane-{id}"),
            is_collapsed.then_some("collapsed"),
            (phone_pane == id).then_some("phone-active")
        );
        html! {
            <section class={class} aria-label={tr(lang, id)} {style}>
                <header class="pane-head">
                    <h2>{ tr(lang, id) }</h2>
                    <button class="icon" onclick={toggle}
                        aria-expanded={(!is_collapsed).to_string()}
                        title={tr(lang, if is_collapsed { "expand" } else { "collapse" })}
                        aria-label={format!("{} {}", tr(lang, if is_collapsed { "expand" } else { "collapse" }), tr(lang, id))}>
                        { if is_collapsed { "▸" } else { "▾" } }
                    </button>
                </header>
                // A collapsed pane is not drawn at all (it costs nothing while the clock runs).
                if !is_collapsed {
                    <div class="pane-body">{ body }</div>
                }
            </section>
        }
    };
    let tabs = ["editor", "terminal", "map", "timeline"].map(|id| {
        let state = state.clone();
        let onclick = Callback::from(move |_| state.dispatch(Action::PhonePane(id)));
        html! {
            <button role="tab" aria-selected={(phone_pane == id).to_string()} {onclick}>{ tr(lang, id) }</button>
        }
    });
    let both = |a, b| collapsed.contains(&a) || collapsed.contains(&b);
    let (cols, left, right) = splits;
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <div class="app">
                <Toolbar />
                <LessonPanel />
                <nav class="phone-tabs" role="tablist">{ for tabs }</nav>
                <main class="grid">
                    <div class="column" style={format!("flex: 0 0 {cols:.2}%")}>
                        { pane("editor", html! { <editor::Editor /> }, (!both("editor", "terminal")).then_some(left)) }
                        if !both("editor", "terminal") {
                            <Splitter which="left" vertical=false value={left} />
                        }
                        { pane("terminal", html! { <terminal::Terminal /> }, None) }
                    </div>
                    <Splitter which="columns" vertical=true value={cols} />
                    <div class="column">
                        { pane("map", html! { <map::ClusterMap /> }, (!both("map", "timeline")).then_some(right)) }
                        if !both("map", "timeline") {
                            <Splitter which="right" vertical=false value={right} />
                        }
                        { pane("timeline", html! { <timeline::Timeline /> }, None) }
                    </div>
                </main>
                <StatusBar />
            </div>
        </ContextProvider<AppContext>>
    }
}

#[derive(Properties, PartialEq)]
struct SplitterProps {
    which: &'static str,
    /// Between columns (dragged left and right), or between the panes of a column.
    vertical: bool,
    value: f64,
}

/// A bar between panes: drag it, or focus it and use the arrow keys.
#[component]
fn Splitter(props: &SplitterProps) -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let bar = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let (which, vertical, value) = (props.which, props.vertical, props.value);
    let move_to = {
        let state = state.clone();
        let bar = bar.clone();
        move |x: i32, y: i32| {
            let Some(parent) = bar
                .cast::<web_sys::Element>()
                .and_then(|b| b.parent_element())
            else {
                return;
            };
            let r = parent.get_bounding_client_rect();
            let pct = if vertical {
                (f64::from(x) - r.left()) / r.width().max(1.0) * 100.0
            } else {
                (f64::from(y) - r.top()) / r.height().max(1.0) * 100.0
            };
            state.dispatch(Action::Resize(which, pct));
        }
    };
    let down = {
        let dragging = dragging.clone();
        let bar = bar.clone();
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = true;
            if let Some(b) = bar.cast::<web_sys::Element>() {
                let _ = b.set_pointer_capture(e.pointer_id());
            }
        })
    };
    let mv = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                move_to(e.client_x(), e.client_y());
            }
        })
    };
    let up = Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false);
    let key = Callback::from(move |e: KeyboardEvent| {
        let d = match (e.key().as_str(), vertical) {
            ("ArrowLeft", true) | ("ArrowUp", false) => -2.0,
            ("ArrowRight", true) | ("ArrowDown", false) => 2.0,
            _ => return,
        };
        e.prevent_default();
        state.dispatch(Action::Resize(which, value + d));
    });
    html! {
        <div ref={bar} class={classes!("splitter", if vertical { "split-v" } else { "split-h" })}
            role="separator" tabindex="0" aria-label="Resize panes"
            aria-orientation={if vertical { "vertical" } else { "horizontal" }}
            aria-valuemin="15" aria-valuemax="85" aria-valuenow={format!("{value:.0}")}
            onpointerdown={down} onpointermove={mv} onpointerup={up} onkeydown={key}></div>
    }
}

#[component]
fn Toolbar() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let (theme, lang, embed) = {
        let m = state.model.borrow();
        (m.theme, m.lang, m.embed)
    };
    // "Open in podplay" gets the session's link when clicked (encoding it on every render
    // would cost each frame).
    let on_open_full = {
        let state = state.clone();
        Callback::from(move |e: MouseEvent| {
            let url = state.model.borrow().open_url();
            let a = e.target_unchecked_into::<web_sys::Element>();
            let _ = a.set_attribute("href", &url);
        })
    };
    let on_theme = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let t = match v.as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::System,
            };
            state.dispatch(Action::SetTheme(t));
        })
    };
    let on_lesson = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let el = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
            let v = el.value();
            el.set_value("");
            if !v.is_empty() {
                state.dispatch(Action::Lesson(v));
            }
        })
    };
    // The lessons' titles, read once per language (the toolbar redraws on every frame).
    let lessons = use_memo(lang, |lang| -> Vec<(String, String)> {
        crate::session::lesson::BUILT_IN
            .iter()
            .filter_map(|(id, text)| crate::session::lesson::parse(id, text).ok())
            .map(|l| (l.id.clone(), l.title.get(lang.tag()).to_string()))
            .collect()
    });
    let on_share = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Share))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Reset))
    };
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            state.dispatch(Action::SetLang(Lang::from_tag(&v)));
        })
    };
    html! {
        <header class="toolbar">
            <h1><span class="logo" aria-hidden="true">{"⎈"}</span>{" podplay"}</h1>
            <span class="tagline">{ tr(lang, "tagline") }</span>
            <span class="spacer"></span>
            <select id="lessons" onchange={on_lesson} aria-label={tr(lang, "lessons")}>
                <option value="" selected=true>{ tr(lang, "lessons") }</option>
                { for lessons.iter().map(|(id, title)| html! { <option value={id.clone()}>{ title.clone() }</option> }) }
            </select>
            if embed {
                <a id="open-full" href="./" target="_blank" rel="noopener" onclick={on_open_full}>{ tr(lang, "open_full") }</a>
            } else {
                <button id="share" onclick={on_share} title={tr(lang, "share_title")}>{ tr(lang, "share") }</button>
                <button id="reset" onclick={on_reset} title={tr(lang, "reset_title")}>{ tr(lang, "reset") }</button>
            }
            <label>{ tr(lang, "theme") }{" "}
                <select onchange={on_theme} aria-label={tr(lang, "theme")}>
                    <option value="system" selected={theme == Theme::System}>{ tr(lang, "theme_system") }</option>
                    <option value="light" selected={theme == Theme::Light}>{ tr(lang, "theme_light") }</option>
                    <option value="dark" selected={theme == Theme::Dark}>{ tr(lang, "theme_dark") }</option>
                </select>
            </label>
            <label>{ tr(lang, "language") }{" "}
                <select onchange={on_lang} aria-label={tr(lang, "language")}>
                    <option value="en" selected={lang == Lang::En}>{"English"}</option>
                    <option value="zh" selected={lang == Lang::Zh}>{"简体中文"}</option>
                </select>
            </label>
        </header>
    }
}

/// Lesson text with its `backquoted` parts shown as code.
fn with_code(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part }</code> }
            } else {
                html! { { part } }
            }
        })
        .collect::<Html>()
}

/// The lesson being followed: its steps, ticked off as the engine sees them done.
#[component]
fn LessonPanel() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let m = state.model.borrow();
    let Some((lesson, done)) = m.lesson.as_ref() else {
        return html! {};
    };
    let lang = m.lang.tag();
    let close = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::CloseLesson))
    };
    let count = done.iter().filter(|d| **d).count();
    html! {
        <aside class="lesson-panel" aria-label={lesson.title.get(lang).to_string()}>
            <div class="lesson-head">
                <strong>{ lesson.title.get(lang) }</strong>
                <span class="lesson-count">{ format!(" {count}/{}", done.len()) }</span>
                <span class="spacer"></span>
                <button class="icon" onclick={close} aria-label={tr(m.lang, "close_lesson")} title={tr(m.lang, "close_lesson")}>{"×"}</button>
            </div>
            <p class="lesson-intro">{ with_code(lesson.intro.get(lang)) }</p>
            <ol class="lesson-steps">
                { for lesson.steps.iter().zip(done).map(|(s, d)| html! {
                    <li class={classes!(d.then_some("done"))}>
                        <span class="lesson-tick" aria-hidden="true">{ if *d { "✓" } else { "○" } }</span>
                        <span>{ with_code(s.say.get(lang)) }</span>
                    </li>
                }) }
            </ol>
        </aside>
    }
}

#[component]
fn StatusBar() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let m = state.model.borrow();
    let lang = m.lang;
    let t = m.shown_time();
    let clock = clock_text(t.millis());
    html! {
        <footer class="statusbar" aria-live="off">
            <span class="clock" data-testid="clock">{ format!("{} {clock}", tr(lang, "time")) }</span>
            <span>{ format!("{} {}×", tr(lang, "speed"), m.speed) }</span>
            <span>{ format!("{} {}", tr(lang, "seed"), m.session.world.seed()) }</span>
            if m.view_at.is_some() {
                <span class="past-badge">{ tr(lang, "past") }</span>
            } else if !m.playing {
                <span>{ tr(lang, "pause") }</span>
            }
            if m.lagging {
                <span class="lag">{ tr(lang, "lagging") }</span>
            }
        </footer>
    }
}

/// A virtual instant as `h:mm:ss.s` from the session's start.
pub fn clock_text(ms: u64) -> String {
    let s = ms / 1000;
    format!(
        "{}:{:02}:{:02}.{}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000 / 100
    )
}
