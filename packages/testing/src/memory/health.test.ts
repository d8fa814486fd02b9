import { describe, expect, it } from 'vitest';
import { health } from './health.js';

describe('health', () => {
  it('answers ok, or each check with ?verbose', () => {
    expect(health('readyz', [], new URLSearchParams())).toEqual({ code: 200, body: 'ok' });
    const verbose = health('readyz', [], new URLSearchParams('verbose'))!.body.split('\n');
    expect(verbose).toContain('[+]etcd ok');
    expect(verbose).toContain('[+]shutdown ok');
    expect(verbose.at(-2)).toBe('readyz check passed');
    expect(health('livez', [], new URLSearchParams('verbose'))!.body).not.toContain('shutdown');
  });

  it('answers one check, and nothing for an unknown one', () => {
    expect(health('livez', ['etcd'], new URLSearchParams())).toEqual({ code: 200, body: 'ok' });
    expect(
      health('readyz', ['poststarthook', 'rbac', 'bootstrap-roles'], new URLSearchParams()),
    ).toEqual({ code: 200, body: 'ok' });
    expect(health('livez', ['nope'], new URLSearchParams())).toBeUndefined();
  });

  it('marks excluded checks', () => {
    const body = health('readyz', [], new URLSearchParams('verbose&exclude=etcd'))!.body;
    expect(body).toContain('[+]etcd excluded: ok');
  });
});
