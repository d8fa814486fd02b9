/**
 * A container's `resources`, checked as kube-apiserver's `validateResourceRequirements`
 * checks them with the container resource-name rule (own code: the causes and their words
 * are what a test sees): each limit, then each request, by name (qualified, standard for
 * containers or an extended resource), quantity (not negative; whole for extended
 * resources), huge page multiples, a request not above its limit (equal to it for
 * resources that cannot be overcommitted, which need a limit), and huge pages only beside
 * cpu or memory. kube-apiserver ranges over Go maps here, so the causes of several keys
 * come in no fixed order; these come in key order.
 */
import { Quantity, qualifiedNameErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { milliValue, wholeValue } from './quantities.js';

const HUGE_PAGES = 'hugepages-';
const NATIVE = 'kubernetes.io/';
/** Resources counted in whole units besides the extended ones (`IsIntegerResourceName`). */
const INTEGER = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const CONTAINER_STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** Names kube-apiserver knows without a domain (`IsStandardResourceName`). */
const STANDARD = new Set([
  ...CONTAINER_STANDARD,
  ...INTEGER,
  ...[...CONTAINER_STANDARD].flatMap((r) => [`requests.${r}`, `limits.${r}`]),
  'storage',
  'requests.storage',
]);

const isHugePages = (name: string) => name.startsWith(HUGE_PAGES);
const isNative = (name: string) => !name.includes('/') || name.includes(NATIVE);

/** `IsExtendedResourceName`: a domain-prefixed name outside `kubernetes.io` (pods, DeviceClasses). */
export function isExtendedResourceName(name: string): boolean {
  return (
    !isNative(name) &&
    !name.startsWith('requests.') &&
    qualifiedNameErrors(`requests.${name}`).length === 0
  );
}

/**
 * Whether a resource may be overcommitted (`IsOvercommitAllowed`): extended resources and
 * huge pages may not, their requests must equal their limits.
 */
export const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** `validateResourceName`: a qualified name, standard when it has no domain. */
export function resourceNameCauses(name: string, at: string): StatusCause[] {
  const causes = qualifiedNameErrors(name).map((why) => invalidValue(at, name, why));
  if (causes.length) return causes;
  // `requests.hugepages-…` is standard too (a quota name).
  const standard =
    STANDARD.has(name) || isHugePages(name) || name.startsWith(`requests.${HUGE_PAGES}`);
  return !name.includes('/') && !standard
    ? [invalidValue(at, name, 'must be a standard resource type or fully qualified')]
    : [];
}

/**
 * `validateResourceName`'s causes for a resource name at `at`: a qualified name, standard
 * when it has no domain.
 */
export function containerResourceNameCauses(name: string, at: string): StatusCause[] {
  const causes = resourceNameCauses(name, at);
  if (!name.includes('/')) {
    if (!CONTAINER_STANDARD.has(name) && !isHugePages(name)) {
      causes.push(invalidValue(at, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    causes.push(invalidValue(at, name, "doesn't follow extended resource name standard"));
  }
  return causes;
}

/** The resources pod-level `resources` may name (`SupportedPodLevelResources`, sorted). */
const POD_LEVEL = ['cpu', HUGE_PAGES, 'memory'];

/** Whether pod-level `resources` may name a resource (`IsSupportedPodLevelResource`). */
export const isPodLevelResource = (name: string) =>
  name === 'cpu' || name === 'memory' || isHugePages(name);

/** `validatePodResourceName`: a resource name, then one pod-level resources support. */
function podNameCauses(name: string, at: string): StatusCause[] {
  const causes = resourceNameCauses(name, at);
  if (causes.length) return causes;
  return isPodLevelResource(name) ? [] : [notSupported(at, name, POD_LEVEL)];
}

/** `ValidateResourceQuantityValue`: not negative, whole for integer resources. */
export function quantityCauses(name: string, text: string, q: Quantity, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (q.sign() < 0) causes.push(invalidValue(at, text, 'must be greater than or equal to 0'));
  // Go's `MilliValue()`, rounded up as there.
  const milli = milliValue(q);
  if ((INTEGER.has(name) || isExtendedResourceName(name)) && milli % 1000n !== 0n) {
    causes.push(invalidValue(at, text, 'must be an integer'));
  }
  return causes;
}

/** Whether a huge page quantity is a whole number of pages of the size its name gives. */
function wholePages(name: string, q: Quantity): boolean {
  const page = Quantity.parse(name.slice(HUGE_PAGES.length));
  if (!page || page.sign() <= 0 || !page.isInteger()) return false;
  return wholeValue(q) % wholeValue(page) === 0n;
}

function hugePageCauses(name: string, text: string, q: Quantity, at: string): StatusCause[] {
  return isHugePages(name) && !wholePages(name, q)
    ? [invalidValue(at, text, `${text} is not positive integer multiple of ${name}`)]
    : [];
}

/** The quantities of a `ResourceList` that parse, by name (the decoder refused the rest). */
export function resourceListEntries(list: Json | undefined): [string, string, Quantity][] {
  if (!isObject(list)) return [];
  const out: [string, string, Quantity][] = [];
  for (const [name, v] of Object.entries(list)) {
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
    const q = Quantity.parse(text);
    if (q) out.push([name, text, q]);
  }
  return out;
}

/** The causes of a container's `resources` at `path` (`…containers[0].resources`). */
export function containerResourceCauses(resources: Json | undefined, path: string): StatusCause[] {
  return requirementCauses(resources, path, containerResourceNameCauses);
}

/** The causes of pod-level `resources` at `path` (`validatePodResourceRequirements`). */
export function podResourceRequirementCauses(
  resources: Json | undefined,
  path: string,
): StatusCause[] {
  return requirementCauses(resources, path, podNameCauses);
}

/** `validateResourceRequirements`, with the rule for resource names. */
function requirementCauses(
  resources: Json | undefined,
  path: string,
  nameCauses: (name: string, at: string) => StatusCause[],
): StatusCause[] {
  const r: JsonObject = isObject(resources) ? resources : {};
  const causes: StatusCause[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = new Map(resourceListEntries(r.limits).map(([n, t, q]) => [n, { text: t, q }]));
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, text, q] of resourceListEntries(r.limits)) {
    const at = `${limPath}[${name}]`;
    causes.push(...nameCauses(name, at), ...quantityCauses(name, text, q, at));
    causes.push(...hugePageCauses(name, text, q, at));
    hugePages ||= isHugePages(name);
    cpuOrMemory ||= name === 'cpu' || name === 'memory';
  }
  for (const [name, text, q] of resourceListEntries(r.requests)) {
    const at = `${reqPath}[${name}]`;
    causes.push(...nameCauses(name, at), ...quantityCauses(name, text, q, at));
    const limit = limits.get(name);
    if (limit) {
      const cmp = q.compareTo(limit.q);
      if (cmp !== 0 && !overcommitAllowed(name)) {
        causes.push(invalidValue(reqPath, text, `must be equal to ${name} limit of ${limit.text}`));
      } else if (cmp > 0) {
        causes.push(
          invalidValue(
            reqPath,
            text,
            `must be less than or equal to ${name} limit of ${limit.text}`,
          ),
        );
      }
    } else if (!overcommitAllowed(name)) {
      causes.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    causes.push(...hugePageCauses(name, text, q, at));
    hugePages ||= isHugePages(name);
    cpuOrMemory ||= name === 'cpu' || name === 'memory';
  }
  if (hugePages && !cpuOrMemory)
    causes.push(forbiddenValue(path, 'HugePages require cpu or memory'));
  return causes;
}
