import { describe, expect, it } from 'vitest';
import { Widget } from './fixtures/widget.test-helper.js';
import { widgetCases } from './fixtures/widget-cases.test-helper.js';

/** JSON round trip, as the object would travel to the server (drops `undefined`). */
const wire = (o: unknown): unknown => JSON.parse(JSON.stringify(o));

describe('validate() against answers recorded from kube-apiserver 1.36.3', () => {
  it.each(widgetCases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const r = Widget.validate(wire(c.object));
    expect(r.valid).toBe(c.accepted);
    if (!r.valid && c.message !== undefined) expect(r.message).toBe(c.message);
  });
});
