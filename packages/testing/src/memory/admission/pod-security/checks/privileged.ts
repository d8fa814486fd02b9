import { isObject, str } from '../../../json.js';
import { joinQuote, pluralize } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check } from '../registry.js';

/** Baseline: no container may run privileged (`securityContext.privileged: true`). */
export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const bad = allContainers(spec)
          .filter((c) => isObject(c.securityContext) && c.securityContext.privileged === true)
          .map((c) => str(c.name));
        if (!bad.length) return undefined;
        return {
          reason: 'privileged',
          detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`,
        };
      },
    },
  ],
};
