/**
 * flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration: the v1 defaults (30 nominal
 * shares and 0% lendable for a Limited level, 0 and 0% for an Exempt one, 64 queues of 50
 * requests dealt hands of 8) and kube-apiserver's validation of the spec (own code, for its
 * causes): the type (`Exempt` exactly for the level named `exempt`), its one configuration,
 * the shares and percentages, the limit response with its queuing (shuffle sharding's
 * entropy limit included), and the fixed spec of the mandatory `exempt` and `catch-all`
 * levels.
 */
import type { StatusCause } from '../errors.js';
import { mandatoryFlowControlSpec } from '../flowcontrol/bootstrap-configuration.js';
import { isObject, type JsonObject, num } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { type GoShape, goSemanticEqual, goStructJson } from './go-struct-json.js';
import type { KindRules } from './kind-rules.js';

const TYPES = ['Exempt', 'Limited'];
const RESPONSE_TYPES = ['Queue', 'Reject'];
const MAX_QUEUES = 10_000_000;
/** Shuffle sharding's hash bits: queues and hand size may not need more entropy. */
const MAX_HASH_BITS = 60;
const PRESERVE_ZERO = 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares';

/** The internal PriorityLevelConfigurationSpec, as a refusal quotes it. */
const SPEC: GoShape = {
  struct: [
    ['Type', 'type', 'string'],
    [
      'Limited',
      'limited',
      {
        pointer: true,
        struct: [
          ['NominalConcurrencyShares', 'nominalConcurrencyShares', 'int'],
          [
            'LimitResponse',
            'limitResponse',
            {
              struct: [
                ['Type', 'type', 'string'],
                [
                  'Queuing',
                  'queuing',
                  {
                    pointer: true,
                    struct: [
                      ['Queues', 'queues', 'int'],
                      ['HandSize', 'handSize', 'int'],
                      ['QueueLengthLimit', 'queueLengthLimit', 'int'],
                    ],
                  },
                ],
              ],
            },
          ],
          ['LendablePercent', 'lendablePercent', 'int-pointer'],
          ['BorrowingLimitPercent', 'borrowingLimitPercent', 'int-pointer'],
        ],
      },
    ],
    [
      'Exempt',
      'exempt',
      {
        pointer: true,
        struct: [
          ['NominalConcurrencyShares', 'nominalConcurrencyShares', 'int-pointer'],
          ['LendablePercent', 'lendablePercent', 'int-pointer'],
        ],
      },
    ],
  ],
};

function percentCauses(c: JsonObject, at: string): StatusCause[] {
  const p = c.lendablePercent;
  return typeof p === 'number' && (p < 0 || p > 100)
    ? [invalidValue(`${at}.lendablePercent`, p, 'must be between 0 and 100, inclusive')]
    : [];
}

function queuingCauses(q: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const limit = num(q.queueLengthLimit);
  const queues = num(q.queues);
  const hand = num(q.handSize);
  if (limit <= 0) causes.push(invalidValue(`${at}.queueLengthLimit`, limit, 'must be positive'));
  if (queues <= 0) causes.push(invalidValue(`${at}.queues`, queues, 'must be positive'));
  else if (queues > MAX_QUEUES)
    causes.push(invalidValue(`${at}.queues`, queues, `must not be greater than ${MAX_QUEUES}`));
  if (hand <= 0) causes.push(invalidValue(`${at}.handSize`, hand, 'must be positive'));
  else if (hand > queues)
    causes.push(
      invalidValue(`${at}.handSize`, hand, `should not be greater than queues (${queues})`),
    );
  else if (Math.ceil(Math.log2(queues) * hand) > MAX_HASH_BITS) {
    causes.push(
      invalidValue(
        `${at}.handSize`,
        hand,
        `required entropy bits of deckSize ${queues} and handSize ${hand} should not be greater than ${MAX_HASH_BITS}`,
      ),
    );
  }
  return causes;
}

function limitResponseCauses(r: JsonObject, at: string): StatusCause[] {
  const type = typeof r.type === 'string' ? r.type : '';
  const queuing = r.queuing;
  if (type === 'Reject') {
    return isObject(queuing)
      ? [
          forbiddenValue(
            `${at}.queuing`,
            'must be nil if limited.limitResponse.type is not Limited',
          ),
        ]
      : [];
  }
  if (type === 'Queue') {
    return isObject(queuing)
      ? queuingCauses(queuing, `${at}.queuing`)
      : [required(`${at}.queuing`, 'must not be empty if limited.limitResponse.type is Limited')];
  }
  return type ? [notSupported(`${at}.type`, type, RESPONSE_TYPES)] : [required(`${at}.type`)];
}

