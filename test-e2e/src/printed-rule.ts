/**
 * A CRD validation rule as kube-apiserver prints it in its messages about the rule
 * (`Invalid value: {"Rule":…}: compilation failed: …`): its Go struct as JSON, with `<`,
 * `>` and `&` escaped as Go's encoder escapes them for HTML.
 */
export function printedRule(rule: string, messageExpression = ''): string {
  return JSON.stringify({
    Rule: rule,
    Message: '',
    MessageExpression: messageExpression,
    Reason: null,
    FieldPath: '',
    OptionalOldSelf: null,
  }).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
