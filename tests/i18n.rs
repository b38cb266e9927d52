#![cfg(not(target_arch = "wasm32"))]
//! Every interface text the browser UI asks for exists in both languages (a missing key would
//! show as "?" on the page).

use std::collections::BTreeSet;

#[test]
fn every_text_key_has_english_and_chinese() {
    let table = include_str!("../src/ui/i18n.rs");
    let entry = regex::Regex::new(
        r#"\(\s*"([a-z_]+)",\s*"((?:[^"\\]|\\.)+)",\s*"((?:[^"\\]|\\.)+)",?\s*\)"#,
    )
    .expect("regex");
    let known: BTreeSet<&str> = entry
        .captures_iter(table)
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
        .collect();
    assert!(known.len() > 50, "the table parses: {}", known.len());
    let used = regex::Regex::new(r#"tr\([a-z_.]*lang, "([a-z_]+)"\)"#).expect("regex");
    let mut missing = Vec::new();
    for file in std::fs::read_dir("src/ui").expect("src/ui") {
        let path = file.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        for c in used.captures_iter(&text) {
            let key = c.get(1).map_or("", |m| m.as_str());
            if !known.contains(key) {
                missing.push(format!("{}: {key}", path.display()));
            }
        }
    }
    let dynamic = [
        "editor", "terminal", "map", "timeline", "init", "sidecar", "main", "expand", "collapse",
        "play", "pause",
    ];
    for key in dynamic {
        if !known.contains(key) {
            missing.push(format!("(computed) {key}"));
        }
    }
    assert!(
        missing.is_empty(),
        "texts without a translation: {missing:?}"
    );
}
