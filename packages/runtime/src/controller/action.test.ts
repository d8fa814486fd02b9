import { describe, expect, it } from 'vitest';
import { Action } from './action.js';

describe('Action', () => {
  it('requeue carries the delay; awaitChange carries none', () => {
    expect(Action.requeue(250).requeueAfterMs).toBe(250);
    expect(Action.awaitChange().requeueAfterMs).toBeUndefined();
    expect(String(Action.requeue(5))).toBe('requeue after 5ms');
    expect(String(Action.awaitChange())).toBe('await change');
  });

  it('rejects a negative or non-finite delay with a message that says what is allowed', () => {
    expect(() => Action.requeue(-1)).toThrow(/finite number of milliseconds >= 0/);
    expect(() => Action.requeue(Number.NaN)).toThrow(RangeError);
  });
});
