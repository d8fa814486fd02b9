/**
 * resource.k8s.io/v1 device requests, as kube-apiserver's resource validation checks them
 * in a ResourceClaim's and a ResourceClaimTemplate's spec (and, for selectors and config,
 * a DeviceClass's): their v1 defaults, requests (`exactly` or `firstAvailable`, class
 * names, allocation modes and counts, selectors, tolerations), constraints and config
 * naming the claim's requests, opaque driver parameters. A selector's CEL expression is
 * compiled as kube-apiserver compiles it.
 */
import {
  checkDeviceSelector,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  labelValueCauses,
  notSupported,
  qualifiedNameErrors,
  required,
  tooLong,
  tooMany,
} from '../validation.js';
import { csiDriverCauses } from './pod-volumes.js';

const MAX_REQUESTS = 32;
const MAX_SUBREQUESTS = 8;
const MAX_SELECTORS = 32;
const MAX_CONSTRAINTS = 32;
const MAX_CONFIG = 32;
const MAX_CEL = 10 * 1024;
const MAX_PARAMETERS = 10 * 1024;
const MAX_ID = 32;
const ALLOCATION_MODES = ['All', 'ExactCount'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'None'];
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REQUEST_REF =
  "must be the name of a request in the claim or the name of a request and a subrequest separated by '/'";

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

/** A request's or subrequest's allocation defaults: `ExactCount` of one device. */
function defaultAllocation(request: JsonObject): void {
  request.allocationMode ??= 'ExactCount';
  if (request.allocationMode === 'ExactCount' && !request.count) request.count = 1;
  for (const t of objects(request.tolerations)) t.operator ??= 'Equal';
}

/** The v1 defaults of a claim spec's device requests. */
export function defaultDeviceClaim(spec: Json | undefined): void {
  const devices = isObject(spec) && isObject(spec.devices) ? spec.devices : undefined;
  for (const request of objects(devices?.requests)) {
    if (isObject(request.exactly)) defaultAllocation(request.exactly);
    for (const sub of objects(request.firstAvailable)) defaultAllocation(sub);
  }
}

/**
 * A list of items each checked, then a duplicate cause for each repeated key (a list
 * longer than `max` is one cause instead).
 */
function setCauses(
  items: Json | undefined,
  max: number,
  at: string,
  check: (item: Json, at: string) => StatusCause[],
  key?: (item: Json) => Json,
): StatusCause[] {
  const list = Array.isArray(items) ? items : [];
  if (list.length > max) return [tooMany(at, list.length, max)];
  const causes = list.flatMap((item, i) => check(item, `${at}[${i}]`));
  if (key) {
    const seen = new Set<Json>();
    list.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) causes.push(duplicate(`${at}[${i}]`, k));
      else seen.add(k);
    });
  }
  return causes;
}

const nameOf = (item: Json): Json => (isObject(item) ? str(item.name) : '');

/** A C identifier of at most 32 characters (`IsCIdentifier`). */
function cIdentifierCauses(at: string, id: string): StatusCause[] {
  const causes = id.length > MAX_ID ? [tooLong(at, MAX_ID)] : [];
  if (!C_IDENTIFIER.test(id)) {
    causes.push(
      invalidValue(
        at,
        id,
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
      ),
    );
  }
  return causes;
}

/** A qualified attribute name (`id` or `domain/id`). */
export function deviceQualifiedNameCauses(at: string, name: string): StatusCause[] {
  const parts = name.split('/');
  if (parts.length === 1) return cIdentifierCauses(at, name);
  if (parts.length !== 2) return [];
  const [domain, id] = parts as [string, string];
  const causes =
    domain === ''
      ? [invalidValue(at, '', 'the domain must not be empty')]
      : csiDriverCauses(at, domain);
  causes.push(
    ...(id === ''
      ? [invalidValue(at, '', 'the name must not be empty')]
      : cIdentifierCauses(at, id)),
  );
  return causes;
}

/** A fully qualified attribute name (`domain/id`). */
function fullyQualifiedNameCauses(at: string, name: string): StatusCause[] {
  const causes = deviceQualifiedNameCauses(at, name);
  if (!name.includes('/')) {
    causes.push(
      invalidValue(
        at,
        name,
        'a fully qualified name must be a domain and a name separated by a slash',
      ),
    );
  }
  return causes;
}

