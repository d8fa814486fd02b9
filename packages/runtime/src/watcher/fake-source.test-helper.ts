/** A scripted WatchSource for driver tests: lists answer from a queue, watches are pushable. */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject, ListParams, ObjectList, WatchParams } from '@kube-ts/core';
import { listInPages, type WatchSource } from './source.js';

/** One open watch; the test pushes events (one by one or as a batch), ends it or fails it. */
export class FakeWatch<K extends KubeObject> {
  readonly params: WatchParams;
  private readonly queue: (
    | { kind: 'batch'; events: WatchEvent<K>[] }
    | { kind: 'end' }
    | { kind: 'fail'; error: unknown }
  )[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(params: WatchParams) {
    this.params = params;
    params.signal?.addEventListener('abort', () => {
      this.closed = true;
      this.fail(new Error('aborted'));
    });
  }

  push(event: WatchEvent<K>): void {
    this.pushBatch([event]);
  }

  /** Events that arrive together (one network chunk); one by one through `iterate()`. */
  pushBatch(events: WatchEvent<K>[]): void {
    this.queue.push({ kind: 'batch', events });
    this.wake?.();
  }

  end(): void {
    this.queue.push({ kind: 'end' });
    this.wake?.();
  }

  fail(error: unknown): void {
    this.queue.push({ kind: 'fail', error });
    this.wake?.();
  }

  async *iterate(): AsyncGenerator<WatchEvent<K>> {
    for await (const batch of this.batches()) yield* batch;
  }

  async *batches(): AsyncGenerator<WatchEvent<K>[]> {
    try {
      for (;;) {
        const item = this.queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = undefined;
          continue;
        }
        if (item.kind === 'end') return;
        if (item.kind === 'fail') throw item.error;
        yield item.events;
      }
    } finally {
      this.closed = true;
    }
  }
}

/**
 * A WatchSource whose list answers are queued by the test and whose watches it drives.
 * It offers `watch` only; {@link BatchingFakeSource} offers `watchBatches` too.
 */
export class FakeSource<K extends KubeObject> implements WatchSource<K> {
  readonly lists: ListParams[] = [];
  readonly watches: FakeWatch<K>[] = [];
  readonly listAnswers: (ObjectList<K> | { error: unknown })[] = [];
  listSignals: AbortSignal[] = [];
  private pendingList: (() => void) | undefined;

  answerList(answer: ObjectList<K> | { error: unknown }): void {
    this.listAnswers.push(answer);
    this.pendingList?.();
  }

  async list(params: ListParams): Promise<ObjectList<K>> {
    this.lists.push(params);
    if (params.signal) this.listSignals.push(params.signal);
    while (this.listAnswers.length === 0) {
      await new Promise<void>((resolve) => {
        this.pendingList = resolve;
      });
    }
    const answer = this.listAnswers.shift()!;
    if ('error' in answer) throw answer.error;
    return answer;
  }

  watch(params: WatchParams): AsyncIterable<WatchEvent<K>> {
    return this.open(params).iterate();
  }

  protected open(params: WatchParams): FakeWatch<K> {
    const w = new FakeWatch<K>(params);
    this.watches.push(w);
    return w;
  }

  /** The most recently opened watch. */
  get current(): FakeWatch<K> {
    const w = this.watches.at(-1);
    if (w === undefined) throw new Error('no watch opened yet');
    return w;
  }
}

/** A {@link FakeSource} that also offers `watchBatches`, as `Api` does. */
export class BatchingFakeSource<K extends KubeObject> extends FakeSource<K> {
  watchBatches(params: WatchParams): AsyncIterable<WatchEvent<K>[]> {
    return this.open(params).batches();
  }
}

/**
 * A {@link BatchingFakeSource} that also offers `listPages`, as `Api` does; each call is
 * recorded with its params and whether the pager was closed.
 */
export class PagingFakeSource<K extends KubeObject> extends BatchingFakeSource<K> {
  readonly pagers: { params: ListParams; closed: boolean }[] = [];

  async *listPages(params: ListParams): AsyncGenerator<ObjectList<K>> {
    const pager = { params, closed: false };
    this.pagers.push(pager);
    // Page by page through `list`, as the watcher does for a source without `listPages`.
    const plain: WatchSource<K> = { list: (p) => this.list(p), watch: (p) => this.watch(p) };
    try {
      yield* listInPages(plain, params);
    } finally {
      pager.closed = true;
    }
  }
}
