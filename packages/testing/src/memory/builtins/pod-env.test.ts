import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import { envCauses, envFromCauses } from './pod-env.js';

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('env', () => {
  test('a file key ref: an env var name, a volume label, a path without backsteps', () => {
    const env = [
      { name: 'A', valueFrom: { fileKeyRef: { key: 'a=b', volumeName: 'V', path: 'x/../y' } } },
    ];
    expect(lines(envCauses(env, 'e'))).toEqual([
      'e[0].valueFrom.fileKeyRef.key: Invalid value: "a=b": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      "e[0].valueFrom.fileKeyRef.volumeName: Invalid value: \"V\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'e[0].valueFrom.fileKeyRef.path: Invalid value: "x/../y": must not contain \'..\'',
    ]);
  });

  test('envFrom names are checked as generated-name prefixes (a trailing dash is fine)', () => {
    expect(envFromCauses([{ secretRef: { name: 'app-' } }], 'f')).toEqual([]);
    expect(lines(envFromCauses([{ secretRef: {} }], 'f'))).toEqual([
      'f[0].secretRef.name: Required value',
    ]);
  });
});
