import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import { containerSecurityCauses, podSecurityCauses } from './pod-security.js';

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('containerSecurityCauses', () => {
  test('Unmasked procMount needs a user namespace', () => {
    const sc = { procMount: 'Unmasked' };
    expect(lines(containerSecurityCauses(sc, 'sc', false))).toEqual([]);
    expect(lines(containerSecurityCauses(sc, 'sc', true))).toEqual([
      'sc.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
    ]);
  });

  test('Windows user names: domain and user rules', () => {
    const causes = containerSecurityCauses(
      { windowsOptions: { runAsUserName: 'bad:domain\\..', gmsaCredentialSpec: '' } },
      'sc',
      true,
    );
    expect(lines(causes)).toEqual([
      'sc.windowsOptions.gmsaCredentialSpec: Invalid value: "": gmsaCredentialSpec cannot be an empty string',
      'sc.windowsOptions.runAsUserName: Invalid value: "bad:domain\\\\..": runAsUserName\'s Domain doesn\'t match the NetBios nor the DNS format',
      'sc.windowsOptions.runAsUserName: Invalid value: "bad:domain\\\\..": runAsUserName\'s User cannot contain only periods or spaces',
    ]);
  });
});

describe('podSecurityCauses', () => {
  test('namespaced sysctls are refused beside the host IPC namespace', () => {
    const spec: JsonObject = {
      hostIPC: true,
      securityContext: {
        sysctls: [{ name: 'kernel.shm_rmid_forced' }, { name: 'fs/mqueue/x' }, { name: '' }],
      },
    };
    expect(lines(podSecurityCauses(spec, 'spec'))).toEqual([
      'spec.securityContext.sysctls[0].name: Invalid value: "kernel.shm_rmid_forced": may not be specified when \'hostIPC\' is true',
      'spec.securityContext.sysctls[1].name: Invalid value: "fs/mqueue/x": may not be specified when \'hostIPC\' is true',
      'spec.securityContext.sysctls[2].name: Required value',
    ]);
  });
});
