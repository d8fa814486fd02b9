import { num, objects, str } from '../../../json.js';
import { pluralize } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check } from '../registry.js';
import { containersText, sortedSet } from '../setters.js';

/** Baseline: no container port may set a hostPort. */
export const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const containers: string[] = [];
        const ports: string[] = [];
        for (const c of allContainers(spec)) {
          const used = objects(c.ports)
            .map((p) => num(p.hostPort))
            .filter((p) => p !== 0);
          if (!used.length) continue;
          containers.push(str(c.name));
          ports.push(...used.map(String));
        }
        if (!containers.length) return undefined;
        // The ports are printed as a set of strings: distinct, in string order ("10000" before "80").
        const distinct = sortedSet(ports);
        return {
          reason: 'hostPort',
          detail: `${containersText(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('hostPort', 'hostPorts', distinct.length)} ${distinct.join(', ')}`,
        };
      },
    },
  ],
};
