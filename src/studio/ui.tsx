// Small pieces every screen uses: an action with its busy and error state, an error line, a
// decision badge.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf } from './api';

export interface Action<A extends unknown[]> {
  run(...args: A): Promise<void>;
  busy: boolean;
  error: string | null;
}

/** Runs `fn`, keeping whether it runs and the last error's message (never thrown at the page). */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    async run(...args: A) {
      setBusy(true);
      setError(null);
      try {
        await fn(...args);
      } catch (e) {
        setError(messageOf(e));
      } finally {
        setBusy(false);
      }
    },
  };
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

export function Badge({ decision }: { decision: string }) {
  return <span class={`badge badge-${decision}`}>{decision}</span>;
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="panel" aria-label={title}>
      <header class="panel-head">
        <h2>{title}</h2>
        <div class="panel-actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export function usd(n: number | undefined): string {
  return n === undefined ? '–' : `$${n < 0.01 && n > 0 ? n.toFixed(5) : n.toFixed(2)}`;
}
