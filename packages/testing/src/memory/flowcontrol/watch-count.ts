/**
 * The watches API Priority and Fairness counts for its estimate of a write's work, as
 * kube-apiserver's watch tracker keeps them: a watch counts from when it is dispatched until
 * it ends, under its resource, namespace and name (a `metadata.name` field selector); a
 * watch of Pods counts only without a `spec.nodeName` it requires (a kubelet's watch is not
 * interested in most Pods). A write is of interest to the watches of its resource in every
 * namespace, in its namespace, and of its name.
 */
import type { ResourceAttributes } from '../auth/request-attributes.js';

/** The field selector value a watch of these resources is indexed by. */
const INDEXES: Readonly<Record<string, string>> = { pods: 'spec.nodeName' };

const keyOf = (a: ResourceAttributes, namespace: string, name: string) =>
  JSON.stringify([a.apiGroup, a.resource, namespace, name]);

/** The value `selector` requires `field` to equal exactly, if it does. */
function exactMatch(selector: string, field: string): string | undefined {
  for (const term of selector.split(',')) {
    const m = /^\s*([^!=\s]+)\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (m && m[1] === field) return m[3];
  }
  return undefined;
}

/** The open watches by what they watch. */
export class WatchCounts {
  private readonly counts = new Map<string, number>();

  /** Counts a watch that starts; returns what forgets it when it ends. */
  register(a: ResourceAttributes, query: URLSearchParams): () => void {
    const field = INDEXES[a.resource];
    if (field && (exactMatch(query.get('fieldSelector') ?? '', field) ?? '') !== '') {
      return () => {};
    }
    const key = keyOf(a, a.namespace, a.name);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let forgotten = false;
    return () => {
      if (forgotten) return;
      forgotten = true;
      const n = (this.counts.get(key) ?? 0) - 1;
      if (n > 0) this.counts.set(key, n);
      else this.counts.delete(key);
    };
  }

  /** The watches interested in a write with attributes `a`. */
  interested(a: ResourceAttributes): number {
    const at = (namespace: string, name: string) => this.counts.get(keyOf(a, namespace, name)) ?? 0;
    let n = at('', '');
    if (a.namespace !== '') n += at(a.namespace, '');
    if (a.name !== '') n += at(a.namespace, a.name);
    return n;
  }
}
