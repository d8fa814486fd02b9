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

/**
 * A namespaced CustomResourceDefinition of `kind` (plural: `plural`, by default its
 * lower-case name plus `s`) with one served and stored version `v1`, whose other fields
 * (`schema`, `subresources`, …) are `version`'s.
 */
export function namespacedCrd(
  group: string,
  kind: string,
  version: Record<string, unknown>,
  plural = `${kind.toLowerCase()}s`,
) {
  const singular = kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular, kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, ...version }],
    },
  };
}

/**
 * Installs a namespaced CRD `<plural>.<group>` with one version `v1` that keeps any
 * field (`x-kubernetes-preserve-unknown-fields`), for tests about what every custom
 * resource gets; resolves once its objects in `namespace` can be listed.
 */
export async function installOpenCrd(
  e2e: E2eContext,
  group: string,
  kind: string,
  namespace: string,
): Promise<void> {
  const openAPIV3Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  await installCrd(
    e2e,
    namespacedCrd(group, kind, { schema: { openAPIV3Schema } }),
    `/apis/${group}/v1/namespaces/${namespace}/${kind.toLowerCase()}s`,
  );
}
