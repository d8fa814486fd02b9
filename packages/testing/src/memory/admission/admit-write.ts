import type { IncomingMessage } from 'node:http';
import { userOf } from '../auth/authenticate.js';
import { celAuthorizerCheck } from '../auth/cel-authorizer.js';
import { cloneKeeping } from '../big-integers.js';
import { handle, type RequestContext } from '../http-handler.js';
import { isObject, type JsonObject } from '../json.js';
import { sendError } from '../respond.js';
import type { AdmissionHook, AdmissionPoint, ApiState } from '../state.js';
import { type ChainEnv, type PolicyRound, runMutating, runValidating } from './admission-chain.js';
import { convertObjects } from './conversion.js';
import { withConversions } from './converted-writes.js';
import { assignInPlace } from './in-place.js';
import { type AdmissionAttributes, matchingWebhooks } from './matching.js';
import { mutateByPolicies } from './mutating-policies.js';
import { operationOptions, sentWriteOptions } from './operation-options.js';
import { admitPolicies } from './policies.js';
import { Recorder } from './recorder.js';
import { serviceDirectory } from './webhook-call.js';

/** Storage keys of the webhook configurations. */
export const MUTATING = 'mutatingwebhookconfigurations.admissionregistration.k8s.io';
export const VALIDATING = 'validatingwebhookconfigurations.admissionregistration.k8s.io';

/** Thrown by the hook to stop a trial run of a write at the admission point. */
class Stop {
  constructor(readonly kind: 'capture' | 'retry') {}
}

/** The webhook configurations stored under a key. */
export function configurations(s: ApiState, key: string): JsonObject[] {
  return [...s.storage.scan(key)].map(([, o]) => o);
}

/** Whether any admission webhook is configured. */
export function hasWebhooks(s: ApiState): boolean {
  return s.storage.count(MUTATING) + s.storage.count(VALIDATING) > 0;
}

function namespaceLabels(s: ApiState) {
  return (name: string) => {
    const ns = s.storage.get('namespaces', name);
    const meta = ns?.metadata;
    return isObject(meta) && isObject(meta.labels) ? meta.labels : undefined;
  };
}

/** What the chain needs: a converter through the CRD's conversion webhook, if it has one, and the Services. */
export function chainEnv(s: ApiState, p: { t: AdmissionAttributes['t'] }): ChainEnv {
  return {
    convert: async (obj: JsonObject, version: string) =>
      (await convertObjects(s, p.t, [obj], version))[0] as JsonObject,
    services: serviceDirectory(s.storage),
    authorize: celAuthorizerCheck(s.storage),
  };
}

/**
 * Runs the request once against a recorder, with `hook` at the admission point (and again
 * for each object it needs converted through a conversion webhook first).
 */
async function trial(
  ctx: RequestContext,
  req: IncomingMessage,
  body: string,
  hook: AdmissionHook | undefined,
): Promise<{ rec: Recorder; stopped?: 'capture' | 'retry' }> {
  const rec = new Recorder();
  try {
    await withConversions(ctx.state, () => {
      ctx.state.admission = hook;
      try {
        handle(ctx, req, rec.response, body);
      } finally {
        ctx.state.admission = undefined;
      }
    });
  } catch (err) {
    if (err instanceof Stop) return { rec, stopped: err.kind };
    sendError(rec.response, err);
  }
  return { rec };
}

/** The request with another body (JSON), method, URL or Accept header. */
export function rewritten(
  req: IncomingMessage,
  change: { url?: string; method?: string; json?: boolean; accept?: string },
): IncomingMessage {
  const headers = {
    ...req.headers,
    ...(change.json ? { 'content-type': 'application/json' } : {}),
    ...(change.accept ? { accept: change.accept } : {}),
  };
  return Object.create(req, {
    url: { value: change.url ?? req.url },
    method: { value: change.method ?? req.method },
    headers: { value: headers },
  }) as IncomingMessage;
}

