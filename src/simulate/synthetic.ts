// Synthetic request contexts for `simulate --synthetic N --seed S`: deterministic for a seed, shaped
// like real gateway traffic (see population.ts), with the spec §7 fields policies test, plus the
// metadata.riskScore, metadata.batchSize and metadata.metrics.* the shipped example policies read. The derived
// fields (canonical model, tokens, cost, PII, injection, time) are set directly from their distributions, so a run
// does not depend on enrichment and the same seed gives the same contexts on any day.
import {
  BATCH_SIZE_MAX, BATCH_SIZE_MEDIAN, BATCH_SIZE_SPREAD, DEFAULT_OUTPUT_TOKENS, ERROR_INCIDENT_RATE, ERROR_RATE_NORMAL,
  METRICS_WINDOW, RISK_BANDS, ENVIRONMENTS, HOURS, INJECTION_PHRASES, INJECTION_RATE, INJECTION_SIGNALS, LONG_CONTEXT_MEDIAN,
  LONG_CONTEXT_MODELS, LONG_CONTEXT_RATE, LONG_CONTEXT_SPREAD, MAX_TOKENS,
  MODELS, PII_RATE, PII_SAMPLES, PII_TYPES, PROJECTS_PER_TEAM, PROMPT_TOKENS_MAX, PROMPT_TOKENS_MEDIAN,
  PROMPT_TOKENS_SPREAD, ROLES, SOURCES, TASKS, TEAM_COUNT, TIERS, USERS_PER_TEAM, WEEKDAYS, type ModelProfile,
} from './population';
import { canonicalModel } from '../enrich/canonical-model';
import { seededRandom, type Random } from './random';

interface Team {
  id: string;
  name: string;
  tier: string;
  projects: Array<{ id: string; name: string; environment: string }>;
  users: Array<{ id: string; email: string; roles: string[] }>;
}

// The first Sunday of 2026: time.weekday 0..6 counts from here.
const WEEK_START_UTC = Date.UTC(2026, 0, 4);
const TEAM_NAMES = ['search', 'billing', 'support', 'growth', 'platform', 'data', 'mobile', 'security', 'docs', 'research'];

export function syntheticContexts(count: number, seed: string | number): Array<Record<string, unknown>> {
  const random = seededRandom(seed);
  const teams = Array.from({ length: TEAM_COUNT }, (_, i) => makeTeam(random, i));
  // A few teams send most of the traffic (Zipf-like).
  const teamWeights = teams.map((team, i) => [team, 1 / Math.pow(i + 1, 0.8)] as const);
  return Array.from({ length: count }, () => makeContext(random, random.weighted(teamWeights)));
}

function makeTeam(random: Random, index: number): Team {
  const number = String(index + 1).padStart(3, '0');
  const id = `team-${number}`;
  const projects = Array.from({ length: PROJECTS_PER_TEAM }, (_, p) => ({
    id: `${id}-proj-${p + 1}`,
    name: `${TEAM_NAMES[index % TEAM_NAMES.length]} project ${p + 1}`,
    environment: random.weighted(ENVIRONMENTS),
  }));
  const users = Array.from({ length: USERS_PER_TEAM }, (_, u) => {
    const userId = `user-${number}-${String(u + 1).padStart(2, '0')}`;
    return { id: userId, email: `${userId}@example.com`, roles: [...random.weighted(ROLES)] };
  });
  return { id, name: `${TEAM_NAMES[index % TEAM_NAMES.length]}-${number}`, tier: random.weighted(TIERS), projects, users };
}

