/**
 * The cel-js environment every CEL expression of the API is compiled and run in, made to
 * read expressions as cel-go's parser does where cel-js's reads them otherwise: raw bytes
 * literals, which cel-js does not lex (see {@link withoutRawBytes}), and a trailing comma
 * in a call's arguments, which cel-js takes and cel-go's grammar does not (see
 * {@link trailingCallComma}), a name's leading dot (`.self`) and an empty literal's lone
 * comma (`[,]`), which cel-js does not parse (see {@link leadingDots},
 * {@link emptyLiteralCommas}), and a call of `.has` (see {@link rootHasCalls}).
 */
import {
  Environment,
  type EnvironmentOptions,
  type ErrorLocation,
  ParseError,
} from '@marcbachmann/cel-js';
import { withoutRawBytes } from './raw-bytes.js';
import {
  emptyLiteralCommas,
  leadingDots,
  rootHasCalls,
  trailingCallComma,
} from './syntax-errors.js';

/** `expression` as cel-js should read it, or the parse error cel-go's grammar gives it. */
function readable(expression: string): string {
  const comma = trailingCallComma(expression);
  if (comma !== undefined) {
    const node = { input: expression, pos: comma } as ErrorLocation;
    throw new ParseError({
      message: 'Unexpected token: RPAREN',
      node,
      range: { start: comma, end: comma + 1 },
    });
  }
  // A leading dot (`.self`): the name itself, as no container is set (a space keeps places).
  // So is an empty literal's lone comma (`[,]`), which cel-go takes as its trailing one.
  const dotless = [...leadingDots(expression), ...emptyLiteralCommas(expression)].reduce(
    (text, at) => `${text.slice(0, at)} ${text.slice(at + 1)}`,
    expression,
  );
  // A call of `.has` from the root scope, no macro to cel-go: a call of an undeclared
  // function `_has` (which call-errors names `.has`, as cel-go does).
  const rootHas = rootHasCalls(expression).reduce(
    (text, at) => `${text.slice(0, at)}_${text.slice(at + 1)}`,
    dotless,
  );
  return withoutRawBytes(rootHas);
}

/** A cel-js environment reading expressions as cel-go does (see the module); its clones too. */
export class CelEnvironment extends Environment {
  override clone(opts?: EnvironmentOptions): Environment {
    // cel-js's constructor takes the environment to inherit from as a second argument.
    const Inheriting = CelEnvironment as unknown as new (
      o: EnvironmentOptions | undefined,
      from: Environment,
    ) => CelEnvironment;
    return new Inheriting(opts, this);
  }

  override parse(expression: string): ReturnType<Environment['parse']> {
    return super.parse(readable(expression));
  }

  override check(expression: string): ReturnType<Environment['check']> {
    try {
      return super.check(readable(expression));
    } catch (error) {
      if (error instanceof ParseError) return { valid: false, error };
      throw error;
    }
  }

  override evaluate(expression: string, context?: Parameters<Environment['evaluate']>[1]) {
    return super.evaluate(readable(expression), context);
  }
}
