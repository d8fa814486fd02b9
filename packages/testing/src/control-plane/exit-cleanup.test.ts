import { afterEach, describe, expect, it, vi } from 'vitest';
import { onProcessExit } from './exit-cleanup.js';

type Listener = (...args: unknown[]) => void;
const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals) as Listener[];
const added = (event: string, before: readonly Listener[]) =>
  listenersOf(event).filter((l) => !before.includes(l));

// Another SIGTERM listener stays installed, so our listener never re-raises the signal
// and ends the test process.
const keepAlive = () => {};
afterEach(() => {
  process.off('SIGTERM', keepAlive);
});

describe('onProcessExit', () => {
  it('runs each cleanup once on SIGTERM, then removes its listeners', () => {
    process.on('SIGTERM', keepAlive);
    const beforeSignal = listenersOf('SIGTERM');
    const beforeExit = listenersOf('exit');
    const first = vi.fn();
    const second = vi.fn(() => {
      throw new Error('cleanup failure must not stop the others');
    });
    const third = vi.fn();
    onProcessExit(first);
    onProcessExit(second);
    onProcessExit(third);
    const [listener] = added('SIGTERM', beforeSignal);
    expect(listener).toBeDefined();
    listener?.('SIGTERM');
    expect([first.mock.calls.length, second.mock.calls.length, third.mock.calls.length]).toEqual([
      1, 1, 1,
    ]);
    expect(listenersOf('SIGTERM')).toEqual(beforeSignal);
    expect(listenersOf('exit')).toEqual(beforeExit);
  });

  it('runs the cleanups on exit', () => {
    const beforeExit = listenersOf('exit');
    const cleanup = vi.fn();
    onProcessExit(cleanup);
    const [listener] = added('exit', beforeExit);
    listener?.(0);
    expect(cleanup).toHaveBeenCalledOnce();
    expect(listenersOf('exit')).toEqual(beforeExit);
  });

  it('unregistering removes the cleanup without running it, and the listeners with the last one', () => {
    const beforeExit = listenersOf('exit');
    const beforeSignal = listenersOf('SIGINT');
    const cleanup = vi.fn();
    const unregister = onProcessExit(cleanup);
    expect(added('exit', beforeExit)).toHaveLength(1);
    expect(added('SIGINT', beforeSignal)).toHaveLength(1);
    unregister();
    expect(cleanup).not.toHaveBeenCalled();
    expect(listenersOf('exit')).toEqual(beforeExit);
    expect(listenersOf('SIGINT')).toEqual(beforeSignal);
  });
});
