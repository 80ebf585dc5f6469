// A closed-loop load generator with microsecond timing: `connections` loops, each sending its
// next request when the last one finished, over keep-alive sockets. For each request it records
// the time to the first body byte and to the end of the body. (autocannon reports whole
// milliseconds, too coarse for sub-millisecond overheads.)
import { Agent, request } from 'node:http';
import { cpuSeconds } from './worker-setup';

export interface Samples {
  /** ms from sending to the first body byte. */
  firstByte: number[];
  /** ms from sending to the end of the body. */
  total: number[];
  failures: number;
  /** CPU seconds the serving processes used during the run. */
  cpuSeconds: number;
}

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
  /** Processes whose CPU time the run is charged (Linux /proc). */
  pids?: number[];
}

export async function runLoad(spec: LoadSpec): Promise<Samples> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const samples: Samples = { firstByte: [], total: [], failures: 0, cpuSeconds: 0 };
  const cpuBefore = cpuSeconds(spec.pids ?? []);
  const deadline = performance.now() + spec.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const r = await once(spec, agent).catch(() => undefined);
      if (!r || r.status !== 200) samples.failures++;
      else {
        samples.firstByte.push(r.firstByte);
        samples.total.push(r.total);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, loop));
  samples.cpuSeconds = cpuSeconds(spec.pids ?? []) - cpuBefore;
  agent.destroy();
  return samples;
}

function once(spec: LoadSpec, agent: Agent): Promise<{ status: number; firstByte: number; total: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(spec.url, { method: 'POST', agent, headers: { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) } }, (res) => {
      let firstByte = NaN;
      res.on('data', () => {
        if (Number.isNaN(firstByte)) firstByte = performance.now() - started;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, firstByte, total: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(spec.body);
  });
}
