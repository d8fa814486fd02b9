import { isObject, objects, str } from '../../../json.js';
import { joinQuote, pluralize } from '../check-result.js';
import type { Check } from '../registry.js';

/** Baseline: no volume may be a hostPath volume. */
export const hostPathVolumes: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const names = objects(spec.volumes)
          .filter((v) => isObject(v.hostPath))
          .map((v) => str(v.name));
        if (!names.length) return undefined;
        return {
          reason: 'hostPath volumes',
          detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`,
        };
      },
    },
  ],
};
