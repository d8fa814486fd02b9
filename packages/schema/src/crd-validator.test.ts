import { describe, expect, it } from 'vitest';
import { customResourceValidator } from './crd-validator.js';
import { Widget } from './fixtures/widget.test-helper.js';
import { widgetCases } from './fixtures/widget-cases.test-helper.js';

describe('customResourceValidator', () => {
  const fromCrd = customResourceValidator(JSON.parse(JSON.stringify(Widget.crd())), 'v1');

  it('answers exactly like the definition it was rendered from', () => {
    for (const c of widgetCases) {
      const obj = JSON.parse(JSON.stringify(c.object));
      expect(fromCrd.validate(obj)).toEqual(Widget.validate(obj));
      expect(fromCrd.validateStatus(obj)).toEqual(Widget.validateStatus(obj));
    }
  });

  it('names the versions when asked for a missing one', () => {
    expect(() => customResourceValidator(Widget.crd(), 'v2')).toThrow(
      'CRD widgets.example.com has no version "v2" with a schema (versions: v1)',
    );
  });
});
