/**
 * Installing a CustomResourceDefinition for an e2e suite: create it, delete it when the
 * suite stops, and wait until its resources are served.
 */
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY } from './support.js';

/** Where CustomResourceDefinitions are written. */
export const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/**
 * Creates `crd`, deletes it when the suite stops, and resolves once a LIST of `listPath`
 * answers 200: kube-apiserver sets `Established` first, and its handler for the new
 * resource may take a moment longer.
 */
export async function installCrd(
  e2e: E2eContext,
  crd: { readonly metadata: { readonly name: string }; readonly [field: string]: unknown },
  listPath: string,
): Promise<void> {
  const created = await raw(e2e.backend.kubeConfig, 'POST', CRDS, { body: crd });
  if (created.status !== 201) {
    throw new Error(`creating CRD ${crd.metadata.name}: ${created.status} ${created.text}`);
  }
  e2e.onStop(() => raw(e2e.backend.kubeConfig, 'DELETE', `${CRDS}/${crd.metadata.name}`));
  const until = Date.now() + EVENTUALLY.timeout;
  while ((await raw(e2e.backend.kubeConfig, 'GET', listPath)).status !== 200) {
    if (Date.now() > until) throw new Error(`${listPath} was not served in time`);
    await new Promise((r) => setTimeout(r, EVENTUALLY.interval));
  }
}
