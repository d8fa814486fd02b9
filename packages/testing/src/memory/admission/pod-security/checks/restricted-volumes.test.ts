import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../json.js';
import { runCheck } from './check.test-helper.js';
import { restrictedVolumes as check } from './restricted-volumes.js';

const reason = 'restricted volume types';

describe('restrictedVolumes', () => {
  it('allows the restricted inline sources', () => {
    const volumes =
      'configMap csi downwardAPI emptyDir ephemeral image persistentVolumeClaim projected secret'
        .split(' ')
        .map((source) => ({ name: source, [source]: {} }));
    expect(runCheck(check, 36, { volumes })).toBeUndefined();
  });

  it('names the volumes in order and their types sorted and deduplicated', () => {
    const volumes: JsonObject[] = [
      { name: 'a', hostPath: { path: '/' } },
      { name: 'ok', emptyDir: {} },
      { name: 'b', nfs: { server: 's', path: '/' } },
      { name: 'c', hostPath: { path: '/x' } },
      { name: 'd', storageos: {} },
      { name: 'e' },
    ];
    expect(runCheck(check, 36, { volumes })).toEqual({
      reason,
      detail:
        'volumes "a", "b", "c", "d", "e" use restricted volume types "hostPath", "nfs", "storageos", "unknown"',
    });
    expect(runCheck(check, 36, { volumes: [{ name: 'g', gitRepo: { repository: 'r' } }] })).toEqual(
      {
        reason,
        detail: 'volume "g" uses restricted volume type "gitRepo"',
      },
    );
  });

  it('exists from v1.0 in place of hostPathVolumes', () => {
    expect(runCheck(check, 0, { volumes: [{ name: 'a', fc: {} }] })).toMatchObject({ reason });
    expect(check.versions.map((v) => [v.since.minor, v.overrides])).toEqual([
      [0, ['hostPathVolumes']],
    ]);
  });
});
