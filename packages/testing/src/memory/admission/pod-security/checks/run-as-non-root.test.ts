import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { runAsNonRoot as check } from './run-as-non-root.js';

const reason = 'runAsNonRoot != true';

describe('runAsNonRoot', () => {
  it('requires the pod or each container to set true', () => {
    expect(
      runCheck(check, 36, { containers: [{ name: 'a' }, { name: 'b', securityContext: {} }] }),
    ).toEqual({
      reason,
      detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    });
    const pod = { securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] };
    expect(runCheck(check, 36, pod)).toBeUndefined();
    const each = { containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] };
    expect(runCheck(check, 36, each)).toBeUndefined();
  });

  it('names the pod and the containers that set false before the unset ones', () => {
    const spec = {
      securityContext: { runAsNonRoot: false },
      containers: [
        { name: 'a' },
        { name: 'c', securityContext: { runAsNonRoot: false } },
        { name: 'd', securityContext: { runAsNonRoot: false } },
      ],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail: 'pod and containers "c", "d" must not set securityContext.runAsNonRoot=false',
    });
    const pod = { securityContext: { runAsNonRoot: false }, containers: [{ name: 'a' }] };
    expect(runCheck(check, 36, pod)).toEqual({
      reason,
      detail: 'pod must not set securityContext.runAsNonRoot=false',
    });
    const one = {
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'a', securityContext: { runAsNonRoot: false } }],
    };
    expect(runCheck(check, 36, one)).toEqual({
      reason,
      detail: 'container "a" must not set securityContext.runAsNonRoot=false',
    });
  });

  it('exempts a Pod in a user namespace from v1.35 only', () => {
    const spec = {
      hostUsers: false,
      containers: [{ name: 'a', securityContext: { runAsNonRoot: false } }],
    };
    expect(check.versions.map((v) => v.since.minor)).toEqual([0, 35]);
    expect(runCheck(check, 0, spec)).toMatchObject({ reason });
    expect(runCheck(check, 34, spec)).toMatchObject({ reason });
    expect(runCheck(check, 35, spec)).toBeUndefined();
    expect(runCheck(check, 35, { ...spec, hostUsers: true })).toMatchObject({ reason });
  });
});
