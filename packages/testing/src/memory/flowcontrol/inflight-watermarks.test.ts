import { afterEach, describe, expect, it, vi } from 'vitest';
import { InflightWatermarks, requestKind } from './inflight-watermarks.js';

afterEach(() => {
  vi.useRealTimers();
});

/** The published value of `family` for `kind`. */
function value(w: InflightWatermarks, family: string, kind: string): number | undefined {
  const f = w.families().find((f) => f.name === family);
  return f?.samples.find((s) => s.labels.request_kind === kind)?.value;
}

describe('InflightWatermarks', () => {
  it('publishes each second the most requests seen, then starts again from zero', () => {
    vi.useFakeTimers();
    const w = new InflightWatermarks();
    w.start();
    expect(requestKind('create')).toBe('mutating');
    expect(requestKind('watch')).toBe('readOnly');
    w.executingDelta('mutating', 1);
    w.executingDelta('mutating', 1);
    w.executingDelta('mutating', -1);
    w.waitingDelta('readOnly', 1);
    expect(value(w, 'apiserver_current_inflight_requests', 'mutating')).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(value(w, 'apiserver_current_inflight_requests', 'mutating')).toBe(2);
    expect(value(w, 'apiserver_current_inflight_requests', 'readOnly')).toBe(0);
    expect(value(w, 'apiserver_current_inqueue_requests', 'readOnly')).toBe(1);
    // One request still runs, but nothing changed in the last second.
    vi.advanceTimersByTime(1000);
    expect(value(w, 'apiserver_current_inflight_requests', 'mutating')).toBe(0);
    w.stop();
  });
});
