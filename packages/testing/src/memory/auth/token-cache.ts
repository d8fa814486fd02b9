/**
 * kube-apiserver's token authentication cache: a successful authentication is remembered
 * for 10 seconds (`--token-success-cache-ttl`'s default; failures are not cached), keyed by
 * the token and the audiences asked for, so a token whose ServiceAccount or bound object
 * was just deleted (or that just expired) still authenticates until its entry expires.
 * Keys are SHA-256 digests: the tokens themselves are not kept.
 */
import { createHash } from 'node:crypto';

const SUCCESS_TTL_MS = 10_000;

/** Remembered successes, by token and audiences. */
export class TokenCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The success remembered for `token` asked with `audiences`, if still fresh. */
  get(token: string, audiences: readonly string[]): V | undefined {
    const key = keyOf(token, audiences);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Remembers a success for the TTL. */
  set(token: string, audiences: readonly string[], value: V): void {
    const now = this.now();
    if (this.entries.size >= 1024) {
      for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
    }
    this.entries.set(keyOf(token, audiences), { value, expires: now + SUCCESS_TTL_MS });
  }
}

function keyOf(token: string, audiences: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([token, audiences]))
    .digest('base64');
}
