import { describe, expect, test } from 'vitest';
import { externalIPCauses, externalIPsCauses } from './external-ips.js';

const why = (ip: string) => externalIPCauses('f', ip).map((c) => c.message);

describe('externalIPCauses', () => {
  test('ordinary addresses pass', () => {
    for (const ip of ['1.2.3.4', '2001:db8::1', '10.0.0.1']) expect(why(ip)).toEqual([]);
  });

  test('special ranges and malformed values get kube-apiserver messages', () => {
    expect(why('010.1.1.1')).toEqual(['Invalid value: "010.1.1.1": must not have leading 0s']);
    expect(why('::')).toEqual(['Invalid value: "::": may not be unspecified (::)']);
    expect(why('1.2.3.4/32')[0]).toMatch(/must be a valid IP address/);
  });

  test('a value the stored Service had skips the legacy check, not the special ranges', () => {
    // Values older rules allowed (leading zeros before StrictIPCIDRValidation).
    expect(externalIPsCauses(['010.1.1.1'], ['010.1.1.1'])).toEqual([]);
    expect(externalIPsCauses(['010.1.1.1'], [])).toHaveLength(1);
    expect(externalIPsCauses(['127.0.0.1'], ['127.0.0.1']).map((c) => c.message)).toEqual([
      'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
  });
});
