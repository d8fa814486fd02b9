import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import { POD_UPDATE_FORBIDDEN, podUpdateCauses } from './pod-update.js';

const lines = (cs: StatusCause[]) => cs.map((c) => `${c.field}: ${c.message}`);
const spec = (extra: JsonObject = {}): JsonObject => ({
  containers: [{ name: 'app', image: 'nginx' }],
  restartPolicy: 'Always',
  ...extra,
});

describe('podUpdateCauses', () => {
  test('images, a lower deadline, added tolerations and removed gates may change', () => {
    const before = spec({
      activeDeadlineSeconds: 10,
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      schedulingGates: [{ name: 'g' }],
    });
    const after = spec({
      containers: [{ name: 'app', image: 'nginx:2' }],
      activeDeadlineSeconds: 5,
      tolerations: [
        { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 9 },
        { key: 'l', operator: 'Exists' },
      ],
    });
    expect(podUpdateCauses(after, before)).toEqual([]);
  });

  test('added containers stop the check; other rules have their own causes', () => {
    const two = spec({
      containers: [
        { name: 'a', image: 'x' },
        { name: 'b', image: 'y' },
      ],
    });
    expect(lines(podUpdateCauses(two, spec({ restartPolicy: 'Never' })))).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
    const before = spec({ activeDeadlineSeconds: 10, tolerations: [{ key: 'k' }] });
    expect(lines(podUpdateCauses(spec({ activeDeadlineSeconds: 20 }), before))).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value',
    ]);
    expect(lines(podUpdateCauses(spec({ schedulingGates: [{ name: 'g' }] }), before))).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
      "spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g'",
    ]);
  });

  test('any other change is refused with the diff of the internal specs', () => {
    const [cause, ...rest] = podUpdateCauses(spec({ restartPolicy: 'Never' }), spec());
    expect(rest).toEqual([]);
    expect(cause?.field).toBe('spec');
    const [first, hunk, ...diff] = String(cause?.message).split('\n');
    expect(first).toBe(`Forbidden: ${POD_UPDATE_FORBIDDEN}`);
    expect(hunk).toMatch(/^@@ -\d+,7 \+\d+,7 @@$/);
    expect(diff.filter((l) => /^[-+]/.test(l))).toEqual([
      '- "RestartPolicy": "Always",',
      '+ "RestartPolicy": "Never",',
    ]);
  });

  test('a gated Pod may add to its nodeSelector, not change it', () => {
    const before = spec({ schedulingGates: [{ name: 'g' }], nodeSelector: { a: '1' } });
    const added = { ...before, nodeSelector: { a: '1', b: '2' } };
    expect(podUpdateCauses(added, before)).toEqual([]);
    const changed = { ...before, nodeSelector: { a: '2' } };
    expect(lines(podUpdateCauses(changed, before))).toEqual([
      'spec.nodeSelector: Invalid value: {"a":"2"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)',
    ]);
  });
});
