import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyOf } from './namespace-policy.js';

const labels = (l: Record<string, string>) =>
  Object.fromEntries(Object.entries(l).map(([k, v]) => [`pod-security.kubernetes.io/${k}`, v]));

describe('policyOf', () => {
  it('is the default (privileged:latest) without labels', () => {
    expect(policyOf({})).toEqual({ policy: DEFAULT_POLICY, errors: [] });
  });

  it('reads each mode and version', () => {
    const { policy, errors } = policyOf(
      labels({
        enforce: 'baseline',
        'enforce-version': 'v1.20',
        audit: 'restricted',
        warn: 'restricted',
        'warn-version': 'v1.0',
      }),
    );
    expect(errors).toEqual([]);
    expect(policy).toEqual({
      enforce: { level: 'baseline', version: { major: 1, minor: 20 } },
      audit: { level: 'restricted', version: 'latest' },
      warn: { level: 'restricted', version: { major: 1, minor: 0 } },
    });
  });

  it('lets an unlabelled warn follow a stricter labelled enforce, and its version', () => {
    expect(
      policyOf(labels({ enforce: 'baseline', 'enforce-version': 'v1.25' })).policy.warn,
    ).toEqual({
      level: 'baseline',
      version: { major: 1, minor: 25 },
    });
    expect(
      policyOf(labels({ enforce: 'baseline', 'enforce-version': 'v1.25', 'warn-version': 'v1.3' }))
        .policy.warn,
    ).toEqual({ level: 'baseline', version: { major: 1, minor: 3 } });
    expect(policyOf(labels({ enforce: 'restricted', warn: 'baseline' })).policy.warn.level).toBe(
      'baseline',
    );
  });

  it('reads an invalid enforce level as restricted, an invalid audit or warn level as privileged, an invalid version as latest', () => {
    const { policy, errors } = policyOf(
      labels({
        enforce: 'bogus',
        'enforce-version': 'v2.0',
        audit: 'x',
        warn: 'y',
        'warn-version': 'v1.01',
      }),
    );
    expect(policy).toEqual({
      enforce: { level: 'restricted', version: 'latest' },
      audit: { level: 'privileged', version: 'latest' },
      warn: { level: 'privileged', version: 'latest' },
    });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "v2.0": must be "latest" or "v1.x"',
      'metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "x": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "y": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v1.01": must be "latest" or "v1.x"',
    ]);
  });

  it('does not let warn follow an invalid enforce level', () => {
    expect(policyOf(labels({ enforce: 'bogus' })).policy.warn.level).toBe('privileged');
  });
});
