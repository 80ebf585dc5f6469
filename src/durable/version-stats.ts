import { DurableObject } from 'cloudflare:workers';

// Not yet implemented (issue 4: budgets, rate limits and decision records).
export class VersionStats extends DurableObject {}
