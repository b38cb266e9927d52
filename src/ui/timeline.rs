//! The timeline pane: play/pause, speed, next event, jump; a lane per pod and a sub-lane per
//! container with state segments and event markers; a playhead that can be dragged back in
//! time (the whole page then shows that instant) and returned to Live.

use std::rc::Rc;

use yew::prelude::*;

use super::i18n::{tr, Lang};
use super::state::{Action, AppContext};
use crate::sim::time::{parse_duration, SimTime};
use crate::view::timeline::{timeline, Marker, Scale, SegmentKind, Timeline as Lanes};

const SPEEDS: [u32; 4] = [1, 10, 60, 600];

fn pct(x: f64) -> String {
    format!("{x:.3}%")
}

fn markers(list: &[Marker], scale: &Scale) -> Html {
    html! {
        { for list.iter().map(|mk| {
            let title = if mk.count > 1 {
                format!("{} (x{}) at {}: {}", mk.reason, mk.count, super::clock_text(mk.at.millis()), mk.message)
            } else {
                format!("{} at {}: {}", mk.reason, super::clock_text(mk.at.millis()), mk.message)
            };
            html! {
                <span class={classes!("marker", mk.warning.then_some("warning"))} style={format!("left:{}", pct(scale.x(mk.at)))}
                    title={title.clone()} aria-label={title} tabindex="0" data-reason={mk.reason.clone()}></span>
            }
        }) }
    }
}

