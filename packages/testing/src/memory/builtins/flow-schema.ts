/**
 * flowcontrol.apiserver.k8s.io/v1 FlowSchema: the default `matchingPrecedence` (1000) and
 * kube-apiserver's validation of the spec (own code, for its causes): the precedence range,
 * the distinguisher method, the priority level reference, each rule's subjects, resource
 * and non-resource rules, and the fixed spec of the mandatory `exempt` and `catch-all`
 * schemas.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { mandatoryFlowControlSpec } from '../flowcontrol/bootstrap-configuration.js';
import { isObject, type Json, type JsonObject, num, strings } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { type GoShape, goSemanticEqual, goStructJson } from './go-struct-json.js';
import type { KindRules } from './kind-rules.js';

const MAX_PRECEDENCE = 10000;
const DISTINGUISHERS = ['ByNamespace', 'ByUser'];
const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];
const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'proxy',
  'update',
  'watch',
];
const NAMESPACE_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const name = (v: Json | undefined): string =>
  isObject(v) && typeof v.name === 'string' ? v.name : '';

/** The internal FlowSchemaSpec, as a refusal quotes it. */
const NAMED: GoShape = { struct: [['Name', 'name', 'string']], pointer: true };
const SPEC: GoShape = {
  struct: [
    [
      'PriorityLevelConfiguration',
      'priorityLevelConfiguration',
      { struct: [['Name', 'name', 'string']] },
    ],
    ['MatchingPrecedence', 'matchingPrecedence', 'int'],
    [
      'DistinguisherMethod',
      'distinguisherMethod',
      { struct: [['Type', 'type', 'string']], pointer: true },
    ],
    [
      'Rules',
      'rules',
      {
        slice: {
          struct: [
            [
              'Subjects',
              'subjects',
              {
                slice: {
                  struct: [
                    ['Kind', 'kind', 'string'],
                    ['User', 'user', NAMED],
                    ['Group', 'group', NAMED],
                    [
                      'ServiceAccount',
                      'serviceAccount',
                      {
                        struct: [
                          ['Namespace', 'namespace', 'string'],
                          ['Name', 'name', 'string'],
                        ],
                        pointer: true,
                      },
                    ],
                  ],
                },
              },
            ],
            [
              'ResourceRules',
              'resourceRules',
              {
                slice: {
                  struct: [
                    ['Verbs', 'verbs', 'strings'],
                    ['APIGroups', 'apiGroups', 'strings'],
                    ['Resources', 'resources', 'strings'],
                    ['ClusterScope', 'clusterScope', 'bool'],
                    ['Namespaces', 'namespaces', 'strings'],
                  ],
                },
              },
            ],
            [
              'NonResourceRules',
              'nonResourceRules',
              {
                slice: {
                  struct: [
                    ['Verbs', 'verbs', 'strings'],
                    ['NonResourceURLs', 'nonResourceURLs', 'strings'],
                  ],
                },
              },
            ],
          ],
        },
      },
    ],
  ],
};

/** A subject of the kind `kind` must hold its own holder and none of the others'. */
const HOLDERS: Record<string, { field: string; forbidden: string }> = {
  ServiceAccount: {
    field: 'serviceAccount',
    forbidden: "serviceAccount is forbidden when subject kind is not 'ServiceAccount'",
  },
  User: { field: 'user', forbidden: "user is forbidden when subject kind is not 'User'" },
  Group: { field: 'group', forbidden: "group is forbidden when subject kind is not 'Group'" },
};
const HOLDER_ORDER: Record<string, string[]> = {
  ServiceAccount: ['User', 'Group'],
  User: ['ServiceAccount', 'Group'],
  Group: ['ServiceAccount', 'User'],
};

