/**
 * The hashes controllers name what they create by, spelled as Kubernetes spells generated
 * names (`rand.SafeEncodeString` over the hash's decimal digits):
 * - the `pod-template-hash` of a Deployment's pod template: a 32-bit FNV-1a hash of the
 *   template (and the collision count), as the Deployment controller forms it (its Go hash
 *   walks the template struct; this one hashes the template's JSON, so the values differ
 *   from a real cluster's, but have the same shape and change exactly when the template
 *   does);
 * - the hash of a ControllerRevision (`controller.kubernetes.io/hash`, the name's suffix):
 *   a 32-bit FNV-1 hash of the revision's raw data and the collision count, as the
 *   controller history forms it, so the same data gives a real cluster's value.
 */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

function fnv1_32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

/** A hash's decimal digits in the alphabet of generated names. */
function safeEncode(hash: number): string {
  return [...String(hash)].map((digit) => ALPHABET[digit.charCodeAt(0) % ALPHABET.length]).join('');
}

/** The hash label value of `template` (with `collisionCount`, when set). */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const text =
    JSON.stringify(template ?? {}) + (collisionCount === undefined ? '' : String(collisionCount));
  return safeEncode(fnv1a32(text));
}

/** The hash of a ControllerRevision whose raw data is `raw`, probed with `collisionCount`. */
export function controllerRevisionHash(raw: string, collisionCount: number): string {
  return safeEncode(fnv1_32(raw + String(collisionCount)));
}
