import { describe, expect, it } from 'vitest';
import { exposition } from '../../metrics/exposition.js';
import { PodSecurityMetrics } from './pod-security-metrics.js';

const lines = (m: PodSecurityMetrics) =>
  exposition(m.families())
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('PodSecurityMetrics', () => {
  it('starts with the series the recorder creates, at 0', () => {
    expect(lines(new PodSecurityMetrics())).toEqual([
      'pod_security_evaluations_total{decision="allow",mode="enforce",policy_level="privileged",policy_version="latest",request_operation="create",resource="pod",subresource=""} 0',
      'pod_security_evaluations_total{decision="allow",mode="enforce",policy_level="privileged",policy_version="latest",request_operation="update",resource="pod",subresource=""} 0',
      'pod_security_exemptions_total{request_operation="create",resource="controller",subresource=""} 0',
      'pod_security_exemptions_total{request_operation="create",resource="pod",subresource=""} 0',
      'pod_security_exemptions_total{request_operation="update",resource="controller",subresource=""} 0',
      'pod_security_exemptions_total{request_operation="update",resource="pod",subresource=""} 0',
    ]);
  });

  it('names a version newer than the server future, and privileged latest', () => {
    const m = new PodSecurityMetrics();
    const request = { operation: 'update', resource: 'controller', subresource: '' } as const;
    m.evaluated(request, [
      {
        decision: 'deny',
        policy: { level: 'restricted', version: { major: 1, minor: 99 } },
        mode: 'warn',
      },
      {
        decision: 'deny',
        policy: { level: 'baseline', version: { major: 1, minor: 36 } },
        mode: 'audit',
      },
      {
        decision: 'allow',
        policy: { level: 'privileged', version: { major: 1, minor: 99 } },
        mode: 'enforce',
      },
    ]);
    m.invalidPolicy(request);
    const counted = lines(m).filter((l) => !l.endsWith(' 0'));
    expect(counted).toEqual([
      'pod_security_errors_total{fatal="false",request_operation="update",resource="controller",subresource=""} 1',
      'pod_security_evaluations_total{decision="allow",mode="enforce",policy_level="privileged",policy_version="latest",request_operation="update",resource="controller",subresource=""} 1',
      'pod_security_evaluations_total{decision="deny",mode="audit",policy_level="baseline",policy_version="v1.36",request_operation="update",resource="controller",subresource=""} 1',
      'pod_security_evaluations_total{decision="deny",mode="warn",policy_level="restricted",policy_version="future",request_operation="update",resource="controller",subresource=""} 1',
    ]);
  });
});
