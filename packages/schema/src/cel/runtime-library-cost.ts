/**
 * kube-apiserver's runtime cost of the Kubernetes library functions: its cost estimator's
 * `CallCost`, which cel-go's runtime tracker asks at each call, with the actual arguments
 * (a member call's target first) and result. It differs from the estimate
 * (`EstimateCallCost`) on the same sizes in places, and an expression near the limit is
 * cancelled where kube-apiserver cancels it only with these figures: a list function
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`) costs one traversal of its
 * target (a string's bytes times 0.1 rounded down, each item's traversal, 1 for any other
 * value), `join` its result's characters times 0.2, a CIDR's `ip()` 1, `containsIP` and
 * `containsCIDR` by the CIDR's prefix bytes.
 */
import { isPlainObject, runtimeSizeOf } from './cost.js';
import { CelCidr, CelIp } from './ip.js';

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;
const byFactor = (n: number, f: number) => Math.ceil(n * f);

/** cel-go's `Size()` of a value, with the library's IPs and CIDRs sized in bytes. */
function actualSize(v: unknown): number {
  if (v instanceof CelIp) return v.family === 4 ? 4 : 16;
  if (v instanceof CelCidr) return Math.ceil(v.prefix / 8);
  return runtimeSizeOf(v);
}

/**
 * Kubernetes' `traversalCost`: a string's (or bytes') length in bytes times 0.1 rounded
 * down, the sum of a list's items' and a map's keys' and values', 1 for any other value.
 */
function traversal(v: unknown): number {
  if (typeof v === 'string') return Math.floor(Buffer.byteLength(v) * STRING_FACTOR);
  if (v instanceof Uint8Array) return Math.floor(v.length * STRING_FACTOR);
  let cost = 0;
  if (Array.isArray(v) || v instanceof Set) {
    for (const item of v) cost += traversal(item);
    return cost;
  }
  const entries = v instanceof Map ? [...v] : isPlainObject(v) ? Object.entries(v) : undefined;
  if (!entries) return 1;
  for (const [k, item] of entries) cost += traversal(k) + traversal(item);
  return cost;
}

/** `containsIP`/`containsCIDR`: comparing the CIDR's prefix bytes, parsing a string argument. */
function containsCost(name: string, cidr: unknown, other: unknown): number {
  const cidrSize = actualSize(cidr);
  let cost = byFactor(cidrSize + cidrSize, STRING_FACTOR);
  if (name === 'containsCIDR') cost += byFactor(cidrSize, STRING_FACTOR) + 1;
  if (typeof other === 'string') cost += byFactor(actualSize(other), STRING_FACTOR);
  return cost;
}

/**
 * The runtime cost kube-apiserver charges for a call of the Kubernetes library function
 * `name` with `args` (a member call's target first) giving `result`; undefined for the
 * functions it leaves to cel-go (charged 1, or cel-go's own cost).
 */
export function runtimeLibraryCost(
  name: string,
  args: readonly unknown[],
  result: unknown,
): number | undefined {
  const [a0, a1] = args;
  if (args.length === 0) return undefined;
  switch (name) {
    case 'check':
      return 350_000;
    case 'isSorted':
    case 'sum':
    case 'max':
    case 'min':
    case 'indexOf':
    case 'lastIndexOf':
      return traversal(a0);
    case 'url':
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
    case 'trim':
    case 'cidr':
    case 'isIP':
    case 'isCIDR':
    case 'quantity':
    case 'isQuantity':
    case 'semver':
    case 'isSemver':
      return byFactor(actualSize(a0), STRING_FACTOR);
    case 'escapeKey':
      // `jsonpatch.escapeKey(key)`: the evaluator's target is the `jsonpatch` namespace.
      return byFactor(actualSize(args.at(-1)), STRING_FACTOR);
    case 'replace':
    case 'split':
      // Go multiplies the size by 2, then by the factor.
      return byFactor(actualSize(a0) * 2, STRING_FACTOR);
    case 'join':
      return byFactor(actualSize(result) * 2, STRING_FACTOR);
    case 'find':
    case 'findAll':
      if (args.length < 2) return undefined;
      return byFactor(1 + actualSize(a0), STRING_FACTOR) * byFactor(actualSize(a1), REGEX_FACTOR);
    case 'ip':
      // A CIDR's `ip()` reads a field; `ip(string)` parses.
      return a0 instanceof CelCidr ? 1 : byFactor(actualSize(a0), STRING_FACTOR);
    case 'containsIP':
    case 'containsCIDR':
      return args.length < 2 ? undefined : containsCost(name, a0, a1);
  }
  return undefined;
}
