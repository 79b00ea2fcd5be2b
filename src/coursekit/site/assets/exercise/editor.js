// The exercise editor: CodeMirror 6 with what a learner writing Python needs, and no more.
// esbuild bundles this file (with its npm packages) into the site when the site is built;
// exercise.js imports the bundle only when an exercise scrolls into view or is used, so
// it costs nothing before then.
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import {
  EditorView, drawSelection, highlightActiveLineGutter, highlightSpecialChars, keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// Colours come from exercise.css (--ck-hl-*): Material's code colours, nudged where they fall
// just short of WCAG AA contrast, for the light and the dark scheme.
const hl = (name) => `var(--ck-hl-${name})`;
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: hl("keyword") },
  { tag: [t.string, t.special(t.string)], color: hl("string") },
  { tag: [t.number, t.bool, t.null], color: hl("number") },
  { tag: [t.comment, t.lineComment, t.docString], color: hl("comment"), fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName)],
    color: hl("function") },
  { tag: [t.className, t.definition(t.className)], color: hl("constant") },
  { tag: [t.operator, t.compareOperator, t.arithmeticOperator, t.logicOperator], color: hl("comment") },
  { tag: [t.punctuation, t.bracket, t.paren, t.squareBracket, t.brace], color: hl("comment") },
  { tag: [t.self, t.standard(t.variableName)], color: hl("special") },
  { tag: t.invalid, color: hl("special") },
]);

const theme = EditorView.theme({
  "&": { color: "var(--md-code-fg-color)", backgroundColor: "var(--md-code-bg-color)", fontSize: ".85em" },
  ".cm-content": { fontFamily: "var(--md-code-font-family)", caretColor: "var(--md-code-fg-color)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  // Colours that keep WCAG AA contrast on the code background in both schemes (axe checks them).
  ".cm-gutters": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-code-fg-color)", border: "none" },
  ".cm-activeLineGutter": { backgroundColor: "transparent", fontWeight: "bold" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--md-accent-fg-color--transparent)" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)", outlineOffset: "1px" },
});

/** Mount an editor in `parent`. Returns {getValue, setValue, focus, view}. */
export function createEditor(parent, doc, { label, onChange, onSubmit } = {}) {
  const submit = () => { onSubmit?.(); return true; };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(),
        indentUnit.of("    "), EditorState.tabSize.of(4), python(), syntaxHighlighting(highlight), theme,
        EditorView.lineWrapping,
        // Keep the caret out from under Material's sticky header when the editor scrolls to it.
        EditorView.scrollMargins.of(() => ({
          top: (document.querySelector(".md-header")?.getBoundingClientRect().bottom ?? 0) + 8 })),
        keymap.of([{ key: "Mod-Enter", run: submit }, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap,
          indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": label ?? "Code editor", "aria-multiline": "true" }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange?.(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
