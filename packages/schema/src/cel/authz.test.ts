import { describe, expect, test } from 'vitest';
import type { AuthzAttributes, AuthzCheck } from './authz.js';
import { celAuthorizer } from './authz.js';
import { evaluatePolicyExpression } from './policy.js';

describe('the authz library', () => {
  const asked: AuthzAttributes[] = [];
  const check: AuthzCheck = (a) => {
    asked.push(a);
    if (a.user.username === 'system:serviceaccount:ns:bot') {
      return { decision: 'NoOpinion', reason: '' };
    }
    return a.verb === 'get'
      ? { decision: 'Allow', reason: 'RBAC: allowed' }
      : { decision: 'NoOpinion', reason: '', error: 'boom' };
  };
  const user = { username: 'alice', groups: ['system:authenticated'] };
  const authorizer = celAuthorizer(check, user, {
    group: 'apps',
    resource: 'deployments',
    subresource: 'scale',
    namespace: 'ns',
    name: 'web',
  });
  const run = (expr: string) => evaluatePolicyExpression(expr, { authorizer });

  test('resource checks ask with the built attributes, apiVersion *', () => {
    asked.length = 0;
    expect(
      run(
        "authorizer.group('').resource('pods').subresource('log').namespace('n').name('p').check('get').allowed()",
      ),
    ).toMatchObject({ value: true });
    expect(asked).toEqual([
      {
        user,
        verb: 'get',
        resourceRequest: true,
        path: '',
        apiGroup: '',
        apiVersion: '*',
        resource: 'pods',
        subresource: 'log',
        namespace: 'n',
        name: 'p',
      },
    ]);
  });

  test('decisions: reason, errored, error; path checks; requestResource', () => {
    expect(run("authorizer.path('/healthz').check('get').reason()")).toMatchObject({
      value: 'RBAC: allowed',
    });
    expect(run("authorizer.requestResource.check('update').errored()")).toMatchObject({
      value: true,
    });
    expect(run("authorizer.requestResource.check('update').error()")).toMatchObject({
      value: 'boom',
    });
    expect(asked.at(-1)).toMatchObject({
      resource: 'deployments',
      subresource: 'scale',
      name: 'web',
    });
  });

  test('serviceAccount() checks for that ServiceAccount; empty names are errors', () => {
    expect(
      run(
        "authorizer.serviceAccount('ns', 'bot').group('').resource('pods').check('get').allowed()",
      ),
    ).toMatchObject({ value: false });
    expect(asked.at(-1)?.user).toEqual({
      username: 'system:serviceaccount:ns:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
    });
    expect(run("authorizer.path('').check('get').allowed()")).toMatchObject({
      error: 'path must not be empty',
    });
    expect(
      run("authorizer.serviceAccount('ns', 'Bad_Name').path('/x').check('get').allowed()"),
    ).toMatchObject({
      error: 'Invalid service account name',
    });
  });
});
