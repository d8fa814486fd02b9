import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../json.js';
import { isSignificantPodUpdate } from './admit-pods.js';

const pod = (spec: JsonObject): JsonObject => ({ spec });
const c = (name: string, image: string) => ({ name, image });

describe('isSignificantPodUpdate', () => {
  it('ignores changes other than images and container counts', () => {
    const old = pod({ containers: [c('a', 'x')], activeDeadlineSeconds: 1 });
    expect(
      isSignificantPodUpdate(pod({ containers: [c('a', 'x')], activeDeadlineSeconds: 2 }), old),
    ).toBe(false);
  });

  it('sees a new image or another number of containers or init containers', () => {
    const old = pod({ containers: [c('a', 'x')] });
    expect(isSignificantPodUpdate(pod({ containers: [c('a', 'y')] }), old)).toBe(true);
    expect(
      isSignificantPodUpdate(
        pod({ containers: [c('a', 'x')], initContainers: [c('i', 'x')] }),
        old,
      ),
    ).toBe(true);
  });

  it('sees an ephemeral container added or with a new image, by name', () => {
    const old = pod({ containers: [c('a', 'x')], ephemeralContainers: [c('e', 'x'), c('f', 'x')] });
    const same = pod({
      containers: [c('a', 'x')],
      ephemeralContainers: [c('f', 'x'), c('e', 'x')],
    });
    expect(isSignificantPodUpdate(same, old)).toBe(false);
    const added = pod({
      containers: [c('a', 'x')],
      ephemeralContainers: [c('e', 'x'), c('f', 'x'), c('g', 'x')],
    });
    expect(isSignificantPodUpdate(added, old)).toBe(true);
    const changed = pod({
      containers: [c('a', 'x')],
      ephemeralContainers: [c('e', 'y'), c('f', 'x')],
    });
    expect(isSignificantPodUpdate(changed, old)).toBe(true);
  });
});
