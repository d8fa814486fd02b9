import { ControlPlaneError } from './errors.js';
import { sendRequest } from './http-request.js';

/**
 * Compacts the history of the etcd at `etcdUrl` up to its current revision (a physical
 * compaction, as kube-apiserver's periodic compactor does); resolves with that revision.
 * Throws a ControlPlaneError when etcd does not answer as expected.
 */
export async function compactEtcd(etcdUrl: string): Promise<number> {
  // A range request on any key returns the store's current revision in its header.
  const range = await sendRequest(`${etcdUrl}/v3/kv/range`, {
    method: 'POST',
    json: { key: 'AA==' },
  });
  const revision = Number(
    (JSON.parse(range.body) as { header?: { revision?: string } }).header?.revision,
  );
  if (range.status !== 200 || !Number.isInteger(revision)) {
    throw new ControlPlaneError(
      `etcd did not report its revision (HTTP ${range.status}): ${range.body.slice(0, 300)}`,
    );
  }
  const compacted = await sendRequest(`${etcdUrl}/v3/kv/compaction`, {
    method: 'POST',
    json: { revision: String(revision), physical: true },
  });
  if (compacted.status !== 200 && !compacted.body.includes('compacted')) {
    throw new ControlPlaneError(
      `etcd compaction failed (HTTP ${compacted.status}): ${compacted.body.slice(0, 300)}`,
    );
  }
  return revision;
}
