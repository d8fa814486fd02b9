/** A Pod Security Standards level, as the `pod-security.kubernetes.io/<mode>` labels name it. */
export type Level = 'privileged' | 'baseline' | 'restricted';

/** A policy version: `latest`, or a Kubernetes minor version such as `v1.30` (major 1). */
export type PolicyVersion = 'latest' | { readonly major: number; readonly minor: number };

/** The level and version one mode (enforce, audit or warn) evaluates a Pod against. */
export interface LevelVersion {
  readonly level: Level;
  readonly version: PolicyVersion;
}

/** How the admission plugin prints a level and version: `restricted:latest`, `baseline:v1.30`. */
export function levelVersionText(lv: LevelVersion): string {
  return `${lv.level}:${versionText(lv.version)}`;
}

/** `latest` or `v<major>.<minor>`. */
export function versionText(v: PolicyVersion): string {
  return v === 'latest' ? 'latest' : `v${v.major}.${v.minor}`;
}
