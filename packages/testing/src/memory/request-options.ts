import { invalid, type StatusCause } from './errors.js';
import { tooLong } from './validation.js';

/** How a write treats fields the object's type does not declare (`fieldValidation`). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The options of a write request, from its query (as kube-apiserver decodes them). */
export interface WriteOptions {
  fieldManager?: string;
  dryRun: boolean;
  force: boolean;
  /** `Warn` when the request does not say (kube-apiserver's default since v1.27). */
  fieldValidation: FieldValidation;
}

/** The kind of options object a verb's query decodes into. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

const FIELD_VALIDATIONS = ['Ignore', 'Strict', 'Warn'];
const FIELD_MANAGER_MAX_LENGTH = 128;

/**
 * Reads and validates a write's query options like kube-apiserver's `Validate*Options`:
 * `dryRun` only `All`, `fieldValidation` one of `Ignore`/`Strict`/`Warn`, `fieldManager` at
 * most 128 printable characters, and `force` only on apply patches. Answers 422 naming the
 * options kind (e.g. `PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: ...`).
 */
export function writeOptions(q: URLSearchParams, kind: OptionsKind, apply = false): WriteOptions {
  const causes: StatusCause[] = [];
  const dryRun = q.getAll('dryRun');
  const fm = q.get('fieldManager') ?? '';
  const fv = q.get('fieldValidation') ?? '';
  const force = q.get('force');
  if (kind === 'PatchOptions' && apply && fm === '') {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: is required for apply patch',
      field: 'fieldManager',
    });
  }
  if (kind === 'PatchOptions' && !apply && force !== null) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: may not be specified for non-apply patch',
      field: 'force',
    });
  }
  if (kind !== 'DeleteOptions') {
    if (fm.length > FIELD_MANAGER_MAX_LENGTH) {
      causes.push(tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
    } else if ([...fm].some((c) => !isPrintable(c))) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(fm)}: must only contain printable characters`,
        field: 'fieldManager',
      });
    }
  }
  if (dryRun.some((v) => v !== 'All')) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"`,
      field: 'dryRun',
    });
  }
  if (kind !== 'DeleteOptions' && fv !== '' && !FIELD_VALIDATIONS.includes(fv)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(fv)}: supported values: "", "Ignore", "Strict", "Warn"`,
      field: 'fieldValidation',
    });
  }
  if (causes.length) throw invalid(kind, 'meta.k8s.io', '', causes);
  const out: WriteOptions = {
    dryRun: dryRun.length > 0,
    force: force === 'true' || force === '1',
    fieldValidation: fv === '' ? 'Warn' : (fv as FieldValidation),
  };
  if (fm) out.fieldManager = fm;
  return out;
}

function isPrintable(c: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(c);
}
