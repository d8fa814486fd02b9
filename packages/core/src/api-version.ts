import type { GroupVersionKind } from './resource.js';

/** `'group/version'`, or just `'version'` for the core group (`group === ''`). */
export function apiVersionOf(gv: { readonly group: string; readonly version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/**
 * Splits an apiVersion: `'apps/v1'` → `{ group: 'apps', version: 'v1' }`,
 * `'v1'` → `{ group: '', version: 'v1' }`. Throws a `TypeError` for an empty string or one
 * with more than one `/`.
 */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  throw new TypeError(
    `'${apiVersion}' is not an apiVersion; write 'group/version' (e.g. 'apps/v1') or 'v1'`,
  );
}

/** The GroupVersionKind of an `apiVersion` and a `kind`. */
export function gvkOf(apiVersion: string, kind: string): GroupVersionKind {
  return { ...parseApiVersion(apiVersion), kind };
}
