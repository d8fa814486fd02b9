import { badRequest, type HttpStatusError, unsupportedMediaType } from './errors.js';
import { GoYamlError, parseGoYaml } from './go-yaml.js';
import { isObject, type Json, type JsonObject, jsonWord } from './json.js';
import { goJsonSyntaxError } from './json-scan.js';

/**
 * Parses a request body as JSON (or YAML), answering 400 for anything else: a JSON syntax
 * error in Go's words after `jsonErrorPrefix`, the words kube-apiserver puts before it for
 * this body (`error decoding patch: ` for a merge or JSON patch, none for a strategic merge
 * patch).
 */
export function parseBody(
  raw: string,
  contentType: string,
  jsonErrorPrefix = 'the request body could not be decoded: ',
): Json {
  checkMediaType(contentType);
  const yaml = /yaml/.test(contentType);
  try {
    // Duplicate keys are read as Go's decoder reads them (the last wins); fieldValidation
    // reports them (see duplicate-fields.ts).
    if (yaml) return parseGoYaml(raw);
    return JSON.parse(raw) as Json;
  } catch (e) {
    const message = (e as Error).message;
    if (yaml) throw badRequest(`the request body could not be decoded: ${message}`);
    throw badRequest(`${jsonErrorPrefix}${goJsonSyntaxError(raw) ?? message}`);
  }
}

/**
 * A server-side apply body (YAML, which JSON is too) as kube-apiserver reads it, with its
 * 400 for what it cannot read: `error decoding YAML: error converting YAML to JSON: yaml:
 * line 3: …`, go-yaml's or sigs.k8s.io/yaml's words.
 */
export function parseApplyBody(raw: string): Json {
  try {
    return parseGoYaml(raw);
  } catch (e) {
    if (!(e instanceof GoYamlError)) throw e;
    throw badRequest(`error decoding YAML: error converting YAML to JSON: ${e.message}`);
  }
}

/** kube-apiserver's words before a JSON syntax error in a DELETE's body (DeleteOptions). */
export const DELETE_OPTIONS_ERROR = "couldn't get version/kind; json parse error: ";

/** Refuses a body in a media type other than JSON or YAML (415). */
function checkMediaType(contentType: string): void {
  const ct = contentType.split(';')[0]!.trim().toLowerCase();
  if (ct && ct !== '*/*' && !/json|yaml/.test(ct)) {
    throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
}

/** The body as an object, or a 400. */
export function asObject(body: Json): JsonObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  return body;
}

/**
 * kube-apiserver's summary of a body in a decoding error: as is when it starts with `{`,
 * else in hex; 30 bytes at most, then ` ...`.
 */
export function summarizeBody(raw: string): string {
  if (raw === '') return '<empty>';
  const bytes = Buffer.from(raw);
  const cut = bytes.length > 30 ? bytes.subarray(0, 30) : bytes;
  const text = raw.startsWith('{') ? cut.toString() : cut.toString('hex');
  return bytes.length > 30 ? `${text} ...` : text;
}

/** The 400 of a create or update body kube-apiserver cannot find the kind of. */
export function unrecognized(kind: string, error: string, raw: string): HttpStatusError {
  return badRequest(
    `the object provided is unrecognized (must be of type ${kind}): ${error} (${summarizeBody(raw)})`,
  );
}

const TYPE_META_STRUCT =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * A create or update body (JSON or YAML) as kube-apiserver reads it before decoding: its
 * kind is looked up first, so a body that is not JSON, not an object, or whose
 * `apiVersion` or `kind` is not a string is the 400 `the object provided is unrecognized
 * (must be of type Kind): couldn't get version/kind; json parse error: …` with the body
 * summarized; `null` reads as an empty object, and a `null` `apiVersion` or `kind` as none
 * (a custom resource then words it itself, see checkTypeMeta).
 */
export function parseObjectBody(raw: string, contentType: string, kind: string): JsonObject {
  checkMediaType(contentType);
  const prefix = "couldn't get version/kind; json parse error: ";
  let body: Json;
  const yaml = /yaml/.test(contentType);
  try {
    body = yaml ? parseGoYaml(raw) : (JSON.parse(raw) as Json);
  } catch (e) {
    // A YAML body is converted to JSON before its kind is looked up: go-yaml's words.
    if (yaml && e instanceof GoYamlError) throw unrecognized(kind, e.message, raw);
    throw unrecognized(kind, `${prefix}${goJsonSyntaxError(raw) ?? (e as Error).message}`, raw);
  }
  if (raw.trim() === '') throw unrecognized(kind, `${prefix}unexpected end of JSON input`, raw);
  if (body === null || body === undefined) return {};
  if (!isObject(body)) {
    const word = jsonWord(body);
    throw unrecognized(
      kind,
      `${prefix}json: cannot unmarshal ${word} into Go value of type ${TYPE_META_STRUCT}`,
      raw,
    );
  }
  for (const field of Object.keys(body)) {
    if (field !== 'apiVersion' && field !== 'kind') continue;
    const value = body[field];
    if (value === null || typeof value === 'string') continue;
    const word = jsonWord(value as Json);
    throw unrecognized(
      kind,
      `${prefix}json: cannot unmarshal ${word} into Go struct field .${field} of type string`,
      raw,
    );
  }
  return body;
}
