//! `kubectl explain`: the layout of kubectl's plaintext template, over the schema shipped in
//! the binary (descriptions are podplay's own words).

use super::args::{flag, parse, FlagSpec};
use super::get::resolve_kind;
use super::Output;
use crate::sim::schema::{schema, Field, Schema, Ty, TypeDef};

const FLAGS: &[FlagSpec] = &[
    flag("recursive", None, false),
    flag("api-version", None, true),
    flag("output", Some('o'), true),
];

/// Word wrapping as `github.com/mitchellh/go-wordwrap` does it (kubectl's explain uses it).
pub fn wrap(s: &str, lim: usize) -> String {
    let mut buf = String::new();
    let mut current = 0usize;
    let mut word = String::new();
    let mut space = String::new();
    let wlen = |x: &String| x.chars().count();
    for ch in s.chars() {
        if ch == '\n' {
            if word.is_empty() {
                if current + wlen(&space) <= lim {
                    buf.push_str(&space);
                }
                space.clear();
            } else {
                buf.push_str(&space);
                space.clear();
                buf.push_str(&word);
                word.clear();
            }
            buf.push(ch);
            current = 0;
        } else if ch.is_whitespace() && ch != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += wlen(&space) + wlen(&word);
                buf.push_str(&space);
                space.clear();
                buf.push_str(&word);
                word.clear();
            }
            space.push(ch);
        } else {
            word.push(ch);
            if current + wlen(&word) + wlen(&space) > lim && wlen(&word) < lim {
                buf.push('\n');
                current = 0;
                space.clear();
            }
        }
    }
    if word.is_empty() {
        if current + wlen(&space) <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// A field's description as the API documents it, ending with its enum values.
fn field_text(f: &Field) -> String {
    let mut d = f.description.clone();
    if !f.enum_values.is_empty() {
        d.push_str("\n\nPossible enum values:");
        for v in &f.enum_values {
            d.push_str(&format!("\n - `\"{v}\"`"));
        }
    }
    d
}

fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// A field's description followed by its type's, as the template gathers them.
fn description(f: Option<&Field>, t: Option<&TypeDef>) -> String {
    let mut out = String::new();
    if let Some(f) = f {
        out.push_str(&field_text(f));
        out.push('\n');
    }
    if let Some(t) = t {
        out.push_str(&t.description);
        out.push('\n');
    }
    out
}

fn enum_short(f: &Field, ia: usize) -> String {
    if f.enum_values.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{}enum: ", " ".repeat(ia));
    for (i, e) in f.enum_values.iter().enumerate() {
        if i >= 4 {
            out.push_str(", ....");
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(if e.is_empty() { "\"\"" } else { e });
    }
    out
}

fn enum_long(f: &Field) -> String {
    if f.enum_values.is_empty() {
        return String::new();
    }
    let mut out = String::from("ENUM:");
    for e in &f.enum_values {
        out.push_str("\n    ");
        out.push_str(if e.is_empty() { "\"\"" } else { e });
    }
    out
}

fn field_detail(f: &Field, level: usize, short: bool) -> String {
    let ia = level * 2;
    let mut out = format!("{}\t<{}>", indent(ia, &f.name), f.ty.explain_name());
    if f.required {
        out.push_str(" -required-");
    }
    out.push_str(&enum_short(f, ia));
    out.push('\n');
    if !short {
        let text = field_text(f);
        let d = if f.description.is_empty() {
            "<no description>"
        } else {
            &text
        };
        out.push_str(&indent(ia + 2, &wrap(d, 78 - ia)));
        out.push_str("\n\n");
    }
    out
}

fn field_list(
    s: &Schema,
    t: &TypeDef,
    level: usize,
    history: &[String],
    recursive: bool,
) -> String {
    let mut out = String::new();
    let mut fields: Vec<&Field> = t.fields.iter().collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    for f in fields {
        out.push_str(&field_detail(f, level, recursive));
        if recursive {
            if let Some(sub) = f.ty.struct_name().and_then(|n| s.get(n)) {
                if !history.contains(&sub.name) {
                    let mut h = history.to_vec();
                    h.push(sub.name.clone());
                    out.push_str(&field_list(s, sub, level + 1, &h, recursive));
                }
            }
        }
    }
    out
}

pub fn explain(args: &[String], out: &mut Output) {
    let p = match parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => {
            out.fail(e);
            out.err("See 'kubectl explain --help' for usage.\n");
            return;
        }
    };
    let Some(target) = p.positional.first() else {
        out.fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
        return;
    };
    if p.positional.len() > 1 {
        out.fail("We accept only this format: explain RESOURCE");
        return;
    }
    let mut parts = target.split('.');
    let resource = parts.next().unwrap_or_default();
    let path: Vec<&str> = parts.collect();
    let Some(kind) = resolve_kind(resource) else {
        out.fail(format!(
            "the server doesn't have a resource type \"{resource}\""
        ));
        return;
    };
    let s = schema();
    let Some(root) = s.get(kind.name()) else {
        out.fail(format!(
            "the server doesn't have a resource type \"{resource}\""
        ));
        return;
    };
    let recursive = p.bool("recursive");
    let mut text = format!("KIND:       {}\nVERSION:    v1\n\n", kind.name());
    // Walk the field path.
    let mut t: &TypeDef = root;
    let mut field: Option<&Field> = None;
    for (i, name) in path.iter().enumerate() {
        let Some(f) = t.field(name) else {
            // kubectl has already printed the header when it finds the field missing.
            out.out(text);
            out.fail(format!("field \"{name}\" does not exist"));
            return;
        };
        if i + 1 == path.len() {
            field = Some(f);
            break;
        }
        match f.ty.struct_name().and_then(|n| s.get(n)) {
            Some(sub) => t = sub,
            None => {
                out.out(text);
                out.fail(format!("field \"{}\" does not exist", path[i + 1]));
                return;
            }
        }
    }
    match field {
        None => {
            text.push_str("DESCRIPTION:\n");
            text.push_str(&indent(4, &wrap(&description(None, Some(root)), 76)));
            text.push('\n');
            let fl = field_list(s, root, 1, std::slice::from_ref(&root.name), recursive);
            if !fl.is_empty() {
                text.push_str("FIELDS:\n");
                text.push_str(&fl);
            }
        }
        Some(f) => {
            text.push_str(&format!("FIELD: {} <{}>\n", f.name, f.ty.explain_name()));
            text.push_str(&enum_long(f));
            text.push_str("\n\n");
            let sub = f.ty.struct_name().and_then(|n| s.get(n));
            text.push_str("DESCRIPTION:\n");
            text.push_str(&indent(4, &wrap(&description(Some(f), sub), 76)));
            text.push('\n');
            if let (Some(sub), Ty::Struct(_) | Ty::Slice(_) | Ty::Map(_)) = (sub, &f.ty) {
                let fl = field_list(s, sub, 1, std::slice::from_ref(&sub.name), recursive);
                if !fl.is_empty() {
                    text.push_str("FIELDS:\n");
                    text.push_str(&fl);
                }
            }
        }
    }
    text.push('\n');
    out.out(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("one two", 80), "one two");
    }
}
