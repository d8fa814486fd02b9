import { describe, expect, it } from 'vitest';
import { appArmorProfile } from './app-armor-profile.js';
import { runCheck } from './check.test-helper.js';

const profile = (type: string) => ({ securityContext: { appArmorProfile: { type } } });

describe('appArmorProfile', () => {
  it('names the Pod, the containers and the annotations that set other profiles', () => {
    const spec = {
      ...profile('Unconfined'),
      containers: [
        { name: 'c', ...profile('Unconfined') },
        { name: 'ok', ...profile('Localhost') },
      ],
      initContainers: [{ name: 'i', ...profile('Other') }],
    };
    const meta = {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/z': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/a': 'bad\tvalue',
        'container.apparmor.security.beta.kubernetes.io/ok': 'localhost/x',
        'other/z': 'unconfined',
      },
    };
    expect(runCheck(appArmorProfile, 'latest', spec, meta)).toEqual({
      reason: 'forbidden AppArmor profiles',
      detail:
        'pod and containers "i", "c" and annotations must not set AppArmor profile type to "Other", "Unconfined", ' +
        '"container.apparmor.security.beta.kubernetes.io/a="bad\\tvalue"", ' +
        '"container.apparmor.security.beta.kubernetes.io/z="unconfined""',
    });
  });

  it('counts the values for the reason', () => {
    expect(runCheck(appArmorProfile, 'latest', profile('Unconfined'))).toEqual({
      reason: 'forbidden AppArmor profile',
      detail: 'pod must not set AppArmor profile type to "Unconfined"',
    });
    const meta = {
      annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
    };
    expect(runCheck(appArmorProfile, 0, {}, meta)?.detail).toBe(
      'annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c="unconfined""',
    );
  });

  it('allows the runtime default and localhost profiles, and empty annotations', () => {
    const spec = {
      ...profile('RuntimeDefault'),
      containers: [{ name: 'c', ...profile('Localhost') }],
    };
    const meta = {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/d': '',
      },
    };
    expect(runCheck(appArmorProfile, 'latest', spec, meta)).toBeUndefined();
  });
});
