import type {
  CustomResourceSubresourceScale,
  JSONSchemaProps,
} from '@kube-ts/k8s/apiextensions/v1';
import { celViolations } from './cel-notice.js';
import { applyDefaults } from './defaults.js';
import { isJsonObject } from './json-schema.js';
import { checkObjectMeta, checkReplicaPath, checkScale, checkTypeMeta } from './object-checks.js';
import { pruneUnknownFields } from './prune.js';
import type { ValidationResult } from './resource-types.js';
import { validateAgainstSchema } from './validate.js';
import { invalidObjectMessage, type SchemaViolation, typeInvalidViolation } from './violation.js';

/** What the object validators need to know about a resource. */
export interface ObjectValidationContext {
  readonly schema: JSONSchemaProps;
  readonly apiVersion: string;
  readonly kind: string;
  /** `Kind.group`, for messages. */
  readonly qualifiedKind: string;
  readonly scale: CustomResourceSubresourceScale | undefined;
  /** Whether the status subresource is on (then `status` is ignored on the main resource). */
  readonly statusSubresource: boolean;
}

function result<K>(
  ctx: ObjectValidationContext,
  obj: Record<string, unknown>,
  stored: unknown,
  violations: SchemaViolation[],
): ValidationResult<K> {
  if (violations.length === 0) return { valid: true, object: stored as K, violations: [] };
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  return {
    valid: false,
    violations,
    message: invalidObjectMessage(ctx.qualifiedKind, name, violations),
  };
}

function notAnObject<K>(ctx: ObjectValidationContext, obj: unknown): ValidationResult<K> {
  const v = [typeInvalidViolation('', typeof obj, 'body must be of type object')];
  return { valid: false, violations: v, message: invalidObjectMessage(ctx.qualifiedKind, '', v) };
}

/** The failure of an object whose apiVersion or kind is wrong (reported alone), if any. */
function typeMetaFailure<K>(
  ctx: ObjectValidationContext,
  obj: Record<string, unknown>,
): ValidationResult<K> | undefined {
  const typeMeta = checkTypeMeta(obj, ctx.apiVersion, ctx.kind);
  if (typeMeta.length === 0) return undefined;
  return {
    valid: false,
    violations: typeMeta,
    message: invalidObjectMessage(ctx.qualifiedKind, '', typeMeta),
  };
}

/**
 * Validates an object as the API server does on create or update of the main resource
 * (after its type meta): metadata name, then the schema on the
 * defaulted and pruned object, then the scale replica paths, then the CEL rules (`old`:
 * the stored object, on an update: the schema checks and rules ratchet against it). With the status subresource on, `status` is dropped
 * first (the server ignores it there).
 */
function validateMain<K>(
  ctx: ObjectValidationContext,
  obj: Record<string, unknown>,
  old: unknown,
): ValidationResult<K> {
  const input = ctx.statusSubresource
    ? Object.fromEntries(Object.entries(obj).filter(([k]) => k !== 'status'))
    : obj;
  const stored = pruneUnknownFields(ctx.schema, applyDefaults(ctx.schema, input));
  const violations = [
    ...checkObjectMeta(obj),
    ...validateAgainstSchema(ctx.schema, stored, '', { old }),
    ...checkScale(stored, ctx.scale),
  ];
  violations.push(...celViolations(ctx.schema, stored, violations, old));
  return result(ctx, obj, stored, violations);
}

/**
 * Validates an object as the API server does on a write to its `/status` subresource
 * (after its type meta): only `status` against its schema (paths prefixed `status.`), then the
 * scale status replica path, then the CEL rules of the status schema.
 */
function validateStatus<K>(
  ctx: ObjectValidationContext,
  obj: Record<string, unknown>,
  old: unknown,
): ValidationResult<K> {
  const stored = pruneUnknownFields(ctx.schema, applyDefaults(ctx.schema, obj)) as Record<
    string,
    unknown
  >;
  const statusSchema = ctx.schema.properties?.status ?? {};
  const oldStatus = isJsonObject(old) ? old.status : undefined;
  const violations =
    stored.status === undefined
      ? []
      : validateAgainstSchema(statusSchema, stored.status, 'status', { old: oldStatus });
  if (ctx.scale) violations.push(...checkReplicaPath(stored, ctx.scale.statusReplicasPath));
  if (stored.status !== undefined) {
    violations.push(...celViolations(statusSchema, stored.status, violations, oldStatus, 'status'));
  }
  return result(ctx, obj, stored, violations);
}

/** A resource's two object validators, as a {@link ResourceDefinition} or a CRD has them. */
export interface ObjectValidators<K> {
  /** Validates a write of the main resource (`old`: the stored object, on an update). */
  validate(obj: unknown, old?: unknown): ValidationResult<K>;
  /** Validates a write to the `/status` subresource. */
  validateStatus(obj: unknown, old?: unknown): ValidationResult<K>;
}

/**
 * The validators of a resource. Both check first that the body is an object with the
 * resource's apiVersion and kind, and report a wrong one alone, as the API server does.
 */
export function objectValidators<K>(ctx: ObjectValidationContext): ObjectValidators<K> {
  const checked =
    (
      body: (
        ctx: ObjectValidationContext,
        obj: Record<string, unknown>,
        old: unknown,
      ) => ValidationResult<K>,
    ) =>
    (obj: unknown, old?: unknown): ValidationResult<K> => {
      if (!isJsonObject(obj)) return notAnObject(ctx, obj);
      return typeMetaFailure<K>(ctx, obj) ?? body(ctx, obj, old);
    };
  return { validate: checked(validateMain), validateStatus: checked(validateStatus) };
}
