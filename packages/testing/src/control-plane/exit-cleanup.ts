/**
 * Runs registered synchronous cleanups when the Node process ends — normally (`exit`) or
 * by SIGINT, SIGTERM or SIGHUP — so that control-plane processes and temp directories
 * do not outlive an interrupted test run. Listeners are installed while at least one
 * cleanup is registered and removed when none is left.
 *
 * On a signal, the cleanups run, then, when no other listener for that signal exists,
 * the signal is raised again with the default action, so the process still ends the way
 * it would have without us.
 */
const cleanups = new Set<() => void>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not stop the others while the process dies.
    }
  }
  uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', runAll);
  for (const signal of signals) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', runAll);
  for (const signal of signals) process.off(signal, onSignal);
}

/**
 * Registers `cleanup` (synchronous: it may run inside an `exit` listener) to run when the
 * process ends. Returns a function that unregisters it without running it.
 */
export function onProcessExit(cleanup: () => void): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) uninstall();
  };
}
