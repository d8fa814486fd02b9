import type { Check } from '../registry.js';
import { securityContextField } from '../security-context.js';
import { containersText, containersWhere } from '../setters.js';

/** Baseline: no container may run privileged (`securityContext.privileged: true`). */
export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const bad = containersWhere(spec, (c) => securityContextField(c, 'privileged') === true);
        if (!bad.length) return undefined;
        return {
          reason: 'privileged',
          detail: `${containersText(bad)} must not set securityContext.privileged=true`,
        };
      },
    },
  ],
};
