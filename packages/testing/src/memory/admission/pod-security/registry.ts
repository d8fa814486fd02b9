import type { JsonObject } from '../../json.js';
import type { CheckResult } from './check-result.js';
import type { LevelVersion, PolicyVersion } from './policy-level.js';

/** A Kubernetes minor version of the policy (major is always 1). */
export interface MinorVersion {
  readonly major: number;
  readonly minor: number;
}

/** Checks a Pod's metadata and spec (a Pod's, or a workload's template's). */
export type CheckPod = (meta: JsonObject, spec: JsonObject) => CheckResult;

/** One revision of a check, applied from `since` until the check's next revision. */
export interface VersionedCheck {
  readonly since: MinorVersion;
  readonly check: CheckPod;
  /** Baseline checks this restricted revision replaces (skipped where it applies). */
  readonly overrides?: readonly string[];
}

/** A check of the Pod Security Standards, with its revisions in increasing version order. */
export interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  readonly versions: readonly VersionedCheck[];
}

/**
 * kube-apiserver's version: the evaluator takes it as its emulation version, the metrics
 * name a newer policy version `future`.
 */
export const EMULATION: MinorVersion = { major: 1, minor: 36 };

/** Whether `a` is a version before `b`. */
export function older(a: MinorVersion, b: MinorVersion): boolean {
  return a.major < b.major || (a.major === b.major && a.minor < b.minor);
}

/**
 * The Pod Security Standards evaluator, as pod-security-admission's check registry builds
 * it (our own code: the order of the results and the version arithmetic are what its
 * messages show). A level's checks at a version are each check's latest revision at or
 * before that version, baseline checks first and then restricted ones, each group in ID
 * order; restricted includes the baseline checks its revisions do not override. `latest`,
 * and any newer version, mean the newest revision's version, or the server's own (its
 * emulation version) when that is older: a revision newer than the server never applies.
 */
export class Evaluator {
  private readonly newest: MinorVersion;
  private readonly ordered: readonly Check[];

  constructor(checks: readonly Check[]) {
    let newest: MinorVersion = { major: 1, minor: 0 };
    for (const c of checks) {
      const last = c.versions.at(-1)?.since;
      if (last && older(newest, last)) newest = last;
    }
    this.newest = older(EMULATION, newest) ? EMULATION : newest;
    const byId = (a: Check, b: Check) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    this.ordered = [
      ...checks.filter((c) => c.level === 'baseline').sort(byId),
      ...checks.filter((c) => c.level === 'restricted').sort(byId),
    ];
  }

  /** The results of the checks `lv` applies to a Pod (none for `privileged`). */
  evaluate(lv: LevelVersion, meta: JsonObject, spec: JsonObject): CheckResult[] {
    if (lv.level === 'privileged') return [];
    const v = this.effective(lv.version);
    const applied = new Map<Check, VersionedCheck>();
    for (const c of this.ordered) {
      if (c.level === 'restricted' && lv.level === 'baseline') continue;
      const at = revisionAt(c, v);
      if (at) applied.set(c, at);
    }
    const overridden = new Set<string>();
    for (const [c, at] of applied)
      if (c.level === 'restricted') for (const id of at.overrides ?? []) overridden.add(id);
    const results: CheckResult[] = [];
    for (const [c, at] of applied) {
      if (c.level === 'baseline' && overridden.has(c.id)) continue;
      results.push(at.check(meta, spec));
    }
    return results;
  }

  private effective(v: PolicyVersion): MinorVersion {
    return v === 'latest' || older(this.newest, v) ? this.newest : v;
  }
}

function revisionAt(c: Check, v: MinorVersion): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const r of c.versions) if (!older(v, r.since)) found = r;
  return found;
}
