/**
 * certificates.k8s.io/v1 CertificateSigningRequest: kube-apiserver's strategy replaces
 * whatever identity the client wrote into a new request with the requesting user's
 * (`spec.username`, `uid`, `groups`, `extra`), so a request names who asked for it; an
 * update through the object itself keeps the stored spec and status (only metadata
 * changes there); its spec and certificate follow `certificate-signing-request-spec.ts`,
 * its conditions `certificate-signing-request-conditions.ts`.
 */
import type { UserInfo } from '../auth/user.js';
import { isObject } from '../json.js';
import {
  conditionCauses,
  conditionUpdateCauses,
  populateConditionTimestamps,
  preserveApprovals,
} from './certificate-signing-request-conditions.js';
import {
  certificateCauses,
  certificateUpdateCauses,
  csrSpecCauses,
} from './certificate-signing-request-spec.js';
import type { KindRules } from './kind-rules.js';

/** A new CertificateSigningRequest's requestor, and its conditions on every write. */
export const certificateSigningRequestRules: KindRules = {
  prepareCreate(obj, user: UserInfo) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    if (user.username) spec.username = user.username;
    if (user.uid) spec.uid = user.uid;
    if (user.groups.length) spec.groups = [...user.groups];
    const extra = Object.entries(user.extra ?? {});
    if (extra.length) spec.extra = Object.fromEntries(extra.map(([k, v]) => [k, [...v]]));
    obj.spec = spec;
  },
  prepareUpdate(next, prev) {
    for (const k of ['spec', 'status']) {
      if (prev[k] === undefined) delete next[k];
      else next[k] = prev[k];
    }
  },
  prepareSubresourceUpdate(next, prev, subresource) {
    if (subresource === 'status') preserveApprovals(next, prev);
    populateConditionTimestamps(next, prev);
  },
  // kube-apiserver checks the spec, the conditions and the certificate, then what the
  // update changed. Every update keeps the stored spec, which was checked when created.
  validate(csr, ctx) {
    return ctx.create
      ? [...csrSpecCauses(csr), ...conditionCauses(csr), ...certificateCauses(csr, undefined)]
      : [];
  },
  validateUpdate(next, prev, ctx) {
    return [
      ...conditionCauses(next),
      ...certificateCauses(next, prev),
      ...conditionUpdateCauses(next, prev, ctx.subresource),
      ...certificateUpdateCauses(next, prev),
    ];
  },
};
