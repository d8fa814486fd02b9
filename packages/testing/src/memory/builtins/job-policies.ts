/**
 * A Job's `podFailurePolicy` and `successPolicy` as kube-apiserver's batch validation checks
 * them, in its order and words; the values it quotes are its internal Go structs as
 * `encoding/json` writes them (capitalized field names, `null` for what is unset).
 */
import type { StatusCause } from '../errors.js';
import { goQuotedList } from '../go-print.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import {
  duplicate,
  invalidOmitted,
  invalidValue,
  notNegative,
  notSupported,
  qualifiedNameErrors,
  required,
  tooLong,
  tooMany,
} from '../validation.js';
import { indexCount, parseIndexes } from './job-indexes.js';

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const MAX_FAILURE_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES = 64 * 1024;

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const listOrNull = (v: Json | undefined): Json => (Array.isArray(v) ? v : null);

/** The internal `PodFailurePolicy` as kube-apiserver quotes it. */
export function goPodFailurePolicy(policy: Json | undefined): Json {
  if (!isObject(policy)) return null;
  if (!Array.isArray(policy.rules)) return { Rules: null };
  return {
    Rules: objects(policy.rules).map((r) => ({
      Action: r.action ?? '',
      OnExitCodes: isObject(r.onExitCodes)
        ? {
            ContainerName: r.onExitCodes.containerName ?? null,
            Operator: r.onExitCodes.operator ?? '',
            Values: listOrNull(r.onExitCodes.values),
          }
        : null,
      OnPodConditions: Array.isArray(r.onPodConditions)
        ? objects(r.onPodConditions).map((p) => ({ Type: p.type ?? '', Status: p.status ?? '' }))
        : null,
    })),
  };
}

/** The internal `SuccessPolicy` as kube-apiserver quotes it. */
export function goSuccessPolicy(policy: Json | undefined): Json {
  if (!isObject(policy)) return null;
  if (!Array.isArray(policy.rules)) return { Rules: null };
  return {
    Rules: objects(policy.rules).map((r) => ({
      SucceededIndexes: r.succeededIndexes ?? null,
      SucceededCount: r.succeededCount ?? null,
    })),
  };
}

/** The names of a pod spec's containers and init containers. */
function containerNames(podSpec: Json | undefined): Set<string> {
  const spec = isObject(podSpec) ? podSpec : {};
  const names = new Set<string>();
  for (const key of ['containers', 'initContainers']) {
    for (const c of objects(spec[key])) if (typeof c.name === 'string') names.add(c.name);
  }
  return names;
}

function exitCodesCauses(req: JsonObject, at: string, names: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const op = req.operator;
  if (op === undefined || op === '') {
    causes.push(required(`${at}.operator`, `valid values: ${goQuotedList(OPERATORS)}`));
  } else if (!OPERATORS.includes(String(op))) {
    causes.push(notSupported(`${at}.operator`, op, OPERATORS));
  }
  if (typeof req.containerName === 'string' && !names.has(req.containerName)) {
    causes.push(
      invalidValue(
        `${at}.containerName`,
        req.containerName,
        'must be one of the container or initContainer names in the pod template',
      ),
    );
  }
  const values = Array.isArray(req.values) ? req.values : [];
  if (values.length === 0) {
    causes.push(
      invalidValue(`${at}.values`, listOrNull(req.values), 'at least one value is required'),
    );
  } else if (values.length > MAX_EXIT_CODES) {
    causes.push(tooMany(`${at}.values`, values.length, MAX_EXIT_CODES));
  }
  const seen = new Set<Json>();
  let ordered = true;
  values.forEach((v, j) => {
    if (op === 'In' && v === 0) {
      causes.push(invalidValue(`${at}.values[${j}]`, v, 'must not be 0 for the In operator'));
    }
    if (seen.has(v)) causes.push(duplicate(`${at}.values[${j}]`, v));
    else seen.add(v);
    if (j > 0 && Number(values[j - 1]) > Number(v)) ordered = false;
  });
  if (!ordered) causes.push(invalidValue(`${at}.values`, values, 'must be ordered'));
  return causes;
}

function podConditionsCauses(patterns: JsonObject[], at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (patterns.length > MAX_CONDITION_PATTERNS) {
    causes.push(tooMany(at, patterns.length, MAX_CONDITION_PATTERNS));
  }
  patterns.forEach((p, j) => {
    const type = typeof p.type === 'string' ? p.type : '';
    for (const why of qualifiedNameErrors(type)) {
      causes.push(invalidValue(`${at}[${j}].type`, type, why));
    }
    const status = p.status;
    if (status === undefined || status === '') {
      causes.push(
        required(`${at}[${j}].status`, `valid values: ${goQuotedList(CONDITION_STATUSES)}`),
      );
    } else if (!CONDITION_STATUSES.includes(String(status))) {
      causes.push(notSupported(`${at}[${j}].status`, status, CONDITION_STATUSES));
    }
  });
  return causes;
}

