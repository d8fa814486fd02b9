/**
 * Differential: kube-apiserver's checks of a Service's spec. The cluster IPs, IP families
 * and family policy are checked before allocation (a 422 with only their causes, then the
 * policy and families against the single-stack cluster); the rest in `validateService`'s
 * order (ports' `appProtocol`, the selector as labels, session affinity, source ranges,
 * the load balancer fields, the traffic policies and distribution, ExternalName's fields);
 * the warnings of a valid write; the load balancer status written through `/status`.
 * Mostly dry-run creates, so little is allocated.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  LABEL_VALUE,
  NAME_PART,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-svc-valid');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const services = (name = '') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`;
const dry = () => `${services()}?dryRun=All`;
const ports = [{ port: 80 }];
const body = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', ...metadata },
  spec,
});
const create = (spec: Record<string, unknown>, metadata?: Record<string, unknown>) =>
  raw(kc(), 'POST', dry(), { body: body(spec, metadata) });
const refused = (spec: Record<string, unknown>, causes: Cause[], unordered = false) =>
  expectCauses(kc(), dry(), body(spec), causes, unordered);

const NOT_AN_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const ONLY_LB = "Forbidden: may only be used when `type` is 'LoadBalancer'";
const unsupported = (value: string, allowed: string[]) =>
  `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
const TRAFFIC = ['Cluster', 'Local'];

describe('cluster IPs and IP families, before allocation', () => {
  test('a malformed clusterIP, or clusterIPs without it, is refused alone', async () => {
    // The session affinity is wrong too: only the address checks answer.
    await refused({ ports, clusterIP: 'Bad Value!', sessionAffinity: 'Nope' }, [
      ['spec.clusterIPs[0]', INVALID, `Invalid value: "Bad Value!": ${NOT_AN_IP}`],
    ]);
    await refused({ ports, clusterIPs: [''] }, [
      [
        'spec.clusterIPs',
        INVALID,
        'Invalid value: [""]: must be empty when `clusterIP` is not specified',
      ],
      ['spec.clusterIPs[0]', INVALID, `Invalid value: "": ${NOT_AN_IP}`],
    ]);
    await refused({ ports, clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.11'] }, [
      [
        'spec.clusterIPs',
        INVALID,
        'Invalid value: ["10.0.0.11"]: first value must match `clusterIP`',
      ],
    ]);
  });

  test('unknown and repeated families, an unknown policy', async () => {
    await refused({ ports, ipFamilies: ['Nope', 'Nope'], ipFamilyPolicy: 'Nope' }, [
      ['spec.ipFamilies[0]', UNSUPPORTED, unsupported('Nope', ['IPv4', 'IPv6'])],
      ['spec.ipFamilies[1]', UNSUPPORTED, unsupported('Nope', ['IPv4', 'IPv6'])],
      ['spec.ipFamilies[1]', 'FieldValueDuplicate', 'Duplicate value: "Nope"'],
      [
        'spec.ipFamilyPolicy',
        UNSUPPORTED,
        unsupported('Nope', ['PreferDualStack', 'RequireDualStack', 'SingleStack']),
      ],
    ]);
  });

  test('the policy and families against a single-stack IPv4 cluster', async () => {
    await refused({ ports, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] }, [
      [
        'spec.ipFamilyPolicy',
        INVALID,
        "Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
      ],
    ]);
    await refused({ ports, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6'] }, [
      [
        'spec.ipFamilyPolicy',
        INVALID,
        'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
      ],
      ['spec.ipFamilies[0]', INVALID, 'Invalid value: "IPv6": not configured on this cluster'],
    ]);
    await refused({ ports, clusterIP: 'fd00::10' }, [
      [
        'spec.clusterIPs[0]',
        INVALID,
        'Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster',
      ],
    ]);
  });

  test('empty families get the cluster family; a single-stack headless service one family', async () => {
    const plain = await create({ ports, ipFamilies: [] });
    expect(plain.status, plain.text).toBe(201);
    expect(plain.json().spec).toMatchObject({
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    const headless = await create({ ports, clusterIP: 'None', ipFamilyPolicy: 'SingleStack' });
    expect(headless.status, headless.text).toBe(201);
    expect(headless.json().spec).toMatchObject({
      clusterIPs: ['None'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    const dual = await create({ ports, clusterIP: 'None', selector: {} });
    expect(dual.status, dual.text).toBe(201);
    expect(dual.json().spec).toMatchObject({
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
    });
  });
});

describe('validateService', () => {
  test('a ClusterIP service: port appProtocol, selector, affinity, fields of other types', async () => {
    await refused(
      {
        ports: [{ port: 80, appProtocol: '' }],
        selector: { k: 'Bad Value!' },
        sessionAffinity: 'Nope',
        loadBalancerSourceRanges: ['Bad Value!'],
        allocateLoadBalancerNodePorts: true,
        loadBalancerClass: 'x',
        externalTrafficPolicy: 'Nope',
        internalTrafficPolicy: 'Nope',
        trafficDistribution: '',
      },
      [
        ['spec.ports[0].appProtocol', INVALID, 'Invalid value: "": name part must be non-empty'],
        ['spec.ports[0].appProtocol', INVALID, `Invalid value: "": ${NAME_PART}`],
        ['spec.selector', INVALID, `Invalid value: "Bad Value!": ${LABEL_VALUE}`],
        ['spec.sessionAffinity', UNSUPPORTED, unsupported('Nope', ['ClientIP', 'None'])],
        ['spec.LoadBalancerSourceRanges', FORBIDDEN, ONLY_LB],
        [
          'spec.LoadBalancerSourceRanges[0]',
          INVALID,
          'Invalid value: "Bad Value!": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        ],
        ['spec.allocateLoadBalancerNodePorts', FORBIDDEN, ONLY_LB],
        ['spec.loadBalancerClass', FORBIDDEN, ONLY_LB],
        [
          'spec.externalTrafficPolicy',
          INVALID,
          'Invalid value: "Nope": may only be set for externally-accessible services',
        ],
        ['spec.internalTrafficPolicy', UNSUPPORTED, unsupported('Nope', TRAFFIC)],
        [
          'spec.trafficDistribution',
          UNSUPPORTED,
          unsupported('', ['PreferClose', 'PreferSameZone', 'PreferSameNode']),
        ],
      ],
    );
  });

  test('selector keys and values (a Go map: compared as a set)', async () => {
    await refused(
      { ports, selector: { 'bad key!': 'x', k: 'Bad Value!' } },
      [
        ['spec.selector', INVALID, `Invalid value: "bad key!": ${NAME_PART}`],
        ['spec.selector', INVALID, `Invalid value: "Bad Value!": ${LABEL_VALUE}`],
      ],
      true,
    );
  });

  test('ClientIP affinity timeouts', async () => {
    const why = 'must be greater than 0 and less than 86400';
    for (const timeoutSeconds of [0, 86401]) {
      await refused(
        {
          ports,
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds } },
        },
        [
          [
            'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
            INVALID,
            `Invalid value: ${timeoutSeconds}: ${why}`,
          ],
        ],
      );
    }
  });

  test('a LoadBalancer: class, traffic policy, source ranges, not headless', async () => {
    await refused(
      {
        type: 'LoadBalancer',
        ports,
        clusterIP: 'None',
        loadBalancerClass: 'Bad Value!',
        externalTrafficPolicy: 'Nope',
        loadBalancerSourceRanges: ['10.0.0.1/8', ' 10.0.0.0/8 '],
      },
      [
        [
          'spec.clusterIPs[0]',
          INVALID,
          'Invalid value: "None": may not be set to \'None\' for LoadBalancer services',
        ],
        [
          'spec.LoadBalancerSourceRanges[0]',
          INVALID,
          'Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
        ],
        ['spec.loadBalancerClass', INVALID, `Invalid value: "Bad Value!": ${NAME_PART}`],
        ['spec.externalTrafficPolicy', UNSUPPORTED, unsupported('Nope', TRAFFIC)],
      ],
    );
  });

  test('an ExternalName service: a DNS name, no families', async () => {
    await refused(
      {
        type: 'ExternalName',
        externalName: 'Bad_Name.',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
      },
      [
        ['spec.ipFamilies', FORBIDDEN, 'Forbidden: may not be set for ExternalName services'],
        ['spec.ipFamilyPolicy', FORBIDDEN, 'Forbidden: may not be set for ExternalName services'],
        ['spec.externalName', INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
      ],
    );
    await refused({ type: 'ExternalName' }, [['spec.externalName', REQUIRED, 'Required value']]);
  });

  test('an update may not change a LoadBalancer class', async () => {
    const made = await raw(kc(), 'POST', services(), {
      body: body(
        { type: 'LoadBalancer', ports, loadBalancerClass: 'example.com/a' },
        { name: 'lb' },
      ),
    });
    expect(made.status, made.text).toBe(201);
    const res = await raw(kc(), 'PATCH', `${services('lb')}?dryRun=All`, {
      body: { spec: { loadBalancerClass: 'example.com/b' } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status, res.text).toBe(422);
    expect(res.json().details.causes).toEqual([
      {
        reason: INVALID,
        message: 'Invalid value: "example.com/b": may not change once set',
        field: 'spec.loadBalancerClass',
      },
    ]);
  });
});

describe('warnings', () => {
  test('fields the type ignores, deprecated external IPs and PreferClose', async () => {
    const res = await create({
      ports,
      externalName: 'x.example.com',
      externalIPs: ['192.0.2.10'],
      trafficDistribution: 'PreferClose',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'spec.externalIPs is deprecated and may no longer be implemented in some clusters',
      'spec.externalName is ignored when spec.type is not "ExternalName"',
      'spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"',
    ]);
  });

  test('an IPv6 source range not in RFC 5952 form', async () => {
    const res = await create({
      type: 'LoadBalancer',
      ports,
      loadBalancerSourceRanges: ['2001:DB8::/32', '10.0.0.0/8'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'spec.loadBalancerSourceRanges[0]: IPv6 CIDR value "2001:DB8::/32" should be in RFC 5952 canonical format ("2001:db8::/32")',
    ]);
  });

  test('a headless service ignores session affinity and external IPs', async () => {
    const res = await create({
      ports,
      clusterIP: 'None',
      selector: { app: 'x' },
      sessionAffinity: 'ClientIP',
      externalIPs: ['192.0.2.10'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'spec.externalIPs is ignored for headless services',
      'spec.SessionAffinity is ignored for headless services',
    ]);
  });
});

describe('status', () => {
  const patchStatus = (name: string, ingress: unknown[]) =>
    raw(kc(), 'PATCH', `${services(name)}/status`, {
      body: { status: { loadBalancer: { ingress } } },
      contentType: 'application/merge-patch+json',
    });

  test('load balancer entries: IPs, ipMode, hostnames; only on a LoadBalancer', async () => {
    const lb = await raw(kc(), 'POST', services(), {
      body: body({ type: 'LoadBalancer', ports }, { name: 'lb-status' }),
    });
    expect(lb.status, lb.text).toBe(201);
    const bad = await patchStatus('lb-status', [
      { ip: 'Bad Value!' },
      { ip: '192.0.2.1', ipMode: 'Nope' },
      { ipMode: 'VIP' },
      { hostname: '192.0.2.2' },
      { hostname: 'Bad_Host' },
    ]);
    expect(bad.status, bad.text).toBe(422);
    expect(bad.json().details.causes).toEqual([
      {
        reason: INVALID,
        message: `Invalid value: "Bad Value!": ${NOT_AN_IP}`,
        field: 'status.loadBalancer.ingress[0].ip',
      },
      {
        reason: UNSUPPORTED,
        message: unsupported('Nope', ['Proxy', 'VIP']),
        field: 'status.loadBalancer.ingress[1].ipMode',
      },
      {
        reason: FORBIDDEN,
        message: 'Forbidden: may not be specified when `ip` is not set',
        field: 'status.loadBalancer.ingress[2].ipMode',
      },
      {
        reason: INVALID,
        message: 'Invalid value: "192.0.2.2": must be a DNS name, not an IP address',
        field: 'status.loadBalancer.ingress[3].hostname',
      },
      {
        reason: INVALID,
        message: `Invalid value: "Bad_Host": ${SUBDOMAIN}`,
        field: 'status.loadBalancer.ingress[4].hostname',
      },
    ]);
    // ipMode defaults to VIP; an IPv6 address not in RFC 5952 form is warned about.
    const ok = await patchStatus('lb-status', [{ ip: '2001:DB8::1' }]);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json().status.loadBalancer.ingress).toEqual([{ ip: '2001:DB8::1', ipMode: 'VIP' }]);
    expect(ok.warnings).toEqual([
      'status.loadBalancer.ingress[0]: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
    ]);
    const plain = await raw(kc(), 'POST', services(), { body: body({ ports }, { name: 'plain' }) });
    expect(plain.status, plain.text).toBe(201);
    const refusedStatus = await patchStatus('plain', [{ ip: '192.0.2.1', ipMode: 'VIP' }]);
    expect(refusedStatus.status, refusedStatus.text).toBe(422);
    expect(refusedStatus.json().details.causes).toEqual([
      {
        reason: FORBIDDEN,
        message: "Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
        field: 'status.loadBalancer.ingress',
      },
    ]);
  });
});
