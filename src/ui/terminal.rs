//! The terminal pane: a log of what ran and a labelled input line. Enter runs, ↑/↓ walk the
//! history, Tab completes, Ctrl+C stops a stream, Ctrl+L clears.

use yew::prelude::*;

use super::i18n::tr;
use std::rc::Rc;

use super::state::{Action, AppContext, Line, LineKind};
use crate::session::complete::{common_prefix, complete};

#[component]
pub fn Terminal() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let log = use_node_ref();
    let input = use_node_ref();
    let recall = use_mut_ref(|| None::<usize>);
    let offered = use_state(Vec::<String>::new);

    let (lines_len, lang, prompt, hint) = {
        let m = state.model.borrow();
        let prompt = match (&m.attached, m.follow.is_some()) {
            (Some(a), _) => a.prompt.clone(),
            _ => "$ ".to_string(),
        };
        let hint = if m.follow.is_some() {
            tr(m.lang, "streaming")
        } else if m.attached.is_some() {
            tr(m.lang, "in_shell")
        } else {
            tr(m.lang, "term_hint")
        };
        (m.lines.len(), m.lang, prompt, hint)
    };
    // Keep the newest line in view.
    {
        let log = log.clone();
        use_effect_with((lines_len, state.version), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let state = state.clone();
        let input = input.clone();
        let recall = recall.clone();
        let offered = offered.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let key = e.key();
            if e.ctrl_key() && (key == "c" || key == "C") {
                // Copying a selection is left alone.
                let selecting =
                    el.selection_start().ok().flatten() != el.selection_end().ok().flatten();
                if !selecting {
                    e.prevent_default();
                    el.set_value("");
                    state.dispatch(Action::Interrupt);
                }
                return;
            }
            if e.ctrl_key() && (key == "l" || key == "L") {
                e.prevent_default();
                state.dispatch(Action::Run("clear".into()));
                return;
            }
            match key.as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = el.value();
                    el.set_value("");
                    *recall.borrow_mut() = None;
                    offered.set(Vec::new());
                    state.dispatch(Action::Run(line));
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let typed = state.model.borrow().typed.clone();
                    if typed.is_empty() {
                        return;
                    }
                    let mut r = recall.borrow_mut();
                    let next = match (key.as_str(), *r) {
                        ("ArrowUp", None) => Some(typed.len() - 1),
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        ("ArrowDown", Some(i)) if i + 1 < typed.len() => Some(i + 1),
                        _ => None,
                    };
                    *r = next;
                    el.set_value(next.map_or("", |i| typed[i].as_str()));
                }
                "Tab" => {
                    let line = el.value();
                    if line.is_empty() {
                        // An empty line lets Tab move the focus on, as keyboard users expect.
                        return;
                    }
                    e.prevent_default();
                    let (start, options) = complete(&state.model.borrow().session, &line);
                    match options.len() {
                        0 => offered.set(Vec::new()),
                        1 => {
                            let mut v = format!("{}{}", &line[..start], options[0]);
                            if !options[0].ends_with('=') && !options[0].ends_with('/') {
                                v.push(' ');
                            }
                            el.set_value(&v);
                            offered.set(Vec::new());
                        }
                        _ => {
                            let prefix = common_prefix(&options);
                            el.set_value(&format!("{}{}", &line[..start], prefix));
                            offered.set(options);
                        }
                    }
                }
                _ => {}
            }
        })
    };
    let focus_input = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                if let Some(el) = input.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let lines = state.model.borrow().lines.clone();
    html! {
        <div class="terminal" onclick={focus_input}>
            <div class="term-log" role="log" aria-live="polite" aria-label={tr(lang, "terminal")} ref={log} tabindex="0">
                <LogLines {lines} />
            </div>
            if !offered.is_empty() {
                <div class="completions" aria-live="polite">{ offered.join("  ") }</div>
            }
            <div class="term-input">
                <label for="term-input" class="prompt">{ prompt }</label>
                <input id="term-input" ref={input} type="text" autocomplete="off" spellcheck="false"
                    autocapitalize="off" aria-label={tr(lang, "command")} placeholder={hint} {onkeydown} />
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LogProps {
    lines: Rc<Vec<Line>>,
}

/// The printed lines; re-rendered only when they change (not on every clock tick).
#[component]
fn LogLines(props: &LogProps) -> Html {
    html! {
        { for props.lines.iter().map(|l| {
            let class = match l.kind {
                LineKind::Command => "cmd",
                LineKind::Out => "out",
                LineKind::Err => "err",
                LineKind::Note => "note",
            };
            html! { <div class={class}>{ if l.text.is_empty() { " ".to_string() } else { l.text.clone() } }</div> }
        }) }
    }
}
