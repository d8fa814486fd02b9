// `@kube-ts/schema/validation`: the CRD schema checks an API server runs, usable on any
// CRD (not only `defineResource` ones). MemoryApiServer enforces CRD schemas with them;
// docs/schema.md ("Lower-level pieces") describes each.

export {
  type AuthzAttributes,
  type AuthzCheck,
  type AuthzDecision,
  type AuthzRequestResource,
  type AuthzUser,
  celAuthorizer,
} from './cel/authz.js';
export { checkCelRules } from './cel/compile.js';
export { OUT_OF_COST_BUDGET, RUNTIME_COST_BUDGET } from './cel/cost.js';
export { checkDeviceSelector, type DeviceSelectorProblem } from './cel/device-selector.js';
export type { PolicyKinds } from './cel/library.js';
export { checkMutationExpression, evaluateMutation } from './cel/mutation.js';
export {
  CelListOf,
  CelMapOf,
  type CelObjectType,
  CelOptionalOf,
  type CelType,
} from './cel/object-types.js';
export {
  checkPolicyExpression,
  type ExpressionResult,
  type ExpressionScope,
  evaluatePolicyExpression,
  type PolicyDeclarations,
  type PolicyResult,
  type PolicyVariableTypes,
  policyProgramError,
  policyVariableType,
} from './cel/policy.js';
export { QUANTITY_PATTERN, Quantity } from './cel/quantity.js';
export { validateCelRules } from './cel/rules.js';
export { COST_LIMIT_EXCEEDED } from './cel/runtime-cost.js';
export { celTypeOfSchema, isCelObjectType } from './cel/schema-types.js';
export { type PolicyVariable, typeCheckPolicyExpression } from './cel/type-check.js';
export { celSkippedNotice, celViolations } from './cel-notice.js';
export { checkCrd } from './check-crd.js';
export { type CustomResourceValidator, customResourceValidator } from './crd-validator.js';
export { applyDefaults } from './defaults.js';
export {
  byteOrder,
  goFloat,
  goHtmlEscape,
  goMapJson,
  goQuote,
  goQuoteBytes,
} from './go-format.js';
export { netipParseError } from './go-netip.js';
export {
  type IpBits,
  ipv4Bits,
  ipv6Bits,
  ipv6Text,
  ipWithin,
  isGlobalUnicastIp,
  isIpv4Mapped,
  isLinkLocalMulticastIp,
  isLinkLocalUnicastIp,
  isLoopbackIp,
  isMulticastIp,
  isUnspecifiedIp,
} from './ip-bits.js';
export {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from './names.js';
export { type PruneOptions, pruneUnknownFields } from './prune.js';
export {
  checkFormats,
  checkStructural,
  problemToCause,
  type StructuralProblem,
} from './structural.js';
export { type SchemaValidationOptions, validateAgainstSchema } from './validate.js';
export {
  formatViolation,
  invalidObjectMessage,
  type SchemaViolation,
  type ViolationReason,
} from './violation.js';
