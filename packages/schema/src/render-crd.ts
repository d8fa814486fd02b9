import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
  JSONSchemaProps,
  ValidationRule,
} from '@kube-ts/k8s/apiextensions/v1';
import type { TSchema } from '@sinclair/typebox';
import type { ResourceOptions } from './resource-types.js';
import type { StructuralProblem } from './structural.js';
import { typeboxToOpenApi } from './typebox-to-openapi.js';

type Options = ResourceOptions<TSchema, TSchema | undefined> & { plural: string; singular: string };

function rules(
  list: readonly (ValidationRule | string)[] | undefined,
): ValidationRule[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((r) => (typeof r === 'string' ? { rule: r } : { ...r }));
}

/**
 * The `openAPIV3Schema` of a resource: `apiVersion`, `kind`, `metadata` (an object whose
 * content the server validates itself), the converted `spec` (required) and `status`,
 * and the root CEL rules.
 */
export function renderRootSchema(o: Options): {
  schema: JSONSchemaProps;
  problems: StructuralProblem[];
} {
  const spec = typeboxToOpenApi(o.spec, 'spec');
  const status = o.status ? typeboxToOpenApi(o.status, 'status') : undefined;
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    metadata: { type: 'object' },
    spec: spec.schema,
  };
  if (status) properties.status = status.schema;
  const schema: JSONSchemaProps = { type: 'object', properties, required: ['spec'] };
  if (o.description) schema.description = o.description;
  const root = rules(o.validations);
  if (root) schema['x-kubernetes-validations'] = root;
  return { schema, problems: [...spec.problems, ...(status?.problems ?? [])] };
}

/** The CRD version entry of a resource. */
export function renderVersion(
  o: Options,
  schema: JSONSchemaProps,
): CustomResourceDefinitionVersion {
  const v: CustomResourceDefinitionVersion = {
    name: o.version,
    served: o.served ?? true,
    storage: o.storage ?? true,
    schema: { openAPIV3Schema: structuredClone(schema) },
  };
  if (o.deprecated) v.deprecated = true;
  if (o.deprecationWarning) v.deprecationWarning = o.deprecationWarning;
  const sub: CustomResourceSubresources = {};
  if (o.subresources?.status ?? o.status !== undefined) sub.status = {};
  if (o.subresources?.scale) sub.scale = { ...o.subresources.scale };
  if (Object.keys(sub).length > 0) v.subresources = sub;
  if (o.printerColumns?.length)
    v.additionalPrinterColumns = o.printerColumns.map((c) => ({ ...c }));
  if (o.selectableFields?.length) {
    v.selectableFields = o.selectableFields.map((f) =>
      typeof f === 'string' ? { jsonPath: f } : { ...f },
    );
  }
  return v;
}

/** The CRD object around the given versions. */
export function renderCrd(
  o: Options,
  versions: CustomResourceDefinitionVersion[],
): CustomResourceDefinition {
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: o.kind,
    listKind: `${o.kind}List`,
    plural: o.plural,
    singular: o.singular,
  };
  if (o.shortNames?.length) names.shortNames = [...o.shortNames];
  if (o.categories?.length) names.categories = [...o.categories];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${o.plural}.${o.group}` },
    spec: { group: o.group, names, scope: o.scope, versions },
  };
}
