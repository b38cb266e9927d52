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

/// The value of `name` in the page address's query (`?theme=dark`).
pub fn query_value(name: &str) -> Option<String> {
    let q = web_sys::window().and_then(|w| w.location().search().ok())?;
    q.trim_start_matches('?')
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")).map(String::from))
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

/// The page address's fragment, with its `#` (`#s=v1.…` for a shared session).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's address without its fragment.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default()
}

/// Replaces the page's fragment without reloading or adding a history entry.
pub fn replace_hash(hash: &str) {
    let Some(w) = web_sys::window() else { return };
    if let Ok(h) = w.history() {
        let url = format!("{}{hash}", page_url());
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// A value from the browser's local storage.
pub fn storage_get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Stores a value; the error says why it could not (storage full, or none at all).
pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("this browser keeps no local storage for the page")?;
    s.set_item(key, value).map_err(|e| {
        js_sys::Reflect::get(&e, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "the browser refused".into())
    })
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Asks the learner to confirm.
pub fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// Copies text to the clipboard when the page may (it is best effort: the link is shown too).
pub fn copy_text(text: &str) {
    let Some(w) = web_sys::window() else { return };
    let clipboard = js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("clipboard"));
    if let Ok(cb) = clipboard {
        if let Ok(f) = js_sys::Reflect::get(&cb, &JsValue::from_str("writeText")) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                if let Ok(p) = f.call1(&cb, &JsValue::from_str(text)) {
                    // A refusal (no permission) is not an error worth a console message.
                    if let Some(p) = p.dyn_ref::<js_sys::Promise>() {
                        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
                        let _ = p.catch(&ignore);
                        ignore.forget();
                    }
                }
            }
        }
    }
}
