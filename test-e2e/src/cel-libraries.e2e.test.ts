/**
 * Differential: the Kubernetes CEL libraries in CRD validation rules beyond those
 * cel.e2e.test.ts covers — `sets` (contains, intersects, equivalent) and `url` (isURL,
 * url(…) and its getters, which keep the URL as written: no lower-casing, ports kept),
 * `ip` and `cidr` (isIP, family, isLoopback, isCIDR, prefixLength, containsIP, string(),
 * ip.isCanonical, isLinkLocalUnicast/Multicast, isGlobalUnicast, masked, containsCIDR),
 * `semver` (isSemver, semver(…) with and without normalization, major, compareTo,
 * isGreaterThan), `format` (format.<name>().validate, format.named, messages), and the
 * `strings.format` extension in a messageExpression.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `libs${uniqueSuffix()}.e2e.kube-ts.dev`;
const tag = { type: 'string', maxLength: 16 };
const guarded = (rule: string) => `!has(self.endpoint) || !isURL(self.endpoint) || ${rule}`;
const ipGuarded = (rule: string) => `!has(self.addr) || !isIP(self.addr) || ${rule}`;
const semverGuarded = (rule: string) =>
  `!has(self.version) || !isSemver(self.version, true) || ${rule}`;
const netGuarded = (rule: string) => `!has(self.net) || !isCIDR(self.net) || ${rule}`;

const rules = [
  { rule: "sets.contains(self.tags, ['a'])", message: 'tags need a' },
  { rule: "!sets.intersects(self.tags, ['banned', 'evil'])", message: 'banned tag' },
  { rule: '!has(self.same) || sets.equivalent(self.tags, self.same)', message: 'not the same' },
  { rule: '!has(self.endpoint) || isURL(self.endpoint)', message: 'endpoint is no URL' },
  { rule: guarded("url(self.endpoint).getScheme() == 'https'"), message: 'https only' },
  { rule: guarded("url(self.endpoint).getHostname() != 'evil.example.com'"), message: 'evil host' },
  { rule: guarded("url(self.endpoint).getPort() != '8443'"), message: 'port 8443' },
  { rule: guarded("!('debug' in url(self.endpoint).getQuery())"), message: 'no debug' },
  {
    rule: guarded("!url(self.endpoint).getEscapedPath().startsWith('/admin')"),
    message: 'no admin',
  },
  { rule: '!has(self.addr) || isIP(self.addr)', message: 'addr is no IP' },
  { rule: ipGuarded('ip(self.addr).family() == 4'), message: 'IPv4 only' },
  { rule: ipGuarded('!ip(self.addr).isLoopback()'), message: 'no loopback' },
  { rule: '!has(self.net) || isCIDR(self.net)', message: 'net is no CIDR' },
  { rule: netGuarded('cidr(self.net).prefixLength() >= 16'), message: 'net too big' },
  {
    rule: netGuarded(ipGuarded('cidr(self.net).containsIP(self.addr)')),
    message: 'addr outside net',
  },
  { rule: ipGuarded('ip.isCanonical(self.addr)'), message: 'addr not canonical' },
  { rule: ipGuarded("string(ip(self.addr)) != '2001:db8::1'"), message: 'reserved addr' },
  { rule: ipGuarded('!ip(self.addr).isLinkLocalUnicast()'), message: 'link-local' },
  { rule: ipGuarded('!ip(self.addr).isLinkLocalMulticast()'), message: 'multicast' },
  {
    rule: ipGuarded('ip(self.addr).isGlobalUnicast() || ip(self.addr).isLoopback()'),
    message: 'not global',
  },
  { rule: netGuarded('string(cidr(self.net).masked()) == self.net'), message: 'not masked' },
  { rule: netGuarded('cidr(self.net).masked() == cidr(self.net)'), message: 'not equal' },
  { rule: netGuarded("!cidr(self.net).containsCIDR('10.96.0.0/12')"), message: 'services' },
  {
    rule: netGuarded(
      '!has(self.inner) || !isCIDR(self.inner) || cidr(self.net).containsCIDR(cidr(self.inner))',
    ),
    message: 'inner outside net',
  },
  { rule: '!has(self.version) || isSemver(self.version, true)', message: 'no semver' },
  {
    rule: semverGuarded("semver(self.version, true).isGreaterThan(semver('1.2.0'))"),
    message: 'too old',
  },
  { rule: semverGuarded('semver(self.version, true).major() < 2'), message: 'major 2' },
  {
    rule: semverGuarded(
      "!isSemver(self.version) || semver(self.version).compareTo(semver('1.5.0-rc.1')) != 0",
    ),
    message: 'rc.1 withdrawn',
  },
  {
    rule: '!has(self.name) || !format.dns1123Label().validate(self.name).hasValue()',
    message: 'name is no label',
  },
  {
    rule: '!has(self.name) || !format.dns1035Label().validate(self.name).hasValue()',
    messageExpression: 'format.dns1035Label().validate(self.name).value()[0]',
  },
  {
    rule: '!has(self.name) || !has(self.fmt) || !format.named(self.fmt).orValue(format.uuid()).validate(self.name).hasValue()',
    message: 'fails the named format',
  },
  {
    rule: '!has(self.name) || size(self.name) <= 12',
    messageExpression:
      "'name %s is %d long (%.1f%% of the limit), tags %s'.format([self.name, size(self.name), 100.0 * double(size(self.name)) / 12.0, self.tags])",
  },
];

const libsPath = () => `/apis/${group}/v1/namespaces/${ns}/libs`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('cel-libs');
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `libs.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Lib', plural: 'libs', singular: 'lib', listKind: 'LibList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['tags'],
                  'x-kubernetes-validations': rules,
                  properties: {
                    tags: { type: 'array', maxItems: 8, items: tag },
                    same: { type: 'array', maxItems: 8, items: tag },
                    endpoint: { type: 'string', maxLength: 128 },
                    addr: { type: 'string', maxLength: 64 },
                    net: { type: 'string', maxLength: 64 },
                    inner: { type: 'string', maxLength: 64 },
                    version: { type: 'string', maxLength: 64 },
                    name: { type: 'string', maxLength: 64 },
                    fmt: { type: 'string', maxLength: 32 },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  await installCrd(e2e, crd, libsPath());
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

let n = 0;
async function failures(spec: Record<string, unknown>): Promise<string[]> {
  const r = await raw(e2e.backend.kubeConfig, 'POST', libsPath(), {
    body: { apiVersion: `${group}/v1`, kind: 'Lib', metadata: { name: `lib-${n++}` }, spec },
  });
  if (r.status === 201) return [];
  expect(r.status, r.text).toBe(422);
  return r.json().details.causes.map((c: { message: string }) => c.message);
}

const failed = (message: string) => `Invalid value: ${message}`;
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

test.each<[string, Record<string, unknown>, string[]]>([
  [
    'valid',
    { tags: ['a', 'b'], same: ['b', 'a', 'a'], endpoint: 'https://Evil.Example.com:443/x?y=1' },
    [],
  ],
  ['sets: contains', { tags: ['b'] }, [failed('tags need a')]],
  ['sets: intersects', { tags: ['a', 'evil'] }, [failed('banned tag')]],
  ['sets: equivalent', { tags: ['a'], same: ['a', 'b'] }, [failed('not the same')]],
  ['url: not a URL', { tags: ['a'], endpoint: 'example.com/x' }, [failed('endpoint is no URL')]],
  [
    'url: an absolute path is one',
    { tags: ['a'], endpoint: '/just/a/path' },
    [failed('https only')],
  ],
  ['url: scheme', { tags: ['a'], endpoint: 'http://example.com' }, [failed('https only')]],
  [
    'url: hostname',
    { tags: ['a'], endpoint: 'https://evil.example.com:8443/' },
    [failed('evil host'), failed('port 8443')],
  ],
  [
    'url: IPv6 host and port',
    { tags: ['a'], endpoint: 'https://[::1]:8443' },
    [failed('port 8443')],
  ],
  ['url: query', { tags: ['a'], endpoint: 'https://example.com/?a=1&debug' }, [failed('no debug')]],
  ['url: path', { tags: ['a'], endpoint: 'https://example.com/admin/x' }, [failed('no admin')]],
  ['ip and cidr: valid', { tags: ['a'], addr: '10.1.2.3', net: '10.1.0.0/16' }, []],
  ['ip: leading zeros', { tags: ['a'], addr: '010.1.2.3' }, [failed('addr is no IP')]],
  [
    'ip: family, loopback',
    { tags: ['a'], addr: '::1' },
    [failed('IPv4 only'), failed('no loopback')],
  ],
  ['cidr: bad prefix', { tags: ['a'], net: '10.0.0.0/33' }, [failed('net is no CIDR')]],
  [
    'cidr: size, containment',
    { tags: ['a'], addr: '11.2.0.1', net: '10.0.0.0/8' },
    [failed('net too big'), failed('addr outside net'), failed('services')],
  ],
  [
    'ip: canonical form',
    { tags: ['a'], addr: '2001:DB8:0::1' },
    [failed('IPv4 only'), failed('addr not canonical'), failed('reserved addr')],
  ],
  [
    'ip: string()',
    { tags: ['a'], addr: '2001:db8::1' },
    [failed('IPv4 only'), failed('reserved addr')],
  ],
  [
    'ip: link-local unicast',
    { tags: ['a'], addr: '169.254.169.254' },
    [failed('link-local'), failed('not global')],
  ],
  [
    'ip: link-local multicast',
    { tags: ['a'], addr: '224.0.0.251' },
    [failed('multicast'), failed('not global')],
  ],
  ['ip: broadcast', { tags: ['a'], addr: '255.255.255.255' }, [failed('not global')]],
  [
    'cidr: masked',
    { tags: ['a'], net: '10.1.2.3/16' },
    [failed('not masked'), failed('not equal')],
  ],
  ['cidr: IPv6 masked', { tags: ['a'], net: '2001:db8::/32' }, []],
  [
    'cidr: containsCIDR(string)',
    { tags: ['a'], net: '10.96.0.0/12' },
    [failed('net too big'), failed('services')],
  ],
  [
    'cidr: containsCIDR(cidr)',
    { tags: ['a'], net: '10.1.0.0/16', inner: '10.0.0.0/15' },
    [failed('inner outside net')],
  ],
  ['cidr: containsCIDR of itself', { tags: ['a'], net: '10.1.0.0/16', inner: '10.1.0.0/16' }, []],
  ['semver: valid', { tags: ['a'], version: '1.10.0-rc.10' }, []],
  ['semver: normalized', { tags: ['a'], version: 'v1.03' }, []],
  ['semver: not one', { tags: ['a'], version: '1.2.3.4' }, [failed('no semver')]],
  ['semver: equal is not greater', { tags: ['a'], version: 'v1.2' }, [failed('too old')]],
  ['semver: pre-release order', { tags: ['a'], version: '1.2.0-alpha' }, [failed('too old')]],
  ['semver: major', { tags: ['a'], version: '2.0.0' }, [failed('major 2')]],
  [
    'semver: build metadata ignored',
    { tags: ['a'], version: '1.5.0-rc.1+b7' },
    [failed('rc.1 withdrawn')],
  ],
  ['format: valid', { tags: ['a'], name: 'my-name', fmt: 'dns1123Subdomain' }, []],
  [
    'format: not a label, with the messageExpression of the errors',
    { tags: ['a'], name: 'My_Name' },
    [failed('name is no label'), failed(DNS1035)],
  ],
  ['format: a label but no DNS-1035 label', { tags: ['a'], name: '1abc' }, [failed(DNS1035)]],
  [
    'format: named',
    { tags: ['a'], name: 'a.b', fmt: 'labelValue' },
    [failed('name is no label'), failed(DNS1035)],
  ],
  [
    'format: named, unknown name',
    { tags: ['a'], name: 'abc', fmt: 'nope' },
    [failed('fails the named format')],
  ],
  [
    'strings.format in a messageExpression',
    { tags: ['a', 'b'], name: 'abcdefghijklmnopq' },
    [failed('name abcdefghijklmnopq is 17 long (141.7% of the limit), tags ["a", "b"]')],
  ],
])('%s', async (_name, spec, expected) => {
  expect(await failures(spec)).toEqual(expected);
});
