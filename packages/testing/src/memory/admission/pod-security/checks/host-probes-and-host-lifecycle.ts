import { isObject, type Json, type JsonObject, obj, str } from '../../../json.js';
import { joinQuote, pluralize } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check } from '../registry.js';
import { containersText, sortedSet } from '../setters.js';

/** The hosts a probe or lifecycle handler's httpGet and tcpSocket name (none when unset). */
function handlerHosts(handler: Json | undefined): string[] {
  if (!isObject(handler)) return [];
  return ['httpGet', 'tcpSocket']
    .map((action) => (isObject(handler[action]) ? str(handler[action].host) : ''))
    .filter((host) => host !== '');
}

function containerHosts(c: JsonObject): string[] {
  const lifecycle = obj(c.lifecycle);
  return [
    c.livenessProbe,
    c.readinessProbe,
    c.startupProbe,
    lifecycle.postStart,
    lifecycle.preStop,
  ].flatMap(handlerHosts);
}

/**
 * Baseline since v1.34: no probe or lifecycle handler may name a host (httpGet.host,
 * tcpSocket.host).
 */
export const hostProbesAndHostLifecycle: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 34 },
      check(_meta, spec) {
        const containers: string[] = [];
        const hosts: string[] = [];
        for (const c of allContainers(spec)) {
          const named = containerHosts(c);
          if (!named.length) continue;
          containers.push(str(c.name));
          hosts.push(...named);
        }
        if (!containers.length) return undefined;
        // Both are printed as sets: distinct and sorted, containers too.
        const names = sortedSet(containers);
        const distinct = sortedSet(hosts);
        return {
          reason: 'probe or lifecycle host',
          detail: `${containersText(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', distinct.length)} ${joinQuote(distinct)}`,
        };
      },
    },
  ],
};
