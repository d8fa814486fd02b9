/**
 * Child-process entry of the replay server (scenario 6): a plain `node:http` server that
 * answers any GET of the collection with a LIST of `objects` benchmark ConfigMaps (one
 * page, whatever the `limit`), and any watch with an open stream that stays silent until
 * the parent sends `{ release: true }`, then writes `updates` prepared MODIFIED events
 * (round robin over the objects, as fast as the socket takes them) and stays open. So a
 * client drains a backlog whose production costs the server nothing: the figure is the
 * client's own ingest cost, without a writer or an API server competing for the CPU.
 *
 * argv: namespace, objects, updates. It sends `{ kubeconfig }` over IPC once listening.
 */
import { createServer, type ServerResponse } from 'node:http';
import { benchConfigMap, updatePatch } from '../fixtures.js';

const [namespace = 'bench-replay', objectsArg = '1000', updatesArg = '20000'] =
  process.argv.slice(2);
const objects = Number(objectsArg);
const updates = Number(updatesArg);

function stored(i: number, resourceVersion: number) {
  const cm = benchConfigMap(namespace, i);
  return {
    ...cm,
    metadata: {
      ...cm.metadata,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(resourceVersion),
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
  };
}

const list = Buffer.from(
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMapList',
    metadata: { resourceVersion: String(objects) },
    items: Array.from({ length: objects }, (_, i) => stored(i, i + 1)),
  }),
);

/** The events, as newline-delimited JSON, in pieces of about 64 KiB. */
const pieces: Buffer[] = [];
{
  let lines: string[] = [];
  let size = 0;
  for (let seq = 0; seq < updates; seq++) {
    const obj = stored(seq % objects, objects + seq + 1);
    const patch = updatePatch(seq, 0) as {
      metadata: { annotations: Record<string, string> };
      data: Record<string, string>;
    };
    obj.metadata.annotations = { ...obj.metadata.annotations, ...patch.metadata.annotations };
    obj.data = { ...obj.data, ...patch.data };
    const line = `${JSON.stringify({ type: 'MODIFIED', object: obj })}\n`;
    lines.push(line);
    size += line.length;
    if (size >= 65_536) {
      pieces.push(Buffer.from(lines.join('')));
      lines = [];
      size = 0;
    }
  }
  if (lines.length > 0) pieces.push(Buffer.from(lines.join('')));
}

const watches = new Set<ServerResponse>();

async function replay(res: ServerResponse): Promise<void> {
  for (const piece of pieces) {
    if (res.destroyed) return;
    if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://replay');
  if (req.method !== 'GET' || !url.pathname.endsWith('/configmaps')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}');
    return;
  }
  const watch = url.searchParams.get('watch');
  if (watch === 'true' || watch === '1') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    watches.add(res);
    res.on('close', () => watches.delete(res));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': list.length });
  res.end(list);
});
server.keepAliveTimeout = 60_000;

process.on('message', (msg: { release?: boolean }) => {
  if (msg.release) for (const res of watches) void replay(res);
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({
    kubeconfig: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'replay',
          cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [{ name: 'replay', user: { token: 'replay' } }],
      contexts: [{ name: 'replay', context: { cluster: 'replay', user: 'replay', namespace } }],
      'current-context': 'replay',
    }),
  });
});
