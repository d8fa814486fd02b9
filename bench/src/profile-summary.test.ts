import { describe, expect, it } from 'vitest';
import { packageOf, summarizeProfiles } from './profile-summary.js';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0 },
});

describe('packageOf', () => {
  it('names npm packages, kube-ts packages, the bench and node internals', () => {
    expect(packageOf('file:///w/node_modules/@kubernetes/client-node/dist/watch.js')).toBe(
      '@kubernetes/client-node',
    );
    expect(packageOf('file:///w/node_modules/rxjs/dist/cjs/index.js')).toBe('rxjs');
    expect(packageOf('file:///w/packages/runtime/dist/store/store.js')).toBe('@kube-ts/runtime');
    expect(packageOf('file:///w/bench/dist/workers/peer.js')).toBe('bench');
    expect(packageOf('node:internal/streams/readable')).toBe('node: internals');
  });
});

describe('summarizeProfiles', () => {
  const profile = {
    nodes: [frame(1, 'start', 'node:internal/x'), frame(2, 'drain', 'file:///w/bench/dist/a.js')],
    // 3 ms in start, a 2 s pause, then 4 ms in drain.
    samples: [1, 1, 1, 2, 2, 2, 2],
    timeDeltas: [1000, 1000, 1000, 2_000_000, 1000, 1000, 1000],
  };

  it('adds up self time per function and package, and counts long gaps as paused', () => {
    const s = summarizeProfiles([profile]);
    expect(s.totalMs).toBe(6);
    expect(s.packages.get('node: internals')).toBe(3);
    expect(s.packages.get('bench')).toBe(3);
    expect(s.packages.get('(paused)')).toBe(2000);
  });

  it('with afterPause keeps only the samples after the longest gap', () => {
    const s = summarizeProfiles([profile], true);
    expect(s.totalMs).toBe(3);
    expect(s.packages.get('node: internals')).toBeUndefined();
    expect(s.packages.get('bench')).toBe(3);
  });
});
