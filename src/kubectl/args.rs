//! Command-line parsing with pflag's rules: `--name=value`, `--name value`, `-n value`,
//! `-nvalue`, bundled boolean shorthands (`-it`), and `--` ending the flags.

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    pub name: &'static str,
    pub short: Option<char>,
    /// Whether it takes a value (`--output yaml`), as opposed to a boolean.
    pub value: bool,
}

pub const fn flag(name: &'static str, short: Option<char>, value: bool) -> FlagSpec {
    FlagSpec { name, short, value }
}

/// Flags every command accepts.
pub const GLOBAL: &[FlagSpec] = &[
    flag("namespace", Some('n'), true),
    flag("context", None, true),
    flag("kubeconfig", None, true),
    flag("cluster", None, true),
    flag("user", None, true),
    flag("server", Some('s'), true),
    flag("request-timeout", None, true),
    flag("v", Some('v'), true),
    flag("as", None, true),
    flag("warnings-as-errors", None, false),
];

/// Parsed arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// Everything after `--`.
    pub after_dash: Vec<String>,
    pub dash_seen: bool,
    flags: BTreeMap<&'static str, Vec<String>>,
}

impl Parsed {
    pub fn has(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
    /// The last value given for a flag.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    /// A boolean flag: present without value, or `=true`/`=false`.
    pub fn bool(&self, name: &str) -> bool {
        match self.get(name) {
            None => false,
            Some(v) => v != "false",
        }
    }
}

/// Parses `args` against the command's flags plus the global ones. The error is kubectl's
/// message (without the `See '…' for usage.` line).
pub fn parse(args: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let find_long = |n: &str| {
        specs
            .iter()
            .chain(GLOBAL.iter())
            .find(|s| s.name == n)
            .copied()
    };
    let find_short = |c: char| {
        specs
            .iter()
            .chain(GLOBAL.iter())
            .find(|s| s.short == Some(c))
            .copied()
    };
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            p.dash_seen = true;
            p.after_dash = args[i + 1..].to_vec();
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = find_long(name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = if spec.value {
                match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: --{name}")),
                        }
                    }
                }
            } else {
                match inline.as_deref() {
                    None => "true".to_string(),
                    Some(v @ ("true" | "false" | "1" | "0" | "t" | "f" | "T" | "F" | "TRUE" | "FALSE" | "True" | "False")) => {
                        if matches!(v, "true" | "1" | "t" | "T" | "TRUE" | "True") { "true".into() } else { "false".into() }
                    }
                    Some(v) => return Err(format!("invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax")),
                }
            };
            p.flags.entry(spec.name).or_default().push(value);
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec) = find_short(c) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                if spec.value {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest.strip_prefix('=').map(String::from).unwrap_or(rest)
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: '{c}' in -{c}")),
                        }
                    };
                    p.flags.entry(spec.name).or_default().push(value);
                    break;
                }
                p.flags.entry(spec.name).or_default().push("true".into());
                j += 1;
            }
        } else {
            p.positional.push(a.clone());
        }
        i += 1;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn pflag_rules() {
        let specs = [
            flag("output", Some('o'), true),
            flag("watch", Some('w'), false),
            flag("stdin", Some('i'), false),
            flag("tty", Some('t'), false),
        ];
        let p = parse(
            &s(&["get", "pod", "x", "-owide", "--watch", "-n", "test"]),
            &specs,
        )
        .expect("valid");
        assert_eq!(p.positional, s(&["get", "pod", "x"]));
        assert_eq!(p.get("output"), Some("wide"));
        assert!(p.bool("watch"));
        assert_eq!(p.get("namespace"), Some("test"));
        let p = parse(&s(&["-it", "x", "--", "sh", "-c", "echo"]), &specs).expect("valid");
        assert!(p.bool("stdin") && p.bool("tty"));
        assert_eq!(p.after_dash, s(&["sh", "-c", "echo"]));
        assert_eq!(
            parse(&s(&["--foo"]), &specs).unwrap_err(),
            "unknown flag: --foo"
        );
        assert_eq!(
            parse(&s(&["-x"]), &specs).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        let p = parse(&s(&["--output=yaml", "--watch=false"]), &specs).expect("valid");
        assert_eq!(p.get("output"), Some("yaml"));
        assert!(!p.bool("watch"));
    }
}
