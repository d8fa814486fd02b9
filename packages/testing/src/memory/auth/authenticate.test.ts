import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ApiState } from '../state.js';
import { authenticate, authenticationFor } from './authenticate.js';
import { ADMIN_USER, ANONYMOUS_USER } from './user.js';

const request = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;
// The admin token and a missing token never reach the store.
const state = {} as ApiState;

describe('authenticate', () => {
  it('no credentials over HTTPS is system:anonymous in system:unauthenticated', () => {
    const user = authenticate(state, authenticationFor('secret', true), request());
    expect(user).toBe(ANONYMOUS_USER);
    expect(user).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  it('no credentials over plain HTTP is the admin (clients send none to http: servers)', () => {
    expect(authenticate(state, authenticationFor('secret', false), request())).toBe(ADMIN_USER);
  });

  it('the admin token is the admin on either', () => {
    for (const tls of [true, false]) {
      const auth = authenticationFor('secret', tls);
      expect(authenticate(state, auth, request('Bearer secret'))).toBe(ADMIN_USER);
    }
  });
});
