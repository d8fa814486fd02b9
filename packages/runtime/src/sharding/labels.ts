/**
 * The labels of a sharded ring: on shard Leases (which ring they belong to) and on the
 * sharded objects (which shard owns them, and whether they are being drained).
 */

/** The prefix of every sharding label. */
export const SHARDING_LABEL_DOMAIN = 'sharding.kube-ts.dev';

/** The label on shard Leases naming their ring: `kubectl get leases -l sharding.kube-ts.dev/ring=<ring>`. */
export const RING_LABEL = `${SHARDING_LABEL_DOMAIN}/ring`;

/** The label keys of one ring. */
export interface ShardLabels {
  /** The ring's name. */
  readonly ring: string;
  /** On each sharded object: the shard that owns it (`shard.sharding.kube-ts.dev/<ring>`). */
  readonly shard: string;
  /** On an object being moved: asks its shard to let go of it (`drain.sharding.kube-ts.dev/<ring>`). */
  readonly drain: string;
}

/** A DNS-1123 label: what a ring name and a shard identity must be (they appear in names and label values). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Throws a TypeError naming `what` unless `value` is a DNS-1123 label (lower case, digits, '-', at most 63). */
export function checkShardName(what: string, value: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new TypeError(
      `sharding: ${what} '${value}' must be a DNS-1123 label (lower-case letters, digits and '-', ` +
        'starting and ending with a letter or digit, at most 63 characters): it is used in label keys, label values and Lease names',
    );
  }
}

/** The label keys of ring `ring` (a DNS-1123 label). */
export function shardLabels(ring: string): ShardLabels {
  checkShardName('ring', ring);
  return {
    ring,
    shard: `shard.${SHARDING_LABEL_DOMAIN}/${ring}`,
    drain: `drain.${SHARDING_LABEL_DOMAIN}/${ring}`,
  };
}

/** The name of the shard Lease of `identity` in `ring`. */
export function shardLeaseName(ring: string, identity: string): string {
  return `${ring}-${identity}`;
}
