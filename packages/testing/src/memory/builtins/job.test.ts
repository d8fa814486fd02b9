import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { jobRules } from './job.js';

const ctx = { group: 'batch', create: true };
const admin = { username: 'admin', groups: [] };
/**
 * Defaulting at decode, then the strategy's PrepareForCreate (once named), then (after
 * validation) the defaulting of the object read back from storage.
 */
const created = (j: JsonObject): JsonObject => {
  jobRules.defaults!(j, true);
  jobRules.prepareCreate!(j, admin, []);
  jobRules.readBack!(j);
  return j;
};
const job = (): JsonObject => ({
  metadata: { name: 'j', uid: 'u-1' },
  spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } },
});

describe('jobRules', () => {
  test('defaults at create: counts and the controller-uid selector and labels', () => {
    const j = created(job());
    expect(j.spec).toMatchObject({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
    });
    expect((j.metadata as JsonObject).labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'j',
      'controller-uid': 'u-1',
      'job-name': 'j',
    });
  });

  test('the selector is generated when the Job is named, not at decoding', () => {
    const j = job();
    jobRules.defaults!(j, true);
    expect((j.spec as JsonObject).selector).toBeUndefined();
    expect((j.metadata as JsonObject).labels).toBeUndefined();
  });

  test('labels the Job set itself do not get the generated ones', () => {
    const j = job();
    (j.metadata as JsonObject).labels = { mine: 'yes' };
    expect((created(j).metadata as JsonObject).labels).toEqual({ mine: 'yes' });
  });

  test('validate: a restart policy other than OnFailure/Never is reported missing', () => {
    const j = job();
    ((j.spec as JsonObject).template as JsonObject).spec = {
      containers: [{ name: 'c', image: 'x' }],
      restartPolicy: 'Always',
    };
    created(j);
    expect(jobRules.validate!(j, ctx)).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value: valid values: "OnFailure", "Never"',
        field: 'spec.template.spec.restartPolicy',
      },
    ]);
  });

  test('validateUpdate: template and completions are immutable', () => {
    const prev = created(job());
    const next = structuredClone(prev);
    (next.spec as JsonObject).completions = 3;
    expect(jobRules.validateUpdate!(next, prev, ctx).map((c) => c.field)).toEqual([
      'spec.completions',
    ]);
  });
});
