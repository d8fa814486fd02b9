import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { seLinuxOptions } from './se-linux-options.js';

const opts = (seLinuxOptions: Record<string, string>) => ({ securityContext: { seLinuxOptions } });

describe('seLinuxOptions', () => {
  it('names the Pod and containers, then the sorted types, user and role', () => {
    const spec = {
      ...opts({ type: 'foo', user: 'u' }),
      containers: [
        { name: 'e', ...opts({ type: 'bar' }) },
        { name: 'ok', ...opts({ type: 'container_t', level: 's0' }) },
        { name: 'f', ...opts({ role: 'r' }) },
      ],
    };
    expect(runCheck(seLinuxOptions, 'latest', spec)).toEqual({
      reason: 'seLinuxOptions',
      detail:
        'pod and containers "e", "f" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    });
    expect(runCheck(seLinuxOptions, 'latest', opts({ role: 'r' }))?.detail).toBe(
      'pod set forbidden securityContext.seLinuxOptions: role may not be set',
    );
    expect(
      runCheck(seLinuxOptions, 'latest', { containers: [{ name: 'c', ...opts({ type: 'x' }) }] })
        ?.detail,
    ).toBe('container "c" set forbidden securityContext.seLinuxOptions: type "x"');
  });

  it('allows container_engine_t from v1.31 on', () => {
    const spec = opts({ type: 'container_engine_t' });
    expect(runCheck(seLinuxOptions, 31, spec)).toBeUndefined();
    expect(runCheck(seLinuxOptions, 30, spec)?.detail).toBe(
      'pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
    );
    expect(runCheck(seLinuxOptions, 30, opts({ type: 'container_kvm_t' }))).toBeUndefined();
  });
});
