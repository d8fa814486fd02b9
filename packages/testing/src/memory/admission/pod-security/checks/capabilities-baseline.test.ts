import { describe, expect, it } from 'vitest';
import { capabilitiesBaseline } from './capabilities-baseline.js';
import { runCheck } from './check.test-helper.js';

const adds = (name: string, add: string[]) => ({
  name,
  securityContext: { capabilities: { add } },
});

describe('capabilities_baseline', () => {
  it('names containers adding capabilities beyond the default set, and those capabilities sorted', () => {
    const spec = {
      containers: [adds('c', ['SYS_ADMIN', 'CHOWN', 'NET_RAW']), adds('ok', ['KILL'])],
      initContainers: [adds('i', ['NET_RAW'])],
    };
    expect(runCheck(capabilitiesBaseline, 'latest', spec)).toEqual({
      reason: 'non-default capabilities',
      detail:
        'containers "i", "c" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
    });
    expect(runCheck(capabilitiesBaseline, 0, { containers: [adds('c', ['ALL'])] })?.detail).toBe(
      'container "c" must not include "ALL" in securityContext.capabilities.add',
    );
  });

  it('allows the default set and drops', () => {
    const spec = {
      containers: [
        {
          name: 'c',
          securityContext: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
        },
      ],
    };
    expect(runCheck(capabilitiesBaseline, 'latest', spec)).toBeUndefined();
  });
});
