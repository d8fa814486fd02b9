/**
 * The `pod-template-hash` of a Deployment's pod template: a 32-bit FNV-1a hash of the
 * template (and the collision count), its decimal digits spelled with the alphabet
 * Kubernetes uses for generated names, as the Deployment controller forms it (its Go hash
 * walks the template struct; this one hashes the template's JSON, so the values differ
 * from a real cluster's, but have the same shape and change exactly when the template does).
 */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The hash label value of `template` (with `collisionCount`, when set). */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const text =
    JSON.stringify(template ?? {}) + (collisionCount === undefined ? '' : String(collisionCount));
  return [...String(fnv1a32(text))]
    .map((digit) => ALPHABET[digit.charCodeAt(0) % ALPHABET.length])
    .join('');
}
