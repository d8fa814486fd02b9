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

/**
 * A {@link ControlPlaneError} for a process that exited because a port it was given was
 * taken. ControlPlane picks ports that were free a moment before; another process (even an
 * outgoing connection's local port) may take one before the process binds it, so start-up
 * is tried again with other ports.
 *
 * @internal
 */
export class PortTakenError extends ControlPlaneError {}
