import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { TransportError, WatchDecodeError } from './errors.js';
import { closeAfterEach, type Fixture, json, startFixture } from './fixture.test-helper.js';
import type { WatchEvent } from './watch-event.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

closeAfterEach(() => [client, fixture]);

const cm = (name: string, rv: string) => ({
  type: 'ADDED',
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: rv } },
});

function api(f: Fixture): Api<ConfigMap> {
  client = Client.fromKubeConfig(f.kubeConfig);
  return Api.namespaced(client, resources.configMaps, 'ns1');
}

describe('Api.watch over HTTP', () => {
  it('watchBatches yields the events of one written chunk together, in order', async () => {
    const first = [cm('a', '1'), cm('b', '2'), cm('c', '3')].map((e) => `${JSON.stringify(e)}\n`);
    const second = `${JSON.stringify(cm('d', '4'))}\n`;
    fixture = await startFixture(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(first.join(''));
      await delay(20);
      res.end(second);
    });
    const names: string[][] = [];
    for await (const batch of api(fixture).watchBatches({ resourceVersion: '0' }))
      names.push(batch.map((e) => (e.type === 'ERROR' ? '' : (e.object.metadata?.name ?? ''))));
    expect(names).toEqual([['a', 'b', 'c'], ['d']]);
    expect(fixture.seen[0]?.url).toContain('watch=true');
  });

  it('decodes events written in chunks that split lines and UTF-8 characters', async () => {
    const text = [cm('ä€😀', '1'), cm('b', '2'), cm('c', '3')]
      .map((e) => `${JSON.stringify(e)}\n`)
      .join('');
    const bytes = Buffer.from(text);
    fixture = await startFixture(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // cut points inside the first line's multi-byte name, between lines and mid-line
      const nameAt = bytes.indexOf(Buffer.from('€')) + 1;
      for (const [a, b] of [
        [0, nameAt],
        [nameAt, nameAt + 3],
        [nameAt + 3, bytes.length - 20],
        [bytes.length - 20, bytes.length],
      ] as const) {
        res.write(bytes.subarray(a, b));
        await delay(10);
      }
      res.end();
    });
    const seen: WatchEvent<ConfigMap>[] = [];
    for await (const e of api(fixture).watch({ resourceVersion: '0', allowWatchBookmarks: true }))
      seen.push(e);
    expect(seen.map((e) => (e.type === 'ERROR' ? '' : e.object.metadata?.name))).toEqual([
      'ä€😀',
      'b',
      'c',
    ]);
    expect(fixture.seen[0]?.url).toBe(
      '/api/v1/namespaces/ns1/configmaps?watch=true&resourceVersion=0&allowWatchBookmarks=true',
    );
  });

  it('throws a WatchDecodeError when the response ends mid-line, after the complete events', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200);
      res.end(`${JSON.stringify(cm('a', '1'))}\n{"type":"ADDED","obj`);
    });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of api(fixture as Fixture).watch()) seen.push(e.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['ADDED']);
    expect(err).toBeInstanceOf(WatchDecodeError);
  });

  it('breaking out of for-await closes the connection', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => (closed = r));
    fixture = await startFixture((req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify(cm('a', '1'))}\n`);
      req.socket.on('close', () => closed());
    });
    for await (const e of api(fixture).watch()) {
      expect(e.type).toBe('ADDED');
      break;
    }
    await serverSawClose;
  });

  it('aborting the signal ends the iteration quietly and closes the connection', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => (closed = r));
    fixture = await startFixture((req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify(cm('a', '1'))}\n`);
      req.socket.on('close', () => closed());
    });
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const e of api(fixture).watch({ signal: ac.signal })) {
      seen.push(e.type);
      ac.abort();
    }
    expect(seen).toEqual(['ADDED']);
    await serverSawClose;
  });

  it('close() fails an open watch with a TransportError', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify(cm('a', '1'))}\n`);
    });
    const err = await (async () => {
      for await (const _ of api(fixture as Fixture).watch()) client?.close();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/watch connection broke/);
  });

  it('rejects with the ApiError of a non-2xx watch response', async () => {
    fixture = await startFixture((_req, res) =>
      json(res, 410, {
        kind: 'Status',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version',
      }),
    );
    const err = await (async () => {
      for await (const _ of api(fixture as Fixture).watch({ resourceVersion: '1' })) {
        /* no events */
      }
    })().catch((e: unknown) => e);
    expect(ApiError.is(err) && err.isGone()).toBe(true);
  });
});
