/**
 * Kubernetes' CEL `format` library: `format.named(name)` (an optional format) and
 * `format.<name>()`, each with `validate(string)`, which gives `optional.none()` for a
 * valid string or `optional.of(<the errors>)`. The name formats use apimachinery's
 * validation messages (`../names.ts`), `uri` Go's `url.ParseRequestURI` errors, and
 * `uuid`, `byte`, `date`, `datetime` the CRD formats' checkers with the library's words.
 */
import { type Environment, Optional } from '@marcbachmann/cel-js';
import { matchesFormat } from '../formats.js';
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from '../names.js';
import { parseRequestUri } from './url.js';

/** A named format: its validation, giving the errors of a string (empty when valid). */
export class CelFormat {
  constructor(readonly validate: (s: string) => string[]) {}
}

/**
 * apimachinery's `maskTrailingDash`, for the `…Prefix` formats (a `generateName` prefix
 * may end in `-`): the last two characters become `a`, as Kubernetes does it.
 */
const masked = (s: string) => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

const strfmt = (name: string, error: string) =>
  new CelFormat((s) => (matchesFormat(name, s) ? [] : [error]));

const FORMATS: Readonly<Record<string, CelFormat>> = {
  dns1123Label: new CelFormat(dns1123LabelErrors),
  dns1123Subdomain: new CelFormat(dns1123SubdomainErrors),
  dns1035Label: new CelFormat(dns1035LabelErrors),
  qualifiedName: new CelFormat(qualifiedNameErrors),
  dns1123LabelPrefix: new CelFormat((s) => dns1123LabelErrors(masked(s))),
  dns1123SubdomainPrefix: new CelFormat((s) => dns1123SubdomainErrors(masked(s))),
  dns1035LabelPrefix: new CelFormat((s) => dns1035LabelErrors(masked(s))),
  labelValue: new CelFormat(labelValueErrors),
  uri: new CelFormat((s) => {
    const u = parseRequestUri(s);
    return typeof u === 'string' ? [u] : [];
  }),
  uuid: strfmt('uuid', 'does not match the UUID format'),
  byte: strfmt('byte', 'invalid base64'),
  date: strfmt('date', 'invalid date'),
  datetime: strfmt('datetime', 'invalid datetime'),
};

/** The receiver of `format.…(…)` (cel-js reads `format.f(…)` as a method on a value). */
class FormatLibrary {}

/** Adds the `format` library to `env`. */
export function addFormat(env: Environment): Environment {
  const LIB = 'kubernetes.format';
  const T = 'kubernetes.NamedFormat';
  let e = env
    .registerType(LIB, FormatLibrary)
    .registerType(T, CelFormat)
    .registerConstant('format', LIB, new FormatLibrary())
    .registerFunction(`${LIB}.named(string): optional<${T}>`, (_: FormatLibrary, name: string) =>
      Object.hasOwn(FORMATS, name) ? Optional.of(FORMATS[name]) : Optional.none(),
    )
    .registerFunction(
      `${T}.validate(string): optional<list<string>>`,
      (f: CelFormat, s: string) => {
        const errors = f.validate(s);
        return errors.length === 0 ? Optional.none() : Optional.of(errors);
      },
    );
  for (const [name, format] of Object.entries(FORMATS)) {
    e = e.registerFunction(`${LIB}.${name}(): ${T}`, () => format);
  }
  return e;
}