function subjectCauses(subject: JsonObject, at: string): StatusCause[] {
  const kind = typeof subject.kind === 'string' ? subject.kind : '';
  const own = HOLDERS[kind];
  if (!own) return [notSupported(`${at}.kind`, kind, SUBJECT_KINDS)];
  const causes: StatusCause[] = [];
  const holder = subject[own.field];
  const path = `${at}.${own.field}`;
  if (!isObject(holder)) {
    causes.push(required(path, `${own.field} is required when subject kind is '${kind}'`));
  } else if (kind === 'ServiceAccount') {
    const sa = name(holder);
    if (!sa) causes.push(required(`${path}.name`));
    else if (sa !== '*')
      for (const why of dns1123SubdomainErrors(sa))
        causes.push(invalidValue(`${path}.name`, sa, why));
    const ns = typeof holder.namespace === 'string' ? holder.namespace : '';
    if (!ns)
      causes.push(required(`${path}.namespace`, 'must specify namespace for service account'));
    else
      for (const why of dns1123LabelErrors(ns))
        causes.push(invalidValue(`${path}.namespace`, ns, why));
  } else if (!name(holder)) {
    causes.push(required(`${path}.name`));
  }
  for (const other of HOLDER_ORDER[kind] ?? []) {
    const h = HOLDERS[other]!;
    if (isObject(subject[h.field])) causes.push(forbiddenValue(`${at}.${h.field}`, h.forbidden));
  }
  return causes;
}

/** `verbs` of a rule: present, `*` alone, or known verbs. */
function verbsCauses(verbs: string[], at: string): StatusCause[] {
  if (verbs.length === 0) return [required(at, 'verbs must contain at least one value')];
  if (verbs.includes('*')) {
    return verbs.length > 1
      ? [invalidValue(at, verbs, "if '*' is present, must not specify other verbs")]
      : [];
  }
  return verbs.every((v) => VERBS.includes(v)) ? [] : [notSupported(at, verbs, VERBS)];
}

/** A list that needs an entry and may hold `*` only alone. */
function listCauses(values: string[], at: string, missing: string, what: string): StatusCause[] {
  if (values.length === 0) return [required(at, missing)];
  return values.length > 1 && values.includes('*')
    ? [invalidValue(at, values, `if '*' is present, must not specify other ${what}`)]
    : [];
}

function resourceRuleCauses(rule: JsonObject, at: string): StatusCause[] {
  const causes = verbsCauses(strings(rule.verbs), `${at}.verbs`);
  causes.push(
    ...listCauses(
      strings(rule.apiGroups),
      `${at}.apiGroups`,
      'resource rules must supply at least one api group',
      'api groups',
    ),
    ...listCauses(
      strings(rule.resources),
      `${at}.resources`,
      'resource rules must supply at least one resource',
      'resources',
    ),
  );
  const namespaces = strings(rule.namespaces);
  if (namespaces.length === 0 && rule.clusterScope !== true) {
    causes.push(
      required(
        `${at}.namespaces`,
        'resource rules that are not cluster scoped must supply at least one namespace',
      ),
    );
  } else if (namespaces.includes('*')) {
    if (namespaces.length > 1) {
      causes.push(
        invalidValue(
          `${at}.namespaces`,
          namespaces,
          "if '*' is present, must not specify other namespaces",
        ),
      );
    }
  } else {
    namespaces.forEach((ns, i) => {
      for (const why of dns1123LabelErrors(ns))
        causes.push(invalidValue(`${at}.namespaces[${i}]`, ns, NAMESPACE_INTRO + why));
    });
  }
  return causes;
}

/** A non-resource URL's one complaint, if any (`ValidateNonResourceURLPath`). */
function urlError(path: string): string | undefined {
  if (path === '') return 'must not be empty';
  if (path === '/') return undefined;
  if (!path.startsWith('/')) return 'must start with slash';
  if (path.includes(' ')) return 'must not contain white-space';
  if (path.includes('//')) return 'must not contain double slash';
  const stars = path.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !path.endsWith('/*')))
    return 'wildcard can only do suffix matching';
  return undefined;
}

