import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  mutatingWebhookConfigurationRules,
  validatingWebhookConfigurationRules,
} from './webhook-configuration.js';

const ctx = { group: 'admissionregistration.k8s.io', create: true };

/** A valid webhook, with `extra` merged in. */
function hook(extra: JsonObject = {}): JsonObject {
  return {
    name: 'a.example.com',
    clientConfig: { url: 'https://hooks.example.com/validate' },
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

const validate = (webhooks: JsonObject[], old?: JsonObject[]) =>
  validatingWebhookConfigurationRules.validate?.(
    { metadata: { name: 'c' }, webhooks },
    old ? { ...ctx, create: false, old: { metadata: { name: 'c' }, webhooks: old } } : ctx,
  );

const fields = (webhooks: JsonObject[], old?: JsonObject[]) =>
  validate(webhooks, old)?.map((c) => `${c.field}|${c.message}`);

describe('webhook configuration defaults', () => {
  test('fill each webhook, its rules and its service port; reinvocation only when mutating', () => {
    const obj = {
      webhooks: [
        hook({
          rules: [
            { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] },
          ],
          clientConfig: { service: { namespace: 'ns', name: 'svc' } },
        }),
      ],
    };
    const mutating = structuredClone(obj);
    validatingWebhookConfigurationRules.defaults?.(obj, true);
    mutatingWebhookConfigurationRules.defaults?.(mutating, true);
    const w = obj.webhooks[0]!;
    expect(w).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      rules: [{ scope: '*' }],
      clientConfig: { service: { port: 443 } },
    });
    expect(w).not.toHaveProperty('reinvocationPolicy');
    expect(mutating.webhooks[0]).toMatchObject({ reinvocationPolicy: 'Never', timeoutSeconds: 10 });
  });

  test('keep values that are set', () => {
    const obj = { webhooks: [hook({ failurePolicy: 'Ignore', timeoutSeconds: 3 })] };
    validatingWebhookConfigurationRules.defaults?.(obj, true);
    expect(obj.webhooks[0]).toMatchObject({ failurePolicy: 'Ignore', timeoutSeconds: 3 });
  });
});

