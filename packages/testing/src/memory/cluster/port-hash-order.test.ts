import { describe, expect, it } from 'vitest';
import {
  endpointsPortsInHashOrder,
  fnv128aHex,
  slicePortsInHashOrder,
  spewEndpointsPort,
  spewSlicePort,
} from './port-hash-order.js';

// The hashes below are what Go's fnv.New128a gives for dump.ForHash of the same
// discovery/v1.EndpointPort values (measured with Go 1.26 against k8s.io/utils' dump).
describe('slicePortsInHashOrder', () => {
  it('prints a port as spew does and hashes it with FNV-128a', () => {
    const a = { name: 'a', port: 80, protocol: 'TCP' };
    expect(spewSlicePort(a)).toBe(
      '(v1.EndpointPort){Name:(*string)a Protocol:(*v1.Protocol)TCP Port:(*int32)80 AppProtocol:(*string)<nil>}',
    );
    expect(fnv128aHex(spewSlicePort(a))).toBe('9086c42305e0d4098df13d690be1f478');
    const h2c = { name: 'x', port: 443, protocol: 'UDP', appProtocol: 'kubernetes.io/h2c' };
    expect(fnv128aHex(spewSlicePort(h2c))).toBe('154f140f2f0681e927559d74133dcfbf');
    const unnamed = { name: '', port: 80, protocol: 'TCP' };
    expect(fnv128aHex(spewSlicePort(unnamed))).toBe('73b52e075e78e70787d5e6ffd2212eef');
  });

  it('orders ports by that hash, as kube-controller-manager wrote them', () => {
    const ports = [
      { name: 'a', port: 80, protocol: 'TCP' },
      { name: 'b', port: 81, protocol: 'TCP' },
      { name: 'c', port: 82, protocol: 'SCTP' },
    ];
    expect(slicePortsInHashOrder(ports).map((p) => p.name)).toEqual(['b', 'a', 'c']);
  });
});

describe('endpointsPortsInHashOrder', () => {
  it('hashes a core/v1.EndpointPort as spew prints it, and orders by that hash', () => {
    const printed = spewEndpointsPort({ name: 'a', port: 80, protocol: 'TCP' });
    expect([printed, fnv128aHex(printed)]).toEqual([
      '(v1.EndpointPort){Name:(string)a Port:(int32)80 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}',
      '93f7910f45d8a99109c5b3f74144e582',
    ]);
    const ports = (base: number) => [
      { name: 'a', port: base, protocol: 'TCP' },
      { name: 'b', port: base + 1, protocol: 'TCP' },
      { name: 'c', port: base + 2, protocol: 'SCTP' },
    ];
    expect(endpointsPortsInHashOrder(ports(80)).map((p) => p.name)).toEqual(['c', 'b', 'a']);
    expect(endpointsPortsInHashOrder(ports(8080)).map((p) => p.name)).toEqual(['c', 'a', 'b']);
    expect(slicePortsInHashOrder(ports(8080)).map((p) => p.name)).toEqual(['b', 'a', 'c']);
  });
});
