/** The App reconciler: applies the Deployment and Service, mirrors availability in status. */
import { Api, type Client, Patch } from '@kube-ts/client';
import { type Deployment, deployments } from '@kube-ts/k8s/apps/v1';
import { services } from '@kube-ts/k8s/core/v1';
import {
  Action,
  describeError,
  type ReconcileInfo,
  Reconciler,
  type Recorder,
} from '@kube-ts/runtime';
import { FIELD_MANAGER, renderDeployment, renderService } from './render.js';
import { App, type AppStatus } from './resource.js';

/** What the reconciler needs: a client and an event recorder. */
export interface Context {
  readonly client: Client;
  readonly recorder: Recorder;
}

type ReadyCondition = NonNullable<AppStatus['conditions']>[number];

/**
 * Reconciles one App:
 * - applies its Deployment and Service with server-side apply (owner references make the
 *   garbage collector delete them with the App, and make their changes reconcile it);
 * - writes `status` (observedGeneration, availableReplicas, a `Ready` condition taken
 *   from the Deployment's `Available` condition) only when it changes, and records an
 *   `Applied` Event when that status reports a new generation of the App.
 */
export class AppReconciler extends Reconciler<App, Context> {
  async reconcile(app: App, ctx: Context, info: ReconcileInfo): Promise<Action> {
    const namespace = app.metadata.namespace ?? 'default';
    const name = app.metadata.name ?? '';
    const write = { fieldManager: FIELD_MANAGER, force: true, signal: info.signal };
    const deployment = await Api.namespaced(ctx.client, deployments, namespace).patch(
      name,
      Patch.apply(renderDeployment(app)),
      write,
    );
    await Api.namespaced(ctx.client, services, namespace).patch(
      name,
      Patch.apply(renderService(app)),
      write,
    );
    const status = statusFrom(app, deployment);
    if (!sameStatus(app.status, status)) {
      // The cached App can lag behind our own last status write: check a fresh read
      // before writing, so that nothing is written (or announced) twice.
      const apps = Api.namespaced(ctx.client, App, namespace);
      const fresh = await apps.getOpt(name, { signal: info.signal });
      if (fresh === undefined) return Action.awaitChange();
      const current = statusFrom(fresh, deployment);
      if (!sameStatus(fresh.status, current)) {
        await apps.patchStatus(name, Patch.merge({ status: current }), { signal: info.signal });
        info.logger.info({ ready: current.conditions?.[0]?.status }, 'status updated');
        if (fresh.status?.observedGeneration !== current.observedGeneration) {
          await this.#announce(fresh, ctx, info);
        }
      }
    }
    // The owned Deployment's status changes wake this App up; nothing to poll.
    return Action.awaitChange();
  }

  /** Records that a new generation of the App was rolled out. */
  async #announce(app: App, ctx: Context, info: ReconcileInfo): Promise<void> {
    const generation = app.metadata.generation ?? 0;
    info.logger.info({ generation, image: app.spec.image }, 'rolled out a new generation');
    await publishQuietly(ctx, info, app, {
      type: 'Normal',
      reason: 'Applied',
      action: 'Reconcile',
      note: `Deployment and Service applied for generation ${generation} (${app.spec.image})`,
    });
  }

  /** Records a Warning event, then backs off as usual. */
  override errorPolicy(app: App, error: unknown, ctx: Context): Action {
    ctx.recorder
      .publish(
        {
          type: 'Warning',
          reason: 'ReconcileFailed',
          action: 'Reconcile',
          note: describeError(error),
        },
        app,
      )
      .catch(() => {
        // The failure itself is logged by the controller; a lost event is not worth more.
      });
    return super.errorPolicy(app, error, ctx);
  }
}

/**
 * The App's status for the Deployment the API server returned: `Ready` is the Deployment's
 * `Available` condition once the Deployment controller has seen the latest spec.
 */
export function statusFrom(app: App, deployment: Deployment): AppStatus {
  const generation = app.metadata.generation ?? 0;
  const available = deployment.status?.conditions?.find((c) => c.type === 'Available');
  const observed = deployment.status?.observedGeneration ?? 0;
  const current = observed >= (deployment.metadata?.generation ?? 0);
  let ready: Omit<ReadyCondition, 'lastTransitionTime'>;
  if (!current || available === undefined) {
    ready = {
      type: 'Ready',
      status: 'False',
      reason: 'RolloutPending',
      message: `waiting for the Deployment controller to report generation ${deployment.metadata?.generation}`,
      observedGeneration: generation,
    };
  } else {
    ready = {
      type: 'Ready',
      status: available.status === 'True' ? 'True' : 'False',
      reason: available.reason ?? 'Unknown',
      message: available.message ?? '',
      observedGeneration: generation,
    };
  }
  const before = app.status?.conditions?.find((c) => c.type === 'Ready');
  const since =
    before?.status === ready.status && before.lastTransitionTime
      ? before.lastTransitionTime
      : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    observedGeneration: generation,
    availableReplicas: deployment.status?.availableReplicas ?? 0,
    conditions: [{ ...ready, lastTransitionTime: since }],
  };
}

/** Whether two statuses say the same (the transition time aside). */
function sameStatus(a: AppStatus | undefined, b: AppStatus): boolean {
  const ready = (s: AppStatus | undefined) => s?.conditions?.find((c) => c.type === 'Ready');
  const [x, y] = [ready(a), ready(b)];
  return (
    a?.observedGeneration === b.observedGeneration &&
    a?.availableReplicas === b.availableReplicas &&
    x?.status === y?.status &&
    x?.reason === y?.reason &&
    x?.message === y?.message &&
    x?.observedGeneration === y?.observedGeneration
  );
}

/** Publishes an event; a failure to record it is logged and does not fail the reconcile. */
async function publishQuietly(
  ctx: Context,
  info: ReconcileInfo,
  app: App,
  event: Parameters<Recorder['publish']>[0],
): Promise<void> {
  try {
    await ctx.recorder.publish(event, app);
  } catch (error) {
    info.logger.warn({ error: describeError(error) }, 'could not record an event');
  }
}
