/**
 * Names a new operator project is built from, all derived from the project name and
 * checked up front so that the generated project builds and its CRD is accepted by the
 * API server.
 */
export interface ProjectNames {
  /** npm package name and directory name, e.g. `widget-operator`. */
  readonly project: string;
  /** API group of the custom resource, e.g. `example.com`. */
  readonly group: string;
  /** Kind of the custom resource (UpperCamelCase), e.g. `Widget`. */
  readonly kind: string;
  /** Lower-case plural used in URLs, e.g. `widgets`. */
  readonly plural: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Thrown for a project name, group or kind that would not work; the message says what to use. */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
}

/**
 * Checks the user's choices and derives the rest: `project` must be a DNS-1123 label (it
 * names the npm package, the Deployment and the field manager), `group` a DNS-1123
 * subdomain with at least one dot, `kind` UpperCamelCase. The plural is the lower-cased
 * kind with an English plural ending.
 */
export function resolveNames(opts: {
  project: string;
  group?: string;
  kind?: string;
}): ProjectNames {
  const project = opts.project;
  if (!DNS1123_LABEL.test(project) || project.length > 63) {
    throw new InvalidNameError(
      `'${project}' cannot name an operator: use lower-case letters, digits and '-', ` +
        'starting and ending with a letter or digit, at most 63 characters (e.g. widget-operator)',
    );
  }
  const group = opts.group ?? 'example.com';
  if (!DNS1123_SUBDOMAIN.test(group) || !group.includes('.') || group.length > 253) {
    throw new InvalidNameError(
      `'${group}' is not a valid API group: use a lower-case DNS name with at least one dot, ` +
        'e.g. widgets.example.com (pass it with --group)',
    );
  }
  const kind = opts.kind ?? 'Widget';
  if (!KIND.test(kind) || kind.length > 63) {
    throw new InvalidNameError(
      `'${kind}' is not a valid kind: use UpperCamelCase letters and digits, e.g. Widget (pass it with --kind)`,
    );
  }
  return { project, group, kind, plural: pluralize(kind.toLowerCase()) };
}

/** English plural of a lower-case word, as Kubernetes tooling forms it for resource names. */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
