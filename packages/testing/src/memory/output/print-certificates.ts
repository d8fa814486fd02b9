/**
 * Table cells of CertificateSigningRequests, computed as kube-apiserver's printer computes
 * them (v1.36.3): the signer, the requestor the server recorded, the requested duration
 * and a condition summary.
 */
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { arr, type Cells, humanDuration, NONE, obj, str } from './print-format.js';

/** Denied wins over Approved, else Pending; then `,Failed` and `,Issued` when they apply. */
function csrCondition(o: JsonObject): string {
  const status = obj(o.status);
  const types = new Set(arr(status.conditions).map((c) => c.type));
  let text = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) text += ',Failed';
  if (str(status.certificate)) text += ',Issued';
  return text;
}

/** The certificates.k8s.io kinds' cells, by resource. */
export const certificateCells: Record<string, Cells> = {
  'certificatesigningrequests.certificates.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const seconds = spec.expirationSeconds;
    return [
      metaOf(o).name,
      age,
      str(spec.signerName) || NONE,
      str(spec.username),
      typeof seconds === 'number' ? humanDuration(seconds * 1000) : NONE,
      csrCondition(o),
    ];
  },
};
