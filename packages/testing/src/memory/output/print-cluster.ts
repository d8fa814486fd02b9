/**
 * Table cells of the cluster and policy kinds (Event, RBAC, Lease, Endpoints,
 * EndpointSlice, admission configuration, PriorityClass, networking (IPAddress and ServiceCIDR
 * included), quota,
 * ServiceAccount, Node, ComponentStatus, APIService), computed as kube-apiserver's printers compute them (v1.36.3).
 */
import { eventsView } from '../builtins/event.js';
import { isObject, type JsonObject, num } from '../json.js';
import { metaOf } from '../object-meta.js';
import {
  arr,
  type Cells,
  humanAge,
  listWithMore,
  NONE,
  obj,
  selector,
  str,
  UNSET,
} from './print-format.js';

/** Name, then the creation timestamp itself (the `Created At` column of date type). */
const createdAt: Cells = (o) => [metaOf(o).name, metaOf(o).creationTimestamp];

/** `<kind>/<name>` of the role, then users, groups and `ns/name` of service accounts. */
const bindingCells: Cells = (o, age) => {
  const ref = obj(o.roleRef);
  const subjects = arr(o.subjects);
  const of = (kind: string) => subjects.filter((s) => s.kind === kind);
  return [
    metaOf(o).name,
    `${str(ref.kind)}/${str(ref.name)}`,
    age,
    of('User')
      .map((s) => str(s.name))
      .join(', '),
    of('Group')
      .map((s) => str(s.name))
      .join(', '),
    of('ServiceAccount')
      .map((s) => `${str(s.namespace)}/${str(s.name)}`)
      .join(', '),
  ];
};

