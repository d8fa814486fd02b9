import type { JsonObject } from '../../../json.js';
import type { Check } from '../registry.js';
import { securityContextObject } from '../security-context.js';
import { badSetters, containersWhere } from '../setters.js';

function hostProcess(holder: JsonObject): boolean {
  return securityContextObject(holder, 'windowsOptions')?.hostProcess === true;
}

/** Baseline: neither the Pod nor a container may run as a Windows HostProcess. */
export const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const containers = containersWhere(spec, hostProcess);
        const pod = hostProcess(spec);
        if (!pod && !containers.length) return undefined;
        return {
          reason: 'hostProcess',
          detail: `${badSetters(pod, containers)} must not set securityContext.windowsOptions.hostProcess=true`,
        };
      },
    },
  ],
};
