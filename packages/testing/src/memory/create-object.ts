import { admitCreate, withPlugins } from './admission/create-plugins.js';
import { mutateByPolicies } from './admission/mutating-policies.js';
import { ADMIN_USER } from './auth/user.js';
import { cloneKeeping } from './big-integers.js';
import { rulesFor } from './builtins/rules.js';
import { dropEmptyStrings, encodeStored } from './builtins/typed-encode.js';
import { defaultCrd } from './crd.js';
import { alreadyExists, generateNameConflict, HttpStatusError } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { recordUpdate } from './managed-fields.js';
import {
  dropEmptyMaps,
  freeGeneratedName,
  metaOf,
  stampNew,
  wipeSystemFields,
} from './object-meta.js';
import { asObject } from './request-body.js';
import { type ResourceType, resourceKey, viewAt } from './resource-types.js';
import type { ApiState } from './state.js';
import { objectKey } from './storage.js';
import { validateWrite } from './validate-write.js';
import { checkFields, checkNamespace, checkTypeMeta, requireNamespace } from './write-checks.js';
import {
  originOf,
  ownership,
  type Scope,
  stampRv,
  target,
  trackedForm,
  type WriteParams,
} from './write-scope.js';

function isNamespaceType(t: ResourceType): boolean {
  return t.plural === 'namespaces' && !t.group;
}

/** Creates an object (POST). */
export function createObject(
  s: ApiState,
  sc: Scope,
  raw: Json,
  p: WriteParams,
  managedFields?: Json[],
): JsonObject {
  let obj = cloneKeeping(asObject(raw));
  checkTypeMeta(sc, obj, managedFields === undefined ? p.rawBody : undefined);
  // An apply patch reaches here already checked against the type by the field manager.
  if (managedFields === undefined) checkFields(sc, obj, p, { body: 'object' });
  const view = viewAt(sc.t, sc.version);
  if (view) obj = view.toStored(obj);
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  obj.metadata = meta;
  checkNamespace(sc, meta);
  // kube-apiserver's create handler clears what only the server sets; admission sees none of it.
  wipeSystemFields(meta);
  const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
  const requested = typeof meta.name === 'string' ? meta.name : '';
  // Mutating admission plugins name a create by generateName by its prefix (or `Unknown`),
  // as admission.NewForbidden does.
  const named = requested || prefix || 'Unknown';
  if (sc.t.namespaced) requireNamespace(s, sc, named);
  if (sc.t.status && !sc.t.builtin) delete obj.status;
  if (sc.t.status && sc.t.builtin && sc.t.group !== '') obj.status = {};
  if (sc.t.group === 'apiextensions.k8s.io' && sc.t.plural === 'customresourcedefinitions') {
    defaultCrd(obj);
  }
  if (sc.t.builtin) dropEmptyStrings(obj);
  rulesFor(sc.t)?.defaults?.(obj, true);
  dropEmptyMaps(sc.t, obj);
  // kube-apiserver tracks fields here, as decoded and defaulted: what admission plugins,
  // policies and the allocators set later is nobody's.
  const decoded = cloneKeeping(obj);
  // kube-apiserver's mutating admission plugins, in its order, then the policies.
  admitCreate(s, sc, named, obj);
  const policies = withPlugins(
    mutateByPolicies(s, sc, requested, obj, undefined, '', originOf(p, 'CREATE')),
    (o) => admitCreate(s, sc, named, o),
  );
  // Then the mutating admission webhooks, when the write runs through them, and the chain's
  // second round (the plugins and the policies again) when a mutation was applied.
  const point = { ...sc, name: requested, object: obj, old: undefined, subresource: '' };
  if (s.admission) s.admission.beforeValidation({ ...point, policies, warnings: p.warnings });
  else if (policies.applied) policies.again(obj);
  // Then the storage fills in the uid, the creation time and a generated name (one not
  // taken: kube-apiserver's storage retries a taken one), as its Create does.
  const resKey = resourceKey(sc.t);
  const taken = (n: string) => s.storage.get(resKey, objectKey(sc.namespace, n)) !== undefined;
  let name = typeof meta.name === 'string' ? meta.name : '';
  const from = typeof meta.generateName === 'string' ? meta.generateName : '';
  const once = s.admission?.once ?? ((_: string, make: () => string) => make());
  if (!name && from) {
    name = once('name', () => freeGeneratedName(from, taken));
    meta.name = name;
  }
  stampNew(meta, sc.t, once);
  // The Service allocators run before the strategy, as kube-apiserver's BeginCreate does.
  rulesFor(sc.t)?.allocate?.(obj, undefined, s, p.dryRun === true);
  // The strategy's PrepareForCreate: after mutating admission, not tracked as anyone's.
  rulesFor(sc.t)?.prepareCreate?.(obj, p.user ?? ADMIN_USER, p.warnings ?? []);
  if (!name && typeof meta.name === 'string') name = meta.name;
  validateWrite(s, sc, obj, name, undefined, undefined, p.warnings, originOf(p, 'CREATE'), p.verb);
  rulesFor(sc.t)?.readBack?.(obj);
  // A namespace's spec and status are set by its strategy after field tracking: not owned.
  const tracked = isNamespaceType(sc.t) ? { ...decoded, spec: null, status: null } : decoded;
  if (tracked !== decoded) {
    delete tracked.spec;
    delete tracked.status;
  }
  // Entries the client sent start the record (an empty list resets it), as on kube-apiserver.
  // Through a view (events.k8s.io), fields are owned in the view's names; a request at
  // another version than the storage one, in that version's.
  const form = managedFields === undefined ? trackedForm(s, sc, p) : undefined;
  const mf =
    managedFields ??
    recordUpdate(undefined, form ? form.fromStored(tracked) : tracked, ownership(s, sc, p));
  // A custom resource's pruning may have replaced its metadata: set them on the object's own.
  const stored = metaOf(obj);
  obj.metadata = stored;
  delete stored.managedFields;
  if (mf.length) stored.managedFields = mf;
  // Stored as kube-apiserver's typed round trip writes it (the members Go always writes).
  if (sc.t.builtin) obj = encodeStored(obj);
  // kube-apiserver's storage refuses what follows, after validation and admission; a dry run
  // does not reach its resourceVersion check (the version sent is answered back).
  if (!p.dryRun && meta.resourceVersion && managedFields === undefined) {
    throw new HttpStatusError(
      500,
      '',
      'resourceVersion should not be set on objects to be created',
    );
  }
  const key = objectKey(sc.namespace, name);
  if (s.storage.get(resKey, key)) {
    // kube-apiserver words it as a generated name's whenever generateName is set.
    throw (from ? generateNameConflict : alreadyExists)(target(sc, name));
  }
  if (p.dryRun) return s.storage.inStoredOrder(resKey, obj);
  stampRv(s, obj);
  return s.storage.commit(resKey, key, sc.namespace, obj).object;
}
