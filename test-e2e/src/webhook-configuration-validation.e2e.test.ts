/**
 * Differential: Validating- and MutatingWebhookConfigurations get kube-apiserver's
 * defaults (failure and match policy, selectors, timeout, reinvocation, rule scope,
 * service port), its generation, its validation of each webhook (name, rules, policies,
 * side effects, timeout, selectors, client config as Go parses a URL, matchConditions,
 * review versions, unique names) with the real causes, on create and on update, and the
 * warning for a name with the suffix reserved for static configurations.
 */
import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  INVALID,
  LABEL_VALUE,
  NAME_PART,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const suffix = uniqueSuffix();
const GROUP = '/apis/admissionregistration.k8s.io/v1';
const VWC = `${GROUP}/validatingwebhookconfigurations`;
const MWC = `${GROUP}/mutatingwebhookconfigurations`;
const DUPLICATE = 'FieldValueDuplicate';
const FORM = '; desired format: https://host[/path]';
const kc = () => e2e.backend.kubeConfig;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

/** A valid webhook named `name`; `extra` is merged in. */
function hook(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    // Nothing matches the rule: the configuration never calls this URL.
    rules: [
      {
        operations: ['CREATE'],
        apiGroups: ['e2e.example.com'],
        apiVersions: ['v1'],
        resources: ['nothings'],
      },
    ],
    clientConfig: { url: 'https://hooks.example.com/check' },
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

/** Creates a configuration (removed when the file ends) and returns the response. */
async function create(path: string, name: string, webhooks: unknown[]) {
  const res = await raw(kc(), 'POST', path, { body: { metadata: { name }, webhooks } });
  if (res.status === 201) e2e.onStop(() => raw(kc(), 'DELETE', `${path}/${name}`));
  return res;
}

const rule = {
  operations: ['CREATE'],
  apiGroups: ['e2e.example.com'],
  apiVersions: ['v1'],
  resources: ['nothings'],
};

describe('webhook configuration defaults', () => {
  test('each webhook, its rules and its service port are defaulted; generation starts at 1', async () => {
    const service = { namespace: 'default', name: 'hooks' };
    for (const [path, mutating] of [
      [VWC, false],
      [MWC, true],
    ] as const) {
      const name = `defaults-${suffix}`;
      const res = await create(path, name, [hook('a.example.com', { clientConfig: { service } })]);
      expect(res.status, res.text).toBe(201);
      expect(res.json().metadata.generation).toBe(1);
      expect(res.json().webhooks).toEqual([
        {
          name: 'a.example.com',
          clientConfig: { service: { ...service, port: 443 } },
          rules: [{ ...rule, scope: '*' }],
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          namespaceSelector: {},
          objectSelector: {},
          sideEffects: 'None',
          timeoutSeconds: 10,
          admissionReviewVersions: ['v1'],
          ...(mutating ? { reinvocationPolicy: 'Never' } : {}),
        },
      ]);
    }
  });

  test('a change of the webhooks bumps the generation, a label does not', async () => {
    const name = `generation-${suffix}`;
    const created = await create(VWC, name, [hook('a.example.com')]);
    expect(created.status, created.text).toBe(201);
    const labelled = await raw(kc(), 'PUT', `${VWC}/${name}`, {
      body: { ...created.json(), metadata: { ...created.json().metadata, labels: { a: 'b' } } },
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.json().metadata.generation).toBe(1);
    const changed = await raw(kc(), 'PUT', `${VWC}/${name}`, {
      body: { ...labelled.json(), webhooks: [hook('a.example.com', { timeoutSeconds: 5 })] },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json().metadata.generation).toBe(2);
    expect(changed.json().webhooks[0].timeoutSeconds).toBe(5);
  });
});

describe('webhook configuration validation', () => {
  test('an empty webhook: the required fields', async () => {
    await expectCauses(kc(), MWC, { metadata: { name: `empty-${suffix}` }, webhooks: [{}] }, [
      ['webhooks[0].name', REQUIRED, 'Required value'],
      [
        'webhooks[0].sideEffects',
        REQUIRED,
        'Required value: must specify one of None, NoneOnDryRun',
      ],
      [
        'webhooks[0].clientConfig',
        REQUIRED,
        'Required value: exactly one of url or service is required',
      ],
      [
        'webhooks[0].admissionReviewVersions',
        REQUIRED,
        'Required value: must specify one of v1, v1beta1',
      ],
    ]);
  });

  test('a mutating webhook with every kind of error', async () => {
    const causes: Cause[] = [
      ['webhooks[0].name', INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
      [
        'webhooks[0].rules[0].operations[0]',
        UNSUPPORTED,
        'Unsupported value: "BOOM": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      ],
      ['webhooks[0].rules[0].apiGroups', REQUIRED, 'Required value'],
      [
        'webhooks[0].rules[0].scope',
        UNSUPPORTED,
        'Unsupported value: "Planet": supported values: "*", "Cluster", "Namespaced"',
      ],
      [
        'webhooks[0].failurePolicy',
        UNSUPPORTED,
        'Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
      ],
      [
        'webhooks[0].matchPolicy',
        UNSUPPORTED,
        'Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"',
      ],
      [
        'webhooks[0].sideEffects',
        UNSUPPORTED,
        'Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      ],
      [
        'webhooks[0].timeoutSeconds',
        INVALID,
        'Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      ],
      [
        'webhooks[0].namespaceSelector.matchExpressions[0].operator',
        INVALID,
        'Invalid value: "Near": not a valid selector operator',
      ],
      [
        'webhooks[0].objectSelector.matchExpressions[0].values[0]',
        INVALID,
        `Invalid value: "Bad Value!": ${LABEL_VALUE}`,
      ],
      [
        'webhooks[0].reinvocationPolicy',
        UNSUPPORTED,
        'Unsupported value: "Always": supported values: "IfNeeded", "Never"',
      ],
      [
        'webhooks[0].clientConfig',
        REQUIRED,
        'Required value: exactly one of url or service is required',
      ],
      ['webhooks[0].admissionReviewVersions[1]', INVALID, 'Invalid value: "v1": duplicate version'],
      [
        'webhooks[0].admissionReviewVersions[2]',
        INVALID,
        `Invalid value: "V2": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
      [
        'webhooks[1].name',
        INVALID,
        'Invalid value: "two.parts": should be a domain with at least three segments separated by dots',
      ],
      [
        'webhooks[1].timeoutSeconds',
        INVALID,
        'Invalid value: 0: the timeout value must be between 1 and 30 seconds',
      ],
      [
        'webhooks[1].admissionReviewVersions',
        INVALID,
        'Invalid value: ["v2"]: must include at least one of v1, v1beta1',
      ],
      ['webhooks[3].name', DUPLICATE, 'Duplicate value: "c.example.com"'],
    ];
    await expectCauses(
      kc(),
      MWC,
      {
        metadata: { name: `bad-${suffix}` },
        webhooks: [
          hook('Bad_Name', {
            rules: [{ ...rule, operations: ['BOOM'], apiGroups: [], scope: 'Planet' }],
            failurePolicy: 'Maybe',
            matchPolicy: 'Fuzzy',
            sideEffects: 'Some',
            timeoutSeconds: 31,
            namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] },
            objectSelector: {
              matchExpressions: [{ key: 'a', operator: 'In', values: ['Bad Value!'] }],
            },
            reinvocationPolicy: 'Always',
            clientConfig: { url: 'https://h.example.com', service: { namespace: 'a', name: 'b' } },
            admissionReviewVersions: ['v1', 'v1', 'V2'],
          }),
          hook('two.parts', { timeoutSeconds: 0, admissionReviewVersions: ['v2'] }),
          hook('c.example.com'),
          hook('c.example.com'),
        ],
      },
      causes,
    );
  });

  test('selector labels (a Go map: the causes in any order)', async () => {
    await expectCauses(
      kc(),
      VWC,
      {
        metadata: { name: `labels-${suffix}` },
        webhooks: [
          hook('a.example.com', {
            namespaceSelector: { matchLabels: { 'bad key!': 'Bad Value!' } },
          }),
        ],
      },
      [
        [
          'webhooks[0].namespaceSelector.matchLabels',
          INVALID,
          `Invalid value: "bad key!": ${NAME_PART}`,
        ],
        [
          'webhooks[0].namespaceSelector.matchLabels',
          INVALID,
          `Invalid value: "Bad Value!": ${LABEL_VALUE}`,
        ],
      ],
      true,
    );
  });

  test('client config URLs as Go parses them', async () => {
    const urls = [
      'http://u:p@/x?q=1#frag',
      '',
      'Bad Value!',
      'https://[::1',
      'https://h.example.com/%zz',
      'https://h:port',
      ':nothing',
      'https://[fe80::1%25]/',
      'https://[1:2:3:4:5:6:7:1.2.3.4]/',
    ];
    const at = (i: number) => `webhooks[${i}].clientConfig.url`;
    await expectCauses(
      kc(),
      VWC,
      {
        metadata: { name: `urls-${suffix}` },
        webhooks: urls.map((url, i) => hook(`h${i}.example.com`, { clientConfig: { url } })),
      },
      [
        [at(0), INVALID, `Invalid value: "http": 'https' is the only allowed URL scheme${FORM}`],
        [at(0), INVALID, `Invalid value: "": host must be specified${FORM}`],
        [at(0), INVALID, 'Invalid value: "u:p": user information is not permitted in the URL'],
        [at(0), INVALID, 'Invalid value: "frag": fragments are not permitted in the URL'],
        [at(0), INVALID, 'Invalid value: "q=1": query parameters are not permitted in the URL'],
        [at(1), INVALID, `Invalid value: "": 'https' is the only allowed URL scheme${FORM}`],
        [at(1), INVALID, `Invalid value: "": host must be specified${FORM}`],
        [at(2), INVALID, `Invalid value: "": 'https' is the only allowed URL scheme${FORM}`],
        [at(2), INVALID, `Invalid value: "": host must be specified${FORM}`],
        [
          at(3),
          REQUIRED,
          `Required value: url must be a valid URL: parse "https://[::1": missing ']' in host${FORM}`,
        ],
        [
          at(4),
          REQUIRED,
          `Required value: url must be a valid URL: parse "https://h.example.com/%zz": invalid URL escape "%zz"${FORM}`,
        ],
        [
          at(5),
          REQUIRED,
          `Required value: url must be a valid URL: parse "https://h:port": invalid port ":port" after host${FORM}`,
        ],
        [
          at(6),
          REQUIRED,
          `Required value: url must be a valid URL: parse ":nothing": missing protocol scheme${FORM}`,
        ],
        [
          at(7),
          REQUIRED,
          `Required value: url must be a valid URL: parse "https://[fe80::1%25]/": invalid host: ParseAddr("fe80::1%"): zone must be a non-empty string${FORM}`,
        ],
        [
          at(8),
          REQUIRED,
          `Required value: url must be a valid URL: parse "https://[1:2:3:4:5:6:7:1.2.3.4]/": invalid host: ParseAddr("1:2:3:4:5:6:7:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")${FORM}`,
        ],
      ],
    );
  });

  test('client config services: name and namespace as kube-apiserver swaps them, port, path', async () => {
    const at = (i: number, f: string) => `webhooks[${i}].clientConfig.service.${f}`;
    const services = [
      { namespace: 'ns', name: '' },
      { namespace: '', name: 'svc', port: 0 },
      { namespace: 'ns', name: 'svc', port: 65536, path: 'a//B/' },
      { namespace: 'ns', name: 'svc', path: '//' },
      { namespace: 'ns', name: 'svc', path: '/ok/path/' },
    ];
    await expectCauses(
      kc(),
      VWC,
      {
        metadata: { name: `services-${suffix}` },
        webhooks: services.map((service, i) =>
          hook(`s${i}.example.com`, { clientConfig: { service } }),
        ),
      },
      [
        [at(0, 'namespace'), REQUIRED, 'Required value'],
        [at(1, 'name'), REQUIRED, 'Required value'],
        [
          at(1, 'port'),
          INVALID,
          'Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
        ],
        [
          at(2, 'port'),
          INVALID,
          'Invalid value: 65536: port is not valid: must be between 1 and 65535, inclusive',
        ],
        [at(2, 'path'), INVALID, `Invalid value: "a//B/": must start with a '/'`],
        [at(2, 'path'), INVALID, 'Invalid value: "a//B/": segment[0] may not be empty'],
        [at(2, 'path'), INVALID, 'Invalid value: "a//B/": segment[1] may not be empty'],
        [at(2, 'path'), INVALID, `Invalid value: "a//B/": segment[2]: ${SUBDOMAIN}`],
        [at(3, 'path'), INVALID, 'Invalid value: "//": segment[0] may not be empty'],
      ],
    );
  });

  test('matchConditions: names, expressions, duplicates', async () => {
    await expectCauses(
      kc(),
      VWC,
      {
        metadata: { name: `conditions-${suffix}` },
        webhooks: [
          hook('a.example.com', {
            matchConditions: [
              { name: 'ok', expression: 'object != null' },
              { name: 'ok', expression: '  true  ' },
              { name: 'Bad Value!', expression: ' ' },
              { expression: "'x'" },
            ],
          }),
        ],
      },
      [
        ['webhooks[0].matchConditions[1].name', DUPLICATE, 'Duplicate value: "ok"'],
        ['webhooks[0].matchConditions[2].expression', REQUIRED, 'Required value'],
        [
          'webhooks[0].matchConditions[2].name',
          INVALID,
          `Invalid value: "Bad Value!": ${NAME_PART}`,
        ],
        [
          'webhooks[0].matchConditions[3].expression',
          INVALID,
          `Invalid value: "'x'": must evaluate to bool but got string`,
        ],
        ['webhooks[0].matchConditions[3].name', REQUIRED, 'Required value'],
      ],
    );
  });

  test("a match condition's syntax errors in cel-go's words", async () => {
    const expressions = ['Bad Value!', 'object == null #', 'object.a ?', 'object..a', 'f(,)'];
    const at = (expression: string, column: number, why: string) =>
      `ERROR: <input>:1:${column}: Syntax error: ${why}\n | ${expression}\n | ${'.'.repeat(column - 1)}^`;
    const errors = [
      [at('Bad Value!', 5, "mismatched input 'Value' expecting <EOF>")],
      [at('object == null #', 16, "token recognition error at: '#'")],
      [
        at(
          'object.a ?',
          11,
          "mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
        ),
      ],
      [at('object..a', 8, "no viable alternative at input '..'")],
      [
        at(
          'f(,)',
          3,
          "extraneous input ',' expecting {'[', '{', '(', ')', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
        ),
      ],
    ];
    await expectCauses(
      kc(),
      MWC,
      {
        metadata: { name: `condition-syntax-${suffix}` },
        webhooks: [
          hook('a.example.com', {
            matchConditions: expressions.map((expression, i) => ({ name: `c${i}`, expression })),
          }),
        ],
      },
      expressions.map(
        (expression, i): Cause => [
          `webhooks[0].matchConditions[${i}].expression`,
          INVALID,
          `Invalid value: ${JSON.stringify(expression)}: compilation failed: ${errors[i]?.join('\n')}`,
        ],
      ),
    );
  });

  test('a ValidatingAdmissionPolicy checks its matchConditions the same way', async () => {
    await expectCauses(
      kc(),
      `${GROUP}/validatingadmissionpolicies`,
      {
        metadata: { name: `policy-conditions-${suffix}` },
        spec: {
          matchConstraints: { resourceRules: [rule] },
          matchConditions: [{ expression: 'true' }, { name: 'Bad Value!', expression: 'true' }],
          validations: [{ expression: 'true' }],
        },
      },
      [
        ['spec.matchConditions[0].name', REQUIRED, 'Required value'],
        ['spec.matchConditions[1].name', INVALID, `Invalid value: "Bad Value!": ${NAME_PART}`],
      ],
    );
  });
});

describe('webhook configuration updates and warnings', () => {
  test('an update is validated as a create while the stored object is valid', async () => {
    const name = `update-${suffix}`;
    const created = await create(VWC, name, [hook('a.example.com'), hook('b.example.com')]);
    expect(created.status, created.text).toBe(201);
    const res = await raw(kc(), 'PUT', `${VWC}/${name}`, {
      body: {
        ...created.json(),
        webhooks: [
          hook('a.example.com', { sideEffects: 'Unknown' }),
          hook('a.example.com', { admissionReviewVersions: ['v0'] }),
        ],
      },
    });
    expect(res.status, res.text).toBe(422);
    const causes = res
      .json()
      .details.causes.map((c: Record<string, string>) => [c.field, c.reason, c.message]);
    expect(causes).toEqual([
      [
        'webhooks[0].sideEffects',
        UNSUPPORTED,
        'Unsupported value: "Unknown": supported values: "None", "NoneOnDryRun"',
      ],
      [
        'webhooks[1].admissionReviewVersions',
        INVALID,
        'Invalid value: ["v0"]: must include at least one of v1, v1beta1',
      ],
      ['webhooks[1].name', DUPLICATE, 'Duplicate value: "a.example.com"'],
    ]);
  });

  test('a name with the static suffix is warned about on create and update', async () => {
    const name = `w-${suffix}.static.k8s.io`;
    const warning = `metadata.name: names ending with ".static.k8s.io" are reserved for static manifest-based configurations and cannot be managed via the API`;
    const created = await create(MWC, name, [hook('a.example.com')]);
    expect(created.status, created.text).toBe(201);
    expect(created.warnings).toEqual([warning]);
    const updated = await raw(kc(), 'PUT', `${MWC}/${name}`, { body: created.json() });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.warnings).toEqual([warning]);
  });
});

describe('a CRD conversion webhook', () => {
  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const group = `conv-${suffix}.e2e.example.com`;
  /** A CRD `plural`.group with `conversion`. */
  const crd = (plural: string, conversion: unknown) => ({
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind: `K${plural}` },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object' } },
        },
      ],
      conversion,
    },
  });
  const at = 'spec.conversion';

  test("its service port is defaulted to 443, as an admission webhook's", async () => {
    const service = { namespace: 'default', name: 'convert' };
    const body = crd('ports', {
      strategy: 'Webhook',
      webhook: { clientConfig: { service }, conversionReviewVersions: ['v1'] },
    });
    const res = await raw(kc(), 'POST', CRDS, { body });
    expect(res.status, res.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `${CRDS}/ports.${group}`));
    expect(res.json().spec.conversion.webhook.clientConfig).toEqual({
      service: { ...service, port: 443 },
    });
  });

  test('a Webhook strategy needs a client config and review versions', async () => {
    await expectCauses(kc(), CRDS, crd('missing', { strategy: 'Webhook' }), [
      [
        `${at}.webhookClientConfig`,
        REQUIRED,
        'Required value: required when strategy is set to Webhook',
      ],
      [`${at}.conversionReviewVersions`, REQUIRED, 'Required value'],
    ]);
  });

  test('its client config and review versions are checked as a webhook configuration’s', async () => {
    const body = crd('bad', {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { url: 'http://h.example.com?x=1' },
        conversionReviewVersions: ['v9', 'v9'],
      },
    });
    await expectCauses(kc(), CRDS, body, [
      [
        `${at}.webhookClientConfig.url`,
        INVALID,
        `Invalid value: "http": 'https' is the only allowed URL scheme${FORM}`,
      ],
      [
        `${at}.webhookClientConfig.url`,
        INVALID,
        'Invalid value: "x=1": query parameters are not permitted in the URL',
      ],
      [`${at}.conversionReviewVersions[1]`, INVALID, 'Invalid value: "v9": duplicate version'],
      [
        `${at}.conversionReviewVersions`,
        INVALID,
        'Invalid value: ["v9","v9"]: must include at least one of v1, v1beta1',
      ],
    ]);
  });

  test('another strategy may have neither, and must be known', async () => {
    const webhook = {
      clientConfig: { service: { namespace: 'default', name: 'convert' } },
      conversionReviewVersions: ['v1'],
    };
    const notWebhook = 'Forbidden: should not be set when strategy is not set to Webhook';
    await expectCauses(kc(), CRDS, crd('none', { strategy: 'None', webhook }), [
      [`${at}.webhookClientConfig`, 'FieldValueForbidden', notWebhook],
      [`${at}.conversionReviewVersions`, 'FieldValueForbidden', notWebhook],
    ]);
    await expectCauses(kc(), CRDS, crd('other', { strategy: 'Other' }), [
      [
        `${at}.strategy`,
        UNSUPPORTED,
        'Unsupported value: "Other": supported values: "None", "Webhook"',
      ],
    ]);
  });

  describe('its caBundle', () => {
    const url = 'https://convert.example.com/convert';
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    /** A conversion webhook by URL trusting `caBundle` (base64) when given. */
    const conversion = (caBundle?: string) => ({
      strategy: 'Webhook',
      webhook: {
        clientConfig: caBundle === undefined ? { url } : { url, caBundle },
        conversionReviewVersions: ['v1'],
      },
    });

    /** The CRD `plural`.group's `Established` condition (status, reason, message), if any. */
    async function established(plural: string): Promise<string[]> {
      const got = await raw(kc(), 'GET', `${CRDS}/${plural}.${group}`);
      const conditions: Record<string, string>[] = got.json().status?.conditions ?? [];
      const c = conditions.find((c) => c.type === 'Established');
      return c ? [c.status ?? '', c.reason ?? '', c.message ?? ''] : [];
    }

    /** Creates the CRD `plural`.group (removed when the file ends). */
    async function createCrd(plural: string, caBundle?: string): Promise<void> {
      const res = await raw(kc(), 'POST', CRDS, { body: crd(plural, conversion(caBundle)) });
      expect(res.status, res.text).toBe(201);
      e2e.onStop(() => raw(kc(), 'DELETE', `${CRDS}/${plural}.${group}`));
    }

    const ESTABLISHED = ['True', 'InitialNamesAccepted', 'the initial names have been accepted'];

    /** Replaces the CRD's caBundle (read again and retried on a conflict with its controllers). */
    async function updateBundle(plural: string, caBundle: string) {
      for (;;) {
        const stored = (await raw(kc(), 'GET', `${CRDS}/${plural}.${group}`)).json();
        stored.spec.conversion.webhook.clientConfig.caBundle = caBundle;
        const res = await raw(kc(), 'PUT', `${CRDS}/${plural}.${group}`, { body: stored });
        if (res.status !== 409) return res;
      }
    }

    const field = `${at}.webhookClientConfig.caBundle`;
    const refused = (bundle: string, why: string) => [
      [field, INVALID, `Invalid value: "${bundle}": unable to load root certificates: ${why}`],
    ];
    const expectRefused = async (plural: string, bundle: string, why: string) => {
      const res = await updateBundle(plural, bundle);
      expect(res.status, res.text).toBe(422);
      const causes = res
        .json()
        .details.causes.map((c: Record<string, string>) => [c.field, c.reason, c.message]);
      expect(causes).toEqual(refused(bundle, why));
    };

    test('is not checked on create; the CRD is not established then, and may be updated until it is', async () => {
      await createCrd('badbundles', b64('x'));
      await expect
        .poll(() => established('badbundles'), EVENTUALLY)
        .toEqual(['False', 'InvalidCABundle', 'The conversion webhook CABundle is invalid']);
      const other = b64('-----BEGIN NOTE-----\nAAAA\n-----END NOTE-----\n');
      const res = await updateBundle('badbundles', other);
      expect(res.status, res.text).toBe(200);
      expect(res.json().spec.conversion.webhook.clientConfig.caBundle).toBe(other);
      const ca = await createCertificateAuthority({ commonName: `badbundles-${suffix}` });
      const good = await updateBundle('badbundles', b64(ca.cert));
      expect(good.status, good.text).toBe(200);
      await expect.poll(() => established('badbundles'), EVENTUALLY).toEqual(ESTABLISHED);
      await expectRefused('badbundles', b64('x'), 'unable to parse bytes as PEM block');
    });

    test('an update of an established CRD must hold a certificate once the stored one is empty or valid', async () => {
      await createCrd('bundles');
      await expect.poll(() => established('bundles'), EVENTUALLY).toEqual(ESTABLISHED);
      await expectRefused('bundles', b64('x'), 'unable to parse bytes as PEM block');
      const ca = await createCertificateAuthority({ commonName: `bundles-${suffix}` });
      const good = await updateBundle('bundles', b64(ca.cert));
      expect(good.status, good.text).toBe(200);
      const note = '-----BEGIN NOTE-----\nAAAA\n-----END NOTE-----\n';
      await expectRefused('bundles', b64(note), 'no valid certificate authority data seen');
      await expectRefused('bundles', b64(`${note}\n`), 'unable to parse bytes as PEM block');
      const headed = `-----BEGIN CERTIFICATE-----\nA: b\n\n${ca.cert.split('\n').slice(1).join('\n')}`;
      await expectRefused('bundles', b64(headed), 'no valid certificate authority data seen');
      const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
      await expectRefused(
        'bundles',
        b64(`${note}${bad}`),
        'failed to parse certificate: x509: malformed certificate',
      );
      const withNote = await updateBundle('bundles', b64(`${note}${bad}${ca.cert}\n\njunk`));
      expect(withNote.status, withNote.text).toBe(200);
    });
  });
});
