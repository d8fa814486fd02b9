import { describe, expect, it } from 'vitest';
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import { storageClassRules } from './storage-class.js';

const ctx = { group: 'storage.k8s.io', create: true };
const lines = (list: StatusCause[] = []) => list.map((c) => `${c.field}: ${c.message}`);

describe('StorageClass', () => {
  it('defaults, provisioner, parameters, policies', () => {
    const sc: JsonObject = { provisioner: 'example.com/x' };
    storageClassRules.defaults?.(sc, true);
    expect(sc).toEqual({
      provisioner: 'example.com/x',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
    expect(lines(storageClassRules.validate?.(sc, ctx))).toEqual([]);
    expect(
      lines(
        storageClassRules.validate?.(
          { parameters: { '': 'x' }, reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' },
          ctx,
        ),
      ),
    ).toEqual([
      'provisioner: Required value',
      'parameters: Invalid value: "": field can not be empty.',
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
  });

  it('an update changes none of the class fields', () => {
    const prev = { provisioner: 'a.io/x', parameters: { b: '1' }, volumeBindingMode: 'Immediate' };
    const next = {
      provisioner: 'a.io/y',
      parameters: { b: '2', a: '1' },
      volumeBindingMode: 'Immediate',
    };
    expect(lines(storageClassRules.validateUpdate?.(next, prev, ctx))).toEqual([
      'parameters: Invalid value: {"a":"1","b":"2"}: field is immutable',
      'provisioner: Invalid value: "a.io/y": field is immutable',
    ]);
  });
});
