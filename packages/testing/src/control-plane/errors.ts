/**
 * Thrown when a {@link ControlPlane} cannot start, restart or be used: a binary is
 * missing, a port is taken, a process did not become healthy in time, or a request
 * made on the test's behalf (such as installing CRDs) failed. The message says what
 * happened and what to do; when a process failed, it ends with that process's last
 * log lines.
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
}