/**
 * A device selector: a CEL expression, not too long, compiled as kube-apiserver's DRA
 * compiler compiles it (`checkDeviceSelector`).
 */
function selectorCauses(selector: Json, at: string): StatusCause[] {
  const cel = isObject(selector) ? selector.cel : undefined;
  if (!isObject(cel)) return [required(`${at}.cel`)];
  const expression = str(cel.expression);
  const field = `${at}.cel.expression`;
  if (expression.length > MAX_CEL) return [tooLong(field, MAX_CEL)];
  const problem = checkDeviceSelector(expression);
  if (!problem) return [];
  return 'invalid' in problem
    ? [invalidValue(field, expression, problem.invalid)]
    : [forbiddenValue(field, 'too complex, exceeds cost limit')];
}

/** The selectors of a request or a DeviceClass. */
export function selectorsCauses(selectors: Json | undefined, at: string): StatusCause[] {
  return setCauses(selectors, MAX_SELECTORS, at, selectorCauses);
}

function tolerationCauses(t: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const key = str(t.key);
  if (key !== '') causes.push(...each(`${at}.key`, key, qualifiedNameErrors(key)));
  const op = str(t.operator);
  if (op === 'Exists') {
    if (str(t.value) !== '') {
      causes.push(invalidValue(`${at}.value`, t.value!, 'must be empty for operator `Exists`'));
    }
  } else if (op === 'Equal') {
    causes.push(...labelValueCauses(`${at}.value`, str(t.value)));
  } else if (op === '') {
    causes.push(required(`${at}.operator`));
  } else {
    causes.push(notSupported(`${at}.operator`, op, TOLERATION_OPERATORS));
  }
  const effect = str(t.effect);
  if (effect !== '' && !TAINT_EFFECTS.includes(effect)) {
    causes.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  }
  return causes;
}

/** What `exactly` and a `firstAvailable` subrequest share: class, selectors, mode, tolerations. */
function allocationCauses(r: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const cls = str(r.deviceClassName);
  if (cls === '') causes.push(required(`${at}.deviceClassName`));
  else causes.push(...each(`${at}.deviceClassName`, cls, dns1123SubdomainErrors(cls)));
  causes.push(...selectorsCauses(r.selectors, `${at}.selectors`));
  const mode = str(r.allocationMode);
  const count = num(r.count);
  if (mode === 'All') {
    if (count !== 0) {
      causes.push(
        invalidValue(`${at}.count`, count, "must not be specified when allocationMode is 'All'"),
      );
    }
  } else if (mode === 'ExactCount') {
    if (count <= 0) causes.push(invalidValue(`${at}.count`, count, 'must be greater than zero'));
  } else {
    causes.push(notSupported(`${at}.allocationMode`, mode, ALLOCATION_MODES));
  }
  objects(r.tolerations).forEach((t, i) => {
    causes.push(...tolerationCauses(t, `${at}.tolerations[${i}]`));
  });
  return causes;
}

function requestNameCauses(at: string, name: string): StatusCause[] {
  return each(at, name, dns1123LabelErrors(name));
}

function requestCauses(request: Json, at: string): StatusCause[] {
  const r = isObject(request) ? request : {};
  const causes = requestNameCauses(`${at}.name`, str(r.name));
  const subs = Array.isArray(r.firstAvailable) ? r.firstAvailable : [];
  const hasExactly = isObject(r.exactly);
  if (!subs.length && !hasExactly) {
    causes.push(required(at, 'exactly one of `exactly` or `firstAvailable` is required'));
  } else if (subs.length && hasExactly) {
    causes.push(
      invalidValue(
        at,
        null,
        'exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set',
      ),
    );
  } else if (subs.length) {
    causes.push(
      ...setCauses(
        subs,
        MAX_SUBREQUESTS,
        `${at}.firstAvailable`,
        (sub, subAt) => {
          const s = isObject(sub) ? sub : {};
          return [
            ...requestNameCauses(`${subAt}.name`, str(s.name)),
            ...allocationCauses(s, subAt),
          ];
        },
        nameOf,
      ),
    );
  } else {
    causes.push(...allocationCauses(r.exactly as JsonObject, `${at}.exactly`));
  }
  return causes;
}

