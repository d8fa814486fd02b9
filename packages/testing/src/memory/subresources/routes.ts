/**
 * The subresources and create-only resources served besides `status` and `scale`:
 * `serviceaccounts/token`, `pods/eviction`, `pods/log`, and the reviews (TokenReview,
 * SelfSubjectReview, SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { trackReview } from '../auth/review-metadata.js';
import {
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from '../auth/reviews.js';
import { requestToken, reviewToken } from '../auth/tokens.js';
import type { UserInfo } from '../auth/user.js';
import { methodNotAllowed } from '../errors.js';
import type { JsonObject } from '../json.js';
import { markLongRunning } from '../metrics/long-running.js';
import { asObject, parseBody } from '../request-body.js';
import { defaultManagerOf } from '../resource-request.js';
import { type ResourceType, resourceKey } from '../resource-types.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
import { bindPod } from './binding.js';
import { evictPod } from './eviction.js';
import { podLog } from './logs.js';

/** What to answer: HTTP code, body and its content type; `stream` keeps the response open. */
export interface Answer {
  readonly code: number;
  readonly body: string;
  readonly contentType: string;
  /** Writes the rest of a streamed answer (a followed log) after `body`. */
  readonly stream?: ((res: ServerResponse) => void) | undefined;
}

const json = (code: number, body: JsonObject): Answer => ({
  code,
  body: JSON.stringify(body),
  contentType: 'application/json',
});

const WRITES = ['create', 'delete', 'get', 'patch', 'update'];
const STREAMS = ['create', 'get'];
const OWN = ['get', 'patch', 'update'];

/** A subresource's discovery entry: its kind, verbs and, when not the resource's, group/version. */
type SubEntry = [sub: string, kind: string, verbs: string[], gv?: [group: string, version: string]];

/**
 * The subresources kube-apiserver v1.36.3 lists besides `status` and `scale`, by storage
 * key (what MemoryApiServer does with each is in {@link serveSubresource} and the
 * WebSocket upgrades of `containers/`).
 */
const EXTRA_SUBRESOURCES: Record<string, SubEntry[]> = {
  namespaces: [['finalize', 'Namespace', ['update']]],
  nodes: [['proxy', 'NodeProxyOptions', WRITES]],
  pods: [
    ['attach', 'PodAttachOptions', STREAMS],
    ['binding', 'Binding', ['create']],
    ['ephemeralcontainers', 'Pod', OWN],
    ['eviction', 'Eviction', ['create'], ['policy', 'v1']],
    ['exec', 'PodExecOptions', STREAMS],
    ['log', 'Pod', ['get']],
    ['portforward', 'PodPortForwardOptions', STREAMS],
    ['proxy', 'PodProxyOptions', WRITES],
    ['resize', 'Pod', OWN],
  ],
  serviceaccounts: [['token', 'TokenRequest', ['create'], ['authentication.k8s.io', 'v1']]],
  services: [['proxy', 'ServiceProxyOptions', WRITES]],
  'certificatesigningrequests.certificates.k8s.io': [
    ['approval', 'CertificateSigningRequest', OWN],
  ],
};

/** The discovery entries of a built-in resource's subresources besides `status` and `scale`. */
export function extraSubresources(t: ResourceType): JsonObject[] {
  if (!t.builtin) return [];
  return (EXTRA_SUBRESOURCES[resourceKey(t)] ?? []).map(([sub, kind, verbs, gv]) => ({
    name: `${t.plural}/${sub}`,
    singularName: '',
    namespaced: t.namespaced,
    ...(gv ? { group: gv[0], version: gv[1] } : {}),
    kind,
    verbs,
  }));
}

/**
 * Serves `sub` of the object `name` when this module knows it; `undefined` when it does
 * not (the caller answers 404).
 */
export function serveSubresource(
  s: ApiState,
  sc: Scope,
  name: string,
  sub: string,
  method: string,
  query: URLSearchParams,
  rawBody: string,
  contentType: string,
  req: IncomingMessage,
): Answer | undefined {
  const key = sc.t.group === '' ? `${sc.t.plural}/${sub}` : '';
  switch (key) {
    case 'serviceaccounts/token':
      if (method !== 'POST') throw methodNotAllowed();
      return json(
        201,
        requestToken(s, sc, name, parseBody(rawBody, contentType), defaultManagerOf(req)),
      );
    case 'pods/binding':
      if (method !== 'POST') throw methodNotAllowed();
      return json(
        201,
        bindPod(s, sc, name, asObject(parseBody(rawBody, contentType)), dryRun(query)),
      );
    case 'pods/eviction':
      if (method !== 'POST') throw methodNotAllowed();
      return json(201, evictPod(s, sc, name, parseBody(rawBody, contentType), query));
    case 'pods/log': {
      if (method !== 'GET') throw methodNotAllowed();
      const log = podLog(s, sc, name, query);
      markLongRunning(req);
      // No node, no log: kube-apiserver's stream handler answers 204 without a body.
      if (!log) return { code: 204, body: '', contentType: '' };
      return { code: 200, body: log.text, contentType: 'text/plain', stream: log.follow };
    }
    default:
      return undefined;
  }
}

/** Whether a write asks for a dry run (`dryRun=All`). */
function dryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

/**
 * Serves a create-only resource (a review, or a Binding): POST only, answered without
 * being stored.
 */
export function serveReview(
  s: ApiState,
  sc: Scope,
  method: string,
  query: URLSearchParams,
  rawBody: string,
  contentType: string,
  user: UserInfo,
  manager: string,
): Answer {
  if (method !== 'POST') throw methodNotAllowed();
  const body = () => parseBody(rawBody, contentType);
  const tracked = () => trackReview(s, sc, body(), manager);
  switch (`${sc.t.group}/${sc.t.plural}`) {
    case '/bindings': {
      const pods = s.registry.find('', 'v1', 'pods');
      if (!pods) throw methodNotAllowed();
      const scope = { t: pods, version: 'v1', namespace: sc.namespace };
      return json(201, bindPod(s, scope, undefined, asObject(body()), dryRun(query)));
    }
    case 'authentication.k8s.io/tokenreviews': {
      const serviceAccounts = s.registry.find('', 'v1', 'serviceaccounts');
      if (!serviceAccounts) throw methodNotAllowed();
      return json(201, reviewToken(s, { t: serviceAccounts, version: 'v1' }, tracked()));
    }
    case 'authentication.k8s.io/selfsubjectreviews':
      return json(201, selfSubjectReview(user, body()));
    case 'authorization.k8s.io/subjectaccessreviews':
      return json(201, subjectAccessReview(s.storage, tracked(), 'SubjectAccessReview'));
    case 'authorization.k8s.io/localsubjectaccessreviews':
      return json(201, subjectAccessReview(s.storage, tracked(), 'LocalSubjectAccessReview'));
    case 'authorization.k8s.io/selfsubjectaccessreviews':
      return json(201, selfSubjectAccessReview(s.storage, user, tracked()));
    case 'authorization.k8s.io/selfsubjectrulesreviews':
      return json(201, selfSubjectRulesReview(s.storage, user, body()));
    default:
      throw methodNotAllowed();
  }
}
