import { expect, test } from 'vitest';
import { builtin } from './resource-types.js';
import { statusMetadata } from './status-metadata.js';

const stored = { name: 'a', labels: { a: '1' }, ownerReferences: [{ uid: 'u' }] };
const sent = { name: 'a', labels: { b: '2' }, annotations: { n: 'x' } };

test('a status write takes the metadata its kind does not reset', () => {
  const service = builtin('', 'v1', 'Service', 'services', true, { status: true });
  expect(statusMetadata(service, sent, stored)).toEqual(sent);
  const deployment = builtin('apps', 'v1', 'Deployment', 'deployments', true, { status: true });
  expect(statusMetadata(deployment, sent, stored)).toEqual({ ...sent, labels: { a: '1' } });
  const pod = builtin('', 'v1', 'Pod', 'pods', true, { status: true });
  expect(statusMetadata(pod, sent, stored)).toEqual({ ...sent, ownerReferences: [{ uid: 'u' }] });
});

test("a custom resource's status write keeps all of it", () => {
  const widget = { ...builtin('x.dev', 'v1', 'Widget', 'widgets', true), builtin: false };
  expect(statusMetadata(widget, sent, stored)).toEqual(stored);
});
