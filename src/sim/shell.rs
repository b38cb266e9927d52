//! A small POSIX-style shell for container processes: enough of `sh -c` and `bash -c` for the
//! scripts learners write.
//!
//! A script is parsed once and compiled to a flat list of instructions with jumps, so a running
//! process is just a program counter, variables and a status. That makes a process cheap to
//! suspend when it sleeps (the engine wakes it on the virtual clock) and lets the engine bound
//! every run slice with a step budget, so `while true; do :; done` cannot freeze anything.

use std::fmt;

/// A part of a word before expansion.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    /// `$NAME`, `${NAME}`, `$?`, `$$`, `$#`, `$0`…
    Var(String),
    /// `${NAME:-default}` and friends: (name, operator, word).
    VarOp(String, String, Vec<Part>),
    /// `$(…)` or backquotes.
    Subst(String),
    /// `$((…))`: shell arithmetic.
    Arith(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    parts: Vec<(Part, bool)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirKind {
    Out,
    Append,
    In,
    /// `2>&1`
    DupOut,
    /// `>&2`
    DupErr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    fd: u32,
    kind: RedirKind,
    target: Option<Word>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Simple {
    assigns: Vec<(String, Word)>,
    words: Vec<Word>,
    redirs: Vec<Redir>,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Simple(Simple),
    Pipeline(Vec<Node>, bool),
    /// `a && b || c`: the first node, then each following one with whether it runs after
    /// success (`&&`) or failure (`||`). Flat, so a long chain costs no stack.
    AndOr(Box<Node>, Vec<(bool, Node)>),
    Seq(Vec<Node>),
    If(Vec<(Node, Node)>, Option<Box<Node>>),
    While(Box<Node>, Box<Node>, bool),
    For(String, Option<Vec<Word>>, Box<Node>),
    Group(Box<Node>),
    Background(Box<Node>),
    /// `name() { body; }`
    Function(String, Box<Node>),
}

/// One instruction of a compiled script.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Run a simple command (or a pipeline of them).
    Run(Vec<Simple>, bool),
    Jump(usize),
    /// Jump when the last status is zero.
    JumpIfOk(usize),
    JumpIfFail(usize),
    /// Start a `for` loop: expand the words into the loop's list.
    ForStart(Option<Vec<Word>>),
    /// Take the next item into the variable, or jump past the loop.
    ForNext(String, usize),
    ForEnd,
    /// Negate the last status.
    Not,
    /// A background job; podplay runs it in place.
    Background,
    /// Define a function.
    Define(String, Program),
}

/// A compiled script.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub ops: Vec<Op>,
}

impl Program {
    /// One program run directly with these arguments, as an exec (no shell parsing): each
    /// argument is a quoted literal word.
    pub fn exec(argv: &[String]) -> Program {
        let words = argv
            .iter()
            .map(|a| Word {
                parts: vec![(Part::Lit(a.clone()), true)],
            })
            .collect();
        let simple = Simple {
            assigns: Vec::new(),
            words,
            redirs: Vec::new(),
        };
        Program {
            ops: vec![Op::Run(vec![simple], false)],
        }
    }
}

/// A syntax error, worded as sh words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(Word, String),
    Op(&'static str),
    Redir(Redir),
    Newline,
}

struct Lexer<'a> {
    chars: Vec<char>,
    i: usize,
    _src: &'a str,
    /// How many `${…}` enclose this text.
    depth: usize,
}

/// How deeply a script may nest its compound commands and `${…}` expansions. Scripts people
/// write stay far below it; the parser refuses deeper ones instead of exhausting the stack.
pub const MAX_NESTING: usize = 100;

