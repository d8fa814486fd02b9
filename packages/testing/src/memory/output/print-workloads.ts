/**
 * Table cells of the workload kinds (ReplicaSet, ReplicationController, StatefulSet,
 * DaemonSet, Job, CronJob, ControllerRevision, PodTemplate, HorizontalPodAutoscaler,
 * PodDisruptionBudget), computed as kube-apiserver's printers compute them (v1.36.3).
 */
import { type JsonObject, num } from '../json.js';
import { metaOf } from '../object-meta.js';
import {
  arr,
  type Cells,
  containerCells,
  formatLabels,
  humanAge,
  humanDuration,
  NONE,
  obj,
  selector,
  str,
  templateContainers,
  UNSET,
} from './print-format.js';

/** Desired, current and ready replicas, then the wide template cells (ReplicaSet, RC). */
function replicaCells(o: JsonObject, age: string, sel: string): unknown[] {
  const spec = obj(o.spec);
  const status = obj(o.status);
  return [
    metaOf(o).name,
    num(spec.replicas),
    num(status.replicas),
    num(status.readyReplicas),
    age,
    ...containerCells(templateContainers(spec)),
    sel,
  ];
}

function hasCondition(o: JsonObject, type: string): boolean {
  return arr(obj(o.status).conditions).some((c) => c.type === type && c.status === 'True');
}

/** The Job's Status cell, in the printer's order of precedence. */
function jobStatus(o: JsonObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (metaOf(o).deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(spec: JsonObject, succeeded: number): string {
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = num(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(status: JsonObject): string {
  const start = Date.parse(str(status.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status.completionTime));
  return humanDuration((Number.isNaN(end) ? Date.now() : end) - start);
}

/** printBoolPtr: True, False or <unset>. */
function boolPtr(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : UNSET;
}

/** A quantity as written (MemoryApiServer keeps quantities as the client sent them). */
function quantity(v: unknown): string {
  return v === undefined || v === null ? '0' : String(v);
}

/** One HorizontalPodAutoscaler metric as `formatHPAMetrics` writes it. */
function hpaMetric(spec: JsonObject, status: JsonObject | undefined): string {
  const unknown = '<unknown>';
  const type = str(spec.type);
  const source = (t: string) => obj(spec[t.charAt(0).toLowerCase() + t.slice(1)]);
  const current = (t: string) =>
    obj(status?.[t.charAt(0).toLowerCase() + t.slice(1)] as JsonObject | undefined);
  if (type === 'Resource' || type === 'ContainerResource') {
    const s = source(type);
    const target = obj(s.target);
    const cur = status ? obj(current(type).current) : undefined;
    if (target.averageValue !== undefined) {
      const c = cur?.averageValue !== undefined ? quantity(cur.averageValue) : unknown;
      return `${str(s.name)}: ${c}/${quantity(target.averageValue)}`;
    }
    const c = cur?.averageUtilization !== undefined ? `${num(cur.averageUtilization)}%` : unknown;
    const t =
      target.averageUtilization !== undefined ? `${num(target.averageUtilization)}%` : '<auto>';
    return `${str(s.name)}: ${c}/${t}`;
  }
  if (type === 'Pods' || type === 'Object' || type === 'External') {
    const target = obj(source(type).target);
    const cur = status ? obj(current(type).current) : undefined;
    if (type !== 'Pods' && target.averageValue === undefined) {
      const c = cur?.value !== undefined ? quantity(cur.value) : unknown;
      return `${c}/${quantity(target.value)}`;
    }
    const c = cur?.averageValue !== undefined ? quantity(cur.averageValue) : unknown;
    return `${c}/${quantity(target.averageValue)}${type === 'Pods' ? '' : ' (avg)'}`;
  }
  return '<unknown type>';
}

function hpaTargets(spec: JsonObject, status: JsonObject): string {
  const metrics = arr(spec.metrics);
  if (metrics.length === 0) return NONE;
  const current = arr(status.currentMetrics);
  const list = metrics.map((m, i) => hpaMetric(m, current[i]));
  const max = 2;
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

/** An IntOrString cell, `N/A` when unset (PodDisruptionBudget). */
function intOrString(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

/** The cells of each workload kind, by storage key. */
export const workloadCells: Record<string, Cells> = {
  'replicasets.apps': (o, age) => replicaCells(o, age, selector(obj(o.spec).selector)),
  replicationcontrollers: (o, age) => replicaCells(o, age, formatLabels(obj(o.spec).selector)),
  'statefulsets.apps': (o, age) => {
    const spec = obj(o.spec);
    return [
      metaOf(o).name,
      `${num(obj(o.status).readyReplicas)}/${num(spec.replicas)}`,
      age,
      ...containerCells(templateContainers(spec)),
    ];
  },
  'daemonsets.apps': (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    return [
      metaOf(o).name,
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(obj(obj(spec.template).spec).nodeSelector),
      age,
      ...containerCells(templateContainers(spec)),
      selector(spec.selector),
    ];
  },
  'jobs.batch': (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    return [
      metaOf(o).name,
      jobStatus(o),
      jobCompletions(spec, num(status.succeeded)),
      jobDuration(status),
      age,
      ...containerCells(templateContainers(spec)),
      selector(spec.selector),
    ];
  },
  'cronjobs.batch': (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const jobSpec = obj(obj(spec.jobTemplate).spec);
    const last = status.lastScheduleTime;
    return [
      metaOf(o).name,
      str(spec.schedule),
      str(spec.timeZone) || NONE,
      boolPtr(spec.suspend),
      arr(status.active).length,
      typeof last === 'string' ? humanAge(last) : NONE,
      age,
      ...containerCells(templateContainers(jobSpec)),
      selector(jobSpec.selector),
    ];
  },
  'controllerrevisions.apps': (o, age) => {
    const owner = arr(metaOf(o).ownerReferences).find((r) => r.controller === true);
    let controller = NONE;
    if (owner) {
      const apiVersion = str(owner.apiVersion);
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const kind = str(owner.kind).toLowerCase();
      controller = `${group ? `${kind}.${group}` : kind}/${str(owner.name)}`;
    }
    return [metaOf(o).name, controller, num(o.revision), age];
  },
  podtemplates: (o) => {
    const template = obj(o.template);
    return [
      metaOf(o).name,
      ...containerCells(arr(obj(template.spec).containers)),
      formatLabels(obj(template.metadata).labels),
    ];
  },
  'horizontalpodautoscalers.autoscaling': (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const ref = obj(spec.scaleTargetRef);
    return [
      metaOf(o).name,
      `${str(ref.kind)}/${str(ref.name)}`,
      hpaTargets(spec, status),
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : UNSET,
      num(spec.maxReplicas),
      num(status.currentReplicas),
      age,
    ];
  },
  'poddisruptionbudgets.policy': (o, age) => {
    const spec = obj(o.spec);
    return [
      metaOf(o).name,
      intOrString(spec.minAvailable),
      intOrString(spec.maxUnavailable),
      num(obj(o.status).disruptionsAllowed),
      age,
    ];
  },
};
