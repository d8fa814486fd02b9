import { badRequest, unsupportedMediaType } from './errors.js';
import { parseGoYaml } from './go-yaml.js';
import { isObject, type Json, type JsonObject } from './json.js';

/** Parses a request body as JSON (or YAML), answering 400 for anything else. */
export function parseBody(raw: string, contentType: string): Json {
  const ct = contentType.split(';')[0]!.trim().toLowerCase();
  if (ct && ct !== '*/*' && !/json|yaml/.test(ct)) {
    throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
  try {
    // Duplicate keys are read as Go's decoder reads them (the last wins); fieldValidation
    // reports them (see duplicate-fields.ts).
    if (/yaml/.test(contentType)) return parseGoYaml(raw);
    return JSON.parse(raw) as Json;
  } catch (e) {
    throw badRequest(`the request body could not be decoded: ${(e as Error).message}`);
  }
}

/** The body as an object, or a 400. */
export function asObject(body: Json): JsonObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  return body;
}