fn too_deep() -> SyntaxError {
    SyntaxError(format!(
        "syntax error: nested more than {MAX_NESTING} levels deep"
    ))
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            depth: 0,
            chars: src.chars().collect(),
            i: 0,
            _src: src,
        }
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.chars.get(self.i + 1).copied()
    }

    fn tokens(mut self) -> Result<Vec<Tok>, SyntaxError> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' => self.i += 1,
                '\\' if self.peek2() == Some('\n') => self.i += 2,
                '\n' => {
                    self.i += 1;
                    out.push(Tok::Newline);
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                ';' => {
                    self.i += 1;
                    if self.peek() == Some(';') {
                        self.i += 1;
                        out.push(Tok::Op(";;"));
                    } else {
                        out.push(Tok::Op(";"));
                    }
                }
                '&' => {
                    self.i += 1;
                    if self.peek() == Some('&') {
                        self.i += 1;
                        out.push(Tok::Op("&&"));
                    } else {
                        out.push(Tok::Op("&"));
                    }
                }
                '|' => {
                    self.i += 1;
                    if self.peek() == Some('|') {
                        self.i += 1;
                        out.push(Tok::Op("||"));
                    } else {
                        out.push(Tok::Op("|"));
                    }
                }
                '(' => {
                    self.i += 1;
                    out.push(Tok::Op("("));
                }
                ')' => {
                    self.i += 1;
                    out.push(Tok::Op(")"));
                }
                '>' | '<' => out.push(self.redir(0)?),
                d if d.is_ascii_digit() && matches!(self.peek2(), Some('>') | Some('<')) => {
                    self.i += 1;
                    out.push(self.redir(d.to_digit(10).unwrap_or(1))?);
                }
                _ => {
                    let (w, raw) = self.word()?;
                    out.push(Tok::Word(w, raw));
                }
            }
        }
        Ok(out)
    }

    fn redir(&mut self, fd: u32) -> Result<Tok, SyntaxError> {
        let c = self.peek().unwrap_or('>');
        self.i += 1;
        let (kind, fd) = if c == '<' {
            (RedirKind::In, if fd == 0 { 0 } else { fd })
        } else if self.peek() == Some('>') {
            self.i += 1;
            (RedirKind::Append, if fd == 0 { 1 } else { fd })
        } else if self.peek() == Some('&') {
            self.i += 1;
            let target = self.peek();
            self.i += 1;
            let fd = if fd == 0 { 1 } else { fd };
            return Ok(Tok::Redir(Redir {
                fd,
                kind: if target == Some('2') {
                    RedirKind::DupErr
                } else {
                    RedirKind::DupOut
                },
                target: None,
            }));
        } else {
            (RedirKind::Out, if fd == 0 { 1 } else { fd })
        };
        while matches!(self.peek(), Some(' ') | Some('\t')) {
            self.i += 1;
        }
        if self.peek().is_none_or(|c| "\n;&|()<>".contains(c)) {
            return Err(SyntaxError("syntax error: unexpected newline".into()));
        }
        let (w, _) = self.word()?;
        Ok(Tok::Redir(Redir {
            fd,
            kind,
            target: Some(w),
        }))
    }

    fn word(&mut self) -> Result<(Word, String), SyntaxError> {
        let mut parts: Vec<(Part, bool)> = Vec::new();
        let start = self.i;
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Vec<(Part, bool)>, quoted: bool| {
            if !lit.is_empty() || quoted {
                parts.push((Part::Lit(std::mem::take(lit)), quoted));
            }
        };
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.i += 1;
                    if let Some(n) = self.peek() {
                        self.i += 1;
                        if n != '\n' {
                            flush(&mut lit, &mut parts, false);
                            parts.push((Part::Lit(n.to_string()), true));
                        }
                    }
                }
                '\'' => {
                    self.i += 1;
                    flush(&mut lit, &mut parts, false);
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => {
                                return Err(SyntaxError(
                                    "syntax error: unterminated quoted string".into(),
                                ))
                            }
                            Some('\'') => {
                                self.i += 1;
                                break;
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.i += 1;
                            }
                        }
                    }
                    parts.push((Part::Lit(s), true));
                }
                '"' => {
                    self.i += 1;
                    flush(&mut lit, &mut parts, false);
                    let mut inner = String::new();
                    let mut any = false;
                    loop {
                        match self.peek() {
                            None => {
                                return Err(SyntaxError(
                                    "syntax error: unterminated quoted string".into(),
                                ))
                            }
                            Some('"') => {
                                self.i += 1;
                                break;
                            }
                            Some('\\') => {
                                self.i += 1;
                                match self.peek() {
                                    Some(n @ ('"' | '\\' | '$' | '`')) => {
                                        inner.push(n);
                                        self.i += 1;
                                    }
                                    Some('\n') => self.i += 1,
                                    _ => inner.push('\\'),
                                }
                            }
                            Some('$') => {
                                if !inner.is_empty() {
                                    parts.push((Part::Lit(std::mem::take(&mut inner)), true));
                                }
                                any = true;
                                let p = self.dollar()?;
                                parts.push((p, true));
                            }
                            Some('`') => {
                                if !inner.is_empty() {
                                    parts.push((Part::Lit(std::mem::take(&mut inner)), true));
                                }
                                any = true;
                                parts.push((self.backquote()?, true));
                            }
                            Some(ch) => {
                                inner.push(ch);
                                self.i += 1;
                            }
                        }
                    }
                    if !inner.is_empty() || !any {
                        parts.push((Part::Lit(inner), true));
                    }
                }
                '$' => {
                    flush(&mut lit, &mut parts, false);
                    let p = self.dollar()?;
                    parts.push((p, false));
                }
                '`' => {
                    flush(&mut lit, &mut parts, false);
                    parts.push((self.backquote()?, false));
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        flush(&mut lit, &mut parts, false);
        let raw: String = self.chars[start..self.i].iter().collect();
        Ok((Word { parts }, raw))
    }

    fn backquote(&mut self) -> Result<Part, SyntaxError> {
        self.i += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(SyntaxError("syntax error: unterminated backquote".into())),
                Some('`') => {
                    self.i += 1;
                    return Ok(Part::Subst(s));
                }
                Some(c) => {
                    s.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn dollar(&mut self) -> Result<Part, SyntaxError> {
        self.i += 1;
        match self.peek() {
            Some('{') => {
                self.i += 1;
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric()
                        || c == '_'
                        || (name.is_empty() && "?#$@*!".contains(c))
                    {
                        name.push(c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let mut op = String::new();
                while let Some(c) = self.peek() {
                    if ":-=+?#%".contains(c) && op.len() < 2 {
                        op.push(c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let mut depth = 0;
                let mut rest = String::new();
                loop {
                    match self.peek() {
                        None => return Err(SyntaxError("syntax error: bad substitution".into())),
                        Some('}') if depth == 0 => {
                            self.i += 1;
                            break;
                        }
                        Some(c) => {
                            if c == '{' {
                                depth += 1;
                            } else if c == '}' {
                                depth -= 1;
                            }
                            rest.push(c);
                            self.i += 1;
                        }
                    }
                }
                if name.is_empty() {
                    return Err(SyntaxError("syntax error: bad substitution".into()));
                }
                if op.is_empty() {
                    if !rest.is_empty() {
                        return Err(SyntaxError("syntax error: bad substitution".into()));
                    }
                    return Ok(Part::Var(name));
                }
                if self.depth >= MAX_NESTING {
                    return Err(too_deep());
                }
                let mut inner = Lexer::new(&rest);
                inner.depth = self.depth + 1;
                let (w, _) = inner.word_all()?;
                Ok(Part::VarOp(
                    name,
                    op,
                    w.parts.into_iter().map(|(p, _)| p).collect(),
                ))
            }
            Some('(') if self.chars.get(self.i + 1) == Some(&'(') => {
                // `$((expr))`: up to the `))` that closes it.
                self.i += 2;
                let mut depth = 0;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return Err(SyntaxError("syntax error: unterminated $((".into())),
                        Some(')') if depth == 0 && self.chars.get(self.i + 1) == Some(&')') => {
                            self.i += 2;
                            break;
                        }
                        Some(c) => {
                            if c == '(' {
                                depth += 1;
                            } else if c == ')' {
                                depth -= 1;
                            }
                            s.push(c);
                            self.i += 1;
                        }
                    }
                }
                Ok(Part::Arith(s))
            }
            Some('(') => {
                self.i += 1;
                let mut depth = 1;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return Err(SyntaxError("syntax error: unterminated $(".into())),
                        Some(')') => {
                            depth -= 1;
                            self.i += 1;
                            if depth == 0 {
                                break;
                            }
                            s.push(')');
                        }
                        Some('(') => {
                            depth += 1;
                            self.i += 1;
                            s.push('(');
                        }
                        Some(c) => {
                            s.push(c);
                            self.i += 1;
                        }
                    }
                }
                Ok(Part::Subst(s))
            }
            Some(c) if "?$#!@*0123456789".contains(c) => {
                self.i += 1;
                Ok(Part::Var(c.to_string()))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                Ok(Part::Var(name))
            }
            _ => Ok(Part::Lit("$".into())),
        }
    }

    /// Lexes the whole input as one word (for `${X:-a b}` defaults).
    fn word_all(mut self) -> Result<(Word, String), SyntaxError> {
        let mut parts = Vec::new();
        while self.i < self.chars.len() {
            if self.peek() == Some(' ') {
                parts.push((Part::Lit(" ".into()), true));
                self.i += 1;
                continue;
            }
            let (w, _) = self.word()?;
            if w.parts.is_empty() {
                let c = self.peek().unwrap_or(' ');
                parts.push((Part::Lit(c.to_string()), true));
                self.i += 1;
            }
            parts.extend(w.parts);
        }
        Ok((Word { parts }, String::new()))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct P {
    toks: Vec<Tok>,
    i: usize,
    /// How many lists (compound command bodies) are open.
    depth: usize,
}

fn near(t: Option<&Tok>) -> String {
    match t {
        None => "end of file".into(),
        Some(Tok::Word(_, raw)) => format!("\"{raw}\""),
        Some(Tok::Op(o)) => format!("\"{o}\""),
        Some(Tok::Redir(_)) => "redirection".into(),
        Some(Tok::Newline) => "newline".into(),
    }
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(_, raw)) if raw == kw)
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }
    fn expect_kw(&mut self, kw: &str) -> Result<(), SyntaxError> {
        self.skip_newlines();
        if self.is_kw(kw) {
            self.i += 1;
            Ok(())
        } else {
            Err(SyntaxError(format!(
                "syntax error: unexpected {} (expecting \"{kw}\")",
                near(self.peek())
            )))
        }
    }

    /// A list, stopping at any of `stops` (keywords) or `)`.
    fn list(&mut self, stops: &[&str]) -> Result<Node, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(too_deep());
        }
        self.depth += 1;
        let list = self.list_items(stops);
        self.depth -= 1;
        list
    }

    fn list_items(&mut self, stops: &[&str]) -> Result<Node, SyntaxError> {
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Some(Tok::Newline))
                || matches!(self.peek(), Some(Tok::Op(";")))
            {
                if matches!(self.peek(), Some(Tok::Op(";"))) && items.is_empty() {
                    return Err(SyntaxError("syntax error: unexpected \";\"".into()));
                }
                self.i += 1;
            }
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) => break,
                Some(Tok::Word(_, raw)) if stops.contains(&raw.as_str()) => break,
                _ => {}
            }
            let mut node = self.and_or()?;
            if matches!(self.peek(), Some(Tok::Op("&"))) {
                self.i += 1;
                node = Node::Background(Box::new(node));
            }
            items.push(node);
            match self.peek() {
                Some(Tok::Op(";")) | Some(Tok::Newline) | Some(Tok::Op("&")) => self.i += 1,
                _ => {}
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Seq(items)
        })
    }

    fn and_or(&mut self) -> Result<Node, SyntaxError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let on_success = match self.peek() {
                Some(Tok::Op("&&")) => true,
                Some(Tok::Op("||")) => false,
                _ if rest.is_empty() => return Ok(first),
                _ => return Ok(Node::AndOr(Box::new(first), rest)),
            };
            self.i += 1;
            self.skip_newlines();
            rest.push((on_success, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Node, SyntaxError> {
        let mut negate = false;
        if self.is_kw("!") {
            self.i += 1;
            negate = true;
        }
        let mut cmds = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.i += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        Ok(if cmds.len() == 1 && !negate {
            cmds.remove(0)
        } else {
            Node::Pipeline(cmds, negate)
        })
    }

    fn command(&mut self) -> Result<Node, SyntaxError> {
        // `name() compound`: a function definition.
        if let (Some(Tok::Word(_, raw)), Some(Tok::Op("(")), Some(Tok::Op(")"))) = (
            self.toks.get(self.i),
            self.toks.get(self.i + 1),
            self.toks.get(self.i + 2),
        ) {
            let name = raw.clone();
            self.i += 3;
            self.skip_newlines();
            let body = self.command()?;
            return Ok(Node::Function(name, Box::new(body)));
        }
        match self.peek() {
            Some(Tok::Word(_, raw)) => match raw.as_str() {
                "if" => return self.if_clause(),
                "while" | "until" => {
                    let until = raw == "until";
                    self.i += 1;
                    let cond = self.list(&["do"])?;
                    self.expect_kw("do")?;
                    let body = self.list(&["done"])?;
                    self.expect_kw("done")?;
                    return Ok(Node::While(Box::new(cond), Box::new(body), until));
                }
                "for" => {
                    self.i += 1;
                    let var = match self.peek() {
                        Some(Tok::Word(_, raw)) => raw.clone(),
                        other => {
                            return Err(SyntaxError(format!(
                                "syntax error: unexpected {}",
                                near(other)
                            )))
                        }
                    };
                    self.i += 1;
                    let mut words = None;
                    self.skip_newlines();
                    if self.is_kw("in") {
                        self.i += 1;
                        let mut ws = Vec::new();
                        while let Some(Tok::Word(w, _)) = self.peek() {
                            ws.push(w.clone());
                            self.i += 1;
                        }
                        words = Some(ws);
                    }
                    if matches!(self.peek(), Some(Tok::Op(";")) | Some(Tok::Newline)) {
                        self.i += 1;
                    }
                    self.expect_kw("do")?;
                    let body = self.list(&["done"])?;
                    self.expect_kw("done")?;
                    return Ok(Node::For(var, words, Box::new(body)));
                }
                "{" => {
                    self.i += 1;
                    let body = self.list(&["}"])?;
                    self.expect_kw("}")?;
                    return Ok(Node::Group(Box::new(body)));
                }
                "then" | "do" | "done" | "fi" | "else" | "elif" | "}" | "esac" => {
                    return Err(SyntaxError(format!("syntax error: unexpected \"{raw}\"")));
                }
                _ => {}
            },
            Some(Tok::Op("(")) => {
                self.i += 1;
                let body = self.list(&[])?;
                if !matches!(self.peek(), Some(Tok::Op(")"))) {
                    return Err(SyntaxError(format!(
                        "syntax error: unexpected {} (expecting \")\")",
                        near(self.peek())
                    )));
                }
                self.i += 1;
                return Ok(Node::Group(Box::new(body)));
            }
            Some(Tok::Op(o)) => {
                return Err(SyntaxError(format!("syntax error: unexpected \"{o}\"")))
            }
            None => return Err(SyntaxError("syntax error: unexpected end of file".into())),
            _ => {}
        }
        let mut s = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
        };
        loop {
            match self.peek() {
                Some(Tok::Word(w, raw)) => {
                    if s.words.is_empty() {
                        if let Some((name, _)) = raw.split_once('=') {
                            if !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                                && !name.starts_with(|c: char| c.is_ascii_digit())
                            {
                                let value = strip_assign_prefix(w, name.len() + 1);
                                s.assigns.push((name.to_string(), value));
                                self.i += 1;
                                continue;
                            }
                        }
                    }
                    s.words.push(w.clone());
                    self.i += 1;
                }
                Some(Tok::Redir(r)) => {
                    s.redirs.push(r.clone());
                    self.i += 1;
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return Err(SyntaxError(format!(
                "syntax error: unexpected {}",
                near(self.peek())
            )));
        }
        Ok(Node::Simple(s))
    }

    fn if_clause(&mut self) -> Result<Node, SyntaxError> {
        self.i += 1;
        let mut arms = Vec::new();
        let cond = self.list(&["then"])?;
        self.expect_kw("then")?;
        let body = self.list(&["elif", "else", "fi"])?;
        arms.push((cond, body));
        let mut else_body = None;
        loop {
            if self.is_kw("elif") {
                self.i += 1;
                let c = self.list(&["then"])?;
                self.expect_kw("then")?;
                let b = self.list(&["elif", "else", "fi"])?;
                arms.push((c, b));
            } else if self.is_kw("else") {
                self.i += 1;
                else_body = Some(Box::new(self.list(&["fi"])?));
            } else {
                self.expect_kw("fi")?;
                return Ok(Node::If(arms, else_body));
            }
        }
    }
}

/// Drops the `NAME=` prefix from an assignment word.
fn strip_assign_prefix(w: &Word, mut n: usize) -> Word {
    let mut parts = Vec::new();
    for (p, q) in &w.parts {
        if n > 0 {
            if let Part::Lit(s) = p {
                let len = s.chars().count();
                if len <= n {
                    n -= len;
                    continue;
                }
                let rest: String = s.chars().skip(n).collect();
                n = 0;
                parts.push((Part::Lit(rest), *q));
                continue;
            }
        }
        parts.push((p.clone(), *q));
    }
    Word { parts }
}

// ---------------------------------------------------------------------------------------------
// Compiling

fn compile_node(n: &Node, ops: &mut Vec<Op>) {
    match n {
        Node::Simple(s) => ops.push(Op::Run(vec![s.clone()], false)),
        Node::Pipeline(cmds, negate) => {
            let simples: Vec<Simple> = cmds
                .iter()
                .filter_map(|c| {
                    if let Node::Simple(s) = c {
                        Some(s.clone())
                    } else {
                        None
                    }
                })
                .collect();
            if simples.len() == cmds.len() {
                ops.push(Op::Run(simples, *negate));
            } else {
                for c in cmds {
                    compile_node(c, ops);
                }
                if *negate {
                    ops.push(Op::Not);
                }
            }
        }
        Node::AndOr(first, rest) => {
            compile_node(first, ops);
            let mut jumps = Vec::new();
            for (on_success, n) in rest {
                // Skip `n` unless the status so far calls for it; later links still look at
                // the status the skipped part left.
                let j = ops.len();
                ops.push(Op::Jump(0));
                compile_node(n, ops);
                jumps.push((j, *on_success, ops.len()));
            }
            for (j, on_success, end) in jumps {
                ops[j] = if on_success {
                    Op::JumpIfFail(end)
                } else {
                    Op::JumpIfOk(end)
                };
            }
        }
        Node::Seq(items) => {
            for i in items {
                compile_node(i, ops);
            }
        }
        Node::Group(b) => compile_node(b, ops),
        Node::Background(b) => {
            ops.push(Op::Background);
            compile_node(b, ops);
        }
        Node::Function(name, body) => {
            let mut body_ops = Vec::new();
            compile_node(body, &mut body_ops);
            ops.push(Op::Define(name.clone(), Program { ops: body_ops }));
        }
        Node::If(arms, else_body) => {
            let mut ends = Vec::new();
            for (c, b) in arms {
                compile_node(c, ops);
                let j = ops.len();
                ops.push(Op::JumpIfFail(0));
                compile_node(b, ops);
                ends.push(ops.len());
                ops.push(Op::Jump(0));
                let next = ops.len();
                ops[j] = Op::JumpIfFail(next);
            }
            if let Some(e) = else_body {
                compile_node(e, ops);
            } else {
                // `if` with no branch taken leaves status 0.
                ops.push(Op::Run(Vec::new(), false));
            }
            let end = ops.len();
            for e in ends {
                ops[e] = Op::Jump(end);
            }
        }
        Node::While(cond, body, until) => {
            let start = ops.len();
            compile_node(cond, ops);
            let j = ops.len();
            ops.push(Op::JumpIfFail(0));
            compile_node(body, ops);
            ops.push(Op::Jump(start));
            let end = ops.len();
            ops[j] = if *until {
                Op::JumpIfOk(end)
            } else {
                Op::JumpIfFail(end)
            };
            // A loop that ends normally leaves status 0.
            ops.push(Op::Run(Vec::new(), false));
        }
        Node::For(var, words, body) => {
            ops.push(Op::ForStart(words.clone()));
            let next = ops.len();
            ops.push(Op::ForNext(var.clone(), 0));
            compile_node(body, ops);
            ops.push(Op::Jump(next));
            let end = ops.len();
            ops[next] = Op::ForNext(var.clone(), end);
            ops.push(Op::ForEnd);
        }
    }
}

/// Parses and compiles a script.
pub fn compile(src: &str) -> Result<Program, SyntaxError> {
    let toks = Lexer::new(src).tokens()?;
    let mut p = P {
        toks,
        i: 0,
        depth: 0,
    };
    let node = p.list(&[])?;
    if let Some(t) = p.peek() {
        return Err(SyntaxError(format!(
            "syntax error: unexpected {}",
            near(Some(t))
        )));
    }
    let mut ops = Vec::new();
    compile_node(&node, &mut ops);
    Ok(Program { ops })
}

// ---------------------------------------------------------------------------------------------
// Expansion (used by the process runner)

/// What expansion needs from the running process.
pub trait Env {
    /// How many bytes a word may still grow to before memory runs out.
    fn room(&self) -> usize {
        usize::MAX
    }
    /// Expansion stopped because a word outgrew `room`.
    fn overflow(&mut self) {}
    fn var(&self, name: &str) -> Option<String>;
    /// Runs `$(…)` and returns its standard output.
    fn subst(&mut self, script: &str) -> String;
    /// Reports an expansion error (`$((1/0))`) on the shell's standard error.
    fn error(&mut self, _msg: &str) {}
}

fn expand_part(p: &Part, env: &mut dyn Env) -> String {
    match p {
        Part::Lit(s) => s.clone(),
        Part::Var(n) => env.var(n).unwrap_or_default(),
        Part::Subst(s) => {
            let out = env.subst(s);
            out.trim_end_matches('\n').to_string()
        }
        Part::Arith(expr) => match arith(expr, &|n| env.var(n)) {
            Ok(v) => v.to_string(),
            Err(e) => {
                env.error(&e);
                String::new()
            }
        },
        Part::VarOp(n, op, w) => {
            let v = env.var(n);
            let word = || -> Vec<Part> { w.clone() };
            let alt: String = word().iter().map(|p| expand_part(p, env)).collect();
            match op.as_str() {
                ":-" => v.filter(|s| !s.is_empty()).unwrap_or(alt),
                "-" => v.unwrap_or(alt),
                ":+" => {
                    if v.is_some_and(|s| !s.is_empty()) {
                        alt
                    } else {
                        String::new()
                    }
                }
                "+" => {
                    if v.is_some() {
                        alt
                    } else {
                        String::new()
                    }
                }
                ":=" | "=" => v.filter(|s| !s.is_empty() || op == "=").unwrap_or(alt),
                "#" => {
                    let v = v.unwrap_or_default();
                    v.strip_prefix(alt.as_str()).map(String::from).unwrap_or(v)
                }
                "%" => {
                    let v = v.unwrap_or_default();
                    v.strip_suffix(alt.as_str()).map(String::from).unwrap_or(v)
                }
                _ => v.unwrap_or_default(),
            }
        }
    }
}

/// Evaluates shell arithmetic (`$((i + 1))`, `$(( (a * 10) % 7 ))`, comparisons, `&&`, `||`,
/// `!`, unary minus) on 64-bit integers, with shunting-yard instead of recursion.
pub fn arith(expr: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<i64, String> {
    #[derive(Clone, Copy, PartialEq, Debug)]
    enum T {
        Num(i64),
        Op(&'static str),
        Open,
        Close,
    }
    let syntax = || format!("arithmetic syntax error: \"{}\"", expr.trim());
    // Tokens.
    let chars: Vec<char> = expr.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let lit: String = chars[start..i].iter().collect();
            let n = if let Some(h) = lit.strip_prefix("0x") {
                i64::from_str_radix(h, 16)
            } else if lit.len() > 1 && lit.starts_with('0') {
                i64::from_str_radix(&lit[1..], 8)
            } else {
                lit.parse()
            };
            toks.push(T::Num(n.map_err(|_| syntax())?));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = if c == '$' { i + 1 } else { i };
            i = start;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let value = var(&name).unwrap_or_default();
            let value = value.trim();
            toks.push(T::Num(if value.is_empty() {
                0
            } else {
                value.parse().map_err(|_| syntax())?
            }));
        } else if c == '(' {
            toks.push(T::Open);
            i += 1;
        } else if c == ')' {
            toks.push(T::Close);
            i += 1;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["<=", ">=", "==", "!=", "&&", "||", "<<", ">>"]
                .into_iter()
                .find(|o| *o == two)
                .or_else(|| {
                    ["+", "-", "*", "/", "%", "<", ">", "!", "&", "|", "^", "~"]
                        .into_iter()
                        .find(|o| o.starts_with(c))
                })
                .ok_or_else(syntax)?;
            i += op.len();
            // A sign where an operand is expected.
            let unary = matches!(toks.last(), None | Some(T::Op(_)) | Some(T::Open));
            toks.push(T::Op(match (op, unary) {
                ("-", true) => "neg",
                ("+", true) => "pos",
                (o, _) => o,
            }));
        }
    }
    let prec = |o: &str| match o {
        "neg" | "pos" | "!" | "~" => 7,
        "*" | "/" | "%" => 6,
        "+" | "-" => 5,
        "<<" | ">>" => 4,
        "<" | ">" | "<=" | ">=" | "==" | "!=" => 3,
        "&" | "^" | "|" => 2,
        "&&" => 1,
        _ => 0,
    };
    let unary = |o: &str| matches!(o, "neg" | "pos" | "!" | "~");
    let apply = |vals: &mut Vec<i64>, o: &str| -> Result<(), String> {
        if unary(o) {
            let a = vals.pop().ok_or_else(syntax)?;
            vals.push(match o {
                "neg" => a.wrapping_neg(),
                "!" => i64::from(a == 0),
                "~" => !a,
                _ => a,
            });
            return Ok(());
        }
        let b = vals.pop().ok_or_else(syntax)?;
        let a = vals.pop().ok_or_else(syntax)?;
        vals.push(match o {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 => return Err("divide by zero".into()),
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            "&&" => i64::from(a != 0 && b != 0),
            _ => i64::from(a != 0 || b != 0),
        });
        Ok(())
    };
    let mut vals: Vec<i64> = Vec::new();
    let mut ops: Vec<T> = Vec::new();
    for t in toks {
        match t {
            T::Num(n) => vals.push(n),
            T::Open => ops.push(T::Open),
            T::Close => loop {
                match ops.pop() {
                    Some(T::Open) => break,
                    Some(T::Op(o)) => apply(&mut vals, o)?,
                    _ => return Err(syntax()),
                }
            },
            T::Op(o) => {
                while let Some(T::Op(top)) = ops.last().copied() {
                    // Unary operators bind right to left.
                    if prec(top) > prec(o) || (prec(top) == prec(o) && !unary(o)) {
                        ops.pop();
                        apply(&mut vals, top)?;
                    } else {
                        break;
                    }
                }
                ops.push(T::Op(o));
            }
        }
    }
    while let Some(t) = ops.pop() {
        match t {
            T::Op(o) => apply(&mut vals, o)?,
            _ => return Err(syntax()),
        }
    }
    match vals.as_slice() {
        [v] => Ok(*v),
        [] => Ok(0),
        _ => Err(syntax()),
    }
}

/// Expands words into fields: variables, substitutions, quoting and field splitting on
/// whitespace for unquoted expansions. Globs are left as written.
fn expand_words(words: &[Word], env: &mut dyn Env) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut have = false;
        for (p, quoted) in &w.parts {
            let text = expand_part(p, env);
            if cur.len() + text.len() > env.room() {
                env.overflow();
                return out;
            }
            let splittable = !quoted && !matches!(p, Part::Lit(_));
            if splittable {
                let mut first = true;
                let starts_ws = text.starts_with(char::is_whitespace);
                for piece in text.split_whitespace() {
                    if !first || (starts_ws && have) {
                        fields.push(std::mem::take(&mut cur));
                    }
                    cur.push_str(piece);
                    have = true;
                    first = false;
                }
                if text.ends_with(char::is_whitespace) && have && !text.trim().is_empty() {
                    fields.push(std::mem::take(&mut cur));
                    have = false;
                }
            } else {
                cur.push_str(&text);
                have = have || *quoted || !text.is_empty();
            }
        }
        if have {
            fields.push(cur);
        }
        out.extend(fields);
    }
    out
}

