// The podplay YAML editor: a thin layer over CodeMirror 6 that the Rust/Yew
// front end drives through wasm-bindgen (`js_namespace = PodplayEditor`).
//
// esbuild turns this file into ../editor.bundle.js, an IIFE that assigns the
// exports below to `window.PodplayEditor`. Rebuild with `npm run build` and
// check the committed bundle with `bash check.sh`.
//
// Every position that crosses the boundary to Rust is a 1-based line and a
// 1-based column, the column counted in Unicode scalar values (Rust `char`s),
// not in UTF-16 code units. The helpers below convert to and from CodeMirror's
// document offsets.

import { basicSetup } from "codemirror";
import { EditorView, keymap, hoverTooltip } from "@codemirror/view";
import { EditorState, Compartment, Prec } from "@codemirror/state";
import { indentUnit, syntaxHighlighting, HighlightStyle } from "@codemirror/language";
import { indentWithTab } from "@codemirror/commands";
import { autocompletion } from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics as lintSetDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { tags as t } from "@lezer/highlight";

// ---------------------------------------------------------------------------
// Columns <-> offsets

// UTF-16 offset inside `text` of the 1-based character column `col`
// (clamped to the end of the text).
function colToOffset(text, col) {
  let i = 0;
  for (let c = 1; c < col && i < text.length; c++) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return i;
}

// 1-based character column of the UTF-16 offset `off` inside `text`.
function offsetToCol(text, off) {
  let col = 1;
  for (let i = 0; i < off && i < text.length; col++) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return col;
}

// Line object for a 1-based line number; numbers past the end land on the
// last line, numbers below 1 on the first.
function lineFor(doc, line) {
  const n = Math.min(Math.max(1, Math.floor(Number(line) || 1)), doc.lines);
  return doc.line(n);
}

function posToLineCol(state, pos) {
  const line = state.doc.lineAt(pos);
  return { line: line.number, col: offsetToCol(line.text, pos - line.from) };
}

// ---------------------------------------------------------------------------
// Calling back into Rust

// Runs a host callback; a throw (for instance a dropped wasm-bindgen closure)
// is logged and turned into `undefined` so the editor keeps working.
function callHost(fn, ...args) {
  if (typeof fn !== "function") return undefined;
  try {
    return fn(...args);
  } catch (err) {
    console.warn("PodplayEditor: host callback failed:", err);
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Themes. Colours come from CSS custom properties so the page decides; the
// fallbacks give a usable editor on a page that sets none of them.

const mono = "var(--mono, ui-monospace, monospace)";

// Layout that does not depend on light or dark.
const layoutTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px" },
  ".cm-scroller": { overflow: "auto", fontFamily: mono, lineHeight: "1.5" },
  ".cm-podplay-hover": {
    whiteSpace: "pre-wrap",
    maxWidth: "32em",
    padding: "4px 8px",
    overflowWrap: "anywhere",
  },
});

