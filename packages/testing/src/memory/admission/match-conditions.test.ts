import type { AuthzCheck } from '@kube-ts/schema/validation';
import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { attrs } from './gizmos.test-helper.js';
import { conditionsMatch } from './match-conditions.js';
import type { WebhookEntry } from './matching.js';

const a = attrs({ object: { metadata: { name: 'g', labels: { tier: 'gold' } } } });

const review: JsonObject = {
  request: {
    uid: 'u',
    operation: 'CREATE',
    namespace: 'team-a',
    name: 'g',
    object: a.object!,
    oldObject: null,
  },
};

function entry(expressions: string[], failurePolicy?: string): WebhookEntry {
  const webhook: JsonObject = {
    name: 'w.example.com',
    matchConditions: expressions.map((expression, i) => ({ name: `c${i}`, expression })),
  };
  if (failurePolicy) webhook.failurePolicy = failurePolicy;
  return { configuration: 'c', webhook, version: 'v1' };
}

/** An authorizer that allows alice's `get`s only. */
const allowGets: AuthzCheck = (x) => ({
  decision: x.user.username === 'alice' && x.verb === 'get' ? 'Allow' : 'NoOpinion',
  reason: '',
});

const missing = "object.metadata.labels.missing == 'x'";
const missingError = `expression '${missing}' resulted in error: no such key: missing`;

describe('conditionsMatch', () => {
  it('calls the webhook without conditions, or when every condition is true', () => {
    expect(conditionsMatch(entry([]), a, review, allowGets)).toBe(true);
    expect(
      conditionsMatch(
        entry([
          "object.metadata.labels.tier == 'gold'",
          "request.operation == 'CREATE' && request.namespace == 'team-a'",
          'oldObject == null',
          '!has(request.object) && !has(request.uid)',
        ]),
        a,
        review,
        allowGets,
      ),
    ).toBe(true);
  });

  it('skips the webhook when one condition is false, even when another failed', () => {
    expect(conditionsMatch(entry([missing, "request.name == 'other'"]), a, review, allowGets)).toBe(
      false,
    );
  });

  it('refuses the request with 403 on an error under failurePolicy Fail (the default)', () => {
    let caught: unknown;
    try {
      conditionsMatch(entry(['true', missing]), a, review, allowGets);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HttpStatusError);
    expect((caught as HttpStatusError).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `gizmos.example.com "g" is forbidden: ${missingError}`,
      reason: 'Forbidden',
      details: { name: 'g', group: 'example.com', kind: 'gizmos' },
      code: 403,
    });
  });

  it('names every error, as an aggregate, when several conditions failed', () => {
    expect(() =>
      conditionsMatch(entry([missing, missing, '1 == 1']), a, review, allowGets),
    ).toThrow(`gizmos.example.com "g" is forbidden: [${missingError}, ${missingError}]`);
  });

  it('skips the webhook on an error under failurePolicy Ignore', () => {
    expect(conditionsMatch(entry([missing], 'Ignore'), a, review, allowGets)).toBe(false);
  });

  it('offers the authorizer: checks for the requesting user, requestResource is the request', () => {
    const conditions = [
      "authorizer.group('').resource('secrets').namespace('team-a').check('get').allowed()",
      "!authorizer.requestResource.check('create').allowed()",
      "!authorizer.serviceAccount('team-a', 'bot').path('/x').check('get').allowed()",
    ];
    expect(conditionsMatch(entry(conditions), a, review, allowGets)).toBe(true);
    const bob = { ...a, user: { username: 'bob', groups: [] } };
    expect(conditionsMatch(entry(conditions), bob, review, allowGets)).toBe(false);
  });
});
