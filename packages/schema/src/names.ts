/**
 * The name rules of Kubernetes' apimachinery validation: the `…Errors` functions return
 * its messages (empty when the value is fine), the `…Problem` ones the rule a CRD name
 * breaks, or `undefined`.
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_RULE =
  "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function joined(errors: string[]): string | undefined {
  return errors.length > 0 ? errors.join(',') : undefined;
}

/** The errors of `check`: `max` length (in `unit`) first, then the pattern's `message`. */
function errorsOf(value: string, max: number, unit: string, pattern: RegExp, message: string) {
  const errors: string[] = [];
  if (value.length > max) errors.push(`must be no more than ${max} ${unit}`);
  if (!pattern.test(value)) errors.push(message);
  return errors;
}

/**
 * Kubernetes' `IsDNS1123Label` (object names of namespaces, services, …): its errors; a
 * valid subdomain that is no label is told it `must not contain dots`.
 */
export function dns1123LabelErrors(value: string): string[] {
  return errorsOf(
    value,
    63,
    'characters',
    DNS1123_LABEL,
    DNS1123_SUBDOMAIN.test(value)
      ? 'must not contain dots'
      : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
}

/** Kubernetes' `IsDNS1123Subdomain`: its errors. */
export function dns1123SubdomainErrors(value: string): string[] {
  return errorsOf(value, 253, 'characters', DNS1123_SUBDOMAIN, SUBDOMAIN_MESSAGE);
}

/** Kubernetes' `IsDNS1035Label` (as kube-apiserver 1.36.3 words it): its errors. */
export function dns1035LabelErrors(value: string): string[] {
  return errorsOf(
    value,
    63,
    'characters',
    DNS1035_LABEL,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  );
}

/** Kubernetes' `IsValidLabelValue`: its errors. */
export function labelValueErrors(value: string): string[] {
  return errorsOf(
    value,
    63,
    'bytes',
    LABEL_VALUE,
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
}

/**
 * Kubernetes' `IsQualifiedName` (label keys, annotation keys, finalizers, …: an optional
 * DNS subdomain prefix and `/`, then a name): its errors, as kube-apiserver 1.36.3 words
 * them.
 */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `a valid label key must ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const errors: string[] = [];
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  // apimachinery's content package checks label keys; its length errors count bytes.
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errors.push('prefix part must be non-empty');
    else {
      const prefixErrors = errorsOf(prefix, 253, 'bytes', DNS1123_SUBDOMAIN, SUBDOMAIN_MESSAGE);
      errors.push(...prefixErrors.map((e) => `prefix part ${e}`));
    }
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 bytes');
  if (!QUALIFIED_NAME.test(name)) errors.push(`name part must ${QUALIFIED_NAME_RULE}`);
  return errors;
}

/** DNS-1123 subdomain: lowercase alphanumerics, `-` and `.`, alphanumeric at both ends, ≤ 253. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  return joined(dns1123SubdomainErrors(value));
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
