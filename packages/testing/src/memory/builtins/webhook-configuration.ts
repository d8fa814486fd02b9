/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and
 * MutatingWebhookConfiguration: each webhook's defaults (failure policy `Fail`, match
 * policy `Equivalent`, empty selectors, a 10 s timeout, reinvocation `Never` for mutating
 * webhooks, rule scope `*`, service port 443) and kube-apiserver's validation of them (own
 * code, for its causes), with the checks an update relaxes while the stored object still
 * breaks them, and the warning for a name with the suffix reserved for static
 * configurations.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject, objects, strings } from '../json.js';
import { duplicate, invalidValue, notSupported, required } from '../validation.js';
import { matchConditionsCauses } from './admission-configurations.js';
import { ruleWithOperationsCauses } from './admission-policy-binding.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses } from './label-selector.js';
import {
  clientConfigCauses,
  knownReviewVersion,
  reviewVersionsCauses,
} from './webhook-client-config.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const STATIC_SUFFIX = '.static.k8s.io';

/**
 * What an update relaxes (kube-apiserver's validation options): each check is kept only
 * while the stored object passes it, so an object stored before a check existed can
 * still be updated.
 */
interface Options {
  /** The matchConditions are unchanged and go unchecked. */
  ignoreMatchConditions: boolean;
  /** Side effects must be `None` or `NoneOnDryRun`. */
  noSideEffects: boolean;
  /** Each webhook must accept an AdmissionReview version this server sends. */
  recognizedReviewVersion: boolean;
  /** Webhook names must be unique. */
  uniqueNames: boolean;
  /** The values of selector requirements go unchecked. */
  allowInvalidSelectorValues: boolean;
}

const CREATE: Options = {
  ignoreMatchConditions: false,
  noSideEffects: true,
  recognizedReviewVersion: true,
  uniqueNames: true,
  allowInvalidSelectorValues: false,
};

const selectors = (w: JsonObject) =>
  (['namespaceSelector', 'objectSelector'] as const).map((k) => w[k]).filter(isObject);

/** The options of an update of `prev` to `next`. */
function updateOptions(next: JsonObject[], prev: JsonObject[]): Options {
  const names = prev.map((w) => (typeof w.name === 'string' ? w.name : ''));
  return {
    ignoreMatchConditions:
      next.length === prev.length &&
      prev.every((w, i) => deepEqual(w.matchConditions, next[i]!.matchConditions)),
    noSideEffects: prev.every(
      (w) => typeof w.sideEffects === 'string' && NO_SIDE_EFFECTS.includes(w.sideEffects),
    ),
    recognizedReviewVersion: prev.every((w) =>
      knownReviewVersion(strings(w.admissionReviewVersions)),
    ),
    uniqueNames: new Set(names).size === names.length,
    allowInvalidSelectorValues: prev.some((w) =>
      selectors(w).some((s) => labelSelectorCauses(s, '').length > 0),
    ),
  };
}

/** `IsFullyQualifiedName`: a DNS subdomain of at least three segments. */
function webhookNameCauses(name: string, at: string): StatusCause[] {
  if (name === '') return [required(at)];
  const errors = dns1123SubdomainErrors(name);
  if (errors.length > 0) return [invalidValue(at, name, errors.join(','))];
  if (name.split('.').length < 3) {
    return [
      invalidValue(at, name, 'should be a domain with at least three segments separated by dots'),
    ];
  }
  return [];
}

/** An optional enum field: unsupported values only. */
function enumCauses(w: JsonObject, key: string, allowed: string[], at: string): StatusCause[] {
  const v = w[key];
  return typeof v === 'string' && !allowed.includes(v)
    ? [notSupported(`${at}.${key}`, v, allowed)]
    : [];
}

/** A webhook's `sideEffects`: required, one of the classes allowed. */
function sideEffectsCauses(w: JsonObject, at: string, opts: Options): StatusCause[] {
  const allowed = opts.noSideEffects ? NO_SIDE_EFFECTS : SIDE_EFFECTS;
  const v = w.sideEffects;
  if (typeof v !== 'string') {
    return [required(`${at}.sideEffects`, `must specify one of ${allowed.join(', ')}`)];
  }
  return allowed.includes(v) ? [] : [notSupported(`${at}.sideEffects`, v, allowed)];
}

