import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../resource-types.js';
import { type ConnectTarget, connectOptions } from './admit-connect.js';

const pods = { group: '', plural: 'pods', kind: 'Pod' } as ResourceType;
const services = { group: '', plural: 'services', kind: 'Service' } as ResourceType;

const target = (
  t: ResourceType,
  subresource: ConnectTarget['subresource'],
  subpath?: string,
): ConnectTarget => ({ t, namespace: 'ns', name: 'x', subresource, subpath });

describe('connectOptions', () => {
  it('reads an exec the way kube-apiserver decodes its query', () => {
    const q = new URLSearchParams('command=ls&command=-l&stdin=yes&stdout=0&tty=false&container=c');
    expect(connectOptions(target(pods, 'exec'), q)).toEqual({
      kind: 'PodExecOptions',
      apiVersion: 'v1',
      stdin: true,
      container: 'c',
      command: ['ls', '-l'],
    });
    // Command has no omitempty: it is null when absent.
    expect(connectOptions(target(pods, 'exec'), new URLSearchParams()).command).toBeNull();
  });

  it('splits comma-separated ports and refuses what is not a 16-bit number', () => {
    const q = new URLSearchParams('ports=80,81&ports=8080');
    expect(connectOptions(target(pods, 'portforward'), q).ports).toEqual([80, 81, 8080]);
    expect(() =>
      connectOptions(target(pods, 'portforward'), new URLSearchParams('ports=-1')),
    ).toThrow('cannot convert to []int32: strconv.ParseUint: parsing "-1": invalid syntax');
  });

  it("takes a proxy's path from the URL, else from the query", () => {
    expect(
      connectOptions(target(services, 'proxy', '/a/b'), new URLSearchParams('path=/q')),
    ).toEqual({ kind: 'ServiceProxyOptions', apiVersion: 'v1', path: '/a/b' });
    expect(connectOptions(target(pods, 'proxy'), new URLSearchParams('path=/q')).path).toBe('/q');
    expect(connectOptions(target(pods, 'proxy'), new URLSearchParams())).toEqual({
      kind: 'PodProxyOptions',
      apiVersion: 'v1',
    });
  });
});