/// Expands one word without field splitting (redirect targets, assignments).
fn expand_one(w: &Word, env: &mut dyn Env) -> String {
    let mut word = String::new();
    for (p, _) in &w.parts {
        let text = expand_part(p, env);
        if word.len() + text.len() > env.room() {
            env.overflow();
            return word;
        }
        word.push_str(&text);
    }
    word
}

/// A simple command ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub assigns: Vec<(String, String)>,
    pub argv: Vec<String>,
    /// `(fd, append, path)` for `>`/`>>`; fd 0 for `<`.
    pub redirs: Vec<(u32, RedirTarget)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirTarget {
    Write(String),
    Append(String),
    Read(String),
    /// `2>&1`
    ToStdout,
    /// `>&2`
    ToStderr,
}

/// Expands a simple command.
pub fn prepare(s: &Simple, env: &mut dyn Env) -> Prepared {
    let assigns = s
        .assigns
        .iter()
        .map(|(n, w)| (n.clone(), expand_one(w, env)))
        .collect();
    let argv = expand_words(&s.words, env);
    let redirs = s
        .redirs
        .iter()
        .map(|r| {
            let t = r
                .target
                .as_ref()
                .map(|w| expand_one(w, env))
                .unwrap_or_default();
            let target = match r.kind {
                RedirKind::Out => RedirTarget::Write(t),
                RedirKind::Append => RedirTarget::Append(t),
                RedirKind::In => RedirTarget::Read(t),
                RedirKind::DupOut => RedirTarget::ToStdout,
                RedirKind::DupErr => RedirTarget::ToStderr,
            };
            (r.fd, target)
        })
        .collect();
    Prepared {
        assigns,
        argv,
        redirs,
    }
}

