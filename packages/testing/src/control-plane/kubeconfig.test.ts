import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig.js';

describe('renderKubeconfig', () => {
  it('gives a kubeconfig whose current context has the server, CA and client certificate', () => {
    const text = renderKubeconfig({
      server: 'https://127.0.0.1:6443',
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
    });
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentContext()).toBe('kube-ts-test');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString()).toBe('CA PEM');
    expect(Buffer.from(kc.getCurrentUser()?.certData ?? '', 'base64').toString()).toBe('CERT PEM');
    expect(Buffer.from(kc.getCurrentUser()?.keyData ?? '', 'base64').toString()).toBe('KEY PEM');
  });
});
