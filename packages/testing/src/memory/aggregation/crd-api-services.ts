/**
 * kube-apiserver's CRD registration and autoregister controllers, as APIServices show
 * them: every served version of every CRD has a local APIService `<version>.<group>`
 * (priorities 1000 and 100, labelled `kube-aggregator.kubernetes.io/automanaged: true`),
 * made when the CRD appears and removed when no CRD serves that group/version any more.
 * An APIService of that name without the label (one a client made) is left alone.
 */
import { createObject } from '../create-object.js';
import { deleteObject } from '../deletion.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';

const GROUP = 'apiregistration.k8s.io';
const API_SERVICES = `apiservices.${GROUP}`;
const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
const MANAGED = 'kube-aggregator.kubernetes.io/automanaged';

/** The `version.group` names of the versions each CRD serves, with their specs. */
function desired(s: ApiState): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const [, crd] of s.storage.scan(CRDS)) {
    const spec = isObject(crd.spec) ? crd.spec : {};
    const group = String(spec.group ?? '');
    for (const v of Array.isArray(spec.versions) ? spec.versions.filter(isObject) : []) {
      if (v.served !== true) continue;
      const version = String(v.name ?? '');
      out.set(`${version}.${group}`, {
        group,
        version,
        groupPriorityMinimum: 1000,
        versionPriority: 100,
      });
    }
  }
  return out;
}

/** Keeps one automanaged APIService per group/version the CRDs serve. */
export class CrdApiServiceController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === CRDS || c.resKey === API_SERVICES) this.s.schedule(() => this.sync());
  }

  /** Creates the missing APIServices and deletes the automanaged ones no CRD serves. */
  sync(): void {
    const t = this.s.registry.find(GROUP, 'v1', 'apiservices');
    if (!t) return;
    const sc = { t, version: 'v1', namespace: '' };
    const want = desired(this.s);
    for (const [name, svc] of [...this.s.storage.scan(API_SERVICES)]) {
      const labels = metaOf(svc).labels;
      const managed = isObject(labels) && labels[MANAGED] === 'true';
      if (want.has(name)) want.delete(name);
      else if (managed && !metaOf(svc).deletionTimestamp) {
        try {
          deleteObject(this.s, sc, name, { preconditions: { uid: String(metaOf(svc).uid) } });
        } catch {
          // Gone or changed concurrently: the next change brings it back here.
        }
      }
    }
    for (const [name, spec] of want) {
      try {
        createObject(
          this.s,
          sc,
          {
            apiVersion: `${GROUP}/v1`,
            kind: 'APIService',
            metadata: { name, labels: { [MANAGED]: 'true' } },
            spec,
          },
          { defaultManager: 'kube-apiserver' },
        );
      } catch {
        // Made concurrently: nothing left to do.
      }
    }
  }
}
