// The Policy Studio shell: sign-in, the navigation, and the state the screens share.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, messageOf, savedToken, saveToken, whenUnauthorized } from './api';
import { Budgets } from './screens/budgets';
import { Decisions } from './screens/decisions';
import { DiffScreen } from './screens/diff';
import { EditorScreen } from './screens/editor';
import { Generate } from './screens/generate';
import { Replay } from './screens/replay';
import { Rollout } from './screens/rollout';
import { Sandbox } from './screens/sandbox';
import { Ship } from './screens/ship';
import { Tests } from './screens/tests';
import { FILES_KEY, SCREENS, type Files, type Running, type Screen, type Studio } from './studio';
import { TEMPLATES } from './templates';

function screenOfHash(): Screen {
  const id = location.hash.replace(/^#\/?/, '');
  return (SCREENS.find((s) => s.id === id)?.id ?? 'editor') as Screen;
}

function storedFiles(): Files | null {
  try {
    const files = JSON.parse(sessionStorage.getItem(FILES_KEY) ?? 'null');
    return files && typeof files === 'object' && Object.keys(files).length > 0 ? files : null;
  } catch {
    return null;
  }
}

export function App() {
  const [token, setToken] = useState<string | null>(savedToken());
  if (!token) return <SignIn onSignedIn={setToken} />;
  return <Workspace onSignOut={() => { saveToken(null); setToken(null); }} />;
}

function SignIn({ onSignedIn }: { onSignedIn(token: string): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('GET', '/v1/bundles/active', undefined, value.trim());
      saveToken(value.trim());
      onSignedIn(value.trim());
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form onSubmit={submit} aria-label="sign in">
        <h1>Policy Studio</h1>
        <p>Write, test, replay and ship the policies of this edge. Sign in with the worker's admin token (under <code>npm run dev</code>: <code>dev-admin-token</code>). It stays in this tab only.</p>
        <label for="token">Admin token</label>
        <input id="token" type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} required autofocus />
        <button type="submit" disabled={busy || !value.trim()}>{busy ? 'Checking…' : 'Sign in'}</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}

function Workspace({ onSignOut }: { onSignOut(): void }) {
  const [screen, setScreen] = useState<Screen>(screenOfHash());
  const [files, setFilesState] = useState<Files>(storedFiles() ?? {});
  const [current, setCurrent] = useState<string>(Object.keys(storedFiles() ?? {}).sort()[0] ?? '');
  const [running, setRunning] = useState<Running | null>(null);
  const [health, setHealth] = useState<{ ok: boolean; text: string }>({ ok: true, text: 'connecting…' });
  const [jump, setJump] = useState<{ file: string; line: number; seq: number } | undefined>();
  const [sandboxContext, setSandboxContext] = useState<object | null>(null);

  useEffect(() => whenUnauthorized(onSignOut), []);
  useEffect(() => {
    const onHash = () => setScreen(screenOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    sessionStorage.setItem(FILES_KEY, JSON.stringify(files));
  }, [files]);

  const checkHealth = async () => {
    try {
      const h = await api('GET', '/healthz');
      setHealth({ ok: true, text: h.bundle ? `running ${h.bundle.version}` : 'no bundle published' });
    } catch (e) {
      setHealth({ ok: false, text: e instanceof ApiFailure && e.kind === 'unreachable' ? 'worker unreachable' : messageOf(e) });
    }
  };

  const reloadRunning = async (): Promise<Running> => {
    const res = await api('POST', '/v1/policies/diff', { files: {} });
    const r = { version: res.before.version ?? null, files: res.before.files ?? {} };
    setRunning(r);
    return r;
  };

  useEffect(() => {
    void checkHealth();
    const timer = setInterval(checkHealth, 15_000);
    // A first visit starts from what the worker runs, or from a template when nothing is published.
    reloadRunning()
      .then((r) => {
        if (Object.keys(storedFiles() ?? {}).length > 0) return;
        const start = Object.keys(r.files).length > 0 ? r.files : TEMPLATES['model-access'].files;
        setFilesState(start);
        setCurrent(Object.keys(start).sort()[0]);
      })
      .catch(() => undefined);
    return () => clearInterval(timer);
  }, []);

  const studio: Studio = {
    files,
    current,
    running,
    sandboxContext,
    setFiles(next, focus) {
      setFilesState(next);
      setCurrent(focus && next[focus] !== undefined ? focus : Object.keys(next).sort()[0] ?? '');
    },
    setFile(name, text) {
      setFilesState((f) => ({ ...f, [name]: text }));
    },
    setCurrent,
    reloadRunning,
    go(next, opts = {}) {
      if (opts.jump) {
        setCurrent(opts.jump.file);
        setJump({ ...opts.jump, seq: (jump?.seq ?? 0) + 1 });
      }
      if (opts.sandbox) setSandboxContext(opts.sandbox);
      location.hash = `#/${next}`;
      setScreen(next);
    },
  };

  return (
    <div class="shell">
      <header class="top">
        <h1>Policy Studio</h1>
        <span class={health.ok ? 'health' : 'health health-down'} role="status">{health.text}</span>
        <button class="link" onClick={onSignOut}>Sign out</button>
      </header>
      <nav aria-label="screens">
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <a href={`#/${s.id}`} aria-current={s.id === screen ? 'page' : undefined} title={s.hint}>{s.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content" id="main">
        {!health.ok && <p class="error banner" role="alert">The worker does not answer ({health.text}). Start it with <code>npm run dev</code>; the Studio retries every 15 s. <button onClick={checkHealth}>Retry now</button></p>}
        {screen === 'editor' && <EditorScreen studio={studio} jump={jump && jump.file === current ? jump : undefined} />}
        {screen === 'generate' && <Generate studio={studio} />}
        {screen === 'tests' && <Tests studio={studio} />}
        {screen === 'sandbox' && <Sandbox studio={studio} consume={() => setSandboxContext(null)} />}
        {screen === 'replay' && <Replay studio={studio} />}
        {screen === 'diff' && <DiffScreen studio={studio} />}
        {screen === 'ship' && <Ship studio={studio} />}
        {screen === 'rollout' && <Rollout />}
        {screen === 'decisions' && <Decisions studio={studio} />}
        {screen === 'budgets' && <Budgets studio={studio} />}
      </main>
    </div>
  );
}
