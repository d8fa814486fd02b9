import { context, ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { Action } from './action.js';
import { ReconcileSpan } from './tracing.js';

const ref = { name: 'cm', namespace: 'ns' };
const reason = { type: 'objectUpdated' } as const;

afterEach(() => {
  context.disable();
});

describe('ReconcileSpan without an OpenTelemetry SDK', () => {
  it('runs the reconcile and gives its result, with no span to see', async () => {
    const span = new ReconcileSpan('ConfigMap', ref, reason);
    const seen = await span.run(async () => trace.getActiveSpan());
    expect(seen).toBeUndefined();
    span.end('success', { ok: true, action: Action.awaitChange() });
  });

  it('still passes on a trace the reconcile was started in (a valid parent span context)', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const parent: SpanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    const seen = await context.with(trace.setSpanContext(ROOT_CONTEXT, parent), () => {
      const span = new ReconcileSpan('ConfigMap', ref, reason);
      return span.run(async () => trace.getActiveSpan()?.spanContext());
    });
    expect(seen).toMatchObject({ traceId: parent.traceId, spanId: parent.spanId });
  });
});
