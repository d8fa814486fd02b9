import type { ResourceType } from '../resource-types.js';
import { configMapRules } from './config-map.js';
import type { KindRules } from './kind-rules.js';
import { secretRules } from './secret.js';

const RULES: Record<string, KindRules> = {
  '/configmaps': configMapRules,
  '/secrets': secretRules,
};

/** The strategy rules of a built-in resource, if it has any beyond the generic ones. */
export function rulesFor(t: ResourceType): KindRules | undefined {
  return t.builtin ? RULES[`${t.group}/${t.plural}`] : undefined;
}
