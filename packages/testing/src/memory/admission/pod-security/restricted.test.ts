import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../json.js';
import { evaluatePod } from './evaluate.js';

/** A Pod spec that passes restricted: non-root, RuntimeDefault seccomp, no escalation, drop ALL. */
const compliant = (): JsonObject => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'c',
      image: 'i',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
});

const restricted = (minor?: number) =>
  ({
    level: 'restricted',
    version: minor === undefined ? 'latest' : { major: 1, minor },
  }) as const;

describe('restricted level', () => {
  it('allows a compliant Pod', () => {
    expect(evaluatePod(restricted(), {}, compliant()).allowed).toBe(true);
  });

  it('reports every restricted check a Pod fails, in check ID order', () => {
    const spec: JsonObject = {
      securityContext: { runAsUser: 0 },
      containers: [{ name: 'c', image: 'i', securityContext: { procMount: 'Unmasked' } }],
      volumes: [{ name: 'v', nfs: { server: 's', path: '/' } }],
    };
    expect(evaluatePod(restricted(), {}, spec).detail).toBe(
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
        'procMount (container "c" must not set securityContext.procMount to "Unmasked"), ' +
        'restricted volume types (volume "v" uses restricted volume type "nfs"), ' +
        'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
        'runAsUser=0 (pod must not set runAsUser=0), ' +
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('relaxes runAsNonRoot and runAsUser for a user-namespaced Pod from v1.35', () => {
    const spec = compliant();
    spec.hostUsers = false;
    spec.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
    expect(evaluatePod(restricted(), {}, spec).allowed).toBe(true);
    expect(evaluatePod(restricted(34), {}, spec).reason).toBe('runAsNonRoot != true, runAsUser=0');
  });

  it('applies no restricted check to a baseline namespace', () => {
    expect(
      evaluatePod({ level: 'baseline', version: 'latest' }, {}, { containers: [{ name: 'c' }] })
        .allowed,
    ).toBe(true);
  });
});
