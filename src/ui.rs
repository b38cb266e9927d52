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

/// The whole playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState {
        model: Rc::new(RefCell::new(Model::new(
            SEED,
            Lang::from_tag(&js::browser_language()),
        ))),
        version: 0,
    });
    {
        let state = state.clone();
        hooks::use_animation_frame(Callback::from(move |dt| state.dispatch(Action::Tick(dt))));
    }
    let (theme, lang, phone_pane, collapsed) = {
        let m = state.model.borrow();
        (m.theme, m.lang, m.phone_pane, m.collapsed.clone())
    };
    {
        let t = match theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        };
        js::set_root_attr("data-theme", t);
        js::set_root_attr("lang", Some(lang.tag()));
    }
    let pane = |id: &'static str, body: Html| -> Html {
        let is_collapsed = collapsed.contains(&id);
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
            <section class={class} aria-label={tr(lang, id)}>
                <header class="pane-head">
                    <h2>{ tr(lang, id) }</h2>
                    <button class="icon" onclick={toggle}
                        aria-expanded={(!is_collapsed).to_string()}
                        title={tr(lang, if is_collapsed { "expand" } else { "collapse" })}
                        aria-label={format!("{} {}", tr(lang, if is_collapsed { "expand" } else { "collapse" }), tr(lang, id))}>
                        { if is_collapsed { "▸" } else { "▾" } }
                    </button>
                </header>
                <div class="pane-body" hidden={is_collapsed}>{ body }</div>
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
    let cols = if collapsed.contains(&"editor") && collapsed.contains(&"terminal") {
        "collapsed-left"
    } else {
        ""
    };
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <div class={classes!("app", cols)}>
                <Toolbar />
                <nav class="phone-tabs" role="tablist">{ for tabs }</nav>
                <main class="grid">
                    { pane("editor", html! { <editor::Editor /> }) }
                    { pane("map", html! { <map::ClusterMap /> }) }
                    { pane("terminal", html! { <terminal::Terminal /> }) }
                    { pane("timeline", html! { <timeline::Timeline /> }) }
                </main>
                <StatusBar />
            </div>
        </ContextProvider<AppContext>>
    }
}

#[component]
fn Toolbar() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let (theme, lang) = {
        let m = state.model.borrow();
        (m.theme, m.lang)
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