function limitedCauses(l: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const shares = num(l.nominalConcurrencyShares);
  if (shares < 0)
    causes.push(
      invalidValue(`${at}.nominalConcurrencyShares`, shares, 'must be a non-negative integer'),
    );
  causes.push(
    ...limitResponseCauses(isObject(l.limitResponse) ? l.limitResponse : {}, `${at}.limitResponse`),
  );
  causes.push(...percentCauses(l, at));
  const borrowing = l.borrowingLimitPercent;
  if (typeof borrowing === 'number' && borrowing < 0) {
    causes.push(
      invalidValue(
        `${at}.borrowingLimitPercent`,
        borrowing,
        'if specified, must be a non-negative integer',
      ),
    );
  }
  return causes;
}

function exemptCauses(e: JsonObject, at: string): StatusCause[] {
  const shares = e.nominalConcurrencyShares;
  const causes =
    typeof shares === 'number' && shares < 0
      ? [invalidValue(`${at}.nominalConcurrencyShares`, shares, 'must be a non-negative integer')]
      : [];
  return [...causes, ...percentCauses(e, at)];
}

function specCauses(levelName: string, spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = typeof spec.type === 'string' ? spec.type : '';
  if ((levelName === 'exempt') !== (type === 'Exempt'))
    causes.push(
      invalidValue('spec.type', type, "must be 'Exempt' if and only if `name` is 'exempt'"),
    );
  if (type === 'Exempt') {
    if (isObject(spec.limited))
      causes.push(forbiddenValue('spec.limited', 'must be nil if the type is not Limited'));
    if (isObject(spec.exempt)) causes.push(...exemptCauses(spec.exempt, 'spec.exempt'));
  } else if (type === 'Limited') {
    if (isObject(spec.exempt))
      causes.push(forbiddenValue('spec.exempt', 'must be nil if the type is Limited'));
    if (isObject(spec.limited)) causes.push(...limitedCauses(spec.limited, 'spec.limited'));
    else causes.push(required('spec.limited', 'must not be empty when type is Limited'));
  } else {
    causes.push(type ? notSupported('spec.type', type, TYPES) : required('spec.type'));
  }
  return causes;
}

/** The fixed-spec cause of a mandatory level (`exempt` may change its `exempt` field). */
function mandatoryCauses(levelName: string, spec: JsonObject): StatusCause[] {
  const fixed = mandatoryFlowControlSpec('PriorityLevelConfiguration', levelName);
  if (!fixed) return [];
  const exempt = levelName === 'exempt';
  const compared = exempt ? { ...spec, exempt: fixed.exempt ?? null } : spec;
  if (goSemanticEqual(compared, fixed, SPEC)) return [];
  const why = exempt
    ? `spec of '${levelName}' except the 'spec.exempt' field must equal the fixed value`
    : `spec of '${levelName}' must equal the fixed value`;
  return [invalidValue('spec', goStructJson(spec, SPEC), why)];
}

/** PriorityLevelConfiguration: the v1 defaults and validation (create and update alike). */
export const priorityLevelConfigurationRules: KindRules = {
  defaults(pl) {
    const spec = isObject(pl.spec) ? pl.spec : {};
    if (isObject(spec.limited)) {
      const l = spec.limited;
      l.nominalConcurrencyShares ??= 30;
      l.lendablePercent ??= 0;
      const response = isObject(l.limitResponse) ? l.limitResponse : undefined;
      if (response && isObject(response.queuing)) {
        const q = response.queuing;
        if (!q.handSize) q.handSize = 8;
        if (!q.queues) q.queues = 64;
        if (!q.queueLengthLimit) q.queueLengthLimit = 50;
      }
    }
    if (isObject(spec.exempt)) {
      spec.exempt.nominalConcurrencyShares ??= 0;
      spec.exempt.lendablePercent ??= 0;
    }
  },
  validate(pl) {
    const meta = isObject(pl.metadata) ? pl.metadata : {};
    const levelName = String(meta.name ?? '');
    const causes: StatusCause[] = [];
    if (isObject(meta.annotations) && PRESERVE_ZERO in meta.annotations)
      causes.push(
        forbiddenValue('metadata.annotations', `annotation '${PRESERVE_ZERO}' is forbidden`),
      );
    const spec = isObject(pl.spec) ? pl.spec : {};
    return [...causes, ...specCauses(levelName, spec), ...mandatoryCauses(levelName, spec)];
  },
};