function makeContext(random: Random, team: Team): Record<string, unknown> {
  const longContext = random.chance(LONG_CONTEXT_RATE);
  const model = longContext ? modelNamed(random.weighted(LONG_CONTEXT_MODELS)) : random.weighted(MODELS.map((m) => [m, m.weight] as const));
  const user = random.pick(team.users);
  const project = random.pick(team.projects);
  const piiTypes = random.chance(PII_RATE) ? distinct(random, PII_TYPES, random.weighted([[1, 80], [2, 15], [3, 5]] as const)) : [];
  const injected = random.chance(INJECTION_RATE);
  const injectionScore = round(injected ? 0.6 + random.next() * 0.4 : random.next() * random.next() * 0.3, 3);
  const text = promptText(random, piiTypes, injected);
  const tokens = longContext ? random.logNormal(LONG_CONTEXT_MEDIAN, LONG_CONTEXT_SPREAD) : random.logNormal(PROMPT_TOKENS_MEDIAN, PROMPT_TOKENS_SPREAD);
  const promptTokens = Math.min(PROMPT_TOKENS_MAX, Math.max(5, Math.round(tokens)));
  const maxTokens = random.weighted(MAX_TOKENS);
  const source = random.weighted(SOURCES);
  const batchSize = source === 'batch' ? Math.min(BATCH_SIZE_MAX, Math.max(2, Math.round(random.logNormal(BATCH_SIZE_MEDIAN, BATCH_SIZE_SPREAD)))) : 1;
  const [riskLow, riskHigh] = random.weighted(RISK_BANDS);
  const errorRate = random.chance(ERROR_INCIDENT_RATE) ? 0.003 + random.next() * 0.03 : random.next() * 2 * ERROR_RATE_NORMAL;
  const hour = random.weighted(HOURS);
  const weekday = random.weighted(WEEKDAYS);
  const minute = random.int(0, 59);

  const llm: Record<string, unknown> = {
    provider: model.provider,
    model: model.model,
    ...optional('canonicalModel', canonicalModel(model.model)),
    ...(random.chance(0.7) ? { messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: text }] } : { prompt: text }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    temperature: round(random.weighted([[0, 20], [0.2, 20], [0.7, 40], [1, 15], [1.5, 5]] as const), 1),
    stream: random.chance(0.3),
    estimatedTokens: promptTokens * batchSize,
    estimatedCost: round(cost(model, promptTokens, maxTokens ?? DEFAULT_OUTPUT_TOKENS) * batchSize, 6),
    containsPII: piiTypes.length > 0,
    piiTypes,
    injectionScore,
    injectionSignals: injected ? distinct(random, INJECTION_SIGNALS.map((s) => [s, 1] as const), random.int(1, 2)) : [],
  };
  return {
    llm,
    user: { id: user.id, email: user.email, roles: user.roles },
    team: { id: team.id, name: team.name, tier: team.tier },
    project: { id: project.id, name: project.name, environment: project.environment },
    metadata: {
      source, ...(batchSize > 1 ? { batchSize } : {}), riskScore: random.int(riskLow, riskHigh),
      metrics: { errorRate: round(errorRate, 5), window: METRICS_WINDOW },
    },
    time: { hour, weekday, iso: new Date(WEEK_START_UTC + ((weekday * 24 + hour) * 60 + minute) * 60_000).toISOString() },
  };
}

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}

/** The user's text, carrying the PII and the injection attempt the flags claim. */
function promptText(random: Random, piiTypes: string[], injected: boolean): string {
  const parts = [random.pick(TASKS)];
  for (const type of piiTypes) parts.push(`Contact: ${PII_SAMPLES[type]}`);
  if (injected) parts.push(random.pick(INJECTION_PHRASES));
  return parts.join('\n');
}

function modelNamed(name: string): ModelProfile {
  const model = MODELS.find((m) => m.model === name);
  if (!model) throw new Error(`population.ts: LONG_CONTEXT_MODELS names ${name}, which MODELS lacks`);
  return model;
}

function cost(model: ModelProfile, promptTokens: number, outputTokens: number): number {
  return round((promptTokens * model.inputPerMillion + outputTokens * model.outputPerMillion) / 1_000_000, 6);
}

/** `n` different values, drawn by weight. */
function distinct<T>(random: Random, items: ReadonlyArray<readonly [T, number]>, n: number): T[] {
  const left = [...items];
  const out: T[] = [];
  while (out.length < n && left.length > 0) {
    const value = random.weighted(left);
    out.push(value);
    left.splice(left.findIndex(([v]) => v === value), 1);
  }
  return out;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
