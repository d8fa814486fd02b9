import { describe, expect, test } from 'vitest';
import { parseServiceAccountUsername, serviceAccountUsername } from './user.js';

describe('parseServiceAccountUsername', () => {
  test('reads the namespace and name of a ServiceAccount user name', () => {
    expect(parseServiceAccountUsername(serviceAccountUsername('ns', 'my.sa'))).toEqual({
      namespace: 'ns',
      name: 'my.sa',
    });
  });

  test('is undefined for other users, as serviceaccount.SplitUsername refuses them', () => {
    for (const username of [
      'alice',
      'system:serviceaccount:ns',
      'system:serviceaccount:ns:a:b',
      'system:serviceaccount::sa',
      'system:serviceaccount:ns:',
      'system:serviceaccount:Bad_NS:sa',
      'system:serviceaccount:my.ns:sa',
      'system:serviceaccount:ns:Bad_Name',
      `system:serviceaccount:${'n'.repeat(64)}:sa`,
    ])
      expect(parseServiceAccountUsername(username), username).toBeUndefined();
  });
});
