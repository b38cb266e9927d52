//! Browser tests of the components whose behaviour lives in the DOM: the terminal's line
//! editing (completion, history, Ctrl+C) and the timeline's layout. Run in Chromium by
//! `cargo test --target wasm32-unknown-unknown --test web` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const EDITOR_BUNDLE: &str = include_str!("../www/editor.bundle.js");
const STYLE: &str = include_str!("../www/style.css");

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page")
}

/// Mounts a fresh playground and waits for its first render.
async fn playground() -> Element {
    if js_sys::Reflect::has(&js_sys::global(), &"PodplayEditor".into()) != Ok(true) {
        // eval runs in a function's scope: hand the bundle's global to the page explicitly.
        let code = format!("{EDITOR_BUNDLE};globalThis.PodplayEditor = PodplayEditor;");
        js_sys::eval(&code).expect("the editor bundle loads");
    }
    let doc = document();
    if doc.query_selector("style#podplay").ok().flatten().is_none() {
        let style = doc.create_element("style").expect("style");
        style.set_id("podplay");
        style.set_text_content(Some(STYLE));
        doc.head()
            .expect("head")
            .append_child(&style)
            .expect("append");
    }
    // A fresh cluster, not the session an earlier test left saved in the page's storage.
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item("podplay.session");
    }
    let root = doc.create_element("div").expect("div");
    doc.body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    podplay::ui::mount(root.clone());
    TimeoutFuture::new(50).await;
    root
}

fn input(root: &Element) -> HtmlInputElement {
    root.query_selector("#term-input")
        .ok()
        .flatten()
        .expect("the terminal's input")
        .dyn_into()
        .expect("an input")
}

async fn key(el: &HtmlInputElement, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    el.dispatch_event(&e).expect("dispatch");
    TimeoutFuture::new(30).await;
}

async fn type_line(el: &HtmlInputElement, text: &str) {
    el.set_value(text);
    key(el, "Enter", false).await;
}

fn log_text(root: &Element) -> String {
    root.query_selector(".term-log")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn terminal_completes_recalls_and_interrupts() {
    let root = playground().await;
    let input = input(&root);
    input.set_value("kubectl get po");
    key(&input, "Tab", false).await;
    assert_eq!(input.value(), "kubectl get pods ");
    key(&input, "Enter", false).await;
    assert!(log_text(&root).contains("No resources found in default namespace."));
    // Several candidates: the common prefix, and the choices listed.
    input.set_value("podplay node stop w");
    key(&input, "Tab", false).await;
    assert_eq!(input.value(), "podplay node stop worker-");
    let offered = root
        .query_selector(".completions")
        .ok()
        .flatten()
        .and_then(|c| c.text_content())
        .unwrap_or_default();
    assert_eq!(offered, "worker-1  worker-2");
    // History: the last command comes back with ArrowUp.
    input.set_value("");
    key(&input, "ArrowUp", false).await;
    assert_eq!(input.value(), "kubectl get pods ");
    // A watch streams until Ctrl+C.
    type_line(&input, "kubectl get pods -w").await;
    let placeholder = input.placeholder();
    assert!(placeholder.contains("Ctrl+C"), "{placeholder}");
    key(&input, "c", true).await;
    assert!(log_text(&root).ends_with("^C"));
    assert!(!input.placeholder().contains("Streaming"));
}

#[wasm_bindgen_test]
async fn timeline_lays_out_segments_in_order() {
    let root = playground().await;
    let input = input(&root);
    type_line(&input, "kubectl run web --image=nginx").await;
    type_line(&input, "sleep 30").await;
    TimeoutFuture::new(50).await;
    let lane = root
        .query_selector(".lane[data-lane=\"web\"] .container-row")
        .ok()
        .flatten()
        .expect("a container lane for web");
    let segs = lane.query_selector_all(".seg").expect("segments");
    assert!(segs.length() >= 2, "waiting then ready");
    let rect = |e: &Element| e.get_bounding_client_rect();
    let track = rect(
        &lane
            .query_selector(".track")
            .ok()
            .flatten()
            .expect("a track"),
    );
    let mut last_right = track.left();
    for i in 0..segs.length() {
        let s: Element = segs.item(i).expect("seg").dyn_into().expect("element");
        let r = rect(&s);
        assert!(
            r.left() + 0.5 >= last_right,
            "segments follow each other without overlapping"
        );
        assert!(r.width() > 0.0);
        last_right = r.right();
    }
    // The segment still open reaches the line that marks now, and what lies after now is
    // covered by the mask of the future.
    let now_mark = root
        .query_selector(".now-mark")
        .ok()
        .flatten()
        .expect("the now line");
    let now_x = rect(&now_mark).left();
    assert!(last_right + 1.0 >= now_x, "{last_right} reaches {now_x}");
    let future = root
        .query_selector(".future")
        .ok()
        .flatten()
        .expect("the mask over the future");
    let future_x = rect(&future).left();
    assert!(
        (future_x - now_x).abs() < 3.0,
        "mask at {future_x}, now at {now_x}"
    );
    let first = segs
        .item(0)
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert_eq!(first, "ContainerCreating");
    let last = segs
        .item(segs.length() - 1)
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert_eq!(last, "Ready");
}

fn deep(n: usize) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  x:\n  {}1\n",
        "- ".repeat(n)
    )
}

// In the browser the stack is small and a panic ends the page: the inputs that used to
// overflow or exhaust it natively come back with answers.

#[wasm_bindgen_test]
fn nesting_just_inside_the_limit_is_handled() {
    podplay::checks::manifest(deep(995).as_bytes());
}

#[wasm_bindgen_test]
fn nesting_past_the_limit_is_refused() {
    podplay::checks::manifest(deep(20_000).as_bytes());
}

#[wasm_bindgen_test]
fn an_alias_bomb_is_refused() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let items = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    podplay::checks::manifest(bomb.as_bytes());
}

#[wasm_bindgen_test]
fn runaway_container_shells_end_in_errors() {
    podplay::checks::container_shell(b"export X=\"sh -c \\\"\\$X\\\"\"; sh -c \"$X\"");
    podplay::checks::container_shell(b"x=a; while true; do x=$x$x; done");
    podplay::checks::session_script(b"sleep 99999999999999999999\nkubectl get pods\n");
}
