//! The only place that talks to JavaScript: the CodeMirror editor bundle (`PodplayEditor`,
//! loaded by `www/index.html`) and a few browser facts (colour scheme, language).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = create)]
    pub fn editor_create(parent: &web_sys::HtmlElement, doc: &str, opts: &js_sys::Object) -> u32;
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = setDoc)]
    pub fn editor_set_doc(handle: u32, doc: &str);
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = getDoc)]
    pub fn editor_get_doc(handle: u32) -> String;
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = setDiagnostics)]
    pub fn editor_set_diagnostics(handle: u32, json: &str);
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = setDark)]
    pub fn editor_set_dark(handle: u32, dark: bool);
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = setReadOnly)]
    pub fn editor_set_read_only(handle: u32, read_only: bool);
    #[wasm_bindgen(js_namespace = PodplayEditor, js_name = destroy)]
    pub fn editor_destroy(handle: u32);
}

/// Sets `key` on a JS object (used to build the editor's options).
pub fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Whether the system asks for a dark colour scheme.
pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The browser's preferred language (`zh-CN`, `en-US`…).
pub fn browser_language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
}

/// Whether the page's address asks for `name` (`?paused`, `?paused=1`).
pub fn query_flag(name: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|p| p == name || p.starts_with(&format!("{name}=")))
        })
}

/// Whether the page is phone-sized (the panes become tabs).
pub fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 760px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Sets an attribute on `<html>` (theme, language).
pub fn set_root_attr(name: &str, value: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Shows a message over the page when something inside podplay panicked, instead of leaving
/// a blank or frozen page.
pub fn show_fatal(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_class_name("fatal");
    div.set_attribute("role", "alert").ok();
    div.set_text_content(Some(&format!(
        "podplay hit an internal error and stopped. Reload the page to start again.\n\n{message}"
    )));
    if let Some(body) = doc.body() {
        let _ = body.append_child(&div);
    }
}
