// Structured logs: one JSON object per line, so Workers Logs / Logpush can filter on fields.
// Callers pass only non-secret fields; tokens and keys never reach a log line.

export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
