/**
 * The subresources and create-only resources served besides `status` and `scale`:
 * `serviceaccounts/token`, `pods/eviction`, `pods/log`, and the reviews (TokenReview,
 * SelfSubjectReview, SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview).
 */

import type { ServerResponse } from 'node:http';
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
import { parseBody } from '../request-body.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
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

/** The subresources this module serves for a resource, for discovery. */
export function extraSubresources(t: { group: string; plural: string }): JsonObject[] {
  if (t.group !== '') return [];
  if (t.plural === 'serviceaccounts') {
    return [
      {
        name: 'serviceaccounts/token',
        singularName: '',
        namespaced: true,
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      },
    ];
  }
  if (t.plural === 'pods') {
    return [
      {
        name: 'pods/eviction',
        singularName: '',
        namespaced: true,
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    ];
  }
  return [];
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
): Answer | undefined {
  const key = sc.t.group === '' ? `${sc.t.plural}/${sub}` : '';
  switch (key) {
    case 'serviceaccounts/token':
      if (method !== 'POST') throw methodNotAllowed();
      return json(201, requestToken(s, sc, name, parseBody(rawBody, contentType)));
    case 'pods/eviction':
      if (method !== 'POST') throw methodNotAllowed();
      return json(201, evictPod(s, sc, name, parseBody(rawBody, contentType), query));
    case 'pods/log': {
      if (method !== 'GET') throw methodNotAllowed();
      const log = podLog(s, sc, name, query);
      return { code: 200, body: log.text, contentType: 'text/plain', stream: log.follow };
    }
    default:
      return undefined;
  }
}

/** Serves a create-only resource (a review): POST only, answered without being stored. */
export function serveReview(
  s: ApiState,
  sc: Scope,
  method: string,
  rawBody: string,
  contentType: string,
  user: UserInfo,
): Answer {
  if (method !== 'POST') throw methodNotAllowed();
  const body = () => parseBody(rawBody, contentType);
  switch (`${sc.t.group}/${sc.t.plural}`) {
    case 'authentication.k8s.io/tokenreviews': {
      const serviceAccounts = s.registry.find('', 'v1', 'serviceaccounts');
      if (!serviceAccounts) throw methodNotAllowed();
      return json(201, reviewToken(s, { t: serviceAccounts, version: 'v1' }, body()));
    }
    case 'authentication.k8s.io/selfsubjectreviews':
      return json(201, selfSubjectReview(user, body()));
    case 'authorization.k8s.io/subjectaccessreviews':
      return json(201, subjectAccessReview(s.storage, body(), 'SubjectAccessReview'));
    case 'authorization.k8s.io/localsubjectaccessreviews':
      return json(
        201,
        subjectAccessReview(s.storage, body(), 'LocalSubjectAccessReview', sc.namespace),
      );
    case 'authorization.k8s.io/selfsubjectaccessreviews':
      return json(201, selfSubjectAccessReview(s.storage, user, body()));
    case 'authorization.k8s.io/selfsubjectrulesreviews':
      return json(201, selfSubjectRulesReview(s.storage, user, body()));
    default:
      throw methodNotAllowed();
  }
}
