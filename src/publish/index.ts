// Publishing and rollout, for the CLIs (scripts/publish.ts and `llm-policy publish/promote/
// rollback/status`) and for `npm run dev`. Node only.
export { publish, type PublishOptions, type PublishResult } from './pipeline';
export { promote, rollback, type PromoteOptions, type PromotionGate, type PointerMove } from './rollout-commands';
export { status, formatStatus, type RolloutStatus } from './status';
export { type KvTarget, POINTER_KEY, HISTORY_KEY, BUNDLE_KEY_PREFIX, CLIENT_KEY_PREFIX, bundleKey, withTarget } from './kv-target';
export { MemoryKvTarget } from './memory-kv-target';
export { LocalKvTarget, defaultPersistTo, type LocalKvOptions } from './local-kv-target';
export { WranglerKvTarget, type CommandRunner, type CommandResult } from './wrangler-kv-target';
export { kvGetCommand, kvPutCommand, kvListCommand, formatCommand, type WranglerKvScope } from './wrangler-kv-commands';
export { createTarget, type TargetKind } from './create-target';
export { ensureDevKeyPair, loadSigningKey, devPrivateKeyPath, DEV_KEY_DIR, type SigningKey } from './keys';
export { chooseVersion, nextPatch, listBundleVersions, FIRST_VERSION } from './versions';
export { PROMOTE_STEPS, type HistoryEntry, type RolloutState, type RolloutAction } from './rollout';
export { formatFinding } from './report';
