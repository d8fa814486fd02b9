import { describe, expect, test } from 'vitest';
import { controllerRevisionHash, podTemplateHash } from './template-hash.js';

describe('controllerRevisionHash', () => {
  test('gives the hash kube-controller-manager v1.36 gave the same revision data', () => {
    // A StatefulSet "ordered"'s revision on a real cluster was named ordered-558f57957d.
    const raw =
      '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"ordered"}},' +
      '"spec":{"containers":[{"image":"registry.invalid/app:1","imagePullPolicy":"IfNotPresent",' +
      '"name":"app","resources":{},"terminationMessagePath":"/dev/termination-log",' +
      '"terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always",' +
      '"schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}';
    expect(controllerRevisionHash(raw, 0)).toBe('558f57957d');
    expect(controllerRevisionHash(raw, 1)).not.toBe('558f57957d');
  });
});

describe('podTemplateHash', () => {
  test('changes with the template and the collision count', () => {
    const a = podTemplateHash({ spec: { containers: [{ name: 'a' }] } });
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(podTemplateHash({ spec: { containers: [{ name: 'b' }] } })).not.toBe(a);
    expect(podTemplateHash({ spec: { containers: [{ name: 'a' }] } }, 1)).not.toBe(a);
  });
});
