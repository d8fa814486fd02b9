/**
 * Differential: APIServices are validated as the aggregator validates them (name
 * `version.group`, group, version, priorities, a local one's TLS fields, a Service
 * reference), get the default Service port 443, and an APIService backed by a Service gets
 * the remote availability controller's `Available` condition as the Service and its
 * EndpointSlices change: `ServiceNotFound`, `ServicePortError`, `EndpointsNotFound`,
 * `MissingEndpoints`, then `FailedDiscoveryCheck` when nothing answers; a failed check is
 * retried, so a backend that starts answering later turns it `Passed`. A failed discovery
 * GET is reported in Go's net/http and crypto/tls words (an unknown certificate authority,
 * with Go's hint when a trusted one of the issuer's name did not sign it, an expired
 * certificate, a certificate for other names, a status outside 2xx, a malformed or
 * plain-HTTP answer),
 * and the body of a 2xx answer is not read.
 */
import { X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { generateCertificates } from '@kube-ts/webhook';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SUBDOMAIN } from './invalid-causes.js';
import { expectInvalid, invalid, requiredValue } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const API_SERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';
const kc = () => e2e.backend.kubeConfig;
const what = (name: string) => `APIService.apiregistration.k8s.io "${name}"`;
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-apisvc');
});

afterAll(async () => {
  await e2e?.stop();
});

describe('APIService validation', () => {
  test('a local APIService: name, group, version, priorities and TLS fields', async () => {
    const name = 'v1.wrong.example.com';
    expectInvalid(
      await raw(kc(), 'POST', API_SERVICES, {
        body: {
          metadata: { name },
          spec: {
            group: 'Bad_Group',
            version: 'V1',
            groupPriorityMinimum: 0,
            versionPriority: 1001,
            caBundle: 'Zm9vYmFy',
            insecureSkipTLSVerify: true,
          },
        },
      }),
      what(name),
      [
        invalid(
          'metadata.name',
          `"${name}"`,
          'must be `spec.version+"."+spec.group`: "V1.Bad_Group"',
        ),
        invalid('spec.group', '"Bad_Group"', SUBDOMAIN),
        invalid('spec.version', '"V1"', DNS1035),
        invalid('spec.groupPriorityMinimum', '0', 'must be positive and less than 20000'),
        invalid('spec.versionPriority', '1001', 'must be positive and less than 1000'),
        invalid('spec.caBundle', '"6 bytes"', 'local APIServices may not have a caBundle'),
        invalid(
          'spec.insecureSkipTLSVerify',
          'true',
          'local APIServices may not have insecureSkipTLSVerify',
        ),
      ],
    );
  });

  test('a Service reference: namespace, name, port and TLS fields', async () => {
    expectInvalid(
      await raw(kc(), 'POST', API_SERVICES, {
        body: {
          metadata: { name: 'v2.' },
          spec: {
            version: 'v2',
            groupPriorityMinimum: 100,
            versionPriority: 10,
            service: { namespace: '', name: '', port: 70000 },
            caBundle: 'Zm9vYmFy',
            insecureSkipTLSVerify: true,
          },
        },
      }),
      what('v2.'),
      [
        requiredValue('spec.group', 'only v1 may have an empty group and it better be legacy kube'),
        requiredValue('spec.service.namespace'),
        requiredValue('spec.service.name'),
        invalid(
          'spec.service.port',
          '70000',
          'port is not valid: must be between 1 and 65535, inclusive',
        ),
        invalid('spec.insecureSkipTLSVerify', 'true', 'may not be true if caBundle is present'),
      ],
    );
  });
});

/** An APIService `v1alpha1.GROUP` served by `service`, with its TLS fields. */
function remoteApiService(
  group: string,
  service: { namespace: string; name: string; port?: number },
  tls: { caBundle?: string; insecureSkipTLSVerify?: boolean },
) {
  return {
    metadata: { name: `v1alpha1.${group}` },
    spec: {
      group,
      version: 'v1alpha1',
      groupPriorityMinimum: 100,
      versionPriority: 10,
      ...tls,
      service,
    },
  };
}

