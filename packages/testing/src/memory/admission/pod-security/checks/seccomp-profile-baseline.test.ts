import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { seccompProfileBaseline } from './seccomp-profile-baseline.js';

const profile = (type: string) => ({ securityContext: { seccompProfile: { type } } });

describe('seccompProfile_baseline', () => {
  const spec = {
    ...profile('Unconfined'),
    containers: [
      { name: 'c', ...profile('Unconfined') },
      { name: 'ok', ...profile('Localhost') },
    ],
    ephemeralContainers: [{ name: 'd', ...profile('Other') }],
  };
  const meta = {
    annotations: {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/c': 'unknown',
      'container.seccomp.security.alpha.kubernetes.io/ok': 'docker/default',
      'container.seccomp.security.alpha.kubernetes.io/absent': 'unconfined',
    },
  };

  it('checks the securityContext fields from v1.19 on', () => {
    expect(runCheck(seccompProfileBaseline, 19, spec, meta)).toEqual({
      reason: 'seccompProfile',
      detail:
        'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Other", "Unconfined"',
    });
    expect(runCheck(seccompProfileBaseline, 'latest', profile('Unconfined'))?.detail).toBe(
      'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    );
    expect(runCheck(seccompProfileBaseline, 'latest', {}, meta)).toBeUndefined();
  });

  it('checks before v1.19 only the annotations of the Pod and its containers, sorted', () => {
    expect(runCheck(seccompProfileBaseline, 18, spec, meta)).toEqual({
      reason: 'seccompProfile',
      detail:
        'forbidden annotations container.seccomp.security.alpha.kubernetes.io/c="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    });
    const empty = { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': '' } };
    expect(runCheck(seccompProfileBaseline, 18, {}, empty)?.detail).toBe(
      'forbidden annotation seccomp.security.alpha.kubernetes.io/pod=""',
    );
    expect(runCheck(seccompProfileBaseline, 18, spec)).toBeUndefined();
  });
});
