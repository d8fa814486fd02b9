import { describe, expect, it } from 'vitest';
import { statusReasonFor } from './status.js';

describe('statusReasonFor', () => {
  it('names the reason the API server gives a bare HTTP code', () => {
    expect(statusReasonFor(404)).toBe('NotFound');
    expect(statusReasonFor(409)).toBe('Conflict');
    expect(statusReasonFor(410)).toBe('Gone');
    expect(statusReasonFor(422)).toBe('Invalid');
    expect(statusReasonFor(429)).toBe('TooManyRequests');
    expect(statusReasonFor(504)).toBe('Timeout');
  });

  it("is 'Unknown' for a code without a reason", () => {
    expect(statusReasonFor(418)).toBe('Unknown');
  });
});
