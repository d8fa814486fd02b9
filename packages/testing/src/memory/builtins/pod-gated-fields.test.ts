import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { dropGatedPodFields } from './pod-gated-fields.js';

describe('dropGatedPodFields', () => {
  test('stop signals (and lifecycles left empty) and gated projections go', () => {
    const spec: JsonObject = {
      containers: [
        { name: 'a', lifecycle: { stopSignal: 'SIGTERM' } },
        { name: 'b', lifecycle: { stopSignal: 'SIGTERM', preStop: { sleep: { seconds: 1 } } } },
      ],
      volumes: [{ name: 'v', projected: { sources: [{ podCertificate: {} }, { secret: {} }] } }],
    };
    dropGatedPodFields(spec);
    expect(spec).toEqual({
      containers: [{ name: 'a' }, { name: 'b', lifecycle: { preStop: { sleep: { seconds: 1 } } } }],
      volumes: [{ name: 'v', projected: { sources: [{}, { secret: {} }] } }],
    });
  });
});
