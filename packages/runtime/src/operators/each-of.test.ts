import { from, lastValueFrom, mergeMap, Subject, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { eachOf } from './each-of.js';

describe('eachOf', () => {
  const spread = (n: number) => Array.from({ length: n }, (_, i) => n * 10 + i);

  it('emits what mergeMap over arrays emits, in the same order', async () => {
    const values = [2, 0, 3, 1];
    const mine = await lastValueFrom(from(values).pipe(eachOf(spread), toArray()));
    const theirs = await lastValueFrom(from(values).pipe(mergeMap(spread), toArray()));
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([20, 21, 30, 31, 32, 10]);
  });

  it('errors the stream when project throws, and calls it no more', () => {
    const seen: unknown[] = [];
    const projected: number[] = [];
    let failure: unknown;
    from([1, 2, 3])
      .pipe(
        eachOf((n) => {
          projected.push(n);
          if (n === 2) throw new Error('boom');
          return [n];
        }),
      )
      .subscribe({ next: (v) => seen.push(v), error: (e: unknown) => (failure = e) });
    expect(seen).toEqual([1]);
    expect(failure).toBeInstanceOf(Error);
    expect(projected).toEqual([1, 2]);
  });

  it('stops mid-list once the subscriber unsubscribes, and passes errors and completion on', () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    let completed = false;
    source.pipe(eachOf(spread), take(2)).subscribe({
      next: (v) => seen.push(v),
      complete: () => (completed = true),
    });
    source.next(5);
    expect(seen).toEqual([50, 51]);
    expect(completed).toBe(true);
    expect(source.observed).toBe(false);

    const errors: unknown[] = [];
    const other = new Subject<number>();
    other.pipe(eachOf(spread)).subscribe({ error: (e: unknown) => errors.push(e) });
    other.error(new Error('upstream'));
    expect(errors).toHaveLength(1);
  });
});
