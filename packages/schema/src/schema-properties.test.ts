import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.js';
import { Widget } from './fixtures/widget.test-helper.js';
import { pruneUnknownFields } from './prune.js';
import { validateAgainstSchema } from './validate.js';

const schema = Widget.schema;

/** Objects shaped like a Widget, with random extra fields and random values mixed in. */
const widgetLike = fc.record(
  {
    apiVersion: fc.constant('example.com/v1'),
    kind: fc.constant('Widget'),
    metadata: fc.record({ name: fc.constantFrom('a', 'b-1') }),
    spec: fc.record(
      {
        replicas: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.jsonValue()),
        mode: fc.constantFrom('Fast', 'Slow', 'Medium'),
        labels: fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string(), fc.integer())),
        ports: fc.array(
          fc.record(
            {
              name: fc.constantFrom('a', 'b'),
              port: fc.integer({ min: 0, max: 3 }),
              junk: fc.jsonValue(),
            },
            { requiredKeys: ['name'] },
          ),
          { maxLength: 3 },
        ),
        extra: fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue()),
        unknown: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
    other: fc.jsonValue(),
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
);

describe('schema toolkit invariants', () => {
  it('pruning and defaulting are idempotent and never mutate their input', () => {
    fc.assert(
      fc.property(widgetLike, (obj) => {
        const before = structuredClone(obj);
        const pruned = pruneUnknownFields(schema, obj);
        const defaulted = applyDefaults(schema, obj);
        expect(pruneUnknownFields(schema, pruned)).toEqual(pruned);
        expect(applyDefaults(schema, defaulted)).toEqual(defaulted);
        expect(obj).toEqual(before);
      }),
    );
  });

  it('pruning never turns a valid object invalid', () => {
    fc.assert(
      fc.property(widgetLike, (obj) => {
        if (validateAgainstSchema(schema, obj).length === 0) {
          expect(validateAgainstSchema(schema, pruneUnknownFields(schema, obj))).toEqual([]);
        }
      }),
    );
  });

  it('validate() accepts exactly the objects whose defaulted, pruned form has no violations', () => {
    fc.assert(
      fc.property(widgetLike, (obj) => {
        const r = Widget.validate(obj);
        const stored = pruneUnknownFields(schema, applyDefaults(schema, obj));
        // The generated objects have the right kind, apiVersion and name, and no status:
        // only the schema decides.
        expect(r.valid).toBe(validateAgainstSchema(schema, stored).length === 0);
        if (r.valid) expect(validateAgainstSchema(schema, r.object)).toEqual([]);
      }),
    );
  });
});
