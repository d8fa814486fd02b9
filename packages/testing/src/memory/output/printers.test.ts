import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { printerOf } from './printers.js';

const cellsOf = (resource: string, obj: JsonObject) => printerOf(resource)!.cells(obj, '1s');

describe('built-in printers', () => {
  it('every printer has as many cells as columns', () => {
    const samples: Record<string, JsonObject> = {
      'jobs.batch': { metadata: { name: 'j' } },
      events: { metadata: { name: 'e' } },
      nodes: { metadata: { name: 'n' } },
      'ingresses.networking.k8s.io': { metadata: { name: 'i' } },
    };
    for (const [resource, obj] of Object.entries(samples)) {
      const p = printerOf(resource)!;
      expect(p.cells(obj, '1s')).toHaveLength(p.columns.length);
    }
  });

  it('an events.k8s.io Event prints as its core/v1 form', () => {
    const cells = cellsOf('events', {
      apiVersion: 'events.k8s.io/v1',
      metadata: { name: 'e' },
      regarding: { kind: 'Node' },
      note: ' hi ',
      reportingController: 'ctl',
      series: { count: 4, lastObservedTime: '2020-01-01T00:00:00.000000Z' },
    });
    expect(cells.slice(1)).toEqual(['', '', 'node', '', 'ctl', 'hi', '<unknown>', 4, 'e']);
  });

  it('a Job completes, a finished Job has a fixed duration', () => {
    expect(
      cellsOf('jobs.batch', {
        metadata: { name: 'j' },
        spec: { parallelism: 2 },
        status: {
          succeeded: 1,
          startTime: '2026-01-01T00:00:00Z',
          completionTime: '2026-01-01T00:02:05Z',
          conditions: [{ type: 'Complete', status: 'True' }],
        },
      }).slice(0, 4),
    ).toEqual(['j', 'Complete', '1/1 of 2', '2m5s']);
  });

  it('Endpoints put IPv6 addresses in brackets and count what they leave out', () => {
    expect(
      cellsOf('endpoints', {
        metadata: { name: 'e' },
        subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }],
      })[1],
    ).toBe('[fd00::1]:80');
  });

  it('an HPA lists two metrics and counts the others', () => {
    const metric = (name: string) => ({
      type: 'Resource',
      resource: { name, target: { type: 'AverageValue', averageValue: '100m' } },
    });
    const cells = cellsOf('horizontalpodautoscalers.autoscaling', {
      metadata: { name: 'h' },
      spec: { metrics: [metric('cpu'), metric('memory'), metric('x')] },
      status: {
        currentMetrics: [{ type: 'Resource', resource: { current: { averageValue: '5m' } } }],
      },
    });
    expect(cells[2]).toBe('cpu: 5m/100m, memory: <unknown>/100m + 1 more...');
  });

  it('a PersistentVolume prints its claim, its beta class annotation first, a deleted one as Terminating', () => {
    const cells = cellsOf('persistentvolumes', {
      metadata: {
        name: 'pv',
        annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' },
        deletionTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        storageClassName: 'new',
        claimRef: { namespace: 'n', name: 'c' },
      },
      status: { phase: 'Bound' },
    });
    expect(cells).toEqual([
      'pv',
      '1Gi',
      'RWO,RWX',
      '',
      'Terminating',
      'n/c',
      'old',
      '<unset>',
      '',
      '1s',
      '<unset>',
    ]);
    expect(cellsOf('persistentvolumes', { metadata: { name: 'pv' } }).slice(1, 3)).toEqual([
      '0',
      '',
    ]);
  });

  it('a CSIDriver without flags prints the driver defaults', () => {
    expect(cellsOf('csidrivers.storage.k8s.io', { metadata: { name: 'd' }, spec: {} })).toEqual([
      'd',
      true,
      false,
      false,
      '<unset>',
      false,
      '<none>',
      '1s',
    ]);
  });

  it('an IPAddress row carries its age beyond the two declared columns', () => {
    const p = printerOf('ipaddresses.networking.k8s.io')!;
    expect(p.columns).toHaveLength(2);
    expect(p.cells({ metadata: { name: '10.0.0.1' }, spec: {} }, '1s')).toEqual([
      '10.0.0.1',
      '<none>',
      '1s',
    ]);
    expect(
      cellsOf('ipaddresses.networking.k8s.io', {
        metadata: { name: '10.0.0.1' },
        spec: { parentRef: { group: 'example.com', resource: 'Gateways', name: 'g' } },
      })[1],
    ).toBe('gateways.example.com/g');
  });

  it('a ResourceClaim is pending, allocated and reserved, or deleted', () => {
    const state = (o: JsonObject) =>
      cellsOf('resourceclaims.resource.k8s.io', { metadata: { name: 'c' }, ...o })[1];
    expect(state({})).toBe('pending');
    expect(state({ status: { allocation: {}, reservedFor: [{ name: 'p' }] } })).toBe(
      'allocated,reserved',
    );
    expect(state({ metadata: { name: 'c', deletionTimestamp: 'x' } })).toBe('deleted');
    expect(
      state({ metadata: { name: 'c', deletionTimestamp: 'x' }, status: { allocation: {} } }),
    ).toBe('deleted,allocated');
  });

  it('a policy binding prints a paramRef by name or by selector', () => {
    const ref = (paramRef: JsonObject) =>
      cellsOf('mutatingadmissionpolicybindings.admissionregistration.k8s.io', {
        metadata: { name: 'b' },
        spec: { paramRef },
      })[2];
    expect(ref({ name: 'p', namespace: 'n' })).toBe('n/p');
    expect(ref({ name: 'p' })).toBe('*/p');
    expect(ref({ selector: {} })).toBe(
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}',
    );
    expect(ref({})).toBe('<unset>');
  });

  it('a CertificateSigningRequest sums up its conditions', () => {
    const condition = (status: JsonObject) =>
      cellsOf('certificatesigningrequests.certificates.k8s.io', {
        metadata: { name: 'c' },
        spec: {},
        status,
      }).slice(2);
    expect(condition({})).toEqual(['<none>', '', '<none>', 'Pending']);
    const types = (...t: string[]) => t.map((type) => ({ type, status: 'True' }));
    expect(condition({ conditions: types('Approved', 'Denied') })[3]).toBe('Denied');
    expect(condition({ conditions: types('Approved', 'Failed'), certificate: 'x' })[3]).toBe(
      'Approved,Failed,Issued',
    );
  });

  it("an APIService prints its service and its Available condition's status and reason", () => {
    const cells = (spec: JsonObject, conditions: JsonObject[]) =>
      cellsOf('apiservices.apiregistration.k8s.io', {
        metadata: { name: 'v1.x' },
        spec,
        status: { conditions },
      }).slice(1, 3);
    const available = (status: string, reason?: string): JsonObject =>
      reason ? { type: 'Available', status, reason } : { type: 'Available', status };
    expect(cells({}, [])).toEqual(['Local', 'Unknown']);
    expect(cells({}, [available('True', 'Local')])).toEqual(['Local', 'True']);
    expect(
      cells({ service: { namespace: 'n', name: 's' } }, [available('False', 'ServiceNotFound')]),
    ).toEqual(['n/s', 'False (ServiceNotFound)']);
    expect(cells({}, [available('False')])[1]).toBe('False');
  });
});
