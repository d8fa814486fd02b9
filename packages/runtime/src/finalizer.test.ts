import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Action } from './controller/action.js';
import { FinalizerError, finalizer } from './finalizer.js';

const NAME = 'example.com/cleanup';
let api: Api<ConfigMap>;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  api = Api.namespaced(env.client, resources.configMaps, 'default');
});

let n = 0;
async function fresh(finalizers?: string[]): Promise<ConfigMap> {
  return api.create({
    metadata: { name: `cm-${n++}`, ...(finalizers ? { finalizers } : {}) },
    data: { a: '1' },
  });
}

function handlers() {
  return {
    apply: vi.fn(async () => Action.requeue(1000)),
    cleanup: vi.fn(async () => Action.awaitChange()),
  };
}

describe('finalizer', () => {
  it('passes the signal to its patches: an aborted reconcile stops before its handlers run', async () => {
    const obj = await fresh();
    const h = handlers();
    // The server holds each request for 300 ms; the caller aborts while the finalizer's
    // first patch is held. A request already on the wire may still be applied by the
    // server (no API server can unsend it); what the signal guarantees is that the
    // finalizer stops there: it neither waits for the answer nor runs a handler.
    env.server.faults.latency(300);
    try {
      const ac = new AbortController();
      const reason = new Error('reconcile cancelled');
      const running = finalizer(api, NAME, obj, h, { signal: ac.signal });
      setTimeout(() => ac.abort(reason), 20);
      const err = await running.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FinalizerError);
      expect((err as FinalizerError).cause).toBe(reason);
    } finally {
      env.server.faults.latency(0);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(h.apply).not.toHaveBeenCalled();
    expect(h.cleanup).not.toHaveBeenCalled();
  });

  it('sends nothing when its signal is already aborted', async () => {
    const obj = await fresh();
    const h = handlers();
    const ac = new AbortController();
    ac.abort(new Error('cancelled before start'));
    const err = await finalizer(api, NAME, obj, h, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinalizerError);
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toBeUndefined();
    expect(h.apply).not.toHaveBeenCalled();
  });

  it('adds the finalizer first (without running apply), then runs apply', async () => {
    const obj = await fresh();
    const h = handlers();
    expect(await finalizer(api, NAME, obj, h)).toEqual(Action.awaitChange());
    expect(h.apply).not.toHaveBeenCalled();
    const withFinalizer = await api.get(obj.metadata!.name!);
    expect(withFinalizer.metadata?.finalizers).toEqual([NAME]);
    expect(await finalizer(api, NAME, withFinalizer, h)).toEqual(Action.requeue(1000));
    expect(h.apply).toHaveBeenCalledWith(withFinalizer);
  });

  it('appends to other finalizers and never adds its entry twice', async () => {
    const obj = await fresh(['other.io/keep']);
    await finalizer(api, NAME, obj, handlers());
    const after = await api.get(obj.metadata!.name!);
    expect(after.metadata?.finalizers).toEqual(['other.io/keep', NAME]);
    // A second reconcile with the STALE object (without our entry) must not add it again:
    // the test op sees the changed list and the patch fails.
    await expect(finalizer(api, NAME, obj, handlers())).rejects.toMatchObject({ step: 'add' });
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toEqual([
      'other.io/keep',
      NAME,
    ]);
  });

  it('does not clobber a finalizer added concurrently to an object that had none', async () => {
    const obj = await fresh();
    await api.patch(obj.metadata!.name!, {
      type: 'merge',
      body: { metadata: { finalizers: ['x.io/y'] } },
    });
    const error = await finalizer(api, NAME, obj, handlers()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinalizerError);
    expect((error as FinalizerError).message).toMatch(
      /could not add finalizer example.com\/cleanup/,
    );
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toEqual(['x.io/y']);
  });

  it('on deletion runs cleanup, removes only its own entry, and returns cleanup’s action', async () => {
    const obj = await fresh(['a.io/first', NAME, 'b.io/last']);
    await api.delete(obj.metadata!.name!);
    const deleting = await api.get(obj.metadata!.name!);
    expect(deleting.metadata?.deletionTimestamp).toBeTruthy();
    const h = handlers();
    h.cleanup.mockResolvedValueOnce(Action.requeue(7));
    expect(await finalizer(api, NAME, deleting, h)).toEqual(Action.requeue(7));
    expect(h.cleanup).toHaveBeenCalledTimes(1);
    expect(h.apply).not.toHaveBeenCalled();
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toEqual([
      'a.io/first',
      'b.io/last',
    ]);
  });

  it('lets the object go once its last finalizer is removed', async () => {
    const obj = await fresh([NAME]);
    await api.delete(obj.metadata!.name!);
    await finalizer(api, NAME, await api.get(obj.metadata!.name!), handlers());
    expect(await api.getOpt(obj.metadata!.name!)).toBeUndefined();
  });

  it('keeps the finalizer when cleanup fails', async () => {
    const obj = await fresh([NAME]);
    await api.delete(obj.metadata!.name!);
    const h = handlers();
    h.cleanup.mockRejectedValueOnce(new Error('bucket busy'));
    const deleting = await api.get(obj.metadata!.name!);
    await expect(finalizer(api, NAME, deleting, h)).rejects.toMatchObject({
      step: 'cleanup',
      message: expect.stringMatching(/bucket busy.*stays until cleanup succeeds/),
    });
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toEqual([NAME]);
  });

  it('does not remove an entry that moved (stale object): the guarded remove fails', async () => {
    const obj = await fresh(['a.io/first', NAME]);
    await api.delete(obj.metadata!.name!);
    const stale = await api.get(obj.metadata!.name!);
    // Someone else removes a.io/first: our entry moves from index 1 to index 0.
    await api.patch(obj.metadata!.name!, {
      type: 'json',
      body: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    await expect(finalizer(api, NAME, stale, handlers())).rejects.toMatchObject({ step: 'remove' });
    expect((await api.get(obj.metadata!.name!)).metadata?.finalizers).toEqual([NAME]);
  });

  it('treats an object that is already gone as finalized (stale copy): cleanup runs, no error', async () => {
    const obj = await fresh([NAME]);
    await api.delete(obj.metadata!.name!);
    const stale = await api.get(obj.metadata!.name!);
    await api.patch(obj.metadata!.name!, {
      type: 'json',
      body: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    expect(await api.getOpt(obj.metadata!.name!)).toBeUndefined();
    const h = handlers();
    expect(await finalizer(api, NAME, stale, h)).toEqual(Action.awaitChange());
    expect(h.cleanup).toHaveBeenCalledTimes(1);
  });

  it('does nothing for an object being deleted without its finalizer', async () => {
    const obj = await fresh(['other.io/keep']);
    await api.delete(obj.metadata!.name!);
    const h = handlers();
    expect(await finalizer(api, NAME, await api.get(obj.metadata!.name!), h)).toEqual(
      Action.awaitChange(),
    );
    expect(h.cleanup).not.toHaveBeenCalled();
  });

  it('rejects an invalid finalizer name with a message that shows a valid one', async () => {
    const obj = await fresh();
    await expect(finalizer(api, 'bad name', obj, handlers())).rejects.toThrow(
      /example.com\/cleanup/,
    );
  });
});
