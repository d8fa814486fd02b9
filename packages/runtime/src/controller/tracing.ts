/**
 * The OpenTelemetry span of one reconcile, through `@opentelemetry/api`: a no-op unless
 * the application installs an OpenTelemetry SDK. The reconcile runs with its span active,
 * so the client spans of the API calls it makes (`@kube-ts/client`) are its children.
 */
import { type ObjectRef, ObjectRef as Refs } from '@kube-ts/core';
import {
  type Context,
  context,
  isSpanContextValid,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { ReconcileMetricResult } from './config.js';
import type { ReconcileOutcome } from './invoke.js';
import type { ReconcileReason } from './reason.js';

const tracer = trace.getTracer('@kube-ts/runtime');

/**
 * One reconcile's span, named `reconcile <controller>`, with the object ref
 * (`k8s.namespace.name`, `k8s.object.name`, `k8s.object.kind`, `kube_ts.object.key`),
 * the controller (`kube_ts.controller`) and the reason (`kube_ts.reconcile.reason`); at
 * the end, the result as the metrics name it (`kube_ts.reconcile.result`: `success`,
 * `error`, `requeue`, `requeue_after`), the requeue delay, and on failure the error
 * (status ERROR, the exception recorded).
 */
export class ReconcileSpan {
  readonly #span: Span;
  /** The context that makes the span active; undefined when there is nothing to carry. */
  readonly #context: Context | undefined;

  constructor(controller: string, ref: ObjectRef, reason: ReconcileReason) {
    const attributes: Record<string, string> = {
      'kube_ts.controller': controller,
      'kube_ts.object.key': Refs.key(ref),
      'kube_ts.reconcile.reason': reason.type,
      'k8s.object.name': ref.name,
    };
    if (ref.namespace) attributes['k8s.namespace.name'] = ref.namespace;
    if (ref.kind) attributes['k8s.object.kind'] = ref.kind;
    const span = tracer.startSpan(`reconcile ${controller}`, { attributes });
    this.#span = span;
    // Without an OpenTelemetry SDK the span records nothing and has no trace to pass on
    // (an invalid span context): making a context for it (a Map copy) and entering it cost
    // ~10 µs per reconcile on the path from the watch event to the reconcile (bench
    // scenario 8), for nothing. A span an SDK made, sampled or not, is always entered.
    this.#context =
      span.isRecording() || isSpanContextValid(span.spanContext())
        ? trace.setSpan(context.active(), span)
        : undefined;
  }

  /** Runs `fn` with this span active (the parent of the spans started inside it). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#context === undefined ? fn() : context.with(this.#context, fn);
  }

  /** Ends the span with the reconcile's result. */
  end(result: ReconcileMetricResult, outcome: ReconcileOutcome): void {
    const span = this.#span;
    span.setAttribute('kube_ts.reconcile.result', result);
    const afterMs = outcome.action.requeueAfterMs;
    if (afterMs !== undefined) span.setAttribute('kube_ts.reconcile.requeue_after_ms', afterMs);
    if (!outcome.ok) {
      const error = outcome.error;
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    span.end();
  }
}
