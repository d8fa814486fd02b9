import { type ResourceType, resourceKey } from '../resource-types.js';
import { configMapRules } from './config-map.js';
import { eventRules } from './event.js';
import type { KindRules } from './kind-rules.js';
import { secretRules } from './secret.js';

/** Rules by storage key: a view's objects are stored in the viewed resource's form. */
const RULES: Record<string, KindRules> = {
  configmaps: configMapRules,
  events: eventRules,
  secrets: secretRules,
};

/** The strategy rules of a built-in resource's stored form, if it has any beyond the generic ones. */
export function rulesFor(t: ResourceType): KindRules | undefined {
  return t.builtin ? RULES[resourceKey(t)] : undefined;
}
