/**
 * A container's `env` and `envFrom`, checked as kube-apiserver's `ValidateEnv` and
 * `ValidateEnvFrom` check them with the default feature gates (own code: the causes and
 * their words are what a test sees): names (the relaxed rule), each `valueFrom` with
 * exactly one source and no `value` beside it, its field, resource, ConfigMap, Secret or
 * file key selector, and each `envFrom` prefix and source.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { invalidValue, notFoundValue, required } from '../validation.js';
import { configKeyErrors } from './config-keys.js';
import { ENV_FIELD_PATHS, fieldRefCauses, resourceFieldRefCauses } from './downward-api.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** `IsRelaxedEnvVarName` (GA in 1.34): printable ASCII without `=`. */
function envNameErrors(name: string): string[] {
  return /^[\x20-\x7e]*$/.test(name) && !name.includes('=')
    ? []
    : [
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      ];
}

/** A ConfigMap or Secret key selector: a name (a DNS subdomain, even when empty) and a key. */
function keySelectorCauses(ref: JsonObject, at: string): StatusCause[] {
  const name = str(ref.name);
  const causes = dns1123SubdomainErrors(name).map((why) => invalidValue(`${at}.name`, name, why));
  const key = str(ref.key);
  if (key === '') causes.push(required(`${at}.key`));
  else causes.push(...configKeyErrors(key).map((why) => invalidValue(`${at}.key`, key, why)));
  return causes;
}

/** A file key selector (EnvFiles, on by default): an env var name, a volume, a path. */
function fileKeyCauses(ref: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const key = str(ref.key);
  if (key === '') causes.push(required(`${at}.key`));
  else causes.push(...envNameErrors(key).map((why) => invalidValue(`${at}.key`, key, why)));
  const volume = str(ref.volumeName);
  if (volume === '') causes.push(required(`${at}.volumeName`));
  else {
    causes.push(
      ...dns1123LabelErrors(volume).map((why) => invalidValue(`${at}.volumeName`, volume, why)),
    );
  }
  const path = str(ref.path);
  if (path === '') causes.push(required(`${at}.path`));
  else if (path.split('/').includes('..')) {
    causes.push(invalidValue(`${at}.path`, path, "must not contain '..'"));
  }
  return causes;
}

function valueFromCauses(e: JsonObject, at: string): StatusCause[] {
  const from = e.valueFrom;
  if (!isObject(from)) return [];
  const causes: StatusCause[] = [];
  let sources = 0;
  if (isObject(from.fieldRef)) {
    sources++;
    causes.push(...fieldRefCauses(from.fieldRef, `${at}.fieldRef`, ENV_FIELD_PATHS));
  }
  if (isObject(from.resourceFieldRef)) {
    sources++;
    causes.push(...resourceFieldRefCauses(from.resourceFieldRef, `${at}.resourceFieldRef`, false));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = from[kind];
    if (!isObject(ref)) continue;
    sources++;
    causes.push(...keySelectorCauses(ref, `${at}.${kind}`));
  }
  if (isObject(from.fileKeyRef)) {
    sources++;
    causes.push(...fileKeyCauses(from.fileKeyRef, `${at}.fileKeyRef`));
  }
  if (sources === 0) {
    causes.push(
      invalidValue(
        at,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`',
      ),
    );
  } else if (str(e.value) !== '') {
    causes.push(invalidValue(at, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    causes.push(invalidValue(at, '', 'may not have more than one field specified at a time'));
  }
  return causes;
}

/** The causes of a container's `env` at `path`. */
export function envCauses(env: Json | undefined, path: string): StatusCause[] {
  return list(env).flatMap((e, i) => {
    const at = `${path}[${i}]`;
    const name = str(e.name);
    const causes =
      name === ''
        ? [required(`${at}.name`)]
        : envNameErrors(name).map((why) => invalidValue(`${at}.name`, name, why));
    return [...causes, ...valueFromCauses(e, `${at}.valueFrom`)];
  });
}

/** A ConfigMap or Secret named by `envFrom`: a name, checked as a generated-name prefix. */
function envSourceCauses(ref: JsonObject, at: string): StatusCause[] {
  const name = str(ref.name);
  if (name === '') return [required(`${at}.name`)];
  // Go's `maskTrailingDash`: a trailing dash stands for the generated suffix.
  const masked = name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return dns1123SubdomainErrors(masked).map((why) => invalidValue(`${at}.name`, name, why));
}

/**
 * The causes of a container's `envFrom` at `path`: a prefix that is an env var name, and
 * exactly one source (reported at the list's path, without the index, as kube-apiserver does).
 */
export function envFromCauses(envFrom: Json | undefined, path: string): StatusCause[] {
  return list(envFrom).flatMap((e, i) => {
    const at = `${path}[${i}]`;
    const prefix = str(e.prefix);
    const causes = envNameErrors(prefix).map((why) => invalidValue(`${at}.prefix`, prefix, why));
    let sources = 0;
    if (isObject(e.configMapRef)) {
      sources++;
      causes.push(...envSourceCauses(e.configMapRef, `${at}.configMapRef`));
    }
    if (isObject(e.secretRef)) {
      sources++;
      causes.push(...envSourceCauses(e.secretRef, `${at}.secretRef`));
    }
    if (sources === 0) {
      causes.push(invalidValue(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    } else if (sources > 1) {
      causes.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
    }
    return causes;
  });
}

/**
 * `validateFileKeyRefVolumes`, the last check of a pod spec: each file key ref names a
 * volume of the pod, an emptyDir (init containers first, then containers, then ephemeral
 * containers, as kube-apiserver visits them).
 */
export function fileKeyVolumeCauses(spec: JsonObject, path: string): StatusCause[] {
  const volumes = new Map(list(spec.volumes).map((v) => [str(v.name), v]));
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((kind) =>
    list(spec[kind]).flatMap((c, i) =>
      list(c.env).flatMap((e, j) => {
        const ref = isObject(e.valueFrom) ? e.valueFrom.fileKeyRef : undefined;
        if (!isObject(ref)) return [];
        const at = `${path}.${kind}[${i}].env[${j}].valueFrom.fileKeyRef.volumeName`;
        const name = str(ref.volumeName);
        const volume = volumes.get(name);
        if (!volume) return [notFoundValue(at, name)];
        return isObject(volume.emptyDir)
          ? []
          : [invalidValue(at, name, 'referenced volume must be of type emptyDir')];
      }),
    ),
  );
}
