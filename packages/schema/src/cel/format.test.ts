import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('the format library', () => {
  // The answers of kube-apiserver 1.36.3.
  test.each([
    [
      "format.dns1123Label().validate('Ab_c').value()",
      [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      `format.dns1123Label().validate('${'a'.repeat(64)}').value()`,
      ['must be no more than 63 characters'],
    ],
    [
      `format.labelValue().validate('${'a'.repeat(64)}').value()`,
      ['must be no more than 63 bytes'],
    ],
    ["format.uri().validate('not a uri').value()", ['parse "not a uri": invalid URI for request']],
    ["format.uuid().validate('x').value()", ['does not match the UUID format']],
    ["format.byte().validate('!!').value()", ['invalid base64']],
    ["format.date().validate('2021-13-01').value()", ['invalid date']],
    ["format.datetime().validate('yesterday').value()", ['invalid datetime']],
    ["format.dns1123LabelPrefix().validate('ab-').hasValue()", false],
    ["format.dns1035LabelPrefix().validate('Q-').hasValue()", false],
    ["format.named('nope').hasValue()", false],
    ["format.named('dns1035Label').value().validate('1abc').hasValue()", true],
    ["format.dns1123Subdomain().validate('example.com').hasValue()", false],
    ["format.qualifiedName().validate('example.com/My_Name').hasValue()", false],
    [
      "format.qualifiedName().validate('a/b/c').value()[0].startsWith('a valid label key must consist')",
      true,
    ],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });
});
