import type { Check } from '../registry.js';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.js';
import { capabilitiesRestricted } from './capabilities-restricted.js';
import { privileged } from './privileged.js';
import { procMountRestricted } from './proc-mount-restricted.js';
import { restrictedVolumes } from './restricted-volumes.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUser } from './run-as-user.js';
import { seccompProfileRestricted } from './seccomp-profile-restricted.js';

/** Every check of the Pod Security Standards that kube-apiserver v1.36 enforces. */
export const CHECKS: readonly Check[] = [
  privileged,
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
];
