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

  it('with afterFunction keeps only the samples after the last one with it on the stack', () => {
    const nested = {
      nodes: [
        { ...frame(1, 'main', 'file:///w/bench/dist/a.js'), children: [2, 3] },
        frame(2, 'settle', 'file:///w/bench/dist/a.js'),
        frame(3, 'drain', 'file:///w/packages/runtime/dist/b.js'),
      ],
      // main, settle, drain, settle, drain, drain: 1 ms each.
      samples: [1, 2, 3, 2, 3, 3],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    };
    const s = summarizeProfiles([nested], false, 'settle');
    expect(s.totalMs).toBe(2);
    expect(s.packages.get('@kube-ts/runtime')).toBe(2);
    expect(s.packages.get('bench')).toBeUndefined();
    expect(summarizeProfiles([nested], false, 'absent').totalMs).toBe(6);
  });
});