/// Expands the words of a `for` loop.
pub fn expand_list(words: &[Word], env: &mut dyn Env) -> Vec<String> {
    expand_words(words, env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct E(BTreeMap<String, String>);
    impl Env for E {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn subst(&mut self, script: &str) -> String {
            format!("<{script}>\n")
        }
    }

    fn argv(src: &str) -> Vec<String> {
        let p = compile(src).expect("parses");
        let mut env = E(BTreeMap::from([
            ("a".to_string(), "x y".to_string()),
            ("p1".to_string(), "good morning!".to_string()),
        ]));
        match &p.ops[0] {
            Op::Run(s, _) => prepare(&s[0], &mut env).argv,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn words_and_quotes() {
        assert_eq!(
            argv("echo \"Hello Kubernetes!\""),
            vec!["echo", "Hello Kubernetes!"]
        );
        assert_eq!(argv("echo \"${p1} x\""), vec!["echo", "good morning! x"]);
        assert_eq!(argv("echo $a"), vec!["echo", "x", "y"]);
        assert_eq!(argv("echo \"$a\""), vec!["echo", "x y"]);
        assert_eq!(argv("echo 'a $a' b\\ c"), vec!["echo", "a $a", "b c"]);
        assert_eq!(argv("echo ${missing:-def}"), vec!["echo", "def"]);
        assert_eq!(argv("echo $(date)"), vec!["echo", "<date>"]);
        assert_eq!(argv("echo \"\""), vec!["echo", ""]);
    }

    #[test]
    fn control_flow_compiles() {
        assert!(compile("while true; do sleep 30; done;").is_ok());
        assert!(compile("while true;do echo hello;sleep 1;done").is_ok());
        assert!(
            compile("if [ -f x ]; then echo a; elif true; then echo b; else echo c; fi").is_ok()
        );
        assert!(compile("for i in 1 2 3; do echo $i; done").is_ok());
        assert!(compile("a && b || c; d | e > f 2>&1").is_ok());
        assert!(compile("echo \"unterminated").is_err());
        assert!(compile("while true; do echo").is_err());
        assert!(compile("fi").is_err());
    }

    #[test]
    fn arithmetic() {
        let var = |n: &str| (n == "i").then(|| "4".to_string());
        assert_eq!(arith("i + 1", &var), Ok(5));
        assert_eq!(arith(" (i * 10) % 7 ", &var), Ok(5));
        assert_eq!(arith("-i + 2 * 3", &var), Ok(2));
        assert_eq!(arith("$i > 3 && !0", &var), Ok(1));
        assert_eq!(arith("unset + 0x10", &var), Ok(16));
        assert_eq!(arith("1 / 0", &var), Err("divide by zero".into()));
        assert!(arith("1 +", &var).is_err());
        assert!(arith("((1)", &var).is_err());
    }

    #[test]
    fn deep_or_long_scripts_are_refused_or_compiled_without_recursion() {
        let deep = format!("{}true{}", "{ ".repeat(5000), "; }".repeat(5000));
        assert_eq!(
            compile(&deep).expect_err("too deep").to_string(),
            "syntax error: nested more than 100 levels deep"
        );
        let vars = format!("echo {}x{}", "${a:-".repeat(5000), "}".repeat(5000));
        assert!(compile(&vars).is_err());
        let chain = vec!["true"; 200_000].join(" && ");
        let p = compile(&format!("{chain} || echo no")).expect("a long chain is fine");
        assert!(p.ops.len() > 200_000);
        // Nesting people write still works.
        compile("if true; then while false; do { (echo ${a:-${b:-c}}); }; done; fi").expect("ok");
    }
}
