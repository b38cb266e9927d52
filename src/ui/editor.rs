//! The editor pane: workspace files in tabs, the examples menu, CodeMirror with the engine's
//! diagnostics, completion and hover, and the Apply button.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::i18n::tr;
use super::js;
use super::state::{Action, AppContext, Theme};
use crate::session::examples::EXAMPLES;
use crate::sim::diagnose::Diagnostic;
use crate::view::editor::{complete, diagnostics, diagnostics_json, hover};

/// Milliseconds of quiet typing before diagnostics are computed.
const DEBOUNCE_MS: u32 = 300;

/// The JS callbacks the editor holds; dropped (after `destroy`) when the pane goes.
struct Callbacks {
    _change: Closure<dyn FnMut(String)>,
    _apply: Closure<dyn FnMut()>,
    _complete: Closure<dyn FnMut(String, u32, u32) -> JsValue>,
    _hover: Closure<dyn FnMut(String, u32, u32) -> JsValue>,
}

/// The text of the file open in the editor.
fn active_doc(state: &AppContext) -> String {
    let m = state.model.borrow();
    m.session
        .workspace
        .get(&m.active_file)
        .cloned()
        .unwrap_or_default()
}

#[component]
pub fn Editor() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let host = use_node_ref();
    let handle = use_mut_ref(|| None::<u32>);
    let callbacks = use_mut_ref(|| None::<Callbacks>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let found = use_state(Vec::<Diagnostic>::new);

    let (active, doc_version, dark, lang, files) = {
        let m = state.model.borrow();
        let dark = match m.theme {
            Theme::System => js::system_dark(),
            Theme::Light => false,
            Theme::Dark => true,
        };
        (
            m.active_file.clone(),
            m.doc_version,
            dark,
            m.lang,
            m.files.clone(),
        )
    };

    // Checks the text now and shows the problems.
    let check: Rc<dyn Fn(u32, String)> = {
        let found = found.clone();
        Rc::new(move |h: u32, doc: String| {
            let problems = if doc.trim().is_empty() {
                Vec::new()
            } else {
                diagnostics(&doc)
            };
            js::editor_set_diagnostics(h, &diagnostics_json(&problems));
            found.set(problems);
        })
    };

    {
        let state = state.clone();
        let host = host.clone();
        let handle = handle.clone();
        let callbacks = callbacks.clone();
        let timer = timer.clone();
        let check = check.clone();
        use_effect_with((), move |_| {
            if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                let handle_for_change = handle.clone();
                let st = state.clone();
                let check_later = check.clone();
                let change = Closure::<dyn FnMut(String)>::new(move |doc: String| {
                    let file = st.model.borrow().active_file.clone();
                    st.dispatch(Action::Edit(file, doc.clone()));
                    let check = check_later.clone();
                    let h = *handle_for_change.borrow();
                    *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                        if let Some(h) = h {
                            check(h, doc);
                        }
                    }));
                });
                let st = state.clone();
                let apply = Closure::<dyn FnMut()>::new(move || {
                    let file = st.model.borrow().active_file.clone();
                    if !file.is_empty() {
                        st.dispatch(Action::Run(format!("kubectl apply -f {file}")));
                    }
                });
                let complete_cb = Closure::<dyn FnMut(String, u32, u32) -> JsValue>::new(
                    |doc: String, line: u32, col: u32| match complete(
                        &doc,
                        line as usize,
                        col as usize,
                    ) {
                        Some(c) if !c.choices.is_empty() => JsValue::from_str(&c.to_json()),
                        _ => JsValue::NULL,
                    },
                );
                let hover_cb = Closure::<dyn FnMut(String, u32, u32) -> JsValue>::new(
                    |doc: String, line: u32, col: u32| match hover(
                        &doc,
                        line as usize,
                        col as usize,
                    ) {
                        Some(h) => JsValue::from_str(&h),
                        None => JsValue::NULL,
                    },
                );
                let opts = js_sys::Object::new();
                js::set(&opts, "dark", &JsValue::from_bool(dark));
                js::set(&opts, "label", &JsValue::from_str("YAML"));
                js::set(&opts, "onChange", change.as_ref());
                js::set(&opts, "onApply", apply.as_ref());
                js::set(&opts, "complete", complete_cb.as_ref());
                js::set(&opts, "hover", hover_cb.as_ref());
                let doc = active_doc(&state);
                let h = js::editor_create(&el, &doc, &opts);
                *handle.borrow_mut() = Some(h);
                check(h, doc);
                *callbacks.borrow_mut() = Some(Callbacks {
                    _change: change,
                    _apply: apply,
                    _complete: complete_cb,
                    _hover: hover_cb,
                });
            }
            move || {
                if let Some(h) = handle.borrow_mut().take() {
                    js::editor_destroy(h);
                }
                callbacks.borrow_mut().take();
            }
        });
    }

    // Another file (or an example) was opened: show it.
    {
        let handle = handle.clone();
        let state = state.clone();
        let check = check.clone();
        use_effect_with((active.clone(), doc_version), move |_| {
            if let Some(h) = *handle.borrow() {
                let doc = active_doc(&state);
                js::editor_set_doc(h, &doc);
                check(h, doc);
            }
        });
    }
    {
        let handle = handle.clone();
        use_effect_with(dark, move |dark| {
            if let Some(h) = *handle.borrow() {
                js::editor_set_dark(h, *dark);
            }
        });
    }

    let on_example = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let sel = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
            let v = sel.value();
            if !v.is_empty() {
                state.dispatch(Action::OpenExample(v));
            }
            sel.set_value("");
        })
    };
    let on_new = {
        let state = state.clone();
        Callback::from(move |_| {
            let m = state.model.borrow();
            let n = (1..)
                .map(|i| format!("pod-{i}.yaml"))
                .find(|n| !m.session.workspace.contains_key(n))
                .unwrap_or_default();
            drop(m);
            state.dispatch(Action::NewFile(n));
        })
    };
    let on_apply = {
        let state = state.clone();
        let handle = handle.clone();
        Callback::from(move |_| {
            let file = state.model.borrow().active_file.clone();
            if let Some(h) = *handle.borrow() {
                state.dispatch(Action::Edit(file.clone(), js::editor_get_doc(h)));
            }
            if !file.is_empty() {
                state.dispatch(Action::Run(format!("kubectl apply -f {file}")));
            }
        })
    };
    let tabs = files.iter().map(|f| {
        let selected = *f == active;
        let select = {
            let state = state.clone();
            let f = f.clone();
            Callback::from(move |_| state.dispatch(Action::SelectFile(f.clone())))
        };
        let close = {
            let state = state.clone();
            let f = f.clone();
            Callback::from(move |_| state.dispatch(Action::CloseFile(f.clone())))
        };
        let short = f.rsplit('/').next().unwrap_or(f).to_string();
        html! {
            <span class={classes!("file-tab", selected.then_some("active"))}>
                <button role="tab" aria-selected={selected.to_string()} title={f.clone()} onclick={select}>{ short.clone() }</button>
                <button class="icon close" aria-label={format!("{} {short}", tr(lang, "close"))} onclick={close}>{"×"}</button>
            </span>
        }
    });
    html! {
        <div class="editor-pane">
            <div class="editor-bar">
                <div class="file-tabs" role="tablist">{ for tabs }</div>
                <button class="icon" onclick={on_new} title={tr(lang, "new_file")} aria-label={tr(lang, "new_file")}>{"+"}</button>
                <select class="examples" onchange={on_example} aria-label={tr(lang, "examples")}>
                    <option value="" selected=true>{ tr(lang, "open_example") }</option>
                    { for EXAMPLES.iter().map(|(n, _)| html! { <option value={*n}>{ *n }</option> }) }
                </select>
                <button class="primary" onclick={on_apply} title={tr(lang, "apply_hint")} disabled={active.is_empty()}>{ tr(lang, "apply") }</button>
            </div>
            <div class="editor-host" ref={host}></div>
            <ul class="problems" aria-live="polite">
                { for found.iter().map(|p| html! {
                    <li class="problem"><span class="pos">{ format!("{}:{}", p.pos.line, p.pos.col) }</span>{" "}{ p.message.clone() }</li>
                }) }
            </ul>
        </div>
    }
}