/**
 * Runs a create or update through the admission webhooks as kube-apiserver does:
 * mutating webhooks after the mutating admission plugins and policies, then the strategy,
 * the allocators and validation (with defaulting/pruning) of the mutated object, then the
 * validating webhooks, then the commit (a taken name is found there, as by kube-apiserver's
 * storage). The write path is synchronous, so the request is tried up to three times, each
 * run stopping at the admission point until the last; a concurrent change of the object
 * in between starts over. Returns the recorded answer (which carries the warnings given in
 * its run) and the warnings of a refusal made between the runs.
 *
 * A write made at the storage version for a request at `requestVersion` (a CRD with a
 * conversion webhook) is admitted at the request's version, as kube-apiserver admits it:
 * the webhooks' objects are converted from there (and a mutation back to storage).
 */
export async function admitWrite(
  ctx: RequestContext,
  req: IncomingMessage,
  body: string,
  dryRun: boolean,
  requestVersion?: string,
): Promise<{ rec: Recorder; warnings: string[] }> {
  const s = ctx.state;
  let last: Recorder | undefined;
  // A create gets one generated name, uid and creation time in all its runs.
  const made = new Map<string, string>();
  const once = (what: string, make: () => string) => {
    const value = made.get(what) ?? make();
    made.set(what, value);
    return value;
  };
  /** A run without webhooks. */
  const plain: AdmissionHook = {
    beforeValidation(point) {
      if (point.policies?.applied) point.policies.again(point.object);
    },
    afterValidation() {},
    once,
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    let p: AdmissionPoint | undefined;
    const first = await trial(ctx, req, body, {
      beforeValidation(point) {
        p = { ...point, object: cloneKeeping(point.object) };
        throw new Stop('capture');
      },
      afterValidation() {},
      once,
    });
    if (!p) return { rec: first.rec, warnings: [] };
    const captured: AdmissionPoint = p;
    const env = chainEnv(s, captured);
    const version = requestVersion ?? captured.version;
    // A Scale (a write through `scale`) is the same at every version of the resource.
    const converts = version !== captured.version && captured.subresource !== 'scale';
    /** An object at the storage version as the request's version has it. */
    const atRequest = async <O extends JsonObject | undefined>(o: O): Promise<O> =>
      o && converts ? ((await env.convert(o, version)) as O) : o;
    const unchanged = (q: AdmissionPoint) =>
      q.name === captured.name &&
      (q.old?.metadata as JsonObject | undefined)?.resourceVersion ===
        (captured.old?.metadata as JsonObject | undefined)?.resourceVersion;
    /**
     * A run of the request that gives the object the mutating webhooks left (and `stop` is
     * called after validation); a concurrent change of the object stops it for a retry.
     */
    const replay = (mutated: JsonObject, after: (q: AdmissionPoint) => void): AdmissionHook => ({
      beforeValidation(q) {
        if (!unchanged(q)) throw new Stop('retry');
        // An object the webhooks left alone is kept as this run made it (a Job's label map
        // shared with its template stays shared, as kube-apiserver keeps it).
        if (mutated !== captured.object) assignInPlace(q.object, mutated);
        // The mutating webhooks' warnings come before the strategy's and the policies'.
        q.warnings?.push(...mutatingWarnings);
        given = q.warnings ?? [];
      },
      afterValidation: after,
      once,
    });
    /** The mutating webhooks' warnings, and the warnings given so far in the latest run. */
    let mutatingWarnings: string[] = [];
    let given: string[] = captured.warnings ?? [];
    const attrs: AdmissionAttributes = {
      operation: captured.old ? 'UPDATE' : 'CREATE',
      t: captured.t,
      version,
      namespace: captured.namespace,
      name: captured.name,
      subresource: captured.subresource,
      object: await atRequest(captured.object),
      oldObject: await atRequest(captured.old),
      dryRun,
      options: operationOptions(
        captured.old ? 'UPDATE' : 'CREATE',
        sentWriteOptions(new URL(req.url ?? '/', 'http://localhost').searchParams),
      ),
      user: userOf(req),
    };
    const labels = namespaceLabels(s);
    const mutating = matchingWebhooks(configurations(s, MUTATING), attrs, labels);
    if (
      mutating.length === 0 &&
      matchingWebhooks(configurations(s, VALIDATING), attrs, labels).length === 0
    ) {
      return { rec: (await trial(ctx, req, body, plain)).rec, warnings: [] };
    }
    /** A refusal, with the warnings given before it. */
    const fail = (err: unknown) => {
      const rec = new Recorder();
      sendError(rec.response, err);
      return { rec, warnings: [...given, ...((err as { warnings?: string[] }).warnings ?? [])] };
    };
    let mutated: JsonObject;
    try {
      const policies = captured.policies;
      const round: PolicyRound | undefined = policies && {
        applied: policies.applied,
        // The policies mutate the object at the storage version.
        again: async (o) => {
          const stored = converts ? await env.convert(o, captured.version) : cloneKeeping(o);
          policies.again(stored);
          return atRequest(stored);
        },
      };
      const m = await runMutating(mutating, attrs, env, round);
      // A mutated object goes back to the storage version; an unchanged one stays as captured.
      mutated =
        m.object === attrs.object || !m.object
          ? captured.object
          : captured.subresource === 'scale'
            ? m.object
            : await env.convert(m.object, captured.version);
      mutatingWarnings = m.warnings;
    } catch (err) {
      return fail(err);
    }
    let validated: AdmissionPoint | undefined;
    const second = await trial(
      ctx,
      req,
      body,
      replay(mutated, (q) => {
        validated = { ...q, object: cloneKeeping(q.object) };
        throw new Stop('capture');
      }),
    );
    if (second.stopped === 'retry') continue;
    // A run's answer carries the warnings given in that run, a refusal's too.
    if (!validated) return { rec: second.rec, warnings: [] };
    let final: AdmissionAttributes;
    try {
      // Validating admission names a create by generateName by its generated name.
      final = { ...attrs, name: validated.name, object: await atRequest(validated.object) };
    } catch (err) {
      return fail(err);
    }
    let validatingWarnings: string[];
    try {
      const validating = matchingWebhooks(configurations(s, VALIDATING), final, labels);
      validatingWarnings = await runValidating(validating, final, env);
    } catch (err) {
      return fail(err);
    }
    // The validating webhooks' warnings come after the policies'.
    const third = await trial(
      ctx,
      req,
      body,
      replay(mutated, (q) => {
        q.warnings?.push(...validatingWarnings);
      }),
    );
    last = third.rec;
    if (third.stopped === 'retry') continue;
    return { rec: third.rec, warnings: [] };
  }
  return { rec: last ?? (await trial(ctx, req, body, plain)).rec, warnings: [] };
}

