import { describe, expect, it } from 'vitest';
import { checkAt, container } from './check-at.test-helper.js';
import { runAsNonRoot as check } from './run-as-non-root.js';

const reason = 'runAsNonRoot != true';

describe('runAsNonRoot', () => {
  it('requires the pod or each container to set true', () => {
    expect(checkAt(check, 36, { containers: [container('a'), container('b', {})] })).toEqual({
      reason,
      detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    });
    const pod = { securityContext: { runAsNonRoot: true }, containers: [container('a')] };
    expect(checkAt(check, 36, pod)).toBeUndefined();
    const each = { containers: [container('a', { runAsNonRoot: true })] };
    expect(checkAt(check, 36, each)).toBeUndefined();
  });

  it('names the pod and the containers that set false before the unset ones', () => {
    const spec = {
      securityContext: { runAsNonRoot: false },
      containers: [
        container('a'),
        container('c', { runAsNonRoot: false }),
        container('d', { runAsNonRoot: false }),
      ],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail: 'pod and containers "c", "d" must not set securityContext.runAsNonRoot=false',
    });
    const pod = { securityContext: { runAsNonRoot: false }, containers: [container('a')] };
    expect(checkAt(check, 36, pod)).toEqual({
      reason,
      detail: 'pod must not set securityContext.runAsNonRoot=false',
    });
    const one = {
      securityContext: { runAsNonRoot: true },
      containers: [container('a', { runAsNonRoot: false })],
    };
    expect(checkAt(check, 36, one)).toEqual({
      reason,
      detail: 'container "a" must not set securityContext.runAsNonRoot=false',
    });
  });

  it('exempts a Pod in a user namespace from v1.35 only', () => {
    const spec = { hostUsers: false, containers: [container('a', { runAsNonRoot: false })] };
    expect(checkAt(check, 0, spec)).toMatchObject({ reason });
    expect(checkAt(check, 34, spec)).toMatchObject({ reason });
    expect(checkAt(check, 35, spec)).toBeUndefined();
    expect(checkAt(check, 35, { ...spec, hostUsers: true })).toMatchObject({ reason });
  });
});