/** APIService `name`'s Available condition once its reason matches `reason`. */
async function availableOnceReason(name: string, reason: RegExp) {
  let condition: Record<string, string> | undefined;
  await expect
    .poll(async () => {
      const got = (await raw(kc(), 'GET', `${API_SERVICES}/${name}`)).json();
      condition = (got.status?.conditions ?? []).find(
        (c: { type: string }) => c.type === 'Available',
      );
      return condition?.reason;
    }, EVENTUALLY)
    .toMatch(reason);
  return condition!;
}

describe('APIService availability', () => {
  const group = `e2e-avail-${suffix}.example.com`;
  const name = `v1alpha1.${group}`;
  const services = () => `/api/v1/namespaces/${ns}/services`;
  const slices = () => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;

  const availableOnce = (reason: string) => availableOnceReason(name, new RegExp(`^${reason}$`));

  test('follows the Service and its EndpointSlices until discovery is tried', async () => {
    const created = await raw(kc(), 'POST', API_SERVICES, {
      body: remoteApiService(
        group,
        { namespace: ns, name: 'agg' },
        { insecureSkipTLSVerify: true },
      ),
    });
    expect(created.status, created.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `${API_SERVICES}/${name}`));
    expect(created.json().spec.service).toEqual({ namespace: ns, name: 'agg', port: 443 });
    expect(await availableOnce('ServiceNotFound')).toMatchObject({
      status: 'False',
      message: `service/agg in "${ns}" is not present`,
    });

    const svc = await raw(kc(), 'POST', services(), {
      body: { metadata: { name: 'agg' }, spec: { ports: [{ name: 'https', port: 8443 }] } },
    });
    expect(svc.status, svc.text).toBe(201);
    expect(await availableOnce('ServicePortError')).toMatchObject({
      status: 'False',
      message: `service/agg in "${ns}" is not listening on port 443`,
    });

    const moved = await raw(kc(), 'PATCH', `${services()}/agg`, {
      body: { spec: { ports: [{ name: 'https', port: 443, targetPort: 1 }] } },
      contentType: 'application/merge-patch+json',
    });
    expect(moved.status, moved.text).toBe(200);
    const clusterIP = moved.json().spec.clusterIP;
    expect(await availableOnce('EndpointsNotFound')).toMatchObject({
      status: 'False',
      message: `cannot find endpointslices for service/agg in "${ns}"`,
    });

    const slice = await raw(kc(), 'POST', slices(), {
      body: {
        metadata: {
          name: 'agg-1',
          labels: {
            'kubernetes.io/service-name': 'agg',
            'endpointslice.kubernetes.io/managed-by': 'e2e.example.com',
          },
        },
        addressType: 'IPv4',
        endpoints: [],
        ports: [{ name: 'https', port: 1, protocol: 'TCP' }],
      },
    });
    expect(slice.status, slice.text).toBe(201);
    expect(await availableOnce('MissingEndpoints')).toMatchObject({
      status: 'False',
      message: `endpointslices for service/agg in "${ns}" have no addresses with port name "https"`,
    });

    // An endpoint nothing answers on: the discovery GET fails.
    const ready = await raw(kc(), 'PATCH', `${slices()}/agg-1`, {
      body: { endpoints: [{ addresses: ['192.0.2.1'], conditions: { ready: true } }] },
      contentType: 'application/merge-patch+json',
    });
    expect(ready.status, ready.text).toBe(200);
    const failed = await availableOnce('FailedDiscoveryCheck');
    expect(failed.status).toBe('False');
    expect(failed.message).toMatch(
      new RegExp(
        `^failing or missing response from https://${clusterIP.replace(/\./g, '\\.')}:443/apis/${group.replace(/\./g, '\\.')}/v1alpha1: `,
      ),
    );
  });
  test('an ExternalName backend that starts answering later turns the check Passed', async () => {
    const extName = `v1alpha1.e2e-ext-${suffix}.example.com`;
    const extGroup = `e2e-ext-${suffix}.example.com`;
    // A port nothing listens on yet.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const svc = await raw(kc(), 'POST', services(), {
      body: {
        metadata: { name: 'ext' },
        spec: { type: 'ExternalName', externalName: 'localhost' },
      },
    });
    expect(svc.status, svc.text).toBe(201);
    const created = await raw(kc(), 'POST', API_SERVICES, {
      body: remoteApiService(
        extGroup,
        { namespace: ns, name: 'ext', port },
        { insecureSkipTLSVerify: true },
      ),
    });
    expect(created.status, created.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `${API_SERVICES}/${extName}`));
    const condition = async () =>
      ((await raw(kc(), 'GET', `${API_SERVICES}/${extName}`)).json().status?.conditions ?? []).find(
        (c: { type: string }) => c.type === 'Available',
      );
    await expect
      .poll(async () => (await condition())?.reason, EVENTUALLY)
      .toBe('FailedDiscoveryCheck');
    const failed: { message: string } = await condition();
    // The external name is the URL's host, as kube-apiserver's cluster resolver gives it.
    const prefix = `failing or missing response from https://localhost:${port}/apis/${extGroup}/v1alpha1: `;
    expect(failed.message.slice(0, prefix.length)).toBe(prefix);

    // The backend starts: the retried check reaches it with no change to any object.
    const certs = await generateCertificates();
    const backend = createHttpsServer({ cert: certs.cert, key: certs.key }, (req, res) => {
      if (req.url?.split('?')[0] !== `/apis/${extGroup}/v1alpha1`) {
        res.writeHead(404).end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${extGroup}/v1alpha1`,
          resources: [],
        }),
      );
    });
    await new Promise<void>((resolve) => backend.listen(port, '127.0.0.1', () => resolve()));
    e2e.onStop(
      () =>
        new Promise<void>((resolve) => {
          backend.close(() => resolve());
          backend.closeAllConnections();
        }),
    );
    await expect.poll(async () => (await condition())?.reason, EVENTUALLY).toBe('Passed');
    expect(await condition()).toMatchObject({ status: 'True', message: 'all checks passed' });
  });
});

describe('APIService discovery errors in Go words', () => {
  const tag = `e2e-disc-${suffix}`;
  const services = () => `/api/v1/namespaces/${ns}/services`;

  /** Listens on a free port of 127.0.0.1 and closes the server when the run ends. */
  async function listen(server: Server | ReturnType<typeof createTlsServer>): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    e2e.onStop(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    );
    return (server.address() as AddressInfo).port;
  }

  /** An ExternalName Service `name` for `localhost` (the URL's host on both backends). */
  async function externalService(name: string): Promise<void> {
    const svc = await raw(kc(), 'POST', services(), {
      body: { metadata: { name }, spec: { type: 'ExternalName', externalName: 'localhost' } },
    });
    expect(svc.status, svc.text).toBe(201);
  }

  /** Registers `v1alpha1.GROUP` on `service`:`port` and returns its checked Available condition. */
  async function check(
    group: string,
    service: string,
    port: number,
    tls: { caBundle?: string; insecureSkipTLSVerify?: boolean },
  ): Promise<{ url: string; condition: Record<string, string> }> {
    const name = `v1alpha1.${group}`;
    const created = await raw(kc(), 'POST', API_SERVICES, {
      body: remoteApiService(group, { namespace: ns, name: service, port }, tls),
    });
    expect(created.status, created.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `${API_SERVICES}/${name}`));
    const condition = await availableOnceReason(name, /^(FailedDiscoveryCheck|Passed)$/);
    return { url: `https://localhost:${port}/apis/${group}/v1alpha1`, condition };
  }

  const failing = (url: string, why: string) => ({
    status: 'False',
    reason: 'FailedDiscoveryCheck',
    message: `failing or missing response from ${url}: ${why}`,
  });

  test('TLS: a certificate for other names, then an unknown authority', async () => {
    const ca = await createCertificateAuthority({ commonName: `${tag}-ca` });
    const serving = await ca.issue({
      commonName: 'backend',
      usage: 'server',
      hosts: [`tls-ca.${ns}.svc`, 'backend.example.com', '127.0.0.1'],
    });
    const port = await listen(
      createHttpsServer({ cert: serving.cert, key: serving.key }, (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      }),
    );
    await externalService('tls-ca');
    await externalService('tls-name');
    const caBundle = Buffer.from(ca.cert).toString('base64');
    const refused = (url: string, why: string) =>
      failing(url, `Get "${url}": tls: failed to verify certificate: x509: ${why}`);
    // The name checked is the Service's DNS name; Go lists the certificate's DNS names.
    const wrongName = `certificate is valid for tls-ca.${ns}.svc, backend.example.com, not tls-name.${ns}.svc`;
    const named = await check(`${tag}-name.example.com`, 'tls-name', port, { caBundle });
    expect(named.condition).toMatchObject(refused(named.url, wrongName));
    // Go checks the name before the chain: a wrong name with an unknown authority is the name.
    const both = await check(`${tag}-both.example.com`, 'tls-name', port, {});
    expect(both.condition).toMatchObject(refused(both.url, wrongName));
    const unknown = await check(`${tag}-ca.example.com`, 'tls-ca', port, {});
    expect(unknown.condition).toMatchObject(
      refused(unknown.url, 'certificate signed by unknown authority'),
    );
    const trusted = await check(`${tag}-trusted.example.com`, 'tls-ca', port, { caBundle });
    expect(trusted.condition).toMatchObject({ status: 'True', reason: 'Passed' });
  });

  test("TLS: an expired certificate, and a trusted authority of the issuer's name that did not sign it", async () => {
    const ca = await createCertificateAuthority({ commonName: `${tag}-same` });
    // A second authority of the same name signs the backend's certificates.
    const other = await createCertificateAuthority({ commonName: `${tag}-same` });
    const serve = async (service: string, validityDays?: number) => {
      const serving = await other.issue({
        commonName: 'backend',
        usage: 'server',
        hosts: [`${service}.${ns}.svc`],
        ...(validityDays ? { validityDays } : {}),
      });
      const port = await listen(
        createHttpsServer({ cert: serving.cert, key: serving.key }, (_req, res) => res.end('{}')),
      );
      await externalService(service);
      return { port, notAfter: new X509Certificate(serving.cert).validTo };
    };
    const refused = (url: string, why: string) =>
      failing(url, `Get "${url}": tls: failed to verify certificate: x509: ${why}`);
    const caBundle = Buffer.from(ca.cert).toString('base64');
    const same = await serve('tls-same');
    const hinted = await check(`${tag}-same.example.com`, 'tls-same', same.port, { caBundle });
    expect(hinted.condition).toMatchObject(
      refused(
        hinted.url,
        `certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "${tag}-same")`,
      ),
    );
    // A certificate valid for one second, checked when it has expired, for another name and
    // without its authority: the validity comes before the name and the chain (the current
    // time is the server's, in its zone).
    const expired = await serve('tls-expired', 1 / 86_400);
    await externalService('tls-other');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const late = await check(`${tag}-expired.example.com`, 'tls-other', expired.port, {});
    const notAfter = new Date(expired.notAfter).toISOString().replace('.000Z', 'Z');
    expect(late.condition).toMatchObject({ status: 'False', reason: 'FailedDiscoveryCheck' });
    const prefix = refused(late.url, 'certificate has expired or is not yet valid: ').message;
    expect(late.condition.message?.startsWith(prefix ?? '-'), late.condition.message).toBe(true);
    expect(late.condition.message?.slice(prefix?.length)).toMatch(
      new RegExp(
        `^current time \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d) is after ${notAfter}$`,
      ),
    );
  });

  test('HTTP: a status outside 2xx fails, a 2xx body is not read', async () => {
    const ca = await createCertificateAuthority({ commonName: `${tag}-ca` });
    const serving = await ca.issue({
      commonName: 'backend',
      usage: 'server',
      hosts: [`http-codes.${ns}.svc`],
    });
    const port = await listen(
      createHttpsServer({ cert: serving.cert, key: serving.key }, (req, res) => {
        const group = req.url?.split('/')[2] ?? '';
        if (group.startsWith(`${tag}-unavailable.`)) res.writeHead(503).end('down');
        else if (group.startsWith(`${tag}-moved.`))
          res.writeHead(302, { Location: 'https://example.com/' }).end();
        else res.writeHead(200, { 'Content-Type': 'application/json' }).end('not a list');
      }),
    );
    await externalService('http-codes');
    const caBundle = Buffer.from(ca.cert).toString('base64');
    const down = await check(`${tag}-unavailable.example.com`, 'http-codes', port, { caBundle });
    expect(down.condition).toMatchObject(failing(down.url, `bad status from ${down.url}: 503`));
    const moved = await check(`${tag}-moved.example.com`, 'http-codes', port, { caBundle });
    expect(moved.condition).toMatchObject(failing(moved.url, `bad status from ${moved.url}: 302`));
    const body = await check(`${tag}-body.example.com`, 'http-codes', port, { caBundle });
    expect(body.condition).toMatchObject({
      status: 'True',
      reason: 'Passed',
      message: 'all checks passed',
    });
  });

  test('a malformed status line or header and a plain-HTTP backend', async () => {
    const ANSWERS: Record<string, string> = {
      status: 'SPDY/9 what',
      line: 'garbage',
      version: 'HTTP/2 200 OK',
      colon: 'HTTP/1.1 200 OK\r\ngarbage',
      value: 'HTTP/1.1 200 OK\r\nX-A: b\x01c',
      initial: 'HTTP/1.1 200 OK\r\n X: y',
    };
    const certs = await generateCertificates();
    const garbled = createTlsServer({ cert: certs.cert, key: certs.key }, (socket) => {
      // The request's first line names the group, which picks the malformed answer.
      socket.once('data', (data: Buffer) => {
        const path = data.toString('latin1').split(' ')[1] ?? '';
        const group = path.split('/')[2] ?? '';
        socket.end(`${ANSWERS[group.split('.')[0]?.slice(tag.length + 1) ?? ''] ?? ''}\r\n\r\n`);
      });
      socket.on('error', () => {});
    });
    const garbledPort = await listen(garbled);
    const plainPort = await listen(createHttpServer((_req, res) => res.end('{}')));
    await externalService('odd');
    for (const [answer, why] of [
      ['status', 'HTTP status code "what"'],
      ['line', 'HTTP response "garbage"'],
      ['version', 'HTTP version "HTTP/2"'],
      ['colon', 'MIME header: missing colon: "garbage"'],
      ['value', 'MIME header line: "X-A: b\\x01c"'],
      ['initial', 'MIME header initial line: " X: y"'],
    ]) {
      const malformed = await check(`${tag}-${answer}.example.com`, 'odd', garbledPort, {
        insecureSkipTLSVerify: true,
      });
      expect(malformed.condition).toMatchObject(
        failing(
          malformed.url,
          `Get "${malformed.url}": net/http: HTTP/1.x transport connection broken: malformed ${why}`,
        ),
      );
    }
    const plain = await check(`${tag}-plain.example.com`, 'odd', plainPort, {
      insecureSkipTLSVerify: true,
    });
    expect(plain.condition).toMatchObject(
      failing(plain.url, `Get "${plain.url}": http: server gave HTTP response to HTTPS client`),
    );
  });
});
