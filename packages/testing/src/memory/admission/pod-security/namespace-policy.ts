/**
 * A namespace's Pod Security policy, read from its `pod-security.kubernetes.io/<mode>` and
 * `<mode>-version` labels as pod-security-admission's PolicyToEvaluate reads them (own code:
 * its fallbacks on an invalid label decide how Pods are then evaluated).
 */
import type { StatusCause } from '../../errors.js';
import { invalidValue } from '../../validation.js';
import type { Level, LevelVersion, PolicyVersion } from './policy-level.js';

/** The level and version of each mode. */
export interface Policy {
  readonly enforce: LevelVersion;
  readonly audit: LevelVersion;
  readonly warn: LevelVersion;
}

/** A namespace's policy and the causes its invalid labels give (in label order). */
export interface ParsedPolicy {
  readonly policy: Policy;
  readonly errors: StatusCause[];
}

const PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const PRIVILEGED: LevelVersion = { level: 'privileged', version: 'latest' };

/** kube-apiserver's default policy (no PodSecurity configuration): privileged:latest for all. */
export const DEFAULT_POLICY: Policy = { enforce: PRIVILEGED, audit: PRIVILEGED, warn: PRIVILEGED };

function parseLevel(value: string): Level | undefined {
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : undefined;
}

function parseVersion(value: string): PolicyVersion | undefined {
  if (value === 'latest') return 'latest';
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(value);
  return m ? { major: 1, minor: Number(m[1]) } : undefined;
}

/** How strict a level is: privileged < baseline < restricted. */
export function strictness(level: Level): number {
  return LEVELS.indexOf(level);
}

/** Whether two levels and versions are the same (`latest` only equals `latest`). */
export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && sameVersion(a.version, b.version);
}

/** Whether two policy versions are the same. */
export function sameVersion(a: PolicyVersion, b: PolicyVersion): boolean {
  if (a === 'latest' || b === 'latest') return a === b;
  return a.major === b.major && a.minor === b.minor;
}

/** Whether every mode is privileged. */
export function fullyPrivileged(p: Policy): boolean {
  return (
    p.enforce.level === 'privileged' &&
    p.audit.level === 'privileged' &&
    p.warn.level === 'privileged'
  );
}

/**
 * The policy a namespace's labels give, starting from the default. An invalid enforce
 * level reads as `restricted`, an invalid audit or warn level as `privileged` (they fail
 * open), an invalid version as `latest`. Warn, when not labelled, follows a stricter
 * enforce level that is labelled (and its version, when warn's is not labelled either).
 */
export function policyOf(labels: Readonly<Record<string, unknown>>): ParsedPolicy {
  const errors: StatusCause[] = [];
  const label = (mode: string): string | undefined => {
    const v = labels[`${PREFIX}${mode}`];
    return typeof v === 'string' ? v : undefined;
  };
  const level = (mode: string, fallback: Level, dflt: Level): [Level, boolean] => {
    const value = label(mode);
    if (value === undefined) return [dflt, false];
    const parsed = parseLevel(value);
    if (parsed) return [parsed, true];
    errors.push(
      invalidValue(
        `metadata.labels[${PREFIX}${mode}]`,
        value,
        `must be one of ${LEVELS.join(', ')}`,
      ),
    );
    return [fallback, false];
  };
  const version = (mode: string, dflt: PolicyVersion): [PolicyVersion, boolean] => {
    const value = label(`${mode}-version`);
    if (value === undefined) return [dflt, false];
    const parsed = parseVersion(value);
    if (!parsed)
      errors.push(
        invalidValue(
          `metadata.labels[${PREFIX}${mode}-version]`,
          value,
          'must be "latest" or "v1.x"',
        ),
      );
    return [parsed ?? 'latest', true];
  };
  const d = DEFAULT_POLICY;
  const [enforceLevel, enforceLabelled] = level('enforce', 'restricted', d.enforce.level);
  const [enforceVersion] = version('enforce', d.enforce.version);
  const [auditLevel] = level('audit', 'privileged', d.audit.level);
  const [auditVersion] = version('audit', d.audit.version);
  const warnHasLevel = label('warn') !== undefined;
  let [warnLevel] = level('warn', 'privileged', d.warn.level);
  let [warnVersion, warnHasVersion] = version('warn', d.warn.version);
  if (!warnHasLevel && enforceLabelled && strictness(enforceLevel) > strictness(warnLevel)) {
    warnLevel = enforceLevel;
    if (!warnHasVersion) warnVersion = enforceVersion;
  }
  return {
    policy: {
      enforce: { level: enforceLevel, version: enforceVersion },
      audit: { level: auditLevel, version: auditVersion },
      warn: { level: warnLevel, version: warnVersion },
    },
    errors,
  };
}
