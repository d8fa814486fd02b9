/**
 * A consistent-hash ring with virtual nodes: which shard owns a hash key.
 *
 * Our own code rather than an npm package: the few on npm are unmaintained, and the ring is
 * a sorted array and a binary search. What matters is that every replica that builds the
 * ring from the same shard names gets the same answer, which a fixed hash (MD5 of UTF-8,
 * its first 48 bits) guarantees.
 */
import { hash } from 'node:crypto';

/** Default number of virtual nodes (tokens) per shard. */
export const DEFAULT_VIRTUAL_NODES = 256;

/** The position of `text` on the ring: the first 48 bits of its MD5 digest (a safe integer). */
export function ringPosition(text: string): number {
  return Number.parseInt(hash('md5', text, 'hex').slice(0, 12), 16);
}

/**
 * An immutable ring over a set of shard names. Each shard gets `virtualNodes` tokens at
 * `ringPosition('<shard>#<i>')`; a key belongs to the shard of the first token at or after
 * its own position, wrapping around. Adding or removing one shard moves only the keys of
 * the tokens it gains or loses (about 1/N of them).
 */
export class HashRing {
  /** The shards on the ring, sorted. */
  readonly shards: readonly string[];
  readonly #positions: number[];
  readonly #owners: string[];

  /** A ring over `shards` (duplicates ignored) with `virtualNodes` tokens each. */
  constructor(shards: Iterable<string>, virtualNodes: number = DEFAULT_VIRTUAL_NODES) {
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1) {
      throw new TypeError(`HashRing: virtualNodes must be a positive integer, not ${virtualNodes}`);
    }
    this.shards = [...new Set(shards)].sort();
    const tokens: { position: number; shard: string }[] = [];
    for (const shard of this.shards) {
      for (let i = 0; i < virtualNodes; i++) {
        tokens.push({ position: ringPosition(`${shard}#${i}`), shard });
      }
    }
    // Equal positions (vanishingly rare) are ordered by shard name, so every replica agrees.
    tokens.sort((a, b) => a.position - b.position || (a.shard < b.shard ? -1 : 1));
    this.#positions = tokens.map((t) => t.position);
    this.#owners = tokens.map((t) => t.shard);
  }

  /** Whether the ring has no shard. */
  get isEmpty(): boolean {
    return this.#positions.length === 0;
  }

  /** The shard that owns `key`, or `undefined` when the ring is empty. */
  shardFor(key: string): string | undefined {
    if (this.isEmpty) return undefined;
    const position = ringPosition(key);
    let low = 0;
    let high = this.#positions.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#positions[mid]! < position) low = mid + 1;
      else high = mid;
    }
    return this.#owners[low === this.#positions.length ? 0 : low];
  }
}
