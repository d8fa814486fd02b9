import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, httpClient } from '../test-client.test-helper.js';

const NS = '/api/v1/namespaces/default';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

beforeAll(async () => {
  await env.client('POST', `${NS}/serviceaccounts`, { metadata: { name: 'robot' } });
});

const tokenRequest = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  spec,
});
const review = (token: string, audiences?: string[]) => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenReview',
  spec: audiences ? { token, audiences } : { token },
});

describe('TokenRequest and TokenReview', () => {
  it('issues a token that a TokenReview authenticates as the service account', async () => {
    const sa = (await env.client('GET', `${NS}/serviceaccounts/robot`)).body;
    const issued = await env.client(
      'POST',
      `${NS}/serviceaccounts/robot/token`,
      tokenRequest({ audiences: ['vault'], expirationSeconds: 600 }),
    );
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      kind: 'TokenRequest',
      spec: { audiences: ['vault'], expirationSeconds: 600 },
    });
    const token = issued.body.status.token as string;
    expect(token.split('.')).toHaveLength(3);
    expect(Date.parse(issued.body.status.expirationTimestamp)).toBeGreaterThan(Date.now());

    const ok = await env.client(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      review(token, ['vault']),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.status).toMatchObject({
      authenticated: true,
      user: {
        username: 'system:serviceaccount:default:robot',
        uid: sa.metadata.uid,
        groups: expect.arrayContaining(['system:serviceaccounts:default', 'system:authenticated']),
      },
      audiences: ['vault'],
    });
  });

  it('does not authenticate a token for another audience, a forged one, or garbage', async () => {
    const issued = await env.client('POST', `${NS}/serviceaccounts/robot/token`, tokenRequest());
    const token = issued.body.status.token as string;
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    for (const [t, aud] of [
      [token, ['vault']],
      [forged, undefined],
      ['not-a-token', undefined],
    ] as const) {
      const r = await env.client(
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        review(t, aud ? [...aud] : undefined),
      );
      expect(r.status).toBe(201);
      expect(r.body.status.authenticated).toBeUndefined();
      expect(r.body.status.error).toMatch(/invalid bearer token/);
    }
    // Without audiences the API server's own is assumed, which the default token has.
    const own = await env.client(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      review(token),
    );
    expect(own.body.status.authenticated).toBe(true);
  });

  it('a token stops authenticating once its service account is deleted', async () => {
    await env.client('POST', `${NS}/serviceaccounts`, { metadata: { name: 'short-lived' } });
    const issued = await env.client(
      'POST',
      `${NS}/serviceaccounts/short-lived/token`,
      tokenRequest(),
    );
    await env.client('DELETE', `${NS}/serviceaccounts/short-lived`);
    const r = await env.client(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      review(issued.body.status.token),
    );
    expect(r.body.status.authenticated).toBeUndefined();
  });

  it('refuses a missing service account, a short expiry, and reads of tokenreviews', async () => {
    expect(
      (await env.client('POST', `${NS}/serviceaccounts/nobody/token`, tokenRequest())).status,
    ).toBe(404);
    const short = await env.client(
      'POST',
      `${NS}/serviceaccounts/robot/token`,
      tokenRequest({ expirationSeconds: 60 }),
    );
    expect(short.status).toBe(422);
    expect(short.body.message).toMatch(/less than 10 minutes/);
    expect((await env.client('GET', '/apis/authentication.k8s.io/v1/tokenreviews')).status).toBe(
      405,
    );
  });

  it('discovery lists tokenreviews as create-only and the new subresources', async () => {
    const auth = await env.client('GET', '/apis/authentication.k8s.io/v1');
    expect(auth.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'tokenreviews', verbs: ['create'] }),
        expect.objectContaining({ name: 'selfsubjectreviews', verbs: ['create'] }),
      ]),
    );
    const names = (await env.client('GET', '/api/v1')).body.resources.map(
      (r: { name: string }) => r.name,
    );
    expect(names).toEqual(
      expect.arrayContaining(['serviceaccounts/token', 'pods/eviction', 'pods/log']),
    );
  });
});

const pod = (name: string, containers: string[], nodeName?: string) => ({
  metadata: { name },
  spec: {
    containers: containers.map((c) => ({ name: c, image: 'busybox' })),
    ...(nodeName ? { nodeName } : {}),
  },
});

describe('eviction', () => {
  it('deletes the pod and answers 201 Success; a missing pod is 404', async () => {
    await env.client('POST', `${NS}/pods`, pod('evictee', ['main']));
    const r = await env.client('POST', `${NS}/pods/evictee/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evictee', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 0 },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await env.client('GET', `${NS}/pods/evictee`)).status).toBe(404);
    const missing = await env.client('POST', `${NS}/pods/evictee/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evictee' },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses an Eviction naming another pod', async () => {
    await env.client('POST', `${NS}/pods`, pod('keep', ['main']));
    const r = await env.client('POST', `${NS}/pods/keep/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'other' },
    });
    expect(r.status).toBe(400);
    expect((await env.client('GET', `${NS}/pods/keep`)).status).toBe(200);
  });
});

describe('logs', () => {
  it('an unscheduled pod has no log (204); the container is checked', async () => {
    await env.client('POST', `${NS}/pods`, pod('one', ['main']));
    await env.client('POST', `${NS}/pods`, pod('two', ['a', 'b']));
    const empty = await fetch(`${env.server.url}${NS}/pods/one/log`, {
      headers: adminHeaders(env.server),
    });
    expect(empty.status).toBe(204);
    expect(empty.headers.get('content-type')).toBeNull();
    expect(await empty.text()).toBe('');
    const which = await env.client('GET', `${NS}/pods/two/log`);
    expect(which.status).toBe(400);
    expect(which.body.message).toMatch(/a container name must be specified for pod two/);
    const wrong = await env.client('GET', `${NS}/pods/one/log?container=nope`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/container nope is not valid for pod one/);
    const log = `${env.server.url}${NS}/pods/two/log?container=b`;
    expect((await fetch(log, { headers: adminHeaders(env.server) })).status).toBe(204);
  });
});
