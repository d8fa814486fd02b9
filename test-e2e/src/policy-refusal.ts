/**
 * The Status kube-apiserver answers a request that a MutatingAdmissionPolicy refuses (a
 * mutation that fails): 403 `Invalid`, the policy's message again as the one cause.
 */

/** The refusal of the request for `name` of resource `kind` (its plural) with `message`. */
export function mutatingPolicyRefusal(message: string, name: string, kind: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    details: { name, kind, causes: [{ message }] },
    code: 403,
  };
}