#[component]
pub fn Timeline() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let axis = use_node_ref();
    let body = use_node_ref();
    // The part of the lanes in view (top, height), in pixels, coarsely: only lanes near it
    // are drawn, so a thousand pods cost what the screen shows.
    let window = use_state(|| (0i32, 2000i32));
    let dragging = use_mut_ref(|| false);
    let jump = use_state(String::new);
    let m = state.model.borrow();
    let lang = m.lang;
    let world = &m.session.world;
    let now = world.now();
    let shown = m.shown_time();
    // The lanes are rebuilt when the recorded history grows, not on every frame.
    let key = (m.view_epoch, m.show_system);
    let tl = use_memo(key, |_| timeline(world, key.1));
    let scale = Scale::stable(now, 100.0);

    let seek_at = {
        let state = state.clone();
        let axis = axis.clone();
        move |client_x: i32| {
            if let Some(el) = axis.cast::<web_sys::Element>() {
                let r = el.get_bounding_client_rect();
                if r.width() > 0.0 {
                    let x = (f64::from(client_x) - r.left()) / r.width() * 100.0;
                    state.dispatch(Action::Seek(scale.time(x)));
                }
            }
        }
    };
    let on_down = {
        let seek_at = seek_at.clone();
        let dragging = dragging.clone();
        let axis = axis.clone();
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = true;
            if let Some(el) = axis.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            seek_at(e.client_x());
        })
    };
    let on_move = {
        let seek_at = seek_at.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                seek_at(e.client_x());
            }
        })
    };
    let on_up = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let on_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = if e.shift_key() { 10_000 } else { 1_000 };
            let t = match e.key().as_str() {
                "ArrowLeft" => SimTime::from_secs(0).plus_ms(shown.millis().saturating_sub(step)),
                "ArrowRight" => shown.plus_ms(step).min(now),
                "Home" => SimTime::ZERO,
                "End" => now,
                _ => return,
            };
            e.prevent_default();
            if t >= now {
                state.dispatch(Action::Live);
            } else {
                state.dispatch(Action::Seek(t));
            }
        })
    };
    let toggle = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::TogglePlay))
    };
    let step = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::StepEvent))
    };
    let live = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Live))
    };
    let on_speed = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Ok(s) = v.parse() {
                state.dispatch(Action::SetSpeed(s));
            }
        })
    };
    let on_jump_input = {
        let jump = jump.clone();
        Callback::from(move |e: InputEvent| {
            jump.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_jump = {
        let state = state.clone();
        let jump = jump.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = jump.trim();
            let ms = parse_duration(text).or_else(|| text.parse::<u64>().ok().map(|s| s * 1000));
            if let Some(ms) = ms {
                state.dispatch(Action::Seek(SimTime::ZERO.plus_ms(ms)));
            }
        })
    };
    let on_scroll = {
        let window = window.clone();
        let body = body.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = body.cast::<web_sys::Element>() {
                let w = (
                    el.scroll_top() / 200 * 200,
                    el.client_height() / 200 * 200 + 200,
                );
                if w != *window {
                    window.set(w);
                }
            }
        })
    };
    let playing = m.playing && m.view_at.is_none();
    let ticks = scale.ticks(8.0);
    html! {
        <div class="timeline">
            <div class="tl-controls">
                <button onclick={toggle} aria-label={tr(lang, if playing { "pause" } else { "play" })} class="primary">
                    { if playing { "❚❚ " } else { "▶ " } }{ tr(lang, if playing { "pause" } else { "play" }) }
                </button>
                <label>{ tr(lang, "speed") }{" "}
                    <select onchange={on_speed} aria-label={tr(lang, "speed")}>
                        { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={*s == m.speed}>{ format!("{s}×") }</option> }) }
                    </select>
                </label>
                <button onclick={step}>{ tr(lang, "step") }{ " ›" }</button>
                <form onsubmit={on_jump} class="jump">
                    <input type="text" value={(*jump).clone()} oninput={on_jump_input} placeholder={tr(lang, "jump_hint")} aria-label={tr(lang, "jump")} size="8" />
                    <button type="submit">{ tr(lang, "jump") }</button>
                </form>
                <button onclick={live} disabled={m.view_at.is_none()} class={classes!(m.view_at.is_some().then_some("attention"))}>{ "● " }{ tr(lang, "live") }</button>
            </div>
            <div class="tl-body" ref={body.clone()} onscroll={on_scroll}>
                <div class="lane-row axis-row">
                    <div class="lane-label"></div>
                    <div class="axis" ref={axis} role="slider" tabindex="0"
                        aria-label={tr(lang, "time")} aria-valuemin="0" aria-valuemax={(now.millis() / 1000).to_string()}
                        aria-valuenow={(shown.millis() / 1000).to_string()} aria-valuetext={super::clock_text(shown.millis())}
                        onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up} onkeydown={on_key}>
                        { for ticks.iter().map(|(t, label)| html! {
                            <span class="tick" style={format!("left:{}", pct(scale.x(*t)))}>{ label.clone() }</span>
                        }) }
                        <span class="now-mark" style={format!("left:{}", pct(scale.x(now)))}></span>
                    </div>
                </div>
                <div class="lanes">
                    <LaneRows tl={tl.clone()} end_ms={scale.end.millis()} past_ms={m.view_at.map(|t| t.millis())} {lang} window={*window} />
                    <div class="playhead-layer" aria-hidden="true">
                        <div class="lane-label"></div>
                        <div class="playhead-track">
                            <span class="future" style={format!("left:{}", pct(scale.x(now)))}></span>
                            <span class={classes!("playhead", m.view_at.is_some().then_some("past"))} style={format!("left:{}", pct(scale.x(shown)))}></span>
                        </div>
                    </div>
                </div>
                if tl.lanes.is_empty() {
                    <p class="empty">{ tr(lang, "no_lanes") }</p>
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LaneProps {
    tl: Rc<Lanes>,
    /// The scale's end (it starts at 0).
    end_ms: u64,
    /// The instant shown while time-travelling.
    past_ms: Option<u64>,
    lang: Lang,
    /// The scrolled window (top, height) in pixels.
    window: (i32, i32),
}

/// A lane's height in pixels: its pod row and a row per container (see `.lane` in style.css).
fn lane_height(containers: usize) -> i32 {
    LANE_ROW_PX * (1 + containers as i32) + 5
}

const LANE_ROW_PX: i32 = 20;
/// How far beyond the visible part lanes are still drawn.
const LANE_MARGIN_PX: i32 = 600;

/// Every lane. Re-rendered only when the lanes, the scale or the instant looked back at change.
#[component]
fn LaneRows(props: &LaneProps) -> Html {
    let lang = props.lang;
    let scale = Scale {
        start: SimTime::ZERO,
        end: SimTime::ZERO.plus_ms(props.end_ms),
        width: 100.0,
    };
    let tl = &props.tl;
    let shown = props.past_ms.map(|ms| SimTime::ZERO.plus_ms(ms));
    // A segment or a life line that was still going when the lanes were built runs to the end
    // of the scale; the `future` mask over the lanes hides what lies after now. (Moving one
    // mask per frame is far cheaper for the browser than resizing every open segment.)
    let width = |start: SimTime, end: SimTime, open: bool| {
        let left = scale.x(start);
        if open {
            format!("left:{};right:0", pct(left))
        } else {
            format!(
                "left:{};width:{}",
                pct(left),
                pct((scale.x(end) - left).max(0.15))
            )
        }
    };
    let (top, height) = props.window;
    let (from, to) = (top - LANE_MARGIN_PX, top + height + LANE_MARGIN_PX);
    let mut y = 0;
    let mut before = 0;
    let mut after = 0;
    let mut shown_lanes = Vec::new();
    for lane in &tl.lanes {
        let h = lane_height(lane.containers.len());
        if y + h < from {
            before += h;
        } else if y > to {
            after += h;
        } else {
            shown_lanes.push(lane);
        }
        y += h;
    }
    html! {
        <>
        <div class="lane-spacer" style={format!("height:{before}px")}></div>
        { for shown_lanes.into_iter().map(|lane| {
            let label = if lane.namespace == "default" {
                lane.name.clone()
            } else {
                format!("{}/{}", lane.namespace, lane.name)
            };
            let open = lane.gone.is_none();
            let existed = shown.is_none_or(|t| lane.created <= t && lane.gone.is_none_or(|g| g > t));
            html! {
                <div class={classes!("lane", (!existed).then_some("absent"))} data-lane={lane.name.clone()}>
                    <div class="lane-row pod-row">
                        <div class="lane-label" title={label.clone()}>{ label }</div>
                        <div class="track">
                            <span class="life" style={width(lane.created, lane.gone.unwrap_or(tl.end), open)}></span>
                            { markers(&lane.markers, &scale) }
                        </div>
                    </div>
                    { for lane.containers.iter().map(|c| html! {
                        <div class="lane-row container-row" data-container={c.name.clone()}>
                            <div class="lane-label sub" title={c.name.clone()}>
                                <span class="c-role">{ tr(lang, c.role.as_str()) }</span>{" "}{ c.name.clone() }
                            </div>
                            <div class="track">
                                { for c.segments.iter().map(|g| {
                                    let still = open && g.end == tl.end;
                                    let title = if still {
                                        format!("{} from {}", g.label, super::clock_text(g.start.millis()))
                                    } else {
                                        format!("{} {}–{}", g.label, super::clock_text(g.start.millis()), super::clock_text(g.end.millis()))
                                    };
                                    let failed = g.kind == SegmentKind::Terminated && !g.label.contains("exit 0");
                                    html! {
                                        <span class={classes!("seg", format!("seg-{}", g.kind.as_str()), g.label.contains("BackOff").then_some("seg-backoff"), failed.then_some("seg-failed"))}
                                            style={width(g.start, g.end, still)} {title}>
                                            <span class="seg-label">{ g.label.clone() }</span>
                                        </span>
                                    }
                                }) }
                                { markers(&c.markers, &scale) }
                            </div>
                        </div>
                    }) }
                </div>
            }
        }) }
        <div class="lane-spacer" style={format!("height:{after}px")}></div>
        </>
    }
}
