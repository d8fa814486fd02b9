import { describe, expect, test } from 'vitest';
import { iscsiNameCauses, quobyteCauses } from './volume-source-checks.js';

describe('volume source checks', () => {
  test('quobyte registries are host:port pairs as Go splits them', () => {
    const registryCauses = (registry: string) =>
      quobyteCauses({ registry, volume: 'v' }, 'q').map((c) => c.field);
    expect(registryCauses('a:1,b:2')).toEqual([]);
    expect(registryCauses('[::1]:80')).toEqual([]);
    expect(registryCauses('host:')).toEqual([]);
    expect(registryCauses('nohost')).toEqual(['q.registry']);
    expect(registryCauses('a:b:c')).toEqual(['q.registry']);
    expect(registryCauses('[::1]')).toEqual(['q.registry']);
    expect(registryCauses('a]:1')).toEqual(['q.registry']);
    expect(registryCauses('ok:1,bad')).toEqual(['q.registry']);
  });

  test('iSCSI names: a known prefix, then its form', () => {
    const messages = (name: string) =>
      iscsiNameCauses(name, 'i', 'no prefix').map((c) => c.message);
    expect(messages('iqn.2001-04.com.example:storage')).toEqual([]);
    expect(messages(`eui.${'0123456789ABCDEF'}`)).toEqual([]);
    expect(messages(`naa.${'0'.repeat(32)}`)).toEqual([]);
    expect(messages('foo')).toEqual(['Invalid value: "foo": no prefix']);
    expect(messages('iqn.bad')).toEqual(['Invalid value: "iqn.bad": must be valid format']);
    expect(messages('eui.0123')).toEqual(['Invalid value: "eui.0123": must be valid format']);
  });
});
