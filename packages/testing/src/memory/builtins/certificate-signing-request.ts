/**
 * certificates.k8s.io/v1 CertificateSigningRequest: kube-apiserver's strategy replaces
 * whatever identity the client wrote into a new request with the requesting user's
 * (`spec.username`, `uid`, `groups`, `extra`), so a request names who asked for it.
 */
import type { UserInfo } from '../auth/user.js';
import { isObject } from '../json.js';
import type { KindRules } from './kind-rules.js';

/** A new CertificateSigningRequest's requestor. */
export const certificateSigningRequestRules: KindRules = {
  stampCreator(obj, user: UserInfo) {
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
};
