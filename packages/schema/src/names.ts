/**
 * The name rules the API server applies to CRD names, each returning `undefined` when
 * the value is fine or the rule it breaks.
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function joined(errors: string[]): string | undefined {
  return errors.length > 0 ? errors.join(',') : undefined;
}

/** DNS-1123 subdomain: lowercase alphanumerics, `-` and `.`, alphanumeric at both ends, ≤ 253. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return joined(errors);
}

/** DNS-1035 label: lowercase alphanumerics and `-`, starting with a letter, ≤ 63. */
export function dns1035LabelProblem(value: string): string | undefined {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) {
    errors.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return joined(errors);
}

/** A CRD group: a DNS-1123 subdomain with at least one dot. */
export function groupProblem(group: string): string | undefined {
  if (group === '') return 'must not be empty (custom resources cannot use the core group)';
  const problem = dns1123SubdomainProblem(group);
  if (problem) return problem;
  if (!group.includes('.')) return "should be a domain with at least one dot (e.g. 'example.com')";
  return undefined;
}

/** A kind: starts with an uppercase letter; lowercased, a DNS-1035 label. */
export function kindProblem(kind: string): string | undefined {
  if (!/^[A-Z]/.test(kind)) return "must start with an uppercase letter (CamelCase, e.g. 'Widget')";
  const problem = dns1035LabelProblem(kind.toLowerCase());
  return problem ? `may have mixed case, but should otherwise match: ${problem}` : undefined;
}

/** A version name, e.g. `v1`, `v1beta2`: a DNS-1035 label. */
export function versionProblem(version: string): string | undefined {
  return dns1035LabelProblem(version);
}

/** The default plural of a kind, as `kubectl`/kube-rs would guess it (`Policy` → `policies`). */
export function defaultPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