/** The request names of a claim: each with its subrequests' names. */
export function requestNames(requests: JsonObject[]): Map<string, Set<string>> {
  return new Map(
    requests.map((r) => [str(r.name), new Set(objects(r.firstAvailable).map((s) => str(s.name)))]),
  );
}

/** A reference to a request (`name`, `name/sub`) in a constraint, config or allocation. */
export function requestRefCauses(
  ref: Json,
  at: string,
  names: Map<string, Set<string>>,
): StatusCause[] {
  const name = str(ref);
  const segments = name.split('/');
  if (segments.length > 2) return [invalidValue(at, name, REQUEST_REF)];
  const causes = segments.flatMap((s) => requestNameCauses(at, s));
  const subs = names.get(segments[0]!);
  const known = subs !== undefined && (segments.length === 1 || subs.has(segments[1]!));
  if (!known) causes.push(invalidValue(at, name, REQUEST_REF));
  return causes;
}

/** An opaque driver configuration (a ResourceClaim's, a DeviceClass's). */
export function deviceConfigCauses(config: JsonObject, at: string): StatusCause[] {
  const opaque = config.opaque;
  if (!isObject(opaque)) return [required(`${at}.opaque`)];
  const causes = csiDriverCauses(`${at}.opaque.driver`, str(opaque.driver));
  const params = opaque.parameters;
  const field = `${at}.opaque.parameters`;
  if (params === undefined || params === null) causes.push(required(field));
  else if (JSON.stringify(params).length > MAX_PARAMETERS)
    causes.push(tooLong(field, MAX_PARAMETERS));
  else if (!isObject(params))
    causes.push(invalidValue(field, '<value omitted>', 'must be a valid JSON object'));
  return causes;
}

/** The configs of a DeviceClass. */
export function classConfigsCauses(configs: Json | undefined, at: string): StatusCause[] {
  return setCauses(configs, MAX_CONFIG, at, (c, cAt) =>
    deviceConfigCauses(isObject(c) ? c : {}, cAt),
  );
}

/** The causes of a claim spec's `devices` at `at` (`validateDeviceClaim`). */
export function deviceClaimCauses(spec: Json | undefined, at: string): StatusCause[] {
  const devices = isObject(spec) && isObject(spec.devices) ? spec.devices : {};
  const requests = objects(devices.requests);
  const names = requestNames(requests);
  const causes = setCauses(devices.requests, MAX_REQUESTS, `${at}.requests`, requestCauses, nameOf);
  causes.push(
    ...setCauses(devices.constraints, MAX_CONSTRAINTS, `${at}.constraints`, (c, cAt) => {
      const constraint = isObject(c) ? c : {};
      const refs = setCauses(
        constraint.requests,
        MAX_REQUESTS,
        `${cAt}.requests`,
        (ref, refAt) => requestRefCauses(ref, refAt, names),
        (ref) => ref,
      );
      if (typeof constraint.matchAttribute === 'string') {
        refs.push(...fullyQualifiedNameCauses(`${cAt}.matchAttribute`, constraint.matchAttribute));
      } else if (typeof constraint.distinctAttribute === 'string') {
        refs.push(
          ...fullyQualifiedNameCauses(`${cAt}.distinctAttribute`, constraint.distinctAttribute),
        );
      } else {
        refs.push(
          required(
            cAt,
            'exactly one of "matchAttribute" or "distinctAttribute" is required, but multiple fields are set',
          ),
        );
      }
      return refs;
    }),
  );
  causes.push(
    ...setCauses(devices.config, MAX_CONFIG, `${at}.config`, (c, cAt) => {
      const config = isObject(c) ? c : {};
      return [
        ...setCauses(
          config.requests,
          MAX_REQUESTS,
          `${cAt}.requests`,
          (ref, refAt) => requestRefCauses(ref, refAt, names),
          (ref) => ref,
        ),
        ...deviceConfigCauses(config, cAt),
      ];
    }),
  );
  return causes;
}
