// The bundle integrity layer: canonical JSON, hashes, Ed25519 keys and signatures, the signed
// rollout pointer, envelope validation and diffs. Runs unchanged in Node 20 and workerd.
export { canonicalJson } from './canonical';
export { sha256Hex, computeBundleHash } from './hash';
export { generateKeyPair, importPublicKey, importPrivateKey, keyIdOf, publicKeyOf, type KeyPairText } from './keys';
export {
  signDocument,
  verifyDocument,
  signBundle,
  verifyBundle,
  verifyBundleDetailed,
  type VerifyResult,
  type VerifyFailureReason,
} from './sign';
export { signPointer, verifyPointer, parsePointer, parseGates, type Pointer, type PointerGates, type SignedPointer, type PointerVerifyResult } from './pointer';
export { parseBundle, compareSemver, isSemver, BUNDLE_FORMAT } from './validate';
export { diffPolicies, diffBundles, formatDiff, type PolicyDiff, type BundleDiff, type RuleDiff } from './diff';
