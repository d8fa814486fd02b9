/**
 * The rules of a structural schema that look at one node alone: forbidden keywords, the
 * allowed types, list and map types (x-kubernetes-list-type and its keys), CEL rule shapes.
 */

import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { re2Error } from './cel/re2.js';
import { itemSchema } from './json-schema.js';

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean'];
const FORBIDDEN_KEYWORDS = [
  '$ref',
  '$schema',
  'id',
  'definitions',
  'patternProperties',
  'dependencies',
  'additionalItems',
] as const;

/** Reports one problem: the path of the offending field and the server's message. */
export type Report = (field: string, message: string) => void;

/** Keywords every node may not carry, wherever it is. */
export function checkKeywords(s: JSONSchemaProps, path: string, report: Report): void {
  for (const key of FORBIDDEN_KEYWORDS) {
    if (s[key] !== undefined)
      report(`${path}.${key}`, `Forbidden: ${key} is not supported in structural schemas`);
  }
  if (s.uniqueItems === true) {
    report(
      `${path}.uniqueItems`,
      'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    );
  }
  if (s.additionalProperties !== undefined && s.properties !== undefined) {
    report(
      `${path}.additionalProperties`,
      'Forbidden: additionalProperties and properties are mutual exclusive',
    );
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    report(
      `${path}.x-kubernetes-preserve-unknown-fields`,
      'Invalid value: false: must be true or undefined',
    );
  }
  if (s.type !== undefined && !TYPES.includes(s.type)) {
    report(
      `${path}.type`,
      `Unsupported value: ${JSON.stringify(s.type)}: supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
    );
  }
  const why = s.pattern === undefined ? undefined : re2Error(s.pattern);
  if (why !== undefined) {
    report(
      `${path}.pattern`,
      `Invalid value: ${JSON.stringify(s.pattern)}: must be a valid regular expression, but isn't: ${why}`,
    );
  }
  if (s.items !== undefined && (Array.isArray(s.items) || typeof s.items !== 'object')) {
    report(
      `${path}.items`,
      'Forbidden: items must be a schema object, not an array (tuples are not supported)',
    );
  }
}

/** x-kubernetes-list-type, -list-map-keys and -map-type against the node they sit on. */
export function checkListTypeRules(s: JSONSchemaProps, path: string, report: Report): void {
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const items = itemSchema(s);
  if (s['x-kubernetes-map-type'] !== undefined && s.type !== 'object') {
    report(`${path}.type`, 'Invalid value: must be object if x-kubernetes-map-type is specified');
  }
  if (listType === undefined) {
    if (keys.length > 0) {
      report(
        `${path}.x-kubernetes-list-type`,
        'Required value: must be map if x-kubernetes-list-map-keys is non-empty',
      );
    }
    return;
  }
  if (!['atomic', 'set', 'map'].includes(listType)) {
    report(
      `${path}.x-kubernetes-list-type`,
      `Unsupported value: ${JSON.stringify(listType)}: supported values: "atomic", "set", "map"`,
    );
  }
  if (s.type !== 'array') {
    report(`${path}.type`, 'Invalid value: must be array if x-kubernetes-list-type is specified');
    return;
  }
  if (keys.length > 0 && listType !== 'map') {
    report(
      `${path}.x-kubernetes-list-type`,
      `Invalid value: ${JSON.stringify(listType)}: must be map if x-kubernetes-list-map-keys is non-empty`,
    );
  }
  if (listType !== 'atomic' && items?.nullable) {
    report(
      `${path}.items.nullable`,
      `Forbidden: cannot be nullable when x-kubernetes-list-type is ${listType}`,
    );
  }
  if (listType === 'set' && items) {
    if (items.type === 'array' && (items['x-kubernetes-list-type'] ?? 'atomic') !== 'atomic') {
      report(
        `${path}.items.x-kubernetes-list-type`,
        `Invalid value: ${JSON.stringify(items['x-kubernetes-list-type'])}: must be atomic as item of a list with x-kubernetes-list-type=set`,
      );
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      report(
        `${path}.items.x-kubernetes-map-type`,
        'Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set',
      );
    }
  }
  if (listType !== 'map') return;
  if (keys.length === 0) {
    report(
      `${path}.x-kubernetes-list-map-keys`,
      'Required value: must not be empty if x-kubernetes-list-type is map',
    );
  }
  if (items === undefined) return;
  if (items.type !== 'object') {
    report(
      `${path}.items.type`,
      `Invalid value: ${JSON.stringify(items.type ?? '')}: must be object if parent array's x-kubernetes-list-type is map`,
    );
    return;
  }
  const seen = new Set<string>();
  for (const key of keys) {
    const prop = items.properties?.[key];
    const at = `${path}.items.properties[${key}]`;
    if (!prop) {
      report(
        `${path}.x-kubernetes-list-map-keys`,
        `Invalid value: ${JSON.stringify(keys)}: entries must all be names of item properties`,
      );
    } else {
      if (prop.type === 'array' || prop.type === 'object') {
        report(
          `${at}.type`,
          "Invalid value: must be a scalar type if parent array's x-kubernetes-list-type is map",
        );
      }
      if (!(items.required ?? []).includes(key) && prop.default === undefined) {
        report(
          `${at}.default`,
          'Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
        );
      }
      if (prop.nullable) {
        report(
          `${at}.nullable`,
          'Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
        );
      }
    }
    if (seen.has(key)) {
      report(
        `${path}.x-kubernetes-list-map-keys`,
        `Invalid value: ${JSON.stringify(keys)}: must not contain duplicate entries`,
      );
    }
    seen.add(key);
  }
}

/** CEL rules must have a rule, and a message (when given) that is non-empty and on one line. */
export function checkCelRules(s: JSONSchemaProps, path: string, report: Report): void {
  s['x-kubernetes-validations']?.forEach((r, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    if (typeof r.rule !== 'string' || r.rule.trim() === '') {
      report(`${at}.rule`, 'Required value: rule is not specified');
    } else if (r.message !== undefined && r.message.trim() === '') {
      report(
        `${at}.message`,
        `Invalid value: ${JSON.stringify(r.message)}: must be non-empty if specified`,
      );
    } else if (r.message !== undefined && /[\r\n]/.test(r.message.trim())) {
      report(
        `${at}.message`,
        `Invalid value: ${JSON.stringify(r.message)}: must not contain line breaks`,
      );
    }
  });
}
