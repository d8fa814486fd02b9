import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../auth/request-attributes.js';
import type { UserInfo } from '../auth/user.js';
import type { JsonObject } from '../json.js';
import { Storage } from '../storage.js';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './bootstrap-configuration.js';
import configuration from './bootstrap-configuration.json' with { type: 'json' };
import {
  classify as classifyRequest,
  FLOW_SCHEMA_HEADER,
  PRIORITY_LEVEL_HEADER,
} from './classify.js';

const storage = new Storage(100);
for (const [resKey, list] of [
  [FLOW_SCHEMAS, configuration.flowSchemas],
  [PRIORITY_LEVELS, configuration.priorityLevelConfigurations],
] as const) {
  for (const o of list as unknown as JsonObject[]) {
    const meta = o.metadata as JsonObject;
    const name = String(meta.name);
    storage.commit(resKey, name, '', { ...o, metadata: { ...meta, uid: `${resKey}/${name}` } });
  }
}

/** The FlowSchema and priority level names a request is classified into. */
function classify(user: UserInfo, method: string, path: string): [string?, string?] {
  const h =
    classifyRequest(storage, user, requestAttributes(method, new URL(path, 'http://x')))?.headers ??
    {};
  const name = (v: string | undefined) => v?.slice(v.indexOf('/') + 1);
  return [name(h[FLOW_SCHEMA_HEADER]), name(h[PRIORITY_LEVEL_HEADER])];
}

const sa: UserInfo = {
  username: 'system:serviceaccount:kube-system:generic-garbage-collector',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

describe('classify', () => {
  it('classifies by precedence, subjects and rules as kube-apiserver does', () => {
    const masters = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
    expect(classify(masters, 'GET', '/api/v1/pods')).toEqual(['exempt', 'exempt']);
    const anonymous = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    expect(classify(anonymous, 'GET', '/readyz')).toEqual(['probes', 'exempt']);
    expect(classify(anonymous, 'GET', '/readyz/etcd')).toEqual(['probes', 'exempt']);
    expect(classify(anonymous, 'POST', '/readyz')).toEqual(['global-default', 'global-default']);
    expect(classify(sa, 'GET', '/api/v1/namespaces/a/pods')).toEqual([
      'kube-system-service-accounts',
      'workload-high',
    ]);
    const node = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
    expect(classify(node, 'GET', '/api/v1/nodes/n1')).toEqual(['system-node-high', 'node-high']);
  });

  it('leaves out the long-running requests APF does not see, but not watches', () => {
    expect(classify(sa, 'GET', '/api/v1/namespaces/a/pods/p/log')).toEqual([undefined, undefined]);
    expect(classify(sa, 'POST', '/api/v1/namespaces/a/pods/p/exec')).toEqual([
      undefined,
      undefined,
    ]);
    expect(classify(sa, 'GET', '/api/v1/namespaces/a/pods?watch=true')[0]).toBe(
      'kube-system-service-accounts',
    );
  });

  it("names the flow by the FlowSchema's distinguisher", () => {
    const attrs = requestAttributes('GET', new URL('/api/v1/namespaces/a/pods', 'http://x'));
    // kube-system-service-accounts distinguishes by namespace, global-default by user.
    expect(classifyRequest(storage, sa, attrs)).toMatchObject({
      flowSchema: 'kube-system-service-accounts',
      distinguisher: 'a',
    });
    const someone = { username: 'someone', groups: ['system:authenticated'] };
    expect(classifyRequest(storage, someone, attrs)).toMatchObject({
      flowSchema: 'global-default',
      distinguisher: 'someone',
    });
  });
});
