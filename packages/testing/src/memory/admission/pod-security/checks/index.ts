import type { Check } from '../registry.js';
import { privileged } from './privileged.js';

/** Every check of the Pod Security Standards that kube-apiserver v1.36 enforces. */
export const CHECKS: readonly Check[] = [privileged];
