import { describe, expect, test } from 'vitest';
import { checkDeviceSelector } from './device-selector.js';

describe('checkDeviceSelector', () => {
  test('accepts bool results and attribute values', () => {
    for (const e of [
      'device.driver == "gpu.example.com"',
      'device.attributes["dra.example.com"].model',
      'device.attributes["dra.example.com"].cores > 4',
      'device.capacity["dra.example.com"].memory.isGreaterThan(quantity("1Gi"))',
      'device.allowMultipleAllocations',
      'cel.bind(dra, device.attributes["dra.example.com"], dra.a && dra.b)',
      '"dra.example.com" in device.attributes',
    ]) {
      expect(checkDeviceSelector(e), e).toBeUndefined();
    }
  });

  test('refuses other result types, undefined fields and overloads as cel-go words them', () => {
    expect(checkDeviceSelector('1')).toEqual({
      invalid: 'must evaluate to bool or the unknown type, not int',
    });
    expect(checkDeviceSelector('device.attributes["x"]')).toEqual({
      invalid: 'must evaluate to bool or the unknown type, not map(string, google.protobuf.Any)',
    });
    expect(checkDeviceSelector('device.driver == 1')).toEqual({
      invalid:
        "compilation failed: ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(string, int)'\n | device.driver == 1\n | ..............^",
    });
    expect(checkDeviceSelector('device.nope')).toEqual({
      invalid:
        "compilation failed: ERROR: <input>:1:7: undefined field 'nope'\n | device.nope\n | ......^",
    });
    expect(checkDeviceSelector('dyn(1)')).toEqual({
      invalid: 'must evaluate to bool or the unknown type, not dyn',
    });
    expect(checkDeviceSelector('device.driver.nope')).toEqual({
      invalid:
        "compilation failed: ERROR: <input>:1:14: type 'string' does not support field selection\n | device.driver.nope\n | .............^",
    });
    expect(checkDeviceSelector('nope == 1')).toEqual({
      invalid:
        "compilation failed: ERROR: <input>:1:1: undeclared reference to 'nope' (in container '')\n | nope == 1\n | ^",
    });
  });

  test('a method without an overload, or unknown on an attribute value, at its call', () => {
    const calls: [string, number, string][] = [
      [
        'device.driver.startsWith(1)',
        25,
        "found no matching overload for 'startsWith' applied to 'string.(int)'",
      ],
      ['device.attributes["x"].y.foo()', 29, "undeclared reference to 'foo' (in container '')"],
    ];
    for (const [e, column, why] of calls) {
      const caret = `${'.'.repeat(column - 1)}^`;
      expect(checkDeviceSelector(e)).toEqual({
        invalid: `compilation failed: ERROR: <input>:1:${column}: ${why}\n | ${e}\n | ${caret}`,
      });
    }
  });

  test('refuses an expression whose estimated cost passes 1,000,000', () => {
    const nested =
      'device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, device.attributes[c].all(d, device.attributes[a][b] == device.attributes[c][d]))))';
    expect(checkDeviceSelector(nested)).toEqual({ tooComplex: true });
    expect(checkDeviceSelector('device.attributes.all(a, a == "x")')).toBeUndefined();
  });

  test("sizes map keys and models cel.bind as kube-apiserver's estimator does", () => {
    const nested = (p: string) =>
      `device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, ${p})))`;
    // Two domains (keys of up to 63 characters) compare for 7: 989,443 and 1,284,355.
    expect(checkDeviceSelector(nested('c == a && c == a && c == a'))).toBeUndefined();
    expect(checkDeviceSelector(nested('c == a && c == a && c == a && c == a'))).toEqual({
      tooComplex: true,
    });
    // 26 and 27 a time for 32,768 iterations: 989,443 and 1,022,211.
    expect(checkDeviceSelector(nested(`c.startsWith("${'x'.repeat(260)}")`))).toBeUndefined();
    expect(checkDeviceSelector(nested(`c.startsWith("${'x'.repeat(261)}")`))).toEqual({
      tooComplex: true,
    });
    expect(
      checkDeviceSelector('cel.bind(x, device.attributes.map(d, d), x.all(y, y == "a"))'),
    ).toBeUndefined();
    expect(checkDeviceSelector('device.attributes.x.all(k, k == "a")')).toEqual({
      tooComplex: true,
    });
  });

  test('lists every type error by place, and refuses a dyn result', () => {
    const e = '!device.nope && !device.driver';
    expect(checkDeviceSelector(e)).toEqual({
      invalid: `compilation failed: ERROR: <input>:1:8: undefined field 'nope'\n | ${e}\n | .......^\nERROR: <input>:1:17: found no matching overload for '!_' applied to '(string)'\n | ${e}\n | ................^`,
    });
    expect(checkDeviceSelector('-device.attributes["a"].b')).toEqual({
      invalid: 'must evaluate to bool or the unknown type, not dyn',
    });
    expect(checkDeviceSelector('true ? device.attributes["a"].b : false')).toBeUndefined();
  });
});
