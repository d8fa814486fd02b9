import { type JsonObject, objects, str } from '../../../json.js';
import { type CheckResult, joinQuote, pluralize } from '../check-result.js';
import type { Check } from '../registry.js';
import { sortedSet } from '../setters.js';

/** The inline volume sources restricted allows. */
const ALLOWED = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** The sources restricted forbids, in the order pod-security-admission names a volume's type. */
const RESTRICTED = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/** Whether a volume sets `source` (a JSON null is an unset pointer in Go). */
const sets = (volume: JsonObject, source: string) =>
  volume[source] !== undefined && volume[source] !== null;

/**
 * Restricted: volumes may only use the allowed inline sources (from policy v1.0, replacing
 * baseline's hostPathVolumes); a volume with no known source is named of type `unknown`.
 */
export const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      since: { major: 1, minor: 0 },
      overrides: ['hostPathVolumes'],
      check(_meta, spec): CheckResult {
        const bad: string[] = [];
        const types: string[] = [];
        for (const volume of objects(spec.volumes)) {
          if (ALLOWED.some((s) => sets(volume, s))) continue;
          bad.push(str(volume.name));
          types.push(RESTRICTED.find((s) => sets(volume, s)) ?? 'unknown');
        }
        if (!bad.length) return undefined;
        const sorted = sortedSet(types);
        return {
          reason: 'restricted volume types',
          detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', sorted.length)} ${joinQuote(sorted)}`,
        };
      },
    },
  ],
};
