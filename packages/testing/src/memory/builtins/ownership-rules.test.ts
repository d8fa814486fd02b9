import { expect, test } from 'vitest';
import { itemKey } from '../field-set.js';
import { builtinOwnershipRules } from './ownership-rules.js';

test('list types come from the schema, not the strategic merge keys', () => {
  const account = builtinOwnershipRules('', 'v1', 'ServiceAccount');
  expect(account(['secrets'])).toEqual({ keys: ['name'], atomicItems: true });
  expect(account(['imagePullSecrets'])).toBeUndefined();
  const pod = builtinOwnershipRules('', 'v1', 'Pod');
  expect(pod(['spec', 'imagePullSecrets'])?.keys).toEqual(['name']);
  expect(pod(['spec', 'schedulingGates'])?.keys).toEqual(['name']);
  expect(pod(['spec', 'tolerations'])).toBeUndefined();
  expect(pod(['metadata', 'finalizers'])).toEqual({ set: true });
  expect(builtinOwnershipRules('batch', 'v1', 'Job')(['status', 'conditions'])).toBeUndefined();
});

test('atomic structs and maps, and a field that makes an atomic type granular again', () => {
  const pod = builtinOwnershipRules('', 'v1', 'Pod');
  expect(pod(['spec', 'nodeSelector'])).toEqual({ atomicMap: true });
  expect(
    pod(['spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']),
  ).toEqual({ atomicMap: true });
  expect(pod(['metadata', 'labels'])).toBeUndefined();
  const volume = builtinOwnershipRules('', 'v1', 'PersistentVolume');
  expect(volume(['spec', 'claimRef'])).toBeUndefined();
  expect(volume(['spec', 'nodeAffinity', 'required'])).toEqual({ atomicMap: true });
});

test('an item is keyed by its key fields in name order, missing ones by their defaults', () => {
  const service = builtinOwnershipRules('', 'v1', 'Service');
  expect(itemKey({ port: 80 }, service(['spec', 'ports'])!)).toBe('k:{"port":80,"protocol":"TCP"}');
  const claim = builtinOwnershipRules('resource.k8s.io', 'v1', 'ResourceClaim');
  const devices = claim(['status', 'devices'])!;
  expect(itemKey({ pool: 'p', driver: 'd', device: 'x' }, devices)).toBe(
    'k:{"device":"x","driver":"d","pool":"p"}',
  );
});
