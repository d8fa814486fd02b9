/**
 * `finalizer(api, name, obj, { apply, cleanup })`: run cleanup code before an object is
 * deleted, by holding a finalizer on it.
 */
import type { Api } from '@kube-ts/client';
import { Patch } from '@kube-ts/client';
import type { CallOptions, KubeObject } from '@kube-ts/core';
import { isNotFound, ObjectRef } from '@kube-ts/core';
import { Action } from './controller/action.js';

/** The two halves of a reconcile that uses a finalizer. */
export interface FinalizerHandlers<K extends KubeObject> {
  /** The normal reconcile, run while the object is not being deleted (finalizer in place). */
  apply(obj: K): Promise<Action>;
  /**
   * Cleanup, run once the object is being deleted (it has a `deletionTimestamp`) while the
   * finalizer is still on it. It must be idempotent: it runs again if it, or the removal
   * of the finalizer, fails. Its Action is returned after the finalizer is removed.
   */
  cleanup(obj: K): Promise<Action>;
}

/** Which step of {@link finalizer} failed. */
export type FinalizerStep = 'add' | 'cleanup' | 'remove';

/** A failure of {@link finalizer}; `cause` is the underlying error (e.g. an `ApiError`). */
export class FinalizerError extends Error {
  /** The step that failed. */
  readonly step: FinalizerStep;

  /** Creates the error for `step` on the formatted object `object`. */
  constructor(step: FinalizerStep, finalizerName: string, object: string, cause: unknown) {
    super(FinalizerError.#describe(step, finalizerName, object, cause), { cause });
    this.name = 'FinalizerError';
    this.step = step;
  }

  static #describe(step: FinalizerStep, name: string, object: string, cause: unknown): string {
    const why = cause instanceof Error ? cause.message : String(cause);
    switch (step) {
      case 'add':
        return `could not add finalizer ${name} to ${object}: ${why} (it is retried; a failed test op means the object changed meanwhile)`;
      case 'remove':
        return `could not remove finalizer ${name} from ${object}: ${why} (cleanup ran and will run again on the retry)`;
      case 'cleanup':
        return `cleanup of ${object} failed: ${why}; finalizer ${name} stays until cleanup succeeds`;
    }
  }
}

/** The subset of `Api<K>` that {@link finalizer} uses (so tests can pass a fake). */
export type FinalizerApi<K extends KubeObject> = Pick<Api<K>, 'patch'>;

/**
 * Runs `apply` or `cleanup` for `obj`, keeping finalizer `name` on it so that deletion
 * waits for `cleanup`. `api` must address the object's namespace (`Api.namespaced`) or be
 * cluster-scoped. Call it from `Reconciler.reconcile` and return its Action.
 *
 * - Not being deleted, finalizer missing: adds it with a JSON Patch guarded by a `test` op
 *   on `/metadata/finalizers` (so a concurrent change makes the patch fail instead of
 *   clobbering another finalizer or adding ours twice), then returns
 *   `Action.awaitChange()`: the patch itself triggers the next reconcile, which runs `apply`.
 * - Not being deleted, finalizer present: runs `apply`.
 * - Being deleted, finalizer present: runs `cleanup`, then removes ONLY its own entry
 *   (`remove /metadata/finalizers/<i>` guarded by `test` that entry `i` is `name`), and
 *   returns cleanup's Action. If the object is already gone (404) the removal counts as
 *   done: that happens when a reconcile runs on a stale copy after the entry was removed.
 * - Being deleted, finalizer absent: does nothing (`Action.awaitChange()`); `cleanup` is not
 *   run for objects that never got the finalizer.
 * - Never adds the entry twice. A failure to add or remove the finalizer, or of `cleanup`,
 *   rejects with a {@link FinalizerError} whose `step` says which; an error of `apply` is
 *   passed through unchanged. The reconcile's errorPolicy retries either way.
 * - `options` (`signal`, `timeoutMs`) apply to its patches: pass the reconcile's
 *   `info.signal` so a reconcile that is cancelled stops waiting on them.
 */
export async function finalizer<K extends KubeObject>(
  api: FinalizerApi<K>,
  name: string,
  obj: K,
  handlers: FinalizerHandlers<K>,
  options: CallOptions = {},
): Promise<Action> {
  if (!/^[^\s/]+\/[^\s/]+$/.test(name) && !/^[^\s/]+$/.test(name)) {
    throw new TypeError(
      `finalizer: '${name}' is not a valid finalizer name; use a qualified name like 'example.com/cleanup'`,
    );
  }
  const ref = ObjectRef.from(obj);
  const objectName = ObjectRef.format(ref);
  const finalizers = obj.metadata?.finalizers ?? [];
  const index = finalizers.indexOf(name);
  const deleting = Boolean(obj.metadata?.deletionTimestamp);

  if (!deleting && index < 0) {
    const ops =
      obj.metadata?.finalizers === undefined || finalizers.length === 0
        ? [
            // A missing list tests equal to null, as kube-apiserver does.
            {
              op: 'test' as const,
              path: '/metadata/finalizers',
              value: obj.metadata?.finalizers ?? null,
            },
            { op: 'add' as const, path: '/metadata/finalizers', value: [name] },
          ]
        : [
            { op: 'test' as const, path: '/metadata/finalizers', value: finalizers },
            { op: 'add' as const, path: '/metadata/finalizers/-', value: name },
          ];
    await step('add', name, objectName, () => api.patch(ref.name, Patch.json(ops), options));
    return Action.awaitChange();
  }
  // apply's own errors pass through unchanged: they are the reconcile's errors.
  if (!deleting) return handlers.apply(obj);
  if (index < 0) return Action.awaitChange();

  const action = await step('cleanup', name, objectName, () => handlers.cleanup(obj));
  const path = `/metadata/finalizers/${index}`;
  await step('remove', name, objectName, async () => {
    try {
      await api.patch(
        ref.name,
        Patch.json([
          { op: 'test', path, value: name },
          { op: 'remove', path },
        ]),
        options,
      );
    } catch (error) {
      // Gone already (e.g. this ran on a stale copy after our entry was removed): done.
      if (!isNotFound(error)) throw error;
    }
  });
  return action;
}

async function step<T>(
  which: FinalizerStep,
  name: string,
  objectName: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new FinalizerError(which, name, objectName, error);
  }
}
