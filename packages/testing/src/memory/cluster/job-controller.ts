/**
 * kube-controller-manager's Job controller, reduced to Jobs whose Pods succeed: it keeps up
 * to `parallelism` active Pods until `completions` have succeeded (Indexed Jobs: one Pod
 * per missing index, with the completion-index annotation and label and the indexed
 * name), then reports the Job complete as v1.36 does (`SuccessCriteriaMet`, then
 * `Complete`, reason `CompletionsReached`, `completionTime`). `status.startTime`,
 * `active`, `ready`, `succeeded`, `terminating` and `uncountedTerminatedPods` are kept
 * current. Each Pod created is a `SuccessfulCreate` Event on the Job and its completion a
 * `Completed` one, from `job-controller`. Suspension, failures and back-off, deadlines, pod failure and success policies
 * and the tracking finalizer are not simulated.
 */
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { recordEvent } from './events.js';
import { createPod } from './pod-control.js';
import { isActive, isReady, podFromTemplate } from './pod-template.js';
import { controllerOf, JOBS, ownedBy, PODS, tableOf, writeStatus } from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The recorder's `source.component`. */
const COMPONENT = 'job-controller';
const INDEX = 'batch.kubernetes.io/job-completion-index';

function objAt(obj: JsonObject, key: string): JsonObject {
  const v = obj[key];
  return isObject(v) ? v : {};
}

function phaseOf(pod: JsonObject): unknown {
  return objAt(pod, 'status').phase;
}

function indexOf(pod: JsonObject): number | undefined {
  const value = objAt(metaOf(pod), 'annotations')[INDEX];
  return value === undefined ? undefined : Number(value);
}

/** Runs each Job's Pods to completion and reports its status. */
export class JobController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(JOBS) && c.type !== 'DELETED') {
      this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === 'pods') {
      const owner = controllerOf(c.object);
      if (owner?.kind === 'Job') this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    }
  }

  /** Reconciles one Job. */
  sync(namespace: string, name: string): void {
    const job = this.s.storage.get(tableOf(JOBS), objectKey(namespace, name));
    if (job === undefined || metaOf(job).deletionTimestamp) return;
    const spec = objAt(job, 'spec');
    const old = objAt(job, 'status');
    const finished = (Array.isArray(old.conditions) ? old.conditions.filter(isObject) : []).some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    if (finished || spec.suspend === true) return;
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
    const indexed = spec.completionMode === 'Indexed';
    const pods = ownedBy(this.s, PODS, job);
    const active = pods.filter(isActive);
    const succeededPods = pods.filter((p) => phaseOf(p) === 'Succeeded');
    const doneIndexes = new Set(succeededPods.map(indexOf).filter((i) => i !== undefined));
    const succeeded = indexed ? doneIndexes.size : succeededPods.length;
    const failed = pods.filter((p) => phaseOf(p) === 'Failed').length;
    const now = timestamp();
    const complete =
      completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions;
    if (!complete) {
      const remaining = completions === undefined ? parallelism : completions - succeeded;
      const toCreate = Math.min(parallelism, remaining) - active.length;
      if (toCreate > 0) {
        this.#create(job, toCreate, indexed, completions ?? 0, doneIndexes, active);
        return;
      }
    }
    const status: JsonObject = {};
    const conditions = Array.isArray(old.conditions) ? old.conditions.filter(isObject) : [];
    if (complete) {
      for (const type of ['SuccessCriteriaMet', 'Complete']) {
        conditions.push({
          type,
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        });
      }
    }
    if (conditions.length > 0) status.conditions = conditions;
    status.startTime = typeof old.startTime === 'string' ? old.startTime : now;
    if (complete) status.completionTime = now;
    if (active.length > 0) status.active = active.length;
    if (succeeded > 0) status.succeeded = succeeded;
    if (failed > 0) status.failed = failed;
    if (indexed && doneIndexes.size > 0)
      status.completedIndexes = ranges([...doneIndexes].sort((a, b) => a - b));
    status.terminating = pods.filter((p) => metaOf(p).deletionTimestamp).length;
    status.uncountedTerminatedPods = {};
    status.ready = active.filter(isReady).length;
    const written = writeStatus(this.s, MANAGER, JOBS, job, status);
    if (complete) {
      // `recordJobFinished`, once the finished status is written.
      if (completions !== undefined && succeeded > completions) {
        recordEvent(
          this.s,
          COMPONENT,
          written,
          'Warning',
          'TooManySucceededPods',
          'Too many succeeded pods running after completion count reached',
        );
      }
      recordEvent(this.s, COMPONENT, written, 'Normal', 'Completed', 'Job completed');
    }
  }

  #create(
    job: JsonObject,
    count: number,
    indexed: boolean,
    completions: number,
    done: Set<number>,
    active: JsonObject[],
  ): void {
    const namespace = String(metaOf(job).namespace);
    const name = String(metaOf(job).name);
    const template = objAt(job, 'spec').template;
    if (!indexed) {
      for (let i = 0; i < count; i++)
        createPod(this.s, COMPONENT, job, namespace, podFromTemplate(job, template));
      return;
    }
    const running = new Set(active.map(indexOf));
    let made = 0;
    for (let index = 0; index < completions && made < count; index++) {
      if (done.has(index) || running.has(index)) continue;
      const value = String(index);
      createPod(
        this.s,
        COMPONENT,
        job,
        namespace,
        podFromTemplate(job, template, {
          generateName: `${name}-${value}-`,
          labels: { [INDEX]: value },
          annotations: { [INDEX]: value },
        }),
      );
      made++;
    }
  }
}

/** `1,3-5,7`: the completed indexes as the Job controller writes them. */
function ranges(sorted: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
