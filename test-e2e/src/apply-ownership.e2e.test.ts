/**
 * Differential: server-side apply ownership as kube-apiserver's field manager keeps it.
 * Managers applying the same value share the field instead of conflicting, list items are
 * identified by their keys with defaulted key fields filled in (a Service port without
 * `protocol` is the `TCP` one), and what does conflict is named the way the server
 * names it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-apply');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (plural: string, name: string) => `/api/v1/namespaces/${ns}/${plural}/${name}`;

function apply(path: string, manager: string, body: Record<string, unknown>) {
  return raw(kc(), 'PATCH', path, {
    body: JSON.stringify(body),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: manager },
  });
}

/** The managers that own a field path (fieldsV1 keys, e.g. `f:data`, `f:k`). */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
function owners(obj: any, ...path: string[]): string[] {
  const out: string[] = [];
  for (const entry of obj.metadata.managedFields ?? []) {
    let node = entry.fieldsV1;
    for (const el of path) node = node?.[el];
    if (node !== undefined) out.push(entry.manager);
  }
  return out.sort();
}

function conflict(manager: string, field: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Apply failed with 1 conflict: conflict with "${manager}": ${field}`,
    reason: 'Conflict',
    details: {
      causes: [{ reason: 'FieldManagerConflict', message: `conflict with "${manager}"`, field }],
    },
    code: 409,
  };
}

describe('ConfigMap data', () => {
  const configMap = (data?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'shared' },
    ...(data ? { data } : {}),
  });

  test('two managers applying the same value co-own it; a different value conflicts', async () => {
    const path = core('configmaps', 'shared');
    expect((await apply(path, 'a', configMap({ k: 'v' }))).status).toBe(201);
    const both = await apply(path, 'b', configMap({ k: 'v' }));
    expect(both.status).toBe(200);
    expect(owners(both.json(), 'f:data', 'f:k')).toEqual(['a', 'b']);
    const other = await apply(path, 'b', configMap({ k: 'w' }));
    expect(other.status).toBe(409);
    expect(other.json()).toEqual(conflict('a', '.data.k'));
    // a stops applying the key: b alone owns it and can change it.
    expect((await apply(path, 'a', configMap())).status).toBe(200);
    const changed = await apply(path, 'b', configMap({ k: 'w' }));
    expect(changed.status).toBe(200);
    expect(changed.json().data).toEqual({ k: 'w' });
  });

  test('an applied empty map is owned as a whole: applying it again from another manager conflicts', async () => {
    const empty = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' }, data: {} };
    const path = core('configmaps', 'empty');
    const created = await apply(path, 'a', empty);
    expect(created.status).toBe(201);
    expect(created.json().data).toBeUndefined();
    expect(owners(created.json(), 'f:data')).toEqual(['a']);
    // The server drops the empty map from the object, so another manager setting it is a
    // change of a field "a" owns.
    expect((await apply(path, 'b', empty)).json()).toEqual(conflict('a', '.data'));
    expect((await apply(path, 'c', { ...empty, data: { x: '1' } })).json()).toEqual(
      conflict('a', '.data'),
    );
  });
});

describe('Service ports', () => {
  const service = (ports: Record<string, unknown>[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ports' },
    spec: { ports },
  });

  test('a port applied with and without its default protocol is one item, co-owned', async () => {
    const path = core('services', 'ports');
    const first = await apply(path, 'a', service([{ port: 80 }]));
    expect(first.status).toBe(201);
    expect(first.json().spec.ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 80 }]);
    const item = 'k:{"port":80,"protocol":"TCP"}';
    const withProtocol = await apply(path, 'b', service([{ port: 80, protocol: 'TCP' }]));
    expect(withProtocol.status).toBe(200);
    expect(withProtocol.json().spec.ports).toHaveLength(1);
    expect(owners(withProtocol.json(), 'f:spec', 'f:ports', item, 'f:port')).toEqual(['a', 'b']);
    const withTarget = await apply(path, 'c', service([{ port: 80, targetPort: 80 }]));
    expect(withTarget.status).toBe(200);
    expect(owners(withTarget.json(), 'f:spec', 'f:ports', item, 'f:targetPort')).toEqual(['c']);

    const moved = await apply(path, 'd', service([{ port: 80, targetPort: 8080 }]));
    expect(moved.status).toBe(409);
    expect(moved.json()).toEqual(conflict('c', '.spec.ports[port=80,protocol="TCP"].targetPort'));
  });

  test('container ports and fields a manager did not apply are keyed and named the same way', async () => {
    const pod = (container: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'applied' },
      spec: { containers: [{ name: 'app', image: 'nginx', ...container }] },
    });
    const path = core('pods', 'applied');
    expect((await apply(path, 'a', pod({ ports: [{ containerPort: 80 }] }))).status).toBe(201);
    const same = await apply(path, 'b', pod({ ports: [{ containerPort: 80, protocol: 'TCP' }] }));
    expect(same.status).toBe(200);
    expect(same.json().spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect((await apply(path, 'c', pod({ imagePullPolicy: 'Always' }))).status).toBe(200);
    const res = await apply(path, 'd', pod({ imagePullPolicy: 'IfNotPresent' }));
    expect(res.json()).toEqual(conflict('c', '.spec.containers[name="app"].imagePullPolicy'));
  });
});
