// Decision records are spread over SHARDS DecisionLog objects: a record written on its own goes to
// the shard of a hash of its id (minted by the worker), a flush of the worker's write-behind buffer
// to one shard picked at random (worker/recording/decisions.ts).
// One object serializes everything sent to it, so a single log would cap the whole edge's
// decision rate at what one object can write; 16 shards give ample headroom while a query (an
// admin action, rare next to writes) fans out to only 16 objects and merges their pages.
// Changing SHARDS moves where new records go; old records stay where they are, so queries must
// keep covering every shard that ever held data (only grow it, never shrink it).
export const SHARDS = 16;

export function shardOf(recordId: string): number {
  return fnv1a(recordId) % SHARDS;
}

export function shardName(n: number): string {
  return `shard-${n}`;
}

/** 32-bit FNV-1a over UTF-16 code units: cheap, stable and well spread for ids. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