function colourTheme(dark) {
  const fb = dark
    ? { bg: "#1e1f24", fg: "#d8dae0", gbg: "#18191d", gfg: "#7d8190", sel: "#2f4f77", cur: "#f2f2f2" }
    : { bg: "#ffffff", fg: "#1f2328", gbg: "#f6f8fa", gfg: "#6e7781", sel: "#b7d5fb", cur: "#1f2328" };
  const bg = `var(--editor-bg, ${fb.bg})`;
  const fg = `var(--editor-fg, ${fb.fg})`;
  const gutterBg = `var(--editor-gutter-bg, ${fb.gbg})`;
  const gutterFg = `var(--editor-gutter-fg, ${fb.gfg})`;
  const selection = `var(--editor-selection, ${fb.sel})`;
  const cursor = `var(--editor-cursor, ${fb.cur})`;
  const faint = dark ? "rgba(255, 255, 255, 0.05)" : "rgba(0, 0, 0, 0.04)";
  const border = dark ? "#3a3d46" : "#d0d7de";
  const popupBg = `var(--editor-gutter-bg, ${dark ? "#25272e" : "#ffffff"})`;
  return EditorView.theme(
    {
      "&": { color: fg, backgroundColor: bg },
      ".cm-content": { caretColor: cursor },
      ".cm-cursor, .cm-dropCursor": { borderLeftColor: cursor },
      "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
        { backgroundColor: selection },
      ".cm-gutters": { backgroundColor: gutterBg, color: gutterFg, borderRight: `1px solid ${border}` },
      ".cm-activeLine": { backgroundColor: faint },
      ".cm-activeLineGutter": { backgroundColor: faint, color: fg },
      ".cm-selectionMatch": { backgroundColor: dark ? "rgba(120, 160, 255, 0.18)" : "rgba(80, 140, 255, 0.15)" },
      "&.cm-focused .cm-matchingBracket": { backgroundColor: dark ? "rgba(120, 200, 120, 0.25)" : "rgba(60, 160, 60, 0.2)", outline: "none" },
      ".cm-searchMatch": { backgroundColor: dark ? "rgba(255, 200, 60, 0.25)" : "rgba(255, 200, 0, 0.35)" },
      ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: dark ? "rgba(255, 160, 40, 0.4)" : "rgba(255, 140, 0, 0.4)" },
      ".cm-panels": { backgroundColor: gutterBg, color: fg },
      ".cm-panels.cm-panels-top": { borderBottom: `1px solid ${border}` },
      ".cm-panels.cm-panels-bottom": { borderTop: `1px solid ${border}` },
      ".cm-tooltip": { backgroundColor: popupBg, color: fg, border: `1px solid ${border}` },
      ".cm-tooltip .cm-tooltip-arrow:before": { borderTopColor: border, borderBottomColor: border },
      ".cm-tooltip .cm-tooltip-arrow:after": { borderTopColor: "transparent", borderBottomColor: "transparent" },
      ".cm-tooltip-autocomplete > ul > li[aria-selected]": {
        backgroundColor: selection,
        color: fg,
      },
      ".cm-completionDetail": { color: gutterFg },
      ".cm-foldPlaceholder": { backgroundColor: "transparent", border: "none", color: gutterFg },
    },
    { dark },
  );
}

// Syntax colours. The YAML grammar tags keys as definition(propertyName),
// plain scalars as content, quoted scalars as string, `!tags` as typeName and
// anchors/aliases as labelName.
function highlight(dark) {
  const c = dark
    ? { key: "#7cb7ff", str: "#a5d68b", com: "#7f8796", meta: "#c49bf2", num: "#f0b072", kw: "#f28b82", sep: "#9aa0ac" }
    : { key: "#0550ae", str: "#116329", com: "#6e7781", meta: "#8250df", num: "#953800", kw: "#cf222e", sep: "#57606a" };
  return HighlightStyle.define([
    { tag: [t.definition(t.propertyName), t.propertyName], color: c.key },
    { tag: [t.string, t.special(t.string)], color: c.str },
    { tag: t.comment, color: c.com, fontStyle: "italic" },
    { tag: [t.meta, t.typeName, t.labelName], color: c.meta },
    { tag: [t.number, t.bool, t.null, t.atom], color: c.num },
    { tag: t.keyword, color: c.kw },
    { tag: [t.separator, t.punctuation], color: c.sep },
    { tag: t.invalid, color: c.kw },
  ]);
}

const themes = {
  light: [colourTheme(false), syntaxHighlighting(highlight(false))],
  dark: [colourTheme(true), syntaxHighlighting(highlight(true))],
};

function themeFor(dark) {
  return dark ? themes.dark : themes.light;
}

function readOnlyExt(ro) {
  return [EditorState.readOnly.of(!!ro), EditorView.editable.of(!ro)];
}

