/** What an App asks for: its Deployment and Service, as apply configurations. */
import { ownerRefTo } from '@kube-ts/core';
import type { Deployment } from '@kube-ts/k8s/apps/v1';
import type { Service } from '@kube-ts/k8s/core/v1';
import type { App } from './resource.js';

/** The field manager of everything the operator writes. */
export const FIELD_MANAGER = 'app-operator';
/** Label on every object the operator renders (it watches only these). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The label selector of the rendered objects. */
export const MANAGED_SELECTOR = `${MANAGED_BY}=${FIELD_MANAGER}`;

function labelsOf(app: App): Record<string, string> {
  return { 'app.kubernetes.io/name': app.metadata.name ?? '' };
}

/**
 * The Deployment of an App. Only the fields the operator has an opinion on: with
 * server-side apply it owns exactly these, and fields others set (an HPA's replicas if the
 * App had none, defaults the server fills) stay theirs.
 */
export function renderDeployment(app: App): Deployment {
  const labels = labelsOf(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: { ...labels, [MANAGED_BY]: FIELD_MANAGER },
      ownerReferences: [ownerRefTo(app)],
    },
    spec: {
      replicas: app.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: app.spec.image,
              ports: [{ name: 'http', containerPort: app.spec.port, protocol: 'TCP' }],
            },
          ],
        },
      },
    },
  };
}

/** The Service of an App: port 80 to the container's port, selecting the App's pods. */
export function renderService(app: App): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: { ...labelsOf(app), [MANAGED_BY]: FIELD_MANAGER },
      ownerReferences: [ownerRefTo(app)],
    },
    spec: {
      selector: labelsOf(app),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
