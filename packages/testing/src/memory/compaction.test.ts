import { expect, it, vi } from 'vitest';
import { MemoryApiServer } from './server.js';
import { httpClient } from './test-client.test-helper.js';

it('compacts the history periodically to where it stood one interval earlier', async () => {
  // The compactor's rounds in virtual time (the sockets stay real): on a loaded machine two
  // real 200 ms rounds could pass between the create and the first read.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0, compactionIntervalMs: 200 });
  try {
    const client = httpClient(server);
    const cms = '/api/v1/namespaces/default/configmaps';
    const made = await client('POST', cms, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'compacted' },
    });
    const rv = String(
      (made.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
    );
    const exact = async () =>
      (await client('GET', `${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`)).status;
    expect(await exact()).toBe(200);
    // The first round compacts to where the history stood at the start: before the create.
    vi.advanceTimersByTime(200);
    expect(await exact()).toBe(200);
    // The second compacts to the first round's revision, after the create.
    vi.advanceTimersByTime(200);
    expect(await exact()).toBe(410);
  } finally {
    await server.stop();
    vi.useRealTimers();
  }
});

it('a watch from a resourceVersion after a compaction round gets every change after it', async () => {
  // A compaction round takes a revision that is no change; a watch that resumes after
  // such a revision once lost its first event.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0, compactionIntervalMs: 200 });
  try {
    const client = httpClient(server);
    const cms = '/api/v1/namespaces/default/configmaps';
    // A change before the round stays in the history, so the round's revision is inside it.
    const before = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before-round' } };
    expect((await client('POST', cms, before)).status).toBe(201);
    vi.advanceTimersByTime(200);
    const made = await client('POST', cms, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-round' },
    });
    const rv = (made.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    expect((await client('DELETE', `${cms}/after-round`)).status).toBe(200);
    const ac = new AbortController();
    const res = await fetch(`${server.url}${cms}?watch=true&resourceVersion=${rv}`, {
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({
      type: 'DELETED',
      object: { metadata: { name: 'after-round' } },
    });
  } finally {
    await server.stop();
    vi.useRealTimers();
  }
});