describe('webhook configuration validation', () => {
  test('a valid webhook has no causes', () => {
    expect(validate([hook()])).toEqual([]);
  });

  test('an empty webhook needs a name, a client config, side effects and review versions', () => {
    expect(fields([{}])).toEqual([
      'webhooks[0].name|Required value',
      'webhooks[0].sideEffects|Required value: must specify one of None, NoneOnDryRun',
      'webhooks[0].clientConfig|Required value: exactly one of url or service is required',
      'webhooks[0].admissionReviewVersions|Required value: must specify one of v1, v1beta1',
    ]);
  });

  test('names are fully qualified and unique', () => {
    expect(fields([hook({ name: 'Bad Value!' }), hook({ name: 'a.b' }), hook(), hook()])).toEqual([
      "webhooks[0].name|Invalid value: \"Bad Value!\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      'webhooks[1].name|Invalid value: "a.b": should be a domain with at least three segments separated by dots',
      'webhooks[3].name|Duplicate value: "a.example.com"',
    ]);
  });

  test('enums, the timeout range and review versions', () => {
    const w = hook({
      failurePolicy: 'Nope',
      matchPolicy: 'Nope',
      sideEffects: 'Some',
      timeoutSeconds: 31,
      reinvocationPolicy: 'Nope',
      admissionReviewVersions: ['v2', 'v2', 'Bad'],
    });
    expect(fields([w])).toEqual([
      'webhooks[0].failurePolicy|Unsupported value: "Nope": supported values: "Fail", "Ignore"',
      'webhooks[0].matchPolicy|Unsupported value: "Nope": supported values: "Equivalent", "Exact"',
      'webhooks[0].sideEffects|Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      'webhooks[0].timeoutSeconds|Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      'webhooks[0].admissionReviewVersions[1]|Invalid value: "v2": duplicate version',
      "webhooks[0].admissionReviewVersions[2]|Invalid value: \"Bad\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      'webhooks[0].admissionReviewVersions|Invalid value: ["v2","v2","Bad"]: must include at least one of v1, v1beta1',
    ]);
    const mutating = mutatingWebhookConfigurationRules.validate?.({ webhooks: [w] }, ctx);
    expect(mutating?.map((c) => c.field)).toContain('webhooks[0].reinvocationPolicy');
  });

  test('client config: the URL as Go parses it, the service with its fields swapped', () => {
    expect(
      fields([
        hook({ clientConfig: { url: 'http://u:p@/x?q=1#f' } }),
        hook({ name: 'b.example.com', clientConfig: { url: 'https://[::1' } }),
        hook({
          name: 'c.example.com',
          clientConfig: { service: { name: '', namespace: 'ns', port: 0, path: 'a//B/' } },
        }),
        hook({ name: 'd.example.com', clientConfig: { url: 'https://h', service: {} } }),
      ]),
    ).toEqual([
      'webhooks[0].clientConfig.url|Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
      'webhooks[0].clientConfig.url|Invalid value: "": host must be specified; desired format: https://host[/path]',
      'webhooks[0].clientConfig.url|Invalid value: "u:p": user information is not permitted in the URL',
      'webhooks[0].clientConfig.url|Invalid value: "f": fragments are not permitted in the URL',
      'webhooks[0].clientConfig.url|Invalid value: "q=1": query parameters are not permitted in the URL',
      `webhooks[1].clientConfig.url|Required value: url must be a valid URL: parse "https://[::1": missing ']' in host; desired format: https://host[/path]`,
      'webhooks[2].clientConfig.service.namespace|Required value',
      'webhooks[2].clientConfig.service.port|Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
      'webhooks[2].clientConfig.service.path|Invalid value: "a//B/": must start with a \'/\'',
      'webhooks[2].clientConfig.service.path|Invalid value: "a//B/": segment[0] may not be empty',
      'webhooks[2].clientConfig.service.path|Invalid value: "a//B/": segment[1] may not be empty',
      "webhooks[2].clientConfig.service.path|Invalid value: \"a//B/\": segment[2]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      'webhooks[3].clientConfig|Required value: exactly one of url or service is required',
    ]);
  });

  test('rules, selectors and matchConditions', () => {
    const w = hook({
      rules: [{ operations: ['Nope'], apiGroups: [], apiVersions: [''], resources: ['*', 'pods'] }],
      namespaceSelector: {
        matchExpressions: [{ key: 'k', operator: 'In', values: ['Bad Value!'] }],
      },
      matchConditions: [
        { name: 'a', expression: 'object != null' },
        { name: 'a', expression: "'x'" },
        { expression: ' ' },
      ],
    });
    expect(fields([w])).toEqual([
      'webhooks[0].rules[0].operations[0]|Unsupported value: "Nope": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      'webhooks[0].rules[0].apiGroups|Required value',
      'webhooks[0].rules[0].apiVersions[0]|Required value',
      'webhooks[0].rules[0].resources|Invalid value: ["*","pods"]: if \'*\' is present, must not specify other resources without subresources',
      "webhooks[0].namespaceSelector.matchExpressions[0].values[0]|Invalid value: \"Bad Value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      `webhooks[0].matchConditions[1].expression|Invalid value: "'x'": must evaluate to bool but got string`,
      'webhooks[0].matchConditions[1].name|Duplicate value: "a"',
      'webhooks[0].matchConditions[2].expression|Required value',
      'webhooks[0].matchConditions[2].name|Required value',
    ]);
  });

  test('refuses a matchCondition that does not compile, on its field', () => {
    const causes = validate([
      hook({ matchConditions: [{ name: 'x', expression: 'params.a == 1' }] }),
    ]);
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"params.a == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.a == 1\n | ^",
        field: 'webhooks[0].matchConditions[0].expression',
      },
    ]);
  });
});

describe('webhook configuration updates', () => {
  const broken = hook({
    sideEffects: 'Some',
    admissionReviewVersions: ['v9'],
    objectSelector: { matchExpressions: [{ key: 'k', operator: 'In', values: ['Bad Value!'] }] },
    matchConditions: [{ name: 'Bad Value!', expression: 'true' }],
  });

  test('keep checks the stored object passes', () => {
    expect(fields([broken], [hook()])?.length).toBe(4);
  });

  test('relax the checks the stored object already breaks, and unchanged matchConditions', () => {
    expect(fields([broken, broken], [broken, broken])).toEqual([]);
  });
});

describe('webhook configuration warnings', () => {
  test('warn about a name with the static suffix', () => {
    const obj = { metadata: { name: 'x.static.k8s.io' }, webhooks: [] };
    expect(validatingWebhookConfigurationRules.warnings?.(obj, ctx)).toEqual([
      'metadata.name: names ending with ".static.k8s.io" are reserved for static manifest-based configurations and cannot be managed via the API',
    ]);
    expect(
      validatingWebhookConfigurationRules.warnings?.({ metadata: { name: 'x' } }, ctx),
    ).toEqual([]);
  });
});
