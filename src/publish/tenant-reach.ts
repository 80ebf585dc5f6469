// `status --tenant T`: which canary bucket a tenant hashes to and which version it is served. The
// bucket is the worker's own function (src/worker/bundle/canary.ts), so what this prints is what
// the edge does. The tenant key is the request's team.id, else user.id, else the client key id.
import { canaryBucket, usesCanary } from '../worker/bundle/canary';
import type { RolloutState } from './rollout';

export interface TenantReach {
  tenant: string;
  bucket: number;
  /** The version the tenant is served, and as what. */
  version: string;
  role: 'stable' | 'canary';
  /** True when a canary would serve it but the kill switch sends it to the stable. */
  stopped?: boolean;
}

export function tenantReach(pointer: RolloutState, tenant: string, killSwitchActive = false): TenantReach {
  const bucket = canaryBucket(tenant);
  const inCanary = pointer.canary !== undefined && usesCanary(tenant, pointer.canaryPercent);
  if (inCanary && !killSwitchActive) return { tenant, bucket, version: pointer.canary!, role: 'canary' };
  return { tenant, bucket, version: pointer.stable, role: 'stable', ...(inCanary ? { stopped: true } : {}) };
}

/** One line, e.g. `tenant:   dev-team is in bucket 65 of 0-99: gets the stable 0.1.5 (canary 0.1.8 at 10% serves buckets 0-9)`. */
export function formatTenantReach(r: TenantReach, pointer: RolloutState): string {
  const serves = pointer.canary ? `canary ${pointer.canary} at ${pointer.canaryPercent}% serves buckets 0-${pointer.canaryPercent - 1}` : 'no canary running';
  const gets = r.stopped ? `gets the stable ${r.version}: the kill switch stopped the canary` : `gets the ${r.role} ${r.version}`;
  return `tenant:   ${JSON.stringify(r.tenant)} is in bucket ${r.bucket} of 0-99: ${gets} (${serves})`;
}
