/**
 * Whether a Node satisfies a Pod's `nodeSelector` and its required node affinity
 * (`requiredDuringSchedulingIgnoredDuringExecution`: any one of the terms, each with all of
 * its `matchExpressions` over the Node's labels and its `matchFields` over `metadata.name`),
 * as kube-scheduler's NodeAffinity plugin and the DaemonSet controller decide it.
 */
import { isObject, type JsonObject, objAt, objects } from '../json.js';
import { metaOf } from '../object-meta.js';

/** One requirement against a value that may be absent. */
function requirementHolds(req: JsonObject, value: string | undefined): boolean {
  const values = Array.isArray(req.values) ? req.values.map(String) : [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = Number.parseInt(value ?? '', 10);
      const want = Number.parseInt(values[0] ?? '', 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function termHolds(term: JsonObject, node: JsonObject): boolean {
  const labels = objAt(metaOf(node), 'labels');
  const expressions = objects(term.matchExpressions);
  const fields = objects(term.matchFields);
  if (expressions.length === 0 && fields.length === 0) return false;
  const label = (key: unknown) => {
    const v = labels[String(key)];
    return typeof v === 'string' ? v : undefined;
  };
  return (
    expressions.every((req) => requirementHolds(req, label(req.key))) &&
    fields.every(
      (req) => req.key === 'metadata.name' && requirementHolds(req, String(metaOf(node).name)),
    )
  );
}

/** Whether the Pod spec (or pod template spec) `spec` may run on `node`. */
export function fitsNode(spec: JsonObject, node: JsonObject): boolean {
  const labels = objAt(metaOf(node), 'labels');
  const selector = isObject(spec.nodeSelector) ? spec.nodeSelector : {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const required = objAt(
    objAt(objAt(spec, 'affinity'), 'nodeAffinity'),
    'requiredDuringSchedulingIgnoredDuringExecution',
  );
  if (!Array.isArray(required.nodeSelectorTerms)) return true;
  return objects(required.nodeSelectorTerms).some((term) => termHolds(term, node));
}

/** Whether the spec restricts its Nodes at all (a selector or required affinity). */
export function restrictsNodes(spec: JsonObject): boolean {
  const selector = isObject(spec.nodeSelector) ? spec.nodeSelector : {};
  const required = objAt(
    objAt(objAt(spec, 'affinity'), 'nodeAffinity'),
    'requiredDuringSchedulingIgnoredDuringExecution',
  );
  return Object.keys(selector).length > 0 || Array.isArray(required.nodeSelectorTerms);
}