/**
 * Admits a request that stores no object of its own as kube-apiserver's admission chain
 * does: a DELETE of a stored object (`oldObject`; the mutating webhooks cannot patch it)
 * or a CONNECT (`object` its options object, e.g. PodExecOptions): the
 * MutatingAdmissionPolicies (a CONNECT's), the mutating webhooks,
 * the ValidatingAdmissionPolicies, then the validating webhooks. Returns `object` as the
 * mutating webhooks left it and the warnings; throws the first refusal.
 */
export async function admitRequest(
  s: ApiState,
  attrs: AdmissionAttributes,
): Promise<{ object: JsonObject | undefined; warnings: string[] }> {
  const labels = namespaceLabels(s);
  const env = chainEnv(s, attrs);
  const sc = { t: attrs.t, version: attrs.version, namespace: attrs.namespace };
  const connect = attrs.operation === 'CONNECT';
  // The MutatingAdmissionPolicies first, as for writes: they change the options in place.
  const policies =
    connect && attrs.object
      ? mutateByPolicies(s, sc, attrs.name, attrs.object, undefined, attrs.subresource, attrs, true)
      : undefined;
  const { object, warnings } = await runMutating(
    matchingWebhooks(configurations(s, MUTATING), attrs, labels),
    attrs,
    env,
    policies && {
      applied: policies.applied,
      again: async (o) => {
        const options = structuredClone(o);
        policies.again(options);
        return options;
      },
    },
  );
  const admitted = { ...attrs, object };
  admitPolicies(
    s,
    sc,
    attrs.name,
    object ?? null,
    attrs.oldObject,
    connect ? attrs.subresource : '',
    warnings,
    attrs,
    connect,
  );
  warnings.push(
    ...(await runValidating(
      matchingWebhooks(configurations(s, VALIDATING), admitted, labels),
      admitted,
      env,
    )),
  );
  return { object, warnings };
}
