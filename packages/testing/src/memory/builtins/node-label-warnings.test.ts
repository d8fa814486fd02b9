import { describe, expect, test } from 'vitest';
import {
  deprecatedNodeLabelMessage,
  nodeSelectorTermWarnings,
  nodeSelectorWarnings,
} from './node-label-warnings.js';

describe('node label warnings', () => {
  test('deprecated keys only', () => {
    expect(deprecatedNodeLabelMessage('beta.kubernetes.io/os')).toBe(
      'deprecated since v1.14; use "kubernetes.io/os" instead',
    );
    expect(deprecatedNodeLabelMessage('kubernetes.io/os')).toBeUndefined();
    expect(deprecatedNodeLabelMessage('constructor')).toBeUndefined();
  });

  test('a label selector: expressions, then labels', () => {
    expect(
      nodeSelectorWarnings(
        {
          matchLabels: { 'node-role.kubernetes.io/master': '', a: 'b' },
          matchExpressions: [{ key: 'beta.kubernetes.io/arch', operator: 'Exists' }],
        },
        'nodeTopology',
      ),
    ).toEqual([
      'nodeTopology.matchExpressions[0].key: beta.kubernetes.io/arch is deprecated since v1.14; use "kubernetes.io/arch" instead',
      'nodeTopology.matchLabels.node-role.kubernetes.io/master: use "node-role.kubernetes.io/control-plane" instead',
    ]);
    expect(nodeSelectorWarnings(undefined, 'x')).toEqual([]);
  });

  test('a node selector term, with its values checked when asked', () => {
    const term = { matchExpressions: [{ key: 'k', operator: 'In', values: ['ok', 'not ok'] }] };
    expect(nodeSelectorTermWarnings(term, false, 't')).toEqual([]);
    expect(nodeSelectorTermWarnings(term, true, 't')).toEqual([
      expect.stringMatching(/^t\.matchExpressions\[0\]\.values\[1\]: not ok is invalid, /),
    ]);
  });
});
