import type { Observable, Subscription } from 'rxjs';

/** Something that asks a controller to shut down gracefully. */
export type ShutdownTrigger =
  | { readonly kind: 'abort'; readonly signal: AbortSignal }
  | { readonly kind: 'promise'; readonly promise: PromiseLike<unknown> }
  | { readonly kind: 'observable'; readonly observable: Observable<unknown> };

/** What {@link ShutdownSignal} calls. */
export interface ShutdownHandlers {
  /** The first trigger (or process signal) fired. */
  graceful(why: string): void;
  /** A second process signal arrived while shutting down. */
  immediate(why: string): void;
}

const PROCESS_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens to shutdown triggers (and, if asked, SIGINT/SIGTERM) and calls `graceful` once;
 * a second process signal calls `immediate`. Nothing is called after `dispose()`, which
 * also removes the process signal handlers.
 */
export class ShutdownSignal {
  readonly #handlers: ShutdownHandlers;
  readonly #cleanups: (() => void)[] = [];
  #fired = false;
  #disposed = false;

  /** Starts listening. */
  constructor(
    triggers: readonly ShutdownTrigger[],
    processSignals: boolean,
    handlers: ShutdownHandlers,
  ) {
    this.#handlers = handlers;
    for (const trigger of triggers) this.#listen(trigger);
    if (processSignals) {
      for (const name of PROCESS_SIGNALS) {
        const onSignal = () => this.#onProcessSignal(name);
        process.on(name, onSignal);
        this.#cleanups.push(() => process.off(name, onSignal));
      }
    }
  }

  /** Stops listening and removes the process signal handlers. */
  dispose(): void {
    this.#disposed = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  #listen(trigger: ShutdownTrigger): void {
    const fire = () => this.#fire('shutdown requested');
    switch (trigger.kind) {
      case 'abort': {
        if (trigger.signal.aborted) {
          queueMicrotask(fire);
          return;
        }
        trigger.signal.addEventListener('abort', fire, { once: true });
        this.#cleanups.push(() => trigger.signal.removeEventListener('abort', fire));
        return;
      }
      case 'promise':
        trigger.promise.then(fire, fire);
        return;
      case 'observable': {
        let subscription: Subscription | undefined;
        subscription = trigger.observable.subscribe({ next: fire, complete: fire, error: fire });
        this.#cleanups.push(() => subscription?.unsubscribe());
        return;
      }
    }
  }

  #fire(why: string): void {
    if (this.#disposed || this.#fired) return;
    this.#fired = true;
    this.#handlers.graceful(why);
  }

  #onProcessSignal(name: string): void {
    if (this.#disposed) return;
    if (this.#fired) {
      this.#handlers.immediate(name);
      this.dispose();
      return;
    }
    this.#fire(name);
  }
}
