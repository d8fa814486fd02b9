import { describe, expect, test } from 'vitest';
import { podIPCauses, reconcilePodIPs } from './pod-ips.js';

describe('reconcilePodIPs', () => {
  test('podIP fills the list, wins over its first IP, and is written back from it', () => {
    const alone = { podIP: '10.0.0.1' };
    reconcilePodIPs(alone);
    expect(alone).toEqual({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] });
    const differ = { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.2' }, { ip: 'fd00::2' }] };
    reconcilePodIPs(differ);
    expect(differ).toEqual({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] });
    const list = { podIPs: [{ ip: 'fd00::3' }] };
    reconcilePodIPs(list);
    expect(list).toEqual({ podIP: 'fd00::3', podIPs: [{ ip: 'fd00::3' }] });
  });

  test('leaves hostIP alone', () => {
    const status = { hostIP: '10.0.0.1' };
    reconcilePodIPs(status);
    expect(status).toEqual({ hostIP: '10.0.0.1' });
  });
});

describe('podIPCauses', () => {
  const fields = (status: Record<string, unknown>, prev = {}) =>
    podIPCauses(status as never, prev).map((c) => [c.field, c.reason]);

  test('one IP of each family, at most two', () => {
    expect(fields({ podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] })).toEqual([]);
    // An IPv4-mapped address counts as IPv4 (one the stored status had, as new ones are refused).
    const mapped = [{ ip: '10.0.0.1' }, { ip: '::ffff:10.0.0.2' }];
    expect(fields({ podIPs: mapped }, { podIPs: mapped })).toEqual([
      ['status.podIPs', 'FieldValueInvalid'],
    ]);
    const three = [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }, { ip: 'fd00::2' }];
    expect(fields({ hostIP: '10.0.0.1', hostIPs: three })).toEqual([
      ['status.hostIPs', 'FieldValueInvalid'],
    ]);
  });

  test('a stored invalid IP may stay, but still fails the family check', () => {
    const prev = { podIPs: [{ ip: 'x' }] };
    expect(fields({ podIPs: [{ ip: 'x' }] }, prev)).toEqual([]);
    expect(fields({ podIPs: [{ ip: 'x' }, { ip: '10.0.0.1' }] }, prev)).toEqual([
      ['status.podIPs', 'InternalError'],
      ['status.podIPs', 'FieldValueInvalid'],
    ]);
  });
});