function failureRuleCauses(
  spec: JsonObject,
  rule: JsonObject,
  at: string,
  names: Set<string>,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const action = rule.action;
  if (action === undefined || action === '') {
    causes.push(required(`${at}.action`, `valid values: ${goQuotedList(ACTIONS)}`));
  } else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) {
      causes.push(
        invalidValue(`${at}.action`, action, 'requires the backoffLimitPerIndex to be set'),
      );
    }
  } else if (!ACTIONS.includes(String(action))) {
    causes.push(notSupported(`${at}.action`, action, ACTIONS));
  }
  const exitCodes = isObject(rule.onExitCodes) ? rule.onExitCodes : undefined;
  const conditions = objects(rule.onPodConditions);
  if (exitCodes) causes.push(...exitCodesCauses(exitCodes, `${at}.onExitCodes`, names));
  if (conditions.length) causes.push(...podConditionsCauses(conditions, `${at}.onPodConditions`));
  if (exitCodes && conditions.length) {
    causes.push(
      invalidOmitted(at, 'specifying both OnExitCodes and OnPodConditions is not supported'),
    );
  }
  if (!exitCodes && !conditions.length) {
    causes.push(
      invalidOmitted(at, 'specifying one of OnExitCodes and OnPodConditions is required'),
    );
  }
  return causes;
}

/** The causes of `spec.podFailurePolicy` (a policy is there) at `at`. */
export function podFailurePolicyCauses(spec: JsonObject, at: string): StatusCause[] {
  const policy = isObject(spec.podFailurePolicy) ? spec.podFailurePolicy : {};
  const rules = objects(policy.rules);
  const causes: StatusCause[] = [];
  if (rules.length > MAX_FAILURE_RULES) {
    causes.push(tooMany(`${at}.rules`, rules.length, MAX_FAILURE_RULES));
  }
  const tpl = isObject(spec.template) ? spec.template : {};
  const names = containerNames(tpl.spec);
  rules.forEach((r, i) => {
    causes.push(...failureRuleCauses(spec, r, `${at}.rules[${i}]`, names));
  });
  return causes;
}

function successRuleCauses(rule: JsonObject, at: string, completions: number): StatusCause[] {
  const causes: StatusCause[] = [];
  const indexes = rule.succeededIndexes;
  const count = rule.succeededCount;
  const hasIndexes = typeof indexes === 'string';
  if (!hasIndexes && typeof count !== 'number') {
    causes.push(
      required(at, 'at least one of succeededCount or succeededIndexes must be specified'),
    );
  }
  let total = 0;
  if (hasIndexes) {
    if (indexes.length > MAX_SUCCEEDED_INDEXES) {
      causes.push(tooLong(`${at}.succeededIndexes`, MAX_SUCCEEDED_INDEXES));
    }
    const parsed = parseIndexes(indexes, completions);
    if (typeof parsed === 'string') {
      causes.push(
        invalidValue(
          `${at}.succeededIndexes`,
          indexes,
          `error parsing succeededIndexes: ${parsed}`,
        ),
      );
    } else {
      total = indexCount(parsed);
    }
  }
  if (typeof count === 'number') {
    const field = `${at}.succeededCount`;
    causes.push(...notNegative(field, count));
    if (count > completions) {
      causes.push(
        invalidValue(
          field,
          count,
          `must be less than or equal to ${completions} (the number of specified completions)`,
        ),
      );
    }
    if (hasIndexes && count > total) {
      causes.push(
        invalidValue(
          field,
          count,
          `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
        ),
      );
    }
  }
  return causes;
}

/** The causes of `spec.successPolicy` (a policy is there) at `at`. */
export function successPolicyCauses(spec: JsonObject, at: string): StatusCause[] {
  if (spec.completionMode !== 'Indexed') {
    return [
      invalidValue(at, goSuccessPolicy(spec.successPolicy), 'requires indexed completion mode'),
    ];
  }
  const policy = isObject(spec.successPolicy) ? spec.successPolicy : {};
  const rules = objects(policy.rules);
  const causes: StatusCause[] = [];
  if (rules.length === 0) {
    causes.push(
      required(
        `${at}.rules`,
        'at least one rules must be specified when the successPolicy is specified',
      ),
    );
  }
  if (rules.length > MAX_SUCCESS_RULES) {
    causes.push(tooMany(`${at}.rules`, rules.length, MAX_SUCCESS_RULES));
  }
  const completions = num(spec.completions);
  rules.forEach((r, i) => {
    causes.push(...successRuleCauses(r, `${at}.rules[${i}]`, completions));
  });
  return causes;
}
