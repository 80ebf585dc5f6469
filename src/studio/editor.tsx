// CodeMirror 6 on one policy file: YAML highlighting, the worker's lint findings as inline
// diagnostics at their exact line and column, and completion (completion.ts) of context fields,
// `$` element paths, operators, obligation types and decisions where the YAML key asks for one.
import { autocompletion } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { forceLinting, linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import type { LintFinding } from '../lint/finding';
import { completePolicy } from './completion';

export interface EditorProps {
  file: string;
  text: string;
  onChange(text: string): void;
  /** Lints the whole set with this file's text; resolves to this file's findings. */
  lint(text: string): Promise<LintFinding[]>;
  /** Scroll to and select a line (a test failure, a finding); `seq` makes a repeat jump count. */
  jump?: { line: number; seq: number };
}

/** A finding's place in the document: from its column to the end of the word there. */
export function diagnosticOf(doc: Text, f: LintFinding): Diagnostic | undefined {
  if (f.line === undefined || f.line < 1 || f.line > doc.lines) return undefined;
  const line = doc.line(f.line);
  const from = Math.min(line.from + Math.max(0, (f.column ?? 1) - 1), line.to);
  const rest = line.text.slice(from - line.from);
  const word = /^[^\s,}\]]+/.exec(rest)?.[0].length ?? 0;
  const to = word > 0 ? from + word : line.to;
  const severity = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info';
  const message = `[${f.code}] ${f.message}${f.suggestion ? ` (${f.suggestion})` : ''}`;
  return { from, to: Math.max(to, from), severity, message, source: 'llm-policy lint' };
}

export function PolicyEditor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const latest = useRef(props);
  latest.current = props;
  // Texts this editor reported through onChange that the page has not caught up with yet. A render
  // whose text is one of them is our own echo (possibly a stale one: Preact runs a render's
  // effects as late as the start of the next render, keys typed in between), never a change from
  // outside. Writing a stale echo back into the document reverted the last keystrokes and made
  // two texts replace each other forever, which hung the page while typing.
  const echoes = useRef(new Set<string>());

  const stateFor = (text: string) =>
    EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        linter(async (v) => {
          const doc = v.state.doc;
          const findings = await latest.current.lint(doc.toString());
          return findings.map((f) => diagnosticOf(doc, f)).filter((d): d is Diagnostic => d !== undefined);
        }, { delay: 300 }),
        autocompletion({ override: [completePolicy] }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          const text = u.state.doc.toString();
          echoes.current.add(text);
          latest.current.onChange(text);
        }),
        EditorView.contentAttributes.of({ 'aria-label': `policy file ${latest.current.file}` }),
        EditorView.lineWrapping,
      ],
    });

  useEffect(() => {
    view.current = new EditorView({ state: stateFor(props.text), parent: host.current! });
    return () => view.current?.destroy();
  }, []);

  // Another file: a fresh state (its own undo history).
  useEffect(() => {
    const v = view.current;
    echoes.current.clear();
    if (v && v.state.doc.toString() !== props.text) v.setState(stateFor(props.text));
    else if (v) forceLinting(v);
  }, [props.file]);

  // Text changed from outside (rule builder, accepted generation, loaded bundle).
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current === props.text) echoes.current.clear(); // caught up
    else if (!echoes.current.has(props.text)) {
      echoes.current.clear();
      v.dispatch({ changes: { from: 0, to: current.length, insert: props.text } });
    }
  }, [props.text]);

  useEffect(() => {
    const v = view.current;
    if (!v || !props.jump) return;
    const line = v.state.doc.line(Math.min(Math.max(1, props.jump.line), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from, head: line.to }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    v.focus();
  }, [props.jump?.seq]);

  return <div class="editor" ref={host} />;
}