// ---------------------------------------------------------------------------
// Completion and hover, answered by Rust

function completionSource(opts) {
  return (ctx) => {
    if (typeof opts.complete !== "function") return null;
    const state = ctx.state;
    const line = state.doc.lineAt(ctx.pos);
    const col = offsetToCol(line.text, ctx.pos - line.from);
    const json = callHost(opts.complete, state.doc.toString(), line.number, col, ctx.explicit);
    if (!json) return null;
    let res;
    try {
      res = JSON.parse(json);
    } catch (err) {
      console.warn("PodplayEditor: complete() returned invalid JSON:", err);
      return null;
    }
    if (!res || !Array.isArray(res.options) || res.options.length === 0) return null;
    const fromCol = Number(res.from_col) || col;
    const from = Math.min(line.from + colToOffset(line.text, fromCol), ctx.pos);
    const options = res.options
      .filter((o) => o && typeof o.label === "string" && o.label !== "")
      .map((o) => ({
        label: o.label,
        type: o.type || undefined,
        detail: o.detail || undefined,
        info: o.info || undefined,
        apply: o.apply || o.label,
      }));
    if (options.length === 0) return null;
    return { from, options };
  };
}

function hoverExt(opts) {
  return hoverTooltip((view, pos, side) => {
    if (typeof opts.hover !== "function") return null;
    const state = view.state;
    const line = state.doc.lineAt(pos);
    // `side` < 0 means the pointer is before `pos`, i.e. over the character
    // that ends there.
    const charPos = side < 0 && pos > line.from ? pos - 1 : pos;
    const col = offsetToCol(line.text, charPos - line.from);
    const text = callHost(opts.hover, state.doc.toString(), line.number, col);
    if (!text) return null;
    const word = state.wordAt(charPos);
    return {
      pos: word ? word.from : charPos,
      end: word ? word.to : charPos,
      above: true,
      create() {
        const dom = document.createElement("div");
        dom.className = "cm-podplay-hover";
        dom.textContent = String(text);
        return { dom };
      },
    };
  });
}

// ---------------------------------------------------------------------------
// Diagnostics

// End offset (exclusive, within the line) of the token starting at `start`:
// it stops at a mapping colon (':' followed by a blank or the line end), at
// a " #" comment, or at the end of the line, and drops trailing blanks.
function tokenEnd(text, start) {
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ":" && (i + 1 === text.length || text[i + 1] === " " || text[i + 1] === "\t")) break;
    if (ch === "#" && i > start && (text[i - 1] === " " || text[i - 1] === "\t")) break;
    i++;
  }
  while (i > start && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i;
}

function toDiagnostics(doc, list) {
  const out = [];
  for (const d of list) {
    if (!d || typeof d !== "object") continue;
    const line = lineFor(doc, d.line);
    const text = line.text;
    let start = colToOffset(text, Math.max(1, Math.floor(Number(d.col) || 1)));
    let end = tokenEnd(text, start);
    if (end <= start) {
      // Nothing to underline from here: widen to at least one character,
      // backwards when the column sits at the end of a non-empty line.
      if (start < text.length) end = start + (text.codePointAt(start) > 0xffff ? 2 : 1);
      else if (start > 0) {
        end = start;
        start -= start >= 2 && /[\udc00-\udfff]/.test(text[start - 1]) ? 2 : 1;
      }
    }
    const sev = d.severity;
    out.push({
      from: Math.min(line.from + start, doc.length),
      to: Math.min(line.from + end, doc.length),
      severity: sev === "warning" || sev === "info" || sev === "hint" ? sev : "error",
      message: String(d.message ?? ""),
    });
  }
  out.sort((a, b) => a.from - b.from || a.to - b.to);
  return out;
}

// ---------------------------------------------------------------------------
// Editors, by handle

const editors = new Map();
let nextHandle = 1;

