/**
 * Kubernetes' CEL `authz` library: the `authorizer` variable of admission policies and
 * webhook matchConditions, which asks the API server's authorizer whether the requesting
 * user (or a ServiceAccount) may do something (`authorizer.group('apps')
 * .resource('deployments').namespace('ns').check('update').allowed()`,
 * `authorizer.path('/healthz').check('get')`, `authorizer.requestResource.check(verb)`).
 * Written here because cel-js has no such library; the API server supplies the decisions.
 */
import type { Environment } from '@marcbachmann/cel-js';

/** Who a check is made for, as the API server authenticated them. */
export interface AuthzUser {
  readonly username: string;
  readonly groups: readonly string[];
}

/** What one `check(verb)` asks the authorizer (kube-apiserver's authorization attributes). */
export interface AuthzAttributes {
  readonly user: AuthzUser;
  readonly verb: string;
  /** True for `group(…).resource(…)` checks, false for `path(…)` checks. */
  readonly resourceRequest: boolean;
  /** The non-resource path (path checks only). */
  readonly path: string;
  readonly apiGroup: string;
  /** Always `*` for resource checks, as kube-apiserver's library asks. */
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

/** The authorizer's answer: `allowed()` is true only for `Allow`. */
export interface AuthzDecision {
  readonly decision: 'Allow' | 'Deny' | 'NoOpinion';
  readonly reason: string;
  /** The authorizer's error, when it failed (`errored()`, `error()`). */
  readonly error?: string;
}

/** The API server's authorizer, as the library calls it. */
export type AuthzCheck = (attributes: AuthzAttributes) => AuthzDecision;

/** The resource a request is for, the target of `authorizer.requestResource`. */
export interface AuthzRequestResource {
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

class Decision {
  constructor(readonly answer: AuthzDecision) {}
}

class ResourceCheck {
  constructor(
    readonly authorizer: Authorizer,
    readonly group: string,
    readonly resource: string,
    readonly subresource = '',
    readonly namespace = '',
    readonly name = '',
  ) {}

  with(change: Partial<Pick<ResourceCheck, 'subresource' | 'namespace' | 'name'>>): ResourceCheck {
    const c = { ...this, ...change };
    return new ResourceCheck(c.authorizer, c.group, c.resource, c.subresource, c.namespace, c.name);
  }

  check(verb: string): Decision {
    return new Decision(
      this.authorizer.authorize({
        user: this.authorizer.user,
        verb,
        resourceRequest: true,
        path: '',
        apiGroup: this.group,
        apiVersion: '*',
        resource: this.resource,
        subresource: this.subresource,
        namespace: this.namespace,
        name: this.name,
      }),
    );
  }
}

class GroupCheck {
  constructor(
    readonly authorizer: Authorizer,
    readonly group: string,
  ) {}
}

class PathCheck {
  constructor(
    readonly authorizer: Authorizer,
    readonly path: string,
  ) {}
}

class Authorizer {
  /** The check of the request's own resource (a field, as kube-apiserver declares it). */
  readonly requestResource: ResourceCheck | null;

  constructor(
    readonly authorize: AuthzCheck,
    readonly user: AuthzUser,
    request?: AuthzRequestResource,
  ) {
    this.requestResource = request
      ? new ResourceCheck(
          this,
          request.group,
          request.resource,
          request.subresource,
          request.namespace,
          request.name,
        )
      : null;
  }
}

const AUTHORIZER = 'kubernetes.authorization.Authorizer';
const PATH = 'kubernetes.authorization.PathCheck';
const GROUP = 'kubernetes.authorization.GroupCheck';
const RESOURCE = 'kubernetes.authorization.ResourceCheck';
const DECISION = 'kubernetes.authorization.Decision';

/** kube-apiserver's name validation of `serviceAccount(namespace, name)` (DNS-1123). */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function serviceAccount(a: Authorizer, namespace: string, name: string): Authorizer {
  if (name.length > 253 || !SUBDOMAIN.test(name)) throw new Error('Invalid service account name');
  if (namespace.length > 63 || !LABEL.test(namespace)) {
    throw new Error('Invalid service account namespace');
  }
  const user = {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
  return new Authorizer(a.authorize, user);
}

/** Adds the library's types and functions (not the `authorizer` variable) to `env`. */
export function addAuthz(env: Environment): Environment {
  return env
    .registerType(DECISION, Decision)
    .registerType(PATH, PathCheck)
    .registerType(GROUP, GroupCheck)
    .registerType(RESOURCE, ResourceCheck)
    .registerType(AUTHORIZER, { ctor: Authorizer, fields: { requestResource: RESOURCE } })
    .registerFunction(`${AUTHORIZER}.path(string): ${PATH}`, (a: Authorizer, path: string) => {
      if (path.trim() === '') throw new Error('path must not be empty');
      return new PathCheck(a, path);
    })
    .registerFunction(
      `${AUTHORIZER}.group(string): ${GROUP}`,
      (a: Authorizer, group: string) => new GroupCheck(a, group),
    )
    .registerFunction(`${AUTHORIZER}.serviceAccount(string, string): ${AUTHORIZER}`, serviceAccount)
    .registerFunction(
      `${GROUP}.resource(string): ${RESOURCE}`,
      (g: GroupCheck, resource: string) => {
        if (resource.trim() === '') throw new Error('resource must not be empty');
        return new ResourceCheck(g.authorizer, g.group, resource);
      },
    )
    .registerFunction(
      `${RESOURCE}.subresource(string): ${RESOURCE}`,
      (r: ResourceCheck, v: string) => r.with({ subresource: v }),
    )
    .registerFunction(`${RESOURCE}.namespace(string): ${RESOURCE}`, (r: ResourceCheck, v: string) =>
      r.with({ namespace: v }),
    )
    .registerFunction(`${RESOURCE}.name(string): ${RESOURCE}`, (r: ResourceCheck, v: string) =>
      r.with({ name: v }),
    )
    .registerFunction(`${RESOURCE}.check(string): ${DECISION}`, (r: ResourceCheck, verb: string) =>
      r.check(verb),
    )
    .registerFunction(
      `${PATH}.check(string): ${DECISION}`,
      (p: PathCheck, verb: string) =>
        new Decision(
          p.authorizer.authorize({
            user: p.authorizer.user,
            verb,
            resourceRequest: false,
            path: p.path,
            apiGroup: '',
            apiVersion: '',
            resource: '',
            subresource: '',
            namespace: '',
            name: '',
          }),
        ),
    )
    .registerFunction(`${DECISION}.allowed(): bool`, (d: Decision) => d.answer.decision === 'Allow')
    .registerFunction(`${DECISION}.reason(): string`, (d: Decision) => d.answer.reason)
    .registerFunction(`${DECISION}.errored(): bool`, (d: Decision) => d.answer.error !== undefined)
    .registerFunction(`${DECISION}.error(): string`, (d: Decision) => d.answer.error ?? '');
}

/**
 * The value of the `authorizer` variable: checks made with `check` for `user`;
 * `request` is what `authorizer.requestResource` checks (omitted where there is none).
 */
export function celAuthorizer(
  check: AuthzCheck,
  user: AuthzUser,
  request?: AuthzRequestResource,
): unknown {
  return new Authorizer(check, user, request);
}
