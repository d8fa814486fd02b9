import { describe, expect, it } from 'vitest';
import { peekListContinue } from './list-pages.js';

describe('peekListContinue', () => {
  const body = (text: string) => Buffer.from(text);

  it('reads the token from the list metadata written before the items', () => {
    expect(
      peekListContinue(
        body(
          '{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"eyJ2Ijo","remainingItemCount":3},"items":[{"metadata":{"name":"a"}}]}',
        ),
      ),
    ).toBe('eyJ2Ijo');
  });

  it("says '' when the head shows the last page", () => {
    expect(peekListContinue(body('{"metadata":{"resourceVersion":"9"},"items":[]}'))).toBe('');
    expect(peekListContinue(body('{"metadata":{"continue":""},"items":[]}'))).toBe('');
  });

  it('gives up (undefined) when the head cannot be read safely', () => {
    // items first: the first "metadata" would be an item's
    expect(
      peekListContinue(body('{"items":[{"metadata":{"continue":"x"}}],"metadata":{}}')),
    ).toBeUndefined();
    // no metadata within the head
    expect(
      peekListContinue(body(`{"items":[],"pad":"${'x'.repeat(5000)}","metadata":{}}`)),
    ).toBeUndefined();
    // not JSON, or a token that is not a string
    expect(peekListContinue(body('{"metadata":{"continue":'))).toBeUndefined();
    expect(peekListContinue(body('{"metadata":{"continue":7},"items":[]}'))).toBeUndefined();
  });
});
