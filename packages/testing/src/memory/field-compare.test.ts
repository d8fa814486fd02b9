import { describe, expect, it } from 'vitest';
import { builtinOwnershipRules } from './builtins/ownership-rules.js';
import { compareFields } from './field-compare.js';
import { describePath } from './field-set.js';

const rules = builtinOwnershipRules('', 'v1', 'Service');
const show = (set: Set<string>) => [...set].map(describePath).sort();

describe('compareFields', () => {
  it('filling an empty map adds its fields, not the map', () => {
    const c = compareFields(
      { spec: { resources: {} } },
      { spec: { resources: { a: '1' } } },
      rules,
    );
    expect(show(c.added)).toEqual(['.spec.resources.a']);
    expect(show(c.modified)).toEqual([]);
  });

  it('an atomic map (a Service selector) changes as one value', () => {
    const c = compareFields(
      { spec: { selector: { app: 'x' } } },
      { spec: { selector: { app: 'x', tier: 'y' } } },
      rules,
    );
    expect(show(c.modified)).toEqual(['.spec.selector']);
    expect(show(c.added)).toEqual([]);
  });

  it('keyed list items are added and removed with their fields', () => {
    const c = compareFields(
      { spec: { ports: [{ port: 80, name: 'a' }] } },
      { spec: { ports: [{ port: 81 }] } },
      rules,
    );
    expect(show(c.added)).toEqual([
      '.spec.ports[port=81,protocol="TCP"]',
      '.spec.ports[port=81,protocol="TCP"].port',
    ]);
    expect(show(c.removed)).toEqual([
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].name',
      '.spec.ports[port=80,protocol="TCP"].port',
    ]);
  });

  it('owner references are atomic items', () => {
    const r = builtinOwnershipRules('', 'v1', 'ConfigMap');
    const ref = { uid: 'u', name: 'a', kind: 'K', apiVersion: 'v1' };
    const c = compareFields(
      { metadata: { ownerReferences: [ref] } },
      { metadata: { ownerReferences: [{ ...ref, name: 'b' }] } },
      r,
    );
    expect(show(c.modified)).toEqual(['.metadata.ownerReferences[uid="u"]']);
  });
});
