//! The small subsets of JSONPath (`-o jsonpath=…`) and Go templates (`--template`,
//! `-o go-template=…`) that people type: field paths, indices, `[*]`, `range`/`end`, literals.

use serde_json::Value;

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => super::encode::to_compact_json(other),
    }
}

/// Follows a dotted path (`.status.podIP`, `.items[0].metadata.name`, `.items[*].x`).
fn select<'a>(roots: Vec<&'a Value>, path: &str) -> Result<Vec<&'a Value>, String> {
    let mut cur = roots;
    let mut rest = path.trim();
    if rest == "." || rest.is_empty() || rest == "@" {
        return Ok(cur);
    }
    rest = rest.strip_prefix('$').unwrap_or(rest);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            rest = &r[end..];
            if key.is_empty() {
                continue;
            }
            cur = cur.into_iter().filter_map(|v| v.get(key)).collect();
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r
                .find(']')
                .ok_or_else(|| format!("unterminated array index in {path}"))?;
            let idx = &r[..end];
            rest = &r[end + 1..];
            let mut next = Vec::new();
            for v in cur {
                let Some(a) = v.as_array() else {
                    if let Some(m) = v.as_object() {
                        if idx == "*" {
                            next.extend(m.values());
                        } else if let Some(x) = m.get(idx.trim_matches('\'')) {
                            next.push(x);
                        }
                    }
                    continue;
                };
                if idx == "*" {
                    next.extend(a.iter());
                } else if let Ok(i) = idx.parse::<i64>() {
                    let i = if i < 0 { a.len() as i64 + i } else { i };
                    if let Some(x) = usize::try_from(i).ok().and_then(|i| a.get(i)) {
                        next.push(x);
                    } else {
                        return Err("array index out of bounds: index 1, length 1"
                            .replace("1, length 1", &format!("{i}, length {}", a.len())));
                    }
                }
            }
            cur = next;
        } else {
            return Err(format!(
                "unrecognized character in action: {}",
                rest.chars().next().unwrap_or(' ')
            ));
        }
    }
    Ok(cur)
}

/// Evaluates a kubectl JSONPath template.
pub fn jsonpath(t: &str, data: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut stack: Vec<(Vec<Value>, usize, usize)> = Vec::new();
    let mut ctx: Vec<Value> = vec![data.clone()];
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    // Pre-split into text and actions.
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut text = String::new();
    while i < chars.len() {
        if chars[i] == '{' {
            if !text.is_empty() {
                parts.push((false, std::mem::take(&mut text)));
            }
            let mut depth = 1;
            let mut j = i + 1;
            let mut act = String::new();
            let mut in_str = false;
            while j < chars.len() {
                let c = chars[j];
                if c == '"' {
                    in_str = !in_str;
                }
                if !in_str && c == '{' {
                    depth += 1;
                }
                if !in_str && c == '}' {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                act.push(c);
                j += 1;
            }
            if depth != 0 {
                return Err(format!("error parsing jsonpath {t}, unclosed action"));
            }
            parts.push((true, act));
            i = j + 1;
        } else {
            text.push(chars[i]);
            i += 1;
        }
    }
    if !text.is_empty() {
        parts.push((false, text));
    }
    let mut pc = 0;
    while pc < parts.len() {
        let (is_action, s) = &parts[pc];
        if !is_action {
            out.push_str(s);
            pc += 1;
            continue;
        }
        let a = s.trim();
        if let Some(path) = a.strip_prefix("range ") {
            let items: Vec<Value> = ctx
                .iter()
                .map(|v| select(vec![v], path))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            if items.is_empty() {
                // Skip to the matching end.
                let mut depth = 1;
                pc += 1;
                while pc < parts.len() && depth > 0 {
                    if parts[pc].0 && parts[pc].1.trim().starts_with("range ") {
                        depth += 1;
                    }
                    if parts[pc].0 && parts[pc].1.trim() == "end" {
                        depth -= 1;
                    }
                    pc += 1;
                }
                continue;
            }
            stack.push((items.clone(), 0, pc + 1));
            ctx = vec![items[0].clone()];
            pc += 1;
            continue;
        }
        if a == "end" {
            let Some((items, idx, start)) = stack.pop() else {
                return Err("not in range, nothing to end".into());
            };
            if idx + 1 < items.len() {
                ctx = vec![items[idx + 1].clone()];
                stack.push((items, idx + 1, start));
                pc = start;
            } else {
                ctx = vec![data.clone()];
                pc += 1;
            }
            continue;
        }
        if let Some(lit) = a.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            out.push_str(&lit.replace("\\n", "\n").replace("\\t", "\t"));
            pc += 1;
            continue;
        }
        let base: Vec<&Value> = if a.starts_with('$') {
            vec![data]
        } else {
            ctx.iter().collect()
        };
        let vals = select(base, a)?;
        let texts: Vec<String> = vals.into_iter().map(scalar_text).collect();
        out.push_str(&texts.join(" "));
        pc += 1;
    }
    Ok(out)
}

/// Evaluates a Go template over an object: `{{.a.b}}`, `{{range .items}}…{{end}}`, literals.
pub fn go_template(t: &str, data: &Value) -> Result<String, String> {
    let mut conv = String::new();
    let mut rest = t;
    while let Some(start) = rest.find("{{") {
        conv.push_str(&rest[..start].replace('{', "{\"{\"}"));
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "template: output:1: unclosed action".to_string())?;
        let action = after[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let jp = if action == "end" {
            "end".to_string()
        } else if let Some(p) = action.strip_prefix("range ") {
            format!("range {}[*]", p.trim())
        } else if action.starts_with('"') {
            action.to_string()
        } else if action == "." {
            "@".to_string()
        } else if action.starts_with('.') {
            action.to_string()
        } else {
            return Err(format!(
                "template: output:1: function \"{}\" not defined",
                action.split_whitespace().next().unwrap_or(action)
            ));
        };
        conv.push('{');
        conv.push_str(&jp);
        conv.push('}');
        rest = &after[end + 2..];
    }
    conv.push_str(rest);
    let missing = |a: &str| -> bool { a.starts_with('.') };
    let _ = missing;
    jsonpath(&conv, data).map(|s| {
        if s.is_empty() && t.contains("{{.") {
            "<no value>".into()
        } else {
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_ranges() {
        let v = json!({"status": {"podIP": "10.244.1.2"}, "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]});
        assert_eq!(jsonpath("{.status.podIP}", &v).expect("ok"), "10.244.1.2");
        assert_eq!(
            jsonpath("{.items[*].metadata.name}", &v).expect("ok"),
            "a b"
        );
        assert_eq!(
            jsonpath("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &v).expect("ok"),
            "a\nb\n"
        );
        assert_eq!(
            go_template("{{.status.podIP}}", &v).expect("ok"),
            "10.244.1.2"
        );
        assert_eq!(
            go_template("ip={{.status.podIP}}!", &v).expect("ok"),
            "ip=10.244.1.2!"
        );
        assert_eq!(
            go_template("{{range .items}}{{.metadata.name}} {{end}}", &v).expect("ok"),
            "a b "
        );
    }
}
