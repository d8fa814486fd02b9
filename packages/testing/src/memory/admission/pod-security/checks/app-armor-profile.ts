import { byteOrder } from '@kube-ts/schema/validation';
import { goQuote } from '../../../go-print.js';
import { isObject, str } from '../../../json.js';
import { joinQuote, pluralize } from '../check-result.js';
import type { Check } from '../registry.js';
import { forbiddenProfiles } from '../security-context.js';
import { badSetters } from '../setters.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/**
 * Baseline: AppArmor profiles may only be the runtime's default or a localhost one, in the
 * Pod's and containers' `securityContext.appArmorProfile.type` and in the deprecated
 * `container.apparmor.security.beta.kubernetes.io/<container>` annotations.
 */
export const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(meta, spec) {
        const { pod, containers, types } = forbiddenProfiles(spec, 'appArmorProfile', [
          'RuntimeDefault',
          'Localhost',
        ]);
        const annotations = isObject(meta.annotations) ? meta.annotations : {};
        const forbidden = Object.entries(annotations)
          .filter(([k, v]) => k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(str(v)))
          .map(([k, v]) => `${k}=${goQuote(str(v))}`)
          .sort(byteOrder);
        const setters = [badSetters(pod, containers)].filter(Boolean);
        if (forbidden.length)
          setters.push(pluralize('annotation', 'annotations', forbidden.length));
        if (!setters.length) return undefined;
        const values = [...types, ...forbidden];
        return {
          reason: pluralize(
            'forbidden AppArmor profile',
            'forbidden AppArmor profiles',
            values.length,
          ),
          detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
        };
      },
    },
  ],
};
