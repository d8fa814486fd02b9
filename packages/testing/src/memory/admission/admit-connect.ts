/**
 * Admission of CONNECT requests (`pods/exec`, `pods/attach`, `pods/portforward` and the
 * `proxy` subresources of pods, services and nodes) as kube-apiserver's connect handler
 * does it: after authorization and before the object is looked up, the request's options
 * (read from the query, and a proxy's path) become an options object (`PodExecOptions`,
 * …) that the mutating webhooks, the ValidatingAdmissionPolicies and the validating
 * webhooks see as `object`, with operation `CONNECT`.
 */
import type { IncomingMessage } from 'node:http';
import { userOf } from '../auth/authenticate.js';
import { badRequest } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';
import type { ApiState } from '../state.js';
import { admitRequest } from './admit-write.js';

/** The options kind of each connect subresource (`<plural>/<subresource>`). */
const OPTIONS_KINDS: Record<string, string> = {
  'pods/exec': 'PodExecOptions',
  'pods/attach': 'PodAttachOptions',
  'pods/portforward': 'PodPortForwardOptions',
  'pods/proxy': 'PodProxyOptions',
  'services/proxy': 'ServiceProxyOptions',
  'nodes/proxy': 'NodeProxyOptions',
};

/** A request of a connect subresource, as parsed from its path. */
export interface ConnectTarget {
  readonly t: ResourceType;
  readonly namespace: string;
  /** The object's name as the path gives it (a service proxy's may end in `:port`). */
  readonly name: string;
  readonly subresource: 'exec' | 'attach' | 'portforward' | 'proxy';
  /** What follows `proxy` in the path (`/a/b`), or `undefined` when nothing does. */
  readonly subpath: string | undefined;
}

const CONNECT_PATH =
  /^\/api\/v1\/(?:namespaces\/([^/]+)\/(pods|services)|(nodes))\/([^/]+)\/(exec|attach|portforward|proxy)(\/.*)?$/;

/** The connect subresource a path addresses (core/v1 only, as kube-apiserver serves them). */
export function connectTarget(s: ApiState, path: string): ConnectTarget | undefined {
  const m = CONNECT_PATH.exec(path);
  if (!m) return undefined;
  const plural = m[2] ?? m[3]!;
  const subresource = m[5] as ConnectTarget['subresource'];
  const rest = m[6];
  if (!OPTIONS_KINDS[`${plural}/${subresource}`]) return undefined;
  if (rest !== undefined && subresource !== 'proxy') return undefined;
  const t = s.registry.find('', 'v1', plural);
  if (!t) return undefined;
  return {
    t,
    namespace: m[1] === undefined ? '' : decodeURIComponent(m[1]),
    name: decodeURIComponent(m[4]!),
    subresource,
    subpath: rest === undefined ? undefined : decodeURIComponent(rest),
  };
}

/** A query flag as kube-apiserver reads it: absent, `0` or `false` is false, anything else true. */
function flag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * The options object of a connect request, at v1 as kube-apiserver decodes it from the
 * query (members Go omits when empty are left out; an exec's `command` is always there).
 */
export function connectOptions(c: ConnectTarget, q: URLSearchParams): JsonObject {
  const out: JsonObject = {
    kind: OPTIONS_KINDS[`${c.t.plural}/${c.subresource}`]!,
    apiVersion: 'v1',
  };
  const flags = c.subresource === 'exec' || c.subresource === 'attach';
  if (flags) {
    for (const k of ['stdin', 'stdout', 'stderr', 'tty']) if (flag(q, k)) out[k] = true;
    const container = q.get('container');
    if (container) out.container = container;
  }
  if (c.subresource === 'exec') {
    const command = q.getAll('command');
    out.command = command.length ? command : null;
  }
  if (c.subresource === 'portforward') {
    // Each value may list several ports, comma-separated; each is a 16-bit unsigned number.
    const ports = q.getAll('ports').flatMap((p) => p.split(','));
    for (const p of ports) {
      const why = !/^\d+$/.test(p)
        ? 'invalid syntax'
        : Number(p) > 65535
          ? 'value out of range'
          : '';
      if (why) {
        throw badRequest(
          `cannot convert to []int32: strconv.ParseUint: parsing ${JSON.stringify(p)}: ${why}`,
        );
      }
    }
    if (ports.length) out.ports = ports.map(Number);
  }
  if (c.subresource === 'proxy') {
    // A path after `proxy` replaces the `path` query parameter, with its leading slash.
    const path = c.subpath ?? q.get('path') ?? '';
    if (path) out.path = path;
  }
  return out;
}

/**
 * Admits a connect request by `req`'s user and returns its options object as the mutating
 * webhooks left it; throws the first refusal (a policy's or webhook's status).
 */
export async function admitConnect(
  s: ApiState,
  c: ConnectTarget,
  req: IncomingMessage,
  q: URLSearchParams,
): Promise<{ options: JsonObject; warnings: string[] }> {
  // kube-apiserver's connect handler refuses any `dryRun` before it reads the options.
  if (q.has('dryRun')) throw badRequest('dryRun is not supported');
  const options = connectOptions(c, q);
  const { object, warnings } = await admitRequest(s, {
    operation: 'CONNECT',
    t: c.t,
    kind: String(options.kind),
    version: 'v1',
    namespace: c.namespace,
    name: c.name,
    subresource: c.subresource,
    object: options,
    oldObject: undefined,
    dryRun: false,
    // kube-apiserver's connect handler admits with no operation options.
    options: null,
    user: userOf(req),
  });
  return { options: isObject(object) ? object : options, warnings };
}
