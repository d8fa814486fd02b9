/**
 * Content negotiation of responses, as kube-apiserver does it: the Accept header's media
 * ranges, by quality, then the first one the server can serve decides the encoding (JSON
 * or YAML) and the optional transformation its `as`/`g`/`v` parameters ask for (a Table,
 * metadata only, aggregated discovery). Nothing acceptable is a 406 with the real
 * server's messages. Protobuf is served for what has a protobuf message: built-in kinds,
 * metadata-only answers, discovery documents and Status errors; never for a Table, and
 * not for custom resources themselves (a media range that asks for either is skipped).
 */
import { HttpStatusError } from '../errors.js';

/** What a response can be transformed into (`as=` of a media range). */
export type Transform =
  | 'Table'
  | 'PartialObjectMetadata'
  | 'PartialObjectMetadataList'
  | 'APIGroupDiscoveryList';

/** The representation chosen for a response. */
export interface Representation {
  /** The encoding: `application/json`, `application/yaml` or `application/vnd.kubernetes.protobuf`. */
  readonly format: 'json' | 'yaml' | 'protobuf';
  /** The transformation asked for, absent for the object itself. */
  readonly as?: Transform;
}

/** The transformations each kind of endpoint offers, with the `g` and versions it serves. */
const TRANSFORMS: Record<Transform, { group: string; versions: string[] }> = {
  Table: { group: 'meta.k8s.io', versions: ['v1', 'v1beta1'] },
  PartialObjectMetadata: { group: 'meta.k8s.io', versions: ['v1', 'v1beta1'] },
  PartialObjectMetadataList: { group: 'meta.k8s.io', versions: ['v1', 'v1beta1'] },
  APIGroupDiscoveryList: { group: 'apidiscovery.k8s.io', versions: ['v2'] },
};

/** The encodings kube-apiserver names in its 406 answers. */
const SERVED = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';
const STREAMS = 'application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch';

/** One media range of an Accept header. */
export interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  params: Map<string, string>;
}

/** The Accept header's media ranges in goautoneg's order, those of quality 0 left out. */
export function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const clause of accept.split(',')) {
    const [mediaType = '', ...rest] = clause.split(';').map((p) => p.trim());
    if (!mediaType) continue;
    const [type = '', subtype = '*'] = mediaType.toLowerCase().split('/');
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim();
      const v = p.slice(eq + 1).trim();
      if (k === 'q') q = Number(v);
      else params.set(k, v);
    }
    ranges.push({ type, subtype, q: Number.isNaN(q) ? 0 : q, params });
  }
  // goautoneg's order: quality, then exact types before wildcards; otherwise as written.
  const rank = (r: MediaRange) => (r.type === '*' ? 2 : r.subtype === '*' ? 1 : 0);
  return ranges
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r)
    .filter((r) => r.q > 0);
}

function encodingOf(r: MediaRange): Representation['format'] | undefined {
  if (r.type === '*' || (r.type === 'application' && r.subtype === '*')) return 'json';
  if (r.type !== 'application') return undefined;
  if (r.subtype === 'json') return 'json';
  if (r.subtype === 'yaml') return 'yaml';
  if (r.subtype === 'vnd.kubernetes.protobuf') return 'protobuf';
  return undefined;
}

/** Where a response is negotiated: which transformations apply and how a 406 reads. */
export interface NegotiationTarget {
  /** The transformations this endpoint serves. */
  readonly transforms: readonly Transform[];
  /** A collection (its 406 also names the watch stream encodings). */
  readonly list?: boolean;
  /** The objects themselves have a protobuf message (built-in kinds, Status, discovery). */
  readonly protobuf?: boolean;
}

/**
 * The representation to answer with for an Accept header (absent or empty: JSON), or a
 * 406 `NotAcceptable` when no media range can be served.
 */
export function negotiate(accept: string | undefined, target: NegotiationTarget): Representation {
  if (accept === undefined || accept.trim() === '') return { format: 'json' };
  let sawKnownType = false;
  for (const r of parseAccept(accept)) {
    const format = encodingOf(r);
    if (format === undefined) continue;
    sawKnownType = true;
    const as = r.params.get('as');
    if (as === undefined) {
      if (format !== 'protobuf' || target.protobuf) return { format };
      continue;
    }
    const t = as as Transform;
    const spec = TRANSFORMS[t];
    if (
      spec &&
      target.transforms.includes(t) &&
      !(format === 'protobuf' && t === 'Table') &&
      r.params.get('g') === spec.group &&
      spec.versions.includes(r.params.get('v') ?? '')
    ) {
      return { format, as: t };
    }
  }
  if (sawKnownType) {
    return fail(`only the following media types are accepted: ${SERVED}`, false);
  }
  return fail(
    `406: Not Acceptable\n\nAvailable representations: ${SERVED}${target.list ? `, ${STREAMS}` : ''}`,
    true,
  );
}

/**
 * For `/version`, which kube-apiserver writes in JSON only: nothing when the Accept header
 * (absent or empty: anything) has `application/json` (whatever its parameters) or `*\/*`
 * before any refused range, else a 406 that names JSON alone (`application/*` is refused
 * there too).
 */
export function negotiateJsonOnly(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  for (const r of parseAccept(accept)) {
    if (
      (r.type === '*' && r.subtype === '*') ||
      (r.type === 'application' && r.subtype === 'json')
    ) {
      return;
    }
  }
  fail('406: Not Acceptable\n\nAvailable representations: application/json', true);
}

/** kube-apiserver sends empty details with one of its two 406 messages and none with the other. */
function fail(message: string, withDetails: boolean): never {
  throw new HttpStatusError(406, 'NotAcceptable', message, withDetails ? {} : undefined);
}

/** The Content-Type of a representation's body. */
export function contentTypeOf(rep: Representation): string {
  const type = `application/${rep.format === 'protobuf' ? 'vnd.kubernetes.protobuf' : rep.format}`;
  if (rep.as === 'APIGroupDiscoveryList') {
    return `${type};g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`;
  }
  return type;
}
