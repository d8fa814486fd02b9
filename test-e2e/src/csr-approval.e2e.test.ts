/**
 * Differential: a CertificateSigningRequest's `approval` subresource changes only its
 * conditions (timestamps filled by the server), `status` may not add an approval, no
 * approval, denial or failure is ever removed, and conditions are checked with the real
 * causes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CERTIFICATE_REQUEST } from './certificate-request.js';
import { expectInvalid, forbidden, invalid, unsupported } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const name = `e2e-approval-${uniqueSuffix()}`;
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const csr = () => `${CSRS}/${name}`;
const what = `CertificateSigningRequest.certificates.k8s.io "${name}"`;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await raw(e2e.backend.kubeConfig, 'DELETE', csr());
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
const approved = { type: 'Approved', status: 'True', reason: 'E2E', message: 'looks fine' };

describe('CertificateSigningRequest approval', () => {
  test('approval changes conditions only; status may not approve; nothing is removed', async () => {
    const created = await raw(kc(), 'POST', CSRS, {
      body: {
        metadata: { name },
        spec: {
          request: Buffer.from(CERTIFICATE_REQUEST).toString('base64'),
          signerName: 'example.com/e2e',
          usages: ['client auth'],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const got = await raw(kc(), 'GET', `${csr()}/approval`);
    expect(got.status, got.text).toBe(200);
    expect(got.json()).toMatchObject({ kind: 'CertificateSigningRequest', metadata: { name } });

    const body = created.json();
    const approval = await raw(kc(), 'PUT', `${csr()}/approval`, {
      body: {
        ...body,
        spec: { ...body.spec, signerName: 'example.com/other' },
        status: { conditions: [approved], certificate: 'Zm9v' },
      },
    });
    expect(approval.status, approval.text).toBe(200);
    const after = approval.json();
    expect(after.spec.signerName).toBe('example.com/e2e');
    expect(after.status).toEqual({
      conditions: [{ ...approved, lastUpdateTime: TIME, lastTransitionTime: TIME }],
    });

    expectInvalid(
      await raw(kc(), 'PUT', `${csr()}/status`, {
        body: {
          ...after,
          status: {
            conditions: [...after.status.conditions, { type: 'Denied', status: 'True' }],
          },
        },
      }),
      what,
      [
        invalid(
          'status.conditions',
          '"Denied"',
          'Approved and Denied conditions are mutually exclusive',
        ),
        forbidden('status.conditions', 'updates may not add a condition of type "Denied"'),
      ],
    );
    expectInvalid(
      await raw(kc(), 'PUT', `${csr()}/approval`, {
        body: { ...after, status: { conditions: [] } },
      }),
      what,
      [forbidden('status.conditions', 'updates may not remove a condition of type "Approved"')],
    );
    expectInvalid(
      await raw(kc(), 'PATCH', `${csr()}/approval`, {
        body: {
          status: {
            conditions: [...after.status.conditions, { type: 'Failed', status: 'False' }],
          },
        },
        contentType: 'application/merge-patch+json',
      }),
      what,
      [unsupported('status.conditions[1].status', 'False', ['True'])],
    );
    // A condition added through status (not an approval) is kept with its timestamps.
    const failed = await raw(kc(), 'PUT', `${csr()}/status`, {
      body: {
        ...after,
        status: {
          conditions: [...after.status.conditions, { type: 'Failed', status: 'True' }],
        },
      },
    });
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json().status.conditions).toEqual([
      after.status.conditions[0],
      { type: 'Failed', status: 'True', lastUpdateTime: TIME, lastTransitionTime: TIME },
    ]);
  });
});
