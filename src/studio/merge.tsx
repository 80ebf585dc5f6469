// A read-only side-by-side diff of two texts (CodeMirror's merge view).
import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';

export function SideBySide({ before, after, labels }: { before: string; after: string; labels: [string, string] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const readOnly = [basicSetup, yaml(), EditorState.readOnly.of(true), EditorView.editable.of(false)];
    const view = new MergeView({ a: { doc: before, extensions: readOnly }, b: { doc: after, extensions: readOnly }, parent: host.current!, collapseUnchanged: { margin: 3, minSize: 6 } });
    return () => view.destroy();
  }, [before, after]);
  return (
    <figure class="merge">
      <figcaption><span>{labels[0]}</span><span>{labels[1]}</span></figcaption>
      <div ref={host} />
    </figure>
  );
}
