import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { hostPathVolumes } from './host-path-volumes.js';

describe('hostPathVolumes', () => {
  it('names hostPath volumes in spec order', () => {
    const spec = {
      volumes: [
        { name: 'z', hostPath: { path: '/z' } },
        { name: 'e', emptyDir: {} },
        { name: 'a', hostPath: { path: '/a' } },
      ],
    };
    expect(runCheck(hostPathVolumes, 'latest', spec)).toEqual({
      reason: 'hostPath volumes',
      detail: 'volumes "z", "a"',
    });
    expect(runCheck(hostPathVolumes, 'latest', { volumes: [spec.volumes[0]!] })?.detail).toBe(
      'volume "z"',
    );
  });

  it('allows other volumes', () => {
    expect(
      runCheck(hostPathVolumes, 'latest', { volumes: [{ name: 'e', emptyDir: {} }] }),
    ).toBeUndefined();
  });
});
