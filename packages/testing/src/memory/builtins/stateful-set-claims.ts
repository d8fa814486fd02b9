/**
 * A StatefulSet's `volumeClaimTemplates` as kube-apiserver's `ValidateStatefulSetSpec`
 * treats them (own code): on create each template's spec is checked as a
 * PersistentVolumeClaim's (`claimSpecCauses`, at `spec.volumeClaimTemplates[i].spec`; the
 * templates' metadata and status are not checked), and the pod template is checked as the
 * controller will make it: one `persistentVolumeClaim` volume per claim template, named as
 * it, replacing a template volume of that name, and no `hostname` or `subdomain` (the
 * controller sets them).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { claimSpecCauses } from './persistent-volume-claim.js';

const claimsOf = (spec: JsonObject): Json[] =>
  Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];

const claimName = (claim: Json): string => {
  const meta = isObject(claim) && isObject(claim.metadata) ? claim.metadata : {};
  return typeof meta.name === 'string' ? meta.name : '';
};

/** Each claim template's spec checked as a claim's (`validateVolumeClaimTemplates`). */
export function claimTemplateCauses(spec: JsonObject): StatusCause[] {
  return claimsOf(spec).flatMap((claim, i) =>
    claimSpecCauses(
      isObject(claim) && isObject(claim.spec) ? claim.spec : {},
      `spec.volumeClaimTemplates[${i}].spec`,
    ),
  );
}

/**
 * The pod template kube-apiserver checks: the template itself when it has no `hostname`,
 * `subdomain` or claim templates, else a copy without them and with the claims' volumes
 * first (kube-apiserver collects them in a Go map, so several come in no fixed order there;
 * here in the templates' order), then the template's volumes of other names.
 */
export function templateToValidate(spec: JsonObject): Json | undefined {
  const tpl = spec.template;
  const claims = claimsOf(spec);
  if (!isObject(tpl) || !isObject(tpl.spec)) return tpl;
  const podSpec = tpl.spec;
  if (!podSpec.hostname && !podSpec.subdomain && claims.length === 0) return tpl;
  const rest: JsonObject = { ...podSpec };
  delete rest.hostname;
  delete rest.subdomain;
  if (claims.length === 0) return { ...tpl, spec: rest };
  const byName = new Map<string, JsonObject>();
  for (const claim of claims) {
    const name = claimName(claim);
    byName.set(name, { name, persistentVolumeClaim: { claimName: name } });
  }
  const own = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  const kept = own.filter((v) => !(isObject(v) && byName.has(String(v.name ?? ''))));
  return { ...tpl, spec: { ...rest, volumes: [...byName.values(), ...kept] } };
}
