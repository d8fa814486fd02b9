import { describe, expect, test } from 'vitest';
import { containerStatusCauses } from './pod-container-statuses.js';

describe('containerStatusCauses', () => {
  const fields = (status: Record<string, unknown>, spec: Record<string, unknown>) =>
    containerStatusCauses(status as never, spec as never).map((c) => c.field);

  test('allocated resources name a request or a claim of the container', () => {
    const spec = {
      containers: [
        { name: 'c', resources: { requests: { cpu: '1' }, claims: [{ name: 'g', request: 'r' }] } },
      ],
    };
    const status = (name: string) => ({
      containerStatuses: [{ name: 'c', allocatedResourcesStatus: [{ name, resources: [] }] }],
    });
    expect(fields(status('cpu'), spec)).toEqual([]);
    expect(fields(status('claim:g/r'), spec)).toEqual([]);
    expect(fields(status('claim:g'), spec)).toEqual([
      'status.containerStatuses[0].allocatedResourcesStatus[0].name',
    ]);
    // The status of a container the spec does not have is not matched.
    const other = {
      containerStatuses: [{ name: 'x', allocatedResourcesStatus: [{ name: 'cpu' }] }],
    };
    expect(fields(other, spec)).toEqual([]);
  });

  test('user IDs in range', () => {
    const status = { initContainerStatuses: [{ name: 'i', user: { linux: { uid: 0, gid: -1 } } }] };
    expect(fields(status, {})).toEqual(['status.initContainerStatuses[0].user.linux.gid']);
  });
});
