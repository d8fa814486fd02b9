import { isObject, type Json, type JsonObject } from '../json.js';
import { REF_PREFIX } from './crd-schema.js';

/** A v3 parameter in Swagger 2.0's form (its schema's members inline). */
function paramToV2(p: JsonObject): JsonObject {
  const schema = isObject(p.schema) ? p.schema : {};
  const out: JsonObject = { ...schema, description: p.description ?? '', name: p.name ?? '' };
  out.in = p.in ?? 'query';
  if (p.required === true) out.required = true;
  return out;
}

/** The schema of a v3 `content` map (every media type carries the same one). */
function schemaOf(content: Json | undefined): JsonObject | undefined {
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return isObject(first) && isObject(first.schema) ? first.schema : undefined;
}

function opToV2(op: JsonObject): JsonObject {
  const body = isObject(op.requestBody) ? op.requestBody : undefined;
  const consumes = body && isObject(body.content) ? Object.keys(body.content) : [];
  const params: JsonObject[] = [];
  if (body) {
    const p: JsonObject = { name: 'body', in: 'body', schema: schemaOf(body.content) ?? {} };
    if (body.required === true) p.required = true;
    params.push(p);
  }
  for (const p of Array.isArray(op.parameters) ? op.parameters : [])
    if (isObject(p)) params.push(paramToV2(p));
  const responses: JsonObject = {};
  let produces: string[] = [];
  for (const [code, r] of Object.entries(isObject(op.responses) ? op.responses : {})) {
    if (!isObject(r)) continue;
    const out: JsonObject = { description: r.description ?? '' };
    const schema = schemaOf(r.content);
    if (schema) out.schema = schema;
    if (isObject(r.content) && produces.length === 0) produces = Object.keys(r.content);
    responses[code] = out;
  }
  const out: JsonObject = {
    description: op.description ?? '',
    consumes: consumes.length ? consumes : ['application/json', 'application/yaml'],
    produces,
    schemes: ['https'],
    tags: op.tags ?? [],
    operationId: op.operationId ?? '',
  };
  if (params.length) out.parameters = params;
  out.responses = responses;
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) out[k] = v;
  return out;
}

/**
 * OpenAPI v3 path items in Swagger 2.0's form, as kube-apiserver publishes a custom
 * resource's paths in `/openapi/v2`: request bodies become `body` parameters, media types
 * become `consumes`/`produces`, and schema references point into `definitions`
 * (`shared-parameters.ts` then moves the shared parameters out).
 */
export function pathsToV2(paths: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const v2: JsonObject = {};
    for (const [k, v] of Object.entries(item)) {
      if (k === 'parameters' && Array.isArray(v)) {
        v2.parameters = v.filter(isObject).map(paramToV2);
      } else if (isObject(v)) v2[k] = opToV2(v);
    }
    out[path] = v2;
  }
  return JSON.parse(JSON.stringify(out).replaceAll(`"${REF_PREFIX.v3}`, `"${REF_PREFIX.v2}`));
}
