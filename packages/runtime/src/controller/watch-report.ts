import type { KubeObject } from '@kube-ts/core';
import type { Logger } from 'pino';
import { type Observable, tap } from 'rxjs';
import type { WatcherEvent } from '../watcher/events.js';
import { describeError } from './logging.js';

/**
 * What a controller reports about a watch on the way to the triggers: `Error` values
 * (logged at warn; the watcher retries) and, with `warnNameless` (the main watch, whose
 * objects are reconciled), once, objects without a name.
 */
export function reportWatch<T extends KubeObject>(
  events: Observable<WatcherEvent<T>>,
  source: string,
  logger: Logger,
  warnNameless = false,
): Observable<WatcherEvent<T>> {
  let warnedNameless = false;
  return events.pipe(
    tap((event) => {
      if (event.type === 'Error') {
        logger.warn(
          {
            watch: source,
            phase: event.error.phase,
            recovery: event.error.recovery,
            error: describeError(event.error),
          },
          'watch failed; the watcher retries',
        );
      } else if (warnNameless && !warnedNameless && hasNamelessObject(event)) {
        warnedNameless = true;
        logger.warn(
          { watch: source },
          'the API server sent an object without metadata.name; it cannot be reconciled ' +
            'and is ignored (a CRD schema that prunes metadata causes this)',
        );
      }
    }),
  );
}

/** The kind of a watch source for logs, when it carries its resource (an `Api<K>`). */
export function sourceKind(api: object): string {
  const resource = (api as { resource?: { kind?: unknown } }).resource;
  return typeof resource?.kind === 'string' ? resource.kind : 'objects';
}

/** Whether an object event carries an object without `metadata.name`. */
function hasNamelessObject(event: WatcherEvent<KubeObject>): boolean {
  switch (event.type) {
    case 'Applied':
      return !event.object.metadata?.name;
    case 'Restarted':
      return event.objects.some((o) => !o.metadata?.name);
    default:
      return false;
  }
}