function nonResourceRuleCauses(rule: JsonObject, at: string): StatusCause[] {
  const causes = verbsCauses(strings(rule.verbs), `${at}.verbs`);
  const urls = strings(rule.nonResourceURLs);
  const field = `${at}.nonResourceURLs`;
  if (urls.length === 0) {
    causes.push(required(field, 'nonResourceURLs must contain at least one value'));
  } else if (urls.includes('*')) {
    if (urls.length > 1) {
      causes.push(
        invalidValue(field, urls, "if '*' is present, must not specify other non-resource URLs"),
      );
    }
  } else {
    urls.forEach((u, i) => {
      const why = urlError(u);
      if (why) causes.push(invalidValue(`${field}[${i}]`, u, why));
    });
  }
  return causes;
}

function ruleCauses(rule: JsonObject, at: string): StatusCause[] {
  const subjects = objects(rule.subjects);
  const causes =
    subjects.length > 0
      ? subjects.flatMap((s, i) => subjectCauses(s, `${at}.subjects[${i}]`))
      : [required(`${at}.subjects`, 'subjects must contain at least one value')];
  const resourceRules = objects(rule.resourceRules);
  const nonResourceRules = objects(rule.nonResourceRules);
  if (resourceRules.length === 0 && nonResourceRules.length === 0) {
    causes.push(
      required(at, 'at least one of resourceRules and nonResourceRules has to be non-empty'),
    );
  }
  resourceRules.forEach((r, i) => {
    causes.push(...resourceRuleCauses(r, `${at}.resourceRules[${i}]`));
  });
  nonResourceRules.forEach((r, i) => {
    causes.push(...nonResourceRuleCauses(r, `${at}.nonResourceRules[${i}]`));
  });
  return causes;
}

function specCauses(schemaName: string, spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const precedence = num(spec.matchingPrecedence);
  const at = 'spec.matchingPrecedence';
  if (precedence <= 0) causes.push(invalidValue(at, precedence, 'must be a positive value'));
  if (precedence > MAX_PRECEDENCE)
    causes.push(invalidValue(at, precedence, `must not be greater than ${MAX_PRECEDENCE}`));
  if (precedence === 1 && schemaName !== 'exempt')
    causes.push(
      invalidValue(at, precedence, "only the schema named 'exempt' may have matchingPrecedence 1"),
    );
  const method = spec.distinguisherMethod;
  if (isObject(method) && !DISTINGUISHERS.includes(String(method.type ?? ''))) {
    // kube-apiserver's value here is the whole method, as its internal struct.
    causes.push(
      notSupported(
        'spec.distinguisherMethod.type',
        { Type: String(method.type ?? '') },
        DISTINGUISHERS,
      ),
    );
  }
  const level = name(spec.priorityLevelConfiguration);
  const levelAt = 'spec.priorityLevelConfiguration.name';
  if (!level) causes.push(required(levelAt, 'must reference a priority level'));
  for (const why of level ? dns1123SubdomainErrors(level) : [])
    causes.push(invalidValue(levelAt, level, why));
  objects(spec.rules).forEach((r, i) => {
    causes.push(...ruleCauses(r, `spec.rules[${i}]`));
  });
  return causes;
}

/** FlowSchema: the precedence default and validation (create and update alike). */
export const flowSchemaRules: KindRules = {
  defaults(fs) {
    const spec = isObject(fs.spec) ? fs.spec : {};
    fs.spec = spec;
    if (!spec.matchingPrecedence) spec.matchingPrecedence = 1000;
  },
  validate(fs) {
    const schemaName = isObject(fs.metadata) ? String(fs.metadata.name ?? '') : '';
    const spec = isObject(fs.spec) ? fs.spec : {};
    const causes = specCauses(schemaName, spec);
    const fixed = mandatoryFlowControlSpec('FlowSchema', schemaName);
    if (fixed && !goSemanticEqual(spec, fixed, SPEC)) {
      causes.push(
        invalidValue(
          'spec',
          goStructJson(spec, SPEC),
          `spec of '${schemaName}' must equal the fixed value`,
        ),
      );
    }
    return causes;
  },
};
