import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gadget, Widget } from './fixtures/widget.test-helper.js';
import { type CrdClient, installCrds } from './install-crds.js';

type Req = Parameters<CrdClient['request']>[0];

/** An in-process fake of the CRD endpoint: records requests, answers with scripted conditions. */
function fakeClient(conditionsByGet: (name: string, n: number) => object[]) {
  const requests: Req[] = [];
  const gets = new Map<string, number>();
  const client: CrdClient = {
    async request<T>(req: Req): Promise<T> {
      requests.push(req);
      const name = req.path.split('/').pop() ?? '';
      if (req.method === 'PATCH')
        return { ...(req.body as object), status: { conditions: [] } } as T;
      const n = (gets.get(name) ?? 0) + 1;
      gets.set(name, n);
      return { metadata: { name }, status: { conditions: conditionsByGet(name, n) } } as T;
    },
  };
  return { client, requests };
}

const established = [
  { type: 'NamesAccepted', status: 'True' },
  { type: 'Established', status: 'True' },
];

describe('installCrds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies every CRD with server-side apply, then waits for Established', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_name, n) => (n < 3 ? [] : established));
    const done = installCrds(client, [Widget, Gadget], {
      fieldManager: 'my-op',
      pollIntervalMs: 100,
    });
    await vi.runAllTimersAsync();
    const result = await done;
    expect(result.map((c) => c.metadata?.name)).toEqual([
      'gadgets.example.com',
      'widgets.example.com',
    ]);
    const patches = requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    ]);
    expect(patches[0]).toMatchObject({
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'my-op', force: true },
      body: Gadget.crd(),
    });
    expect(requests.indexOf(patches[1]!)).toBe(1);
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(6);
  });

  it('fails with the conditions when a CRD is not Established in time', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(() => [
      { type: 'Established', status: 'False', message: 'installing' },
    ]);
    const done = installCrds(client, [Widget], { timeoutMs: 1_000, pollIntervalMs: 100 });
    const check = expect(done).rejects.toThrow(
      /CRD widgets\.example\.com was applied but is not Established after 1000 ms \(Established=False \(installing\)\)/,
    );
    await vi.runAllTimersAsync();
    await check;
  });

  it('fails at once when the names are not accepted', async () => {
    const { client } = fakeClient(() => [
      { type: 'NamesAccepted', status: 'False', message: '"widgets" is already in use' },
    ]);
    await expect(installCrds(client, [Widget], { pollIntervalMs: 1 })).rejects.toThrow(
      /names were not accepted: "widgets" is already in use/,
    );
  });

  it('names the CRD when applying fails and keeps the cause', async () => {
    const cause = new Error('forbidden: User "x" cannot patch');
    const client: CrdClient = {
      request: () => Promise.reject(cause),
    };
    const err = await installCrds(client, [Widget]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'installCrds: applying CRD widgets.example.com failed: forbidden: User "x" cannot patch',
    );
    expect((err as Error).cause).toBe(cause);
  });

  it('stops waiting when the signal aborts', async () => {
    const { client } = fakeClient(() => []);
    const ac = new AbortController();
    const done = installCrds(client, [Widget], { signal: ac.signal, pollIntervalMs: 10_000 });
    setTimeout(() => ac.abort(new Error('shutting down')), 0);
    await expect(done).rejects.toThrow('shutting down');
  });

  it('refuses an empty list', async () => {
    const { client } = fakeClient(() => established);
    await expect(installCrds(client, [])).rejects.toThrow(/no resource definitions given/);
  });
});
