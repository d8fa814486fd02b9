/**
 * Field causes that quote a number beyond 2^53 of the object they are about, written as
 * kube-apiserver writes it (see big-integers.ts): validation formats the JavaScript number,
 * which rounds an int64 and writes a float64 in another form than Go.
 */
import { keptLiteral } from './big-integers.js';
import type { StatusCause } from './errors.js';
import { goFloat } from './go-print.js';
import type { Json } from './json.js';

/** A cause's quoted number, as `JSON.stringify` wrote it (`Invalid value: 9007199254740992: …`). */
const QUOTED_NUMBER = /^(Invalid value: )(-?[0-9]{16,})(?=: |$)/;
/** A field path's steps: `.name`, `[index]` or `[map key]`. */
const STEP = /\.?([^.[\]]+)|\[([^\]]*)\]/g;

/**
 * `causes` with the numbers beyond 2^53 they quote from `obj` written as kube-apiserver
 * quotes them: an int64 as the request wrote it (`spec.activeDeadlineSeconds: Invalid
 * value: 9007199254740993: …`, where JavaScript rounds to `9007199254740992`), a float64
 * (a whole number that kept no literal) as Go's `%v` writes it (`9.223372036854776e+18`).
 * The quoted value is found at the cause's field path; a cause is kept as it is when that
 * place holds another value.
 */
export function exactCauses(obj: Json, causes: StatusCause[]): StatusCause[] {
  return causes.map((cause) => {
    const quoted = QUOTED_NUMBER.exec(cause.message ?? '');
    if (!quoted || !cause.field) return cause;
    const text = textAt(obj, cause.field, Number(quoted[2]));
    if (text === undefined) return cause;
    return { ...cause, message: cause.message!.replace(QUOTED_NUMBER, `$1${text}`) };
  });
}

/** How kube-apiserver writes the number `value` at the field path `field` of `obj`. */
function textAt(obj: Json, field: string, value: number): string | undefined {
  let holder: Json | undefined;
  let key = '';
  let cur: Json | undefined = obj;
  for (const [, name, bracket] of field.matchAll(STEP)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    holder = cur;
    key = name ?? bracket!;
    cur = Array.isArray(cur) ? cur[Number(key)] : cur[key];
  }
  if (cur !== value || typeof holder !== 'object' || holder === null) return undefined;
  return keptLiteral(holder, key) ?? (Number.isSafeInteger(value) ? undefined : goFloat(value));
}
