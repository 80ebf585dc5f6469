// A stand-in for the remote classifiers of injection stage two, on 127.0.0.1:
//   POST /score              the HTTP classifier: {text} -> {score}: 0.97 when the text holds
//                            FAKE-ATTACK, else 0.02
//   POST /slow               never answers (until the caller gives up)
//   POST /status/<code>      answers with that status
//   POST /no-score           answers 200 with a body that has no score
//   POST /accounts/test/ai/run/<model>   Workers AI's REST API: a judge model answers "0.93" for
//                            FAKE-ATTACK and "0.04" otherwise; a model named *guard* answers
//                            unsafe, category S9, for FAKE-WEAPON, else safe
//   GET  /__received?marker=M   the requests whose body contains M
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeClassifier {
  port: number;
  close(): Promise<void>;
}

interface Received {
  path: string;
  authorization?: string;
  body: any;
  raw: string;
}

const send = (res: import('node:http').ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export async function startFakeClassifier(): Promise<FakeClassifier> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/__received') {
      const marker = url.searchParams.get('marker') ?? '';
      return send(res, 200, received.filter((r) => r.raw.includes(marker)));
    }
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      received.push({ path: url.pathname, authorization: req.headers.authorization, body, raw });
      const text = JSON.stringify(body ?? '');
      if (url.pathname === '/score') return send(res, 200, { score: text.includes('FAKE-ATTACK') ? 0.97 : 0.02 });
      if (url.pathname === '/slow') return; // the caller's timeout ends it
      if (url.pathname.startsWith('/status/')) return send(res, Number(url.pathname.slice(8)), { error: 'fake failure' });
      if (url.pathname === '/no-score') return send(res, 200, { label: 'INJECTION' });
      const run = /^\/accounts\/test\/ai\/run\/(.+)$/.exec(url.pathname);
      if (run) {
        const model = run[1]!;
        const response = model.includes('guard')
          ? text.includes('FAKE-WEAPON') ? { safe: false, categories: ['S9'] } : { safe: true }
          : text.includes('FAKE-ATTACK') ? '0.93' : '0.04';
        return send(res, 200, { success: true, result: { response } });
      }
      send(res, 404, { error: 'no such fake route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
