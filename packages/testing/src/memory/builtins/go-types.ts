import type { Json } from '../json.js';
import generated from './go-types.json' with { type: 'json' };

/**
 * What the Go types of kube-apiserver's built-in kinds say about each JSON field, generated
 * from the types themselves by `scripts/go-types` into `go-types.json`, keyed by OpenAPI
 * definition name: the Go names its decoding errors use and how encoding/json writes it.
 */
export interface GoField {
  /** The field's Go type (pointers stripped), then its list or map elements' types. */
  readonly t: readonly string[];
  /** The embedded structs between the struct and the field. */
  readonly e?: readonly string[];
  /** The JSON its zero value is written as when Go writes the field unset (absent: omitted). */
  readonly z?: Json;
  /** 1 when Go drops an empty value of the field ("", 0, false, an empty list or map). */
  readonly o?: 1;
}

/**
 * One definition's Go facts: `~` its struct name, `#` its JSON fields in the order Go writes
 * them (space-separated; absent for a type that encodes itself, such as a time), the rest
 * its fields.
 */
export type GoStruct = Readonly<Record<string, GoField | string>>;

const table = generated as unknown as Record<string, GoStruct>;

/** The Go facts of a built-in definition (`io.k8s.api.core.v1.ContainerStatus`), if known. */
export function goStruct(definition: string): GoStruct | undefined {
  return table[definition];
}
