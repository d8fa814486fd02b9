/**
 * apiregistration.k8s.io/v1 APIService: the default Service port (443) and the
 * aggregator's validation (own code, for its causes): the name `version.group`, the group
 * (empty only for `v1`) and version, both priorities' ranges, a local APIService's lack of
 * a CA bundle and of `insecureSkipTLSVerify`, and a Service reference's namespace, name,
 * port and TLS settings; a status update checks each condition's status.
 */
import { dns1035LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, num, str } from '../json.js';
import { invalidValue, notSupported, required } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { portNumberErrors } from './ports.js';

const specOf = (o: JsonObject): JsonObject => (isObject(o.spec) ? o.spec : {});

/** The name an APIService must have (the generic check already refused a bad path segment). */
function nameCauses(obj: JsonObject, spec: JsonObject): StatusCause[] {
  const name = isObject(obj.metadata) ? str(obj.metadata.name) : '';
  const wanted = `${str(spec.version)}.${str(spec.group)}`;
  if (!name || name.includes('/') || name.includes('%') || name === '.' || name === '..') return [];
  return name === wanted
    ? []
    : [
        invalidValue(
          'metadata.name',
          name,
          `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(wanted)}`,
        ),
      ];
}

function specCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const group = str(spec.group);
  const version = str(spec.version);
  if (!group && version !== 'v1') {
    causes.push(
      required('spec.group', 'only v1 may have an empty group and it better be legacy kube'),
    );
  }
  for (const why of group ? dns1123SubdomainErrors(group) : [])
    causes.push(invalidValue('spec.group', group, why));
  for (const why of dns1035LabelErrors(version))
    causes.push(invalidValue('spec.version', version, why));
  const groupPriority = num(spec.groupPriorityMinimum);
  if (groupPriority <= 0 || groupPriority > 20000) {
    causes.push(
      invalidValue(
        'spec.groupPriorityMinimum',
        groupPriority,
        'must be positive and less than 20000',
      ),
    );
  }
  const versionPriority = num(spec.versionPriority);
  if (versionPriority <= 0 || versionPriority > 1000) {
    causes.push(
      invalidValue('spec.versionPriority', versionPriority, 'must be positive and less than 1000'),
    );
  }
  const caBundle = Buffer.from(str(spec.caBundle), 'base64');
  const insecure = spec.insecureSkipTLSVerify === true;
  if (!isObject(spec.service)) {
    if (caBundle.length) {
      causes.push(
        invalidValue(
          'spec.caBundle',
          `${caBundle.length} bytes`,
          'local APIServices may not have a caBundle',
        ),
      );
    }
    if (insecure) {
      causes.push(
        invalidValue(
          'spec.insecureSkipTLSVerify',
          true,
          'local APIServices may not have insecureSkipTLSVerify',
        ),
      );
    }
    return causes;
  }
  const service = spec.service;
  if (!str(service.namespace)) causes.push(required('spec.service.namespace'));
  if (!str(service.name)) causes.push(required('spec.service.name'));
  const port = num(service.port);
  const portErrors = portNumberErrors(port);
  if (portErrors.length) {
    causes.push(
      invalidValue('spec.service.port', port, `port is not valid: ${portErrors.join(', ')}`),
    );
  }
  if (insecure && caBundle.length) {
    causes.push(
      invalidValue('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'),
    );
  }
  return causes;
}

const STATUSES = ['True', 'False', 'Unknown'];

/** APIService: the Service port default, spec validation, and condition statuses on status. */
export const apiServiceRules: KindRules = {
  defaults(obj) {
    const service = specOf(obj).service;
    if (isObject(service)) service.port ??= 443;
  },
  validate(obj, ctx) {
    if (ctx.subresource === 'status') {
      const status = isObject(obj.status) ? obj.status : {};
      const conditions = Array.isArray(status.conditions) ? status.conditions : [];
      return conditions.flatMap((c, i) => {
        const s = isObject(c) ? str(c.status) : '';
        return STATUSES.includes(s)
          ? []
          : [notSupported(`status.conditions[${i}].status`, s, STATUSES)];
      });
    }
    const spec = specOf(obj);
    return [...nameCauses(obj, spec), ...specCauses(spec)];
  },
};