/** One webhook's causes, in kube-apiserver's order. */
function webhookCauses(w: JsonObject, at: string, mutating: boolean, opts: Options): StatusCause[] {
  const causes = webhookNameCauses(typeof w.name === 'string' ? w.name : '', `${at}.name`);
  objects(w.rules).forEach((r, i) => {
    causes.push(...ruleWithOperationsCauses(r, `${at}.rules[${i}]`));
  });
  causes.push(...enumCauses(w, 'failurePolicy', FAILURE_POLICIES, at));
  causes.push(...enumCauses(w, 'matchPolicy', MATCH_POLICIES, at));
  causes.push(...sideEffectsCauses(w, at, opts));
  const timeout = w.timeoutSeconds;
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 30)) {
    causes.push(
      invalidValue(
        `${at}.timeoutSeconds`,
        timeout,
        'the timeout value must be between 1 and 30 seconds',
      ),
    );
  }
  for (const k of ['namespaceSelector', 'objectSelector']) {
    const selector = w[k];
    if (isObject(selector)) {
      causes.push(...labelSelectorCauses(selector, `${at}.${k}`, opts.allowInvalidSelectorValues));
    }
  }
  if (mutating) causes.push(...enumCauses(w, 'reinvocationPolicy', REINVOCATION_POLICIES, at));
  causes.push(...clientConfigCauses(w.clientConfig, `${at}.clientConfig`));
  if (!opts.ignoreMatchConditions) {
    causes.push(...matchConditionsCauses(w.matchConditions, `${at}.matchConditions`, 'webhook'));
  }
  return causes;
}

/** A configuration's causes: each webhook, its review versions, names unique. */
function configurationCauses(obj: JsonObject, mutating: boolean, opts: Options): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  objects(obj.webhooks).forEach((w, i) => {
    const at = `webhooks[${i}]`;
    causes.push(...webhookCauses(w, at, mutating, opts));
    causes.push(
      ...reviewVersionsCauses(
        strings(w.admissionReviewVersions),
        `${at}.admissionReviewVersions`,
        opts.recognizedReviewVersion,
        'must specify one of v1, v1beta1',
      ),
    );
    const name = typeof w.name === 'string' ? w.name : '';
    if (!opts.uniqueNames || name === '') return;
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    names.add(name);
  });
  return causes;
}

/** Writes a webhook's defaults, those of its rules and of its service reference. */
function defaultWebhook(w: JsonObject, mutating: boolean): void {
  w.failurePolicy ??= 'Fail';
  w.matchPolicy ??= 'Equivalent';
  w.namespaceSelector ??= {};
  w.objectSelector ??= {};
  w.timeoutSeconds ??= 10;
  if (mutating) w.reinvocationPolicy ??= 'Never';
  for (const r of objects(w.rules)) r.scope ??= '*';
  const config = isObject(w.clientConfig) ? w.clientConfig : {};
  if (isObject(config.service)) config.service.port ??= 443;
}

/** The warning for a name ending in the suffix reserved for static configurations. */
function staticSuffixWarnings(obj: JsonObject): string[] {
  const name = isObject(obj.metadata) ? obj.metadata.name : undefined;
  if (typeof name !== 'string' || !name.endsWith(STATIC_SUFFIX)) return [];
  return [
    `metadata.name: names ending with "${STATIC_SUFFIX}" are reserved for static manifest-based configurations and cannot be managed via the API`,
  ];
}

function configurationRules(mutating: boolean): KindRules {
  return {
    defaults(obj) {
      for (const w of objects(obj.webhooks)) defaultWebhook(w, mutating);
    },
    validate(obj, ctx) {
      const opts = ctx.old
        ? updateOptions(objects(obj.webhooks), objects(ctx.old.webhooks))
        : CREATE;
      return configurationCauses(obj, mutating, opts);
    },
    warnings: staticSuffixWarnings,
  };
}

/** ValidatingWebhookConfiguration: defaults, validation, warnings. */
export const validatingWebhookConfigurationRules: KindRules = configurationRules(false);

/** MutatingWebhookConfiguration: defaults (reinvocation policy too), validation, warnings. */
export const mutatingWebhookConfigurationRules: KindRules = configurationRules(true);