/** The Event printer's cells, from the stored (core/v1) form. */
function eventCells(stored: JsonObject): unknown[] {
  const o = stored.apiVersion === 'events.k8s.io/v1' ? eventsView.toStored(stored) : stored;
  const since = (v: unknown) => (typeof v === 'string' && v !== '' ? humanAge(v) : '<unknown>');
  const first = o.firstTimestamp ? since(o.firstTimestamp) : since(o.eventTime);
  let last = o.lastTimestamp ? since(o.lastTimestamp) : first;
  let n = num(o.count);
  if (isObject(o.series)) {
    last = since(o.series.lastObservedTime);
    n = num(o.series.count);
  } else if (n === 0) n = 1;
  const involved = obj(o.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  const source = obj(o.source);
  const component = str(source.component) || str(o.reportingComponent);
  const instance = str(source.host) || str(o.reportingInstance);
  return [
    last,
    str(o.type),
    str(o.reason),
    target,
    str(involved.fieldPath),
    instance ? `${component}, ${instance}` : component,
    str(o.message).trim(),
    first,
    n,
    metaOf(o).name,
  ];
}

/** formatEndpoints: `ip:port` per address and port, the first 3, then `+ N more...`. */
function endpointsCell(o: JsonObject): string {
  const subsets = arr(o.subsets);
  if (subsets.length === 0) return NONE;
  const list: string[] = [];
  for (const ss of subsets) {
    const ips = arr(ss.addresses).map((a) => str(a.ip));
    const ports = arr(ss.ports);
    if (ports.length === 0) list.push(...ips);
    for (const p of ports) {
      for (const ip of ips)
        list.push(ip.includes(':') ? `[${ip}]:${num(p.port)}` : `${ip}:${num(p.port)}`);
    }
  }
  return listWithMore(list, 3);
}

/** formatDiscoveryPorts / formatDiscoveryEndpoints: the first 3, or `<unset>`. */
function unsetIfEmpty(list: string[]): string {
  return listWithMore(list, 3) || UNSET;
}

/** A paramKind as `apiVersion/kind`, or `<unset>`. */
function paramKind(spec: JsonObject): string {
  const k = spec.paramKind;
  return isObject(k) ? `${str(k.apiVersion)}/${str(k.kind)}` : UNSET;
}

/**
 * The String() of a metav1.LabelSelector (its generated protobuf form): labels sorted by
 * key, expressions in order, values as Go's `%v` of a slice.
 */
function goLabelSelector(selector: JsonObject): string {
  const labels = Object.entries(obj(selector.matchLabels))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${str(v)},`)
    .join('');
  const expressions = arr(selector.matchExpressions)
    .map((e) => {
      const values = Array.isArray(e.values) ? e.values.map(String).join(' ') : '';
      return `LabelSelectorRequirement{Key:${str(e.key)},Operator:${str(e.operator)},Values:[${values}],},`;
    })
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/**
 * A binding's paramRef: `ns/name`, the name under a `*` namespace without one (the
 * printer cannot tell a cluster-scoped parameter), the selector's Go String(), or `<unset>`.
 */
function paramRef(spec: JsonObject): string {
  const r = spec.paramRef;
  if (!isObject(r)) return UNSET;
  if (str(r.name)) return `${str(r.namespace) || '*'}/${str(r.name)}`;
  return isObject(r.selector) ? goLabelSelector(r.selector) : UNSET;
}

const policyBindingCells: Cells = (o, age) => {
  const spec = obj(o.spec);
  return [metaOf(o).name, str(spec.policyName), paramRef(spec), age];
};

/** The Request and Limit cells of a ResourceQuota: `name: used/hard`, names sorted. */
function quotaCells(o: JsonObject): [string, string] {
  const status = obj(o.status);
  const hard = obj(status.hard);
  const used = obj(status.used);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`;
    (name.startsWith('limits.') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

function nodeStatus(o: JsonObject): string {
  const ready = arr(obj(o.status).conditions).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (obj(o.spec).unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(o: JsonObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(metaOf(o).labels))) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 24) roles.add(k.slice(24));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(String(v));
  }
  return [...roles].sort().join(',') || NONE;
}

function nodeAddress(o: JsonObject, type: string): string {
  const a = arr(obj(o.status).addresses).find((x) => x.type === type);
  return a ? str(a.address) : NONE;
}

/** The cells of each cluster or policy kind, by storage key. */
export const clusterCells: Record<string, Cells> = {
  events: (o) => eventCells(o),
  serviceaccounts: (o, age) => [metaOf(o).name, age],
  limitranges: createdAt,
  'roles.rbac.authorization.k8s.io': createdAt,
  'clusterroles.rbac.authorization.k8s.io': createdAt,
  'rolebindings.rbac.authorization.k8s.io': bindingCells,
  'clusterrolebindings.rbac.authorization.k8s.io': bindingCells,
  'leases.coordination.k8s.io': (o, age) => [metaOf(o).name, str(obj(o.spec).holderIdentity), age],
  endpoints: (o, age) => [metaOf(o).name, endpointsCell(o), age],
  'endpointslices.discovery.k8s.io': (o, age) => [
    metaOf(o).name,
    str(o.addressType),
    unsetIfEmpty(
      arr(o.ports).map((p) => (typeof p.port === 'number' ? String(p.port) : str(p.name) || '*')),
    ),
    unsetIfEmpty(
      arr(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : [])),
    ),
    age,
  ],
  'validatingwebhookconfigurations.admissionregistration.k8s.io': (o, age) => [
    metaOf(o).name,
    arr(o.webhooks).length,
    age,
  ],
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': (o, age) => [
    metaOf(o).name,
    arr(o.webhooks).length,
    age,
  ],
  'validatingadmissionpolicies.admissionregistration.k8s.io': (o, age) => [
    metaOf(o).name,
    arr(obj(o.spec).validations).length,
    paramKind(obj(o.spec)),
    age,
  ],
  'mutatingadmissionpolicies.admissionregistration.k8s.io': (o, age) => [
    metaOf(o).name,
    arr(obj(o.spec).mutations).length,
    paramKind(obj(o.spec)),
    age,
  ],
  'validatingadmissionpolicybindings.admissionregistration.k8s.io': policyBindingCells,
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io': policyBindingCells,
  'runtimeclasses.node.k8s.io': (o, age) => [metaOf(o).name, str(o.handler), age],
  'flowschemas.flowcontrol.apiserver.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const dangling = arr(obj(o.status).conditions).find((c) => c.type === 'Dangling');
    return [
      metaOf(o).name,
      str(obj(spec.priorityLevelConfiguration).name),
      num(spec.matchingPrecedence),
      str(obj(spec.distinguisherMethod).type) || NONE,
      age,
      dangling ? str(dangling.status) : '?',
    ];
  },
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const limited = isObject(spec.limited) ? spec.limited : undefined;
    const queuing = limited ? obj(limited.limitResponse).queuing : undefined;
    // Numbers where the spec has them, `<none>` where it has not (kube-apiserver's cells).
    const field = (from: unknown, key: string) => (isObject(from) ? num(from[key]) : NONE);
    return [
      metaOf(o).name,
      str(spec.type),
      field(limited, 'nominalConcurrencyShares'),
      field(queuing, 'queues'),
      field(queuing, 'handSize'),
      field(queuing, 'queueLengthLimit'),
      age,
    ];
  },
  'priorityclasses.scheduling.k8s.io': (o, age) => [
    metaOf(o).name,
    num(o.value),
    o.globalDefault === true,
    age,
    str(o.preemptionPolicy),
  ],
  'networkpolicies.networking.k8s.io': (o, age) => [
    metaOf(o).name,
    selector(obj(o.spec).podSelector),
    age,
  ],
  'ingresses.networking.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const rules = arr(spec.rules);
    const hosts = rules.map((r) => str(r.host)).filter((h) => h !== '');
    const shown = hosts.slice(0, 3).join(',');
    const lb = arr(obj(obj(o.status).loadBalancer).ingress);
    return [
      metaOf(o).name,
      str(spec.ingressClassName) || NONE,
      rules.length > 3 ? `${shown} + ${rules.length - 3} more...` : shown || '*',
      lb.map((i) => str(i.ip) || str(i.hostname)).join(','),
      arr(spec.tls).length ? '80, 443' : '80',
      age,
    ];
  },
  'ingressclasses.networking.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const p = spec.parameters;
    const params = isObject(p)
      ? `${str(p.kind)}${str(p.apiGroup) ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}`
      : NONE;
    return [metaOf(o).name, str(spec.controller), params, age];
  },
  // kube-apiserver's IPAddress table declares Name and ParentRef but its rows also carry the age.
  'ipaddresses.networking.k8s.io': (o, age) => {
    const ref = obj(o.spec).parentRef;
    if (!isObject(ref)) return [metaOf(o).name, NONE, age];
    const resource = str(ref.group) ? `${str(ref.resource)}.${str(ref.group)}` : str(ref.resource);
    const namespace = str(ref.namespace) ? `/${str(ref.namespace)}` : '';
    return [metaOf(o).name, `${resource.toLowerCase()}${namespace}/${str(ref.name)}`, age];
  },
  'servicecidrs.networking.k8s.io': (o, age) => {
    const cidrs = obj(o.spec).cidrs;
    return [metaOf(o).name, Array.isArray(cidrs) ? cidrs.map(String).join(',') : '', age];
  },
  // The aggregator's own table: `Local` without a service; the Available condition's
  // status, with its reason unless True, or Unknown without one.
  'apiservices.apiregistration.k8s.io': (o, age) => {
    const service = obj(o.spec).service;
    const available = arr(obj(o.status).conditions).find((c) => c.type === 'Available');
    const status = str(available?.status);
    const reason = str(available?.reason);
    return [
      metaOf(o).name,
      isObject(service) ? `${str(service.namespace)}/${str(service.name)}` : 'Local',
      !available ? 'Unknown' : status === 'True' || !reason ? status : `${status} (${reason})`,
      age,
    ];
  },
  resourcequotas: (o, age) => [metaOf(o).name, ...quotaCells(o), age],
  // The first `Healthy` condition says it all (Unknown without one).
  componentstatuses: (o) => {
    const healthy = arr(o.conditions).find((c) => c.type === 'Healthy');
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [metaOf(o).name, status, str(healthy?.message), str(healthy?.error)];
  },
  nodes: (o, age) => {
    const info = obj(obj(o.status).nodeInfo);
    const or = (v: unknown) => str(v) || '<unknown>';
    return [
      metaOf(o).name,
      nodeStatus(o),
      nodeRoles(o),
      age,
      str(info.kubeletVersion),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      or(info.osImage),
      or(info.kernelVersion),
      or(info.containerRuntimeVersion),
    ];
  },
};
