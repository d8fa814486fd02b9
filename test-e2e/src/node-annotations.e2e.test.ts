/**
 * Differential: a Node's deprecated scheduling annotations are still checked by
 * kube-apiserver: `scheduler.alpha.kubernetes.io/taints` must be JSON that decodes into
 * the internal taints (Go's decoding errors quoted), each taint checked as `spec.taints`
 * are; `scheduler.alpha.kubernetes.io/preferAvoidPods` must decode into AvoidPods whose
 * entries name a controller. Nothing is created: every write is a dry run.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(() => e2e?.stop());

const TAINTS = 'scheduler.alpha.kubernetes.io/taints';
const AVOID = 'scheduler.alpha.kubernetes.io/preferAvoidPods';

/** A dry-run create of a Node with `annotations`. */
const create = (annotations: Record<string, string>) =>
  raw(e2e.backend.kubeConfig, 'POST', '/api/v1/nodes', {
    query: { dryRun: 'All' },
    body: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `n-${uniqueSuffix()}`, annotations },
    },
  });

/** The causes of a refused create. */
async function causesOf(annotations: Record<string, string>) {
  const res = await create(annotations);
  expect(res.status, res.text).toBe(422);
  return res.json().details.causes;
}

const invalid = (field: string, value: string | boolean, why: string) => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});

describe('the taints annotation', () => {
  test('must decode into taints', async () => {
    const cases: [string, string][] = [
      ['nope', "invalid character 'o' in literal null (expecting 'u')"],
      ['[{"key":"a"}', 'unexpected end of JSON input'],
      ['{"key":"a"}', 'json: cannot unmarshal object into Go value of type []core.Taint'],
      ['[1]', 'json: cannot unmarshal number into Go value of type core.Taint'],
      [
        '[{"key":1,"effect":true}]',
        'json: cannot unmarshal number into Go struct field Taint.Key of type string',
      ],
      [
        '[{"timeAdded":1}]',
        'json: cannot unmarshal number into Go struct field Taint.TimeAdded of type string',
      ],
      [
        '[{"key":1,"timeAdded":"x"}]',
        'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"',
      ],
    ];
    for (const [text, why] of cases) {
      expect(await causesOf({ [TAINTS]: text }), text).toEqual([
        invalid('metadata.annotations', TAINTS, why),
      ]);
    }
  });

  test('holds taints checked as spec.taints are', async () => {
    const at = `metadata.annotations.${TAINTS}`;
    expect(
      await causesOf({
        [TAINTS]: '[{"KEY":"-a","effect":"Bad"},{"key":"b","value":"x y"},null]',
      }),
    ).toEqual([
      invalid(
        `${at}[0].key`,
        '-a',
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
      {
        reason: 'FieldValueNotSupported',
        message:
          'Unsupported value: "Bad": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        field: `${at}[0].effect`,
      },
      invalid(
        `${at}[1].value`,
        'x y',
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ),
      { reason: 'FieldValueRequired', message: 'Required value', field: `${at}[1].effect` },
      invalid(`${at}[2].key`, '', 'name part must be non-empty'),
      invalid(
        `${at}[2].key`,
        '',
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
      { reason: 'FieldValueRequired', message: 'Required value', field: `${at}[2].effect` },
    ]);
    const fine = await create({ [TAINTS]: '[{"key":"a","value":"b","effect":"NoSchedule"}]' });
    expect(fine.status, fine.text).toBe(201);
  });
});

describe('the preferAvoidPods annotation', () => {
  const controller = (value: boolean) => ({
    podSignature: {
      podController: {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        name: 'r',
        uid: 'u',
        controller: value,
      },
    },
  });

  test('must decode into AvoidPods whose entries name a controller', async () => {
    expect(await causesOf({ [AVOID]: '{' })).toEqual([
      invalid('metadata.annotations.AvoidPods', AVOID, 'unexpected end of JSON input'),
    ]);
    const at = `metadata.annotations.${AVOID}`;
    expect(
      await causesOf({
        [AVOID]: JSON.stringify({ preferAvoidPods: [{ podSignature: {} }, controller(false)] }),
      }),
    ).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: `${at}[0].PodSignature` },
      invalid(
        `${at}[1].PodSignature.PodController.Controller`,
        false,
        'must point to a controller',
      ),
    ]);
    const fine = await create({ [AVOID]: JSON.stringify({ preferAvoidPods: [controller(true)] }) });
    expect(fine.status, fine.text).toBe(201);
  });
});