function get(handle) {
  const ed = editors.get(handle);
  if (!ed) throw new Error(`PodplayEditor: no editor with handle ${handle}`);
  return ed;
}

/**
 * Creates an editor inside `parent` and returns its handle (a number).
 * opts: { dark, label, onChange(doc), onApply(), complete(doc, line, col, explicit),
 *         hover(doc, line, col) }; every field is optional.
 */
export function create(parent, doc, opts) {
  // Keep our own copy so later changes to the object the host passed in do
  // not matter, but read callbacks through it at call time.
  const o = Object.assign({}, opts || {});
  const theme = new Compartment();
  const readOnly = new Compartment();
  const apply = () => {
    if (typeof o.onApply !== "function") return false;
    callHost(o.onApply);
    return true;
  };

  const extensions = [
    basicSetup,
    // Ctrl-Enter and Cmd-Enter apply the document, on every platform and
    // before anything else (the default keymap would insert a blank line).
    Prec.highest(keymap.of(["Mod-Enter", "Ctrl-Enter", "Meta-Enter"].map((key) => ({ key, run: apply, preventDefault: true })))),
    // Tab indents. CodeMirror's own escape hatch keeps keyboard users from
    // being trapped: Escape, then Tab (within two seconds), moves focus on.
    keymap.of([indentWithTab]),
    indentUnit.of("  "),
    EditorState.tabSize.of(2),
    yaml(),
    autocompletion({ override: [completionSource(o)], activateOnTyping: true }),
    hoverExt(o),
    lintGutter(),
    layoutTheme,
    theme.of(themeFor(!!o.dark)),
    readOnly.of(readOnlyExt(false)),
    EditorView.contentAttributes.of({ "aria-label": o.label ? String(o.label) : "YAML editor" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) callHost(o.onChange, update.state.doc.toString());
    }),
  ];

  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: doc == null ? "" : String(doc), extensions }),
  });
  const handle = nextHandle++;
  editors.set(handle, { view, theme, readOnly });
  return handle;
}

/** Replaces the whole document (fires onChange if the text differs). */
export function setDoc(handle, doc) {
  const { view } = get(handle);
  const text = doc == null ? "" : String(doc);
  if (text === view.state.doc.toString()) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** The current document text. */
export function getDoc(handle) {
  return get(handle).view.state.doc.toString();
}

/**
 * Shows diagnostics given as JSON text:
 * [{"line": n, "col": n, "message": s, "severity": "error"|"warning"}].
 * An empty array clears them.
 */
export function setDiagnostics(handle, json) {
  const { view } = get(handle);
  let list = [];
  if (json) {
    try {
      list = JSON.parse(json);
    } catch (err) {
      console.warn("PodplayEditor: setDiagnostics got invalid JSON:", err);
      return;
    }
  }
  if (!Array.isArray(list)) list = [];
  view.dispatch(lintSetDiagnostics(view.state, toDiagnostics(view.state.doc, list)));
}

/** Switches between the dark and the light theme. */
export function setDark(handle, dark) {
  const { view, theme } = get(handle);
  view.dispatch({ effects: theme.reconfigure(themeFor(!!dark)) });
}

/** Makes the editor read-only (true) or editable again (false). */
export function setReadOnly(handle, ro) {
  const { view, readOnly } = get(handle);
  view.dispatch({ effects: readOnly.reconfigure(readOnlyExt(!!ro)) });
}

/** Moves keyboard focus into the editor. */
export function focus(handle) {
  get(handle).view.focus();
}

/** Removes the editor from the page and forgets its handle. */
export function destroy(handle) {
  const ed = editors.get(handle);
  if (!ed) return;
  editors.delete(handle);
  ed.view.destroy();
}

/** The main cursor as JSON text {"line": n, "col": n}, both 1-based. */
export function cursor(handle) {
  const { view } = get(handle);
  return JSON.stringify(posToLineCol(view.state, view.state.selection.main.head));
}
