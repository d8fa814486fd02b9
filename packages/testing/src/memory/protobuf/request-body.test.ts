import { useMemoryApiServer } from '@kube-ts/test-support';
import { expect, it } from 'vitest';
import { adminHeaders } from '../test-client.test-helper.js';
import { decodeProtobuf } from './decode.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 });

it('creates an object sent as protobuf (as client-go sends it) and answers protobuf', async () => {
  // A Secret "s" with data k=hello, encoded by client-go v0.36.3 (see decode.test.ts).
  const body = Buffer.from(
    'azhzAAoMCgJ2MRIGU2VjcmV0Ei8KGQoBcxIAGgAiACoAMgA4AEIICIDiz6oGEAASCgoBaxIFaGVsbG8aBk9wYXF1ZRoAIgA=',
    'base64',
  );
  const r = await fetch(`${env.server.url}/api/v1/namespaces/default/secrets`, {
    method: 'POST',
    headers: {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf,application/json',
      ...adminHeaders(env.server),
    },
    body,
  });
  expect(r.status).toBe(201);
  expect(r.headers.get('content-type')).toBe('application/vnd.kubernetes.protobuf');
  const created = decodeProtobuf(new Uint8Array(await r.arrayBuffer()));
  expect(created).toMatchObject({ kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' });
  expect(Buffer.from(String((created.data as { k: string }).k), 'base64').toString()).toBe('hello');
});
