import { describe, expect, test } from 'vitest';
import { checkDeviceSelector } from './device-selector.js';
import { celGoSyntaxErrors } from './syntax-errors.js';

const EXPR =
  "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

/** Expressions and cel-go v0.26's errors for them (kube-apiserver v1.36.3's parser). */
const CEL_GO: [string, string][] = [
  [
    'device.driver ==',
    `ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | device.driver ==
 | ................^`,
  ],
  [
    "device.driver == 'x",
    `ERROR: <input>:1:18: Syntax error: token recognition error at: ''x'
 | device.driver == 'x
 | .................^
ERROR: <input>:1:20: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | device.driver == 'x
 | ...................^`,
  ],
  [
    'device.driver == "a" &&',
    `ERROR: <input>:1:24: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | device.driver == "a" &&
 | .......................^`,
  ],
  [
    'device.driver # 1',
    `ERROR: <input>:1:15: Syntax error: token recognition error at: '#'
 | device.driver # 1
 | ..............^
ERROR: <input>:1:17: Syntax error: extraneous input '1' expecting <EOF>
 | device.driver # 1
 | ................^`,
  ],
  [
    'device.driver == "a")',
    `ERROR: <input>:1:21: Syntax error: extraneous input ')' expecting <EOF>
 | device.driver == "a")
 | ....................^`,
  ],
  [
    '(device.driver',
    `ERROR: <input>:1:15: Syntax error: missing ')' at '<EOF>'
 | (device.driver
 | ..............^`,
  ],
  [
    'device.driver = "a"',
    `ERROR: <input>:1:15: Syntax error: token recognition error at: '= '
 | device.driver = "a"
 | ..............^
ERROR: <input>:1:17: Syntax error: extraneous input '"a"' expecting <EOF>
 | device.driver = "a"
 | ................^`,
  ],
  [
    'a b',
    `ERROR: <input>:1:3: Syntax error: extraneous input 'b' expecting <EOF>
 | a b
 | ..^`,
  ],
  [
    'a b c',
    `ERROR: <input>:1:3: Syntax error: mismatched input 'b' expecting <EOF>
 | a b c
 | ..^`,
  ],
  [
    '!',
    `ERROR: <input>:1:2: Syntax error: extraneous input '<EOF>' expecting ${EXPR}
 | !
 | .^`,
  ],
  [
    'a && !',
    `ERROR: <input>:1:7: Syntax error: extraneous input '<EOF>' expecting ${EXPR}
 | a && !
 | ......^`,
  ],
  [
    "a == 'x && b",
    `ERROR: <input>:1:6: Syntax error: token recognition error at: ''x && b'
 | a == 'x && b
 | .....^
ERROR: <input>:1:13: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a == 'x && b
 | ............^`,
  ],
  [
    'a # x == 1',
    `ERROR: <input>:1:3: Syntax error: token recognition error at: '#'
 | a # x == 1
 | ..^
ERROR: <input>:1:5: Syntax error: mismatched input 'x' expecting <EOF>
 | a # x == 1
 | ....^`,
  ],
  [
    'a & b',
    `ERROR: <input>:1:3: Syntax error: token recognition error at: '& '
 | a & b
 | ..^
ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting <EOF>
 | a & b
 | ....^`,
  ],
  [
    'a | b',
    `ERROR: <input>:1:3: Syntax error: token recognition error at: '| '
 | a | b
 | ..^
ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting <EOF>
 | a | b
 | ....^`,
  ],
  [
    'f(a',
    `ERROR: <input>:1:4: Syntax error: missing ')' at '<EOF>'
 | f(a
 | ...^`,
  ],
  [
    'device.attributes["x"].y.matches("a" ',
    `ERROR: <input>:1:38: Syntax error: missing ')' at '<EOF>'
 | device.attributes["x"].y.matches("a" 
 | .....................................^`,
  ],
  [
    'a == 1 2',
    `ERROR: <input>:1:8: Syntax error: extraneous input '2' expecting <EOF>
 | a == 1 2
 | .......^`,
  ],
  [
    '@',
    `ERROR: <input>:1:1: Syntax error: token recognition error at: '@'
 | @
 | ^
ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | @
 | .^`,
  ],
  [
    '1 + #',
    `ERROR: <input>:1:5: Syntax error: token recognition error at: '#'
 | 1 + #
 | ....^
ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | 1 + #
 | .....^`,
  ],
  [
    'a\\',
    `ERROR: <input>:1:2: Syntax error: token recognition error at: '\\'
 | a\\
 | .^`,
  ],
  [
    'device.driver == "a" || device.driver == "b" ||',
    `ERROR: <input>:1:48: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | device.driver == "a" || device.driver == "b" ||
 | ...............................................^`,
  ],
  [
    'f(a, b',
    `ERROR: <input>:1:7: Syntax error: missing ')' at '<EOF>'
 | f(a, b
 | ......^`,
  ],
  [
    'a[1',
    `ERROR: <input>:1:4: Syntax error: missing ']' at '<EOF>'
 | a[1
 | ...^`,
  ],
  [
    '[1, 2',
    `ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting {']', ','}
 | [1, 2
 | .....^`,
  ],
  [
    '{"a": 1',
    `ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting {'}', ','}
 | {"a": 1
 | .......^`,
  ],
  [
    'a in [1',
    `ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting {']', ','}
 | a in [1
 | .......^`,
  ],
  [
    'a ==  // comment',
    `ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a ==  // comment
 | ................^`,
  ],
  [
    'a.b c',
    `ERROR: <input>:1:5: Syntax error: extraneous input 'c' expecting <EOF>
 | a.b c
 | ....^`,
  ],
  [
    'x.y == 1 2 3',
    `ERROR: <input>:1:10: Syntax error: mismatched input '2' expecting <EOF>
 | x.y == 1 2 3
 | .........^`,
  ],
  [
    'f(a b)',
    `ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting ')'
 | f(a b)
 | ....^`,
  ],
  [
    '[a, b c]',
    `ERROR: <input>:1:7: Syntax error: extraneous input 'c' expecting {']', ','}
 | [a, b c]
 | ......^`,
  ],
  [
    '{a: b c d}',
    `ERROR: <input>:1:7: Syntax error: mismatched input 'c' expecting {'}', ','}
 | {a: b c d}
 | ......^`,
  ],
  [
    'x["a" "b"',
    `ERROR: <input>:1:7: Syntax error: mismatched input '"b"' expecting ']'
 | x["a" "b"
 | ......^`,
  ],
  [
    'a ? b',
    `ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ':'
 | a ? b
 | .....^`,
  ],
  [
    'a ? b c',
    `ERROR: <input>:1:7: Syntax error: missing ':' at 'c'
 | a ? b c
 | ......^`,
  ],
  [
    'a ? b :',
    `ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a ? b :
 | .......^`,
  ],
  [
    'a == -',
    `ERROR: <input>:1:7: Syntax error: no viable alternative at input '-'
 | a == -
 | ......^
ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a == -
 | ......^`,
  ],
  [
    'a && (b ||',
    `ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a && (b ||
 | ..........^`,
  ],
  [
    '"\\q" == "\\z"',
    `ERROR: <input>:1:1: Syntax error: token recognition error at: '"\\q'
 | "\\q" == "\\z"
 | ^
ERROR: <input>:1:10: Syntax error: token recognition error at: '\\'
 | "\\q" == "\\z"
 | .........^
ERROR: <input>:1:11: Syntax error: extraneous input 'z' expecting <EOF>
 | "\\q" == "\\z"
 | ..........^
ERROR: <input>:1:12: Syntax error: token recognition error at: '"'
 | "\\q" == "\\z"
 | ...........^`,
  ],
  [
    '"a\\x4g"',
    `ERROR: <input>:1:1: Syntax error: token recognition error at: '"a\\x4g'
 | "a\\x4g"
 | ^
ERROR: <input>:1:7: Syntax error: token recognition error at: '"'
 | "a\\x4g"
 | ......^
ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | "a\\x4g"
 | .......^`,
  ],
  [
    'a.`b`.`c`',
    `ERROR: <input>:1:3: unsupported syntax: '\`'
 | a.\`b\`.\`c\`
 | ..^
ERROR: <input>:1:7: unsupported syntax: '\`'
 | a.\`b\`.\`c\`
 | ......^`,
  ],
  [
    'x == `a`',
    `ERROR: <input>:1:6: Syntax error: mismatched input '\`a\`' expecting ${EXPR}
 | x == \`a\`
 | .....^`,
  ],
  [
    '\u00e9 == 1',
    `ERROR: <input>:1:1: Syntax error: token recognition error at: 'é'
 | é == 1
 | ＾
ERROR: <input>:1:3: Syntax error: extraneous input '==' expecting ${EXPR}
 | é == 1
 | ．.^`,
  ],
  [
    'device.driver == "\u00e9" #',
    `ERROR: <input>:1:22: Syntax error: token recognition error at: '#'
 | device.driver == "é" #
 | ..................．..^`,
  ],
  [
    'a == == b',
    `ERROR: <input>:1:6: Syntax error: extraneous input '==' expecting ${EXPR}
 | a == == b
 | .....^`,
  ],
  // An expression missing where one must start, a selection without a name, a call on a
  // backquoted name, and a literal's item after a stray token.
  [
    `a[]`,
    `ERROR: <input>:1:3: Syntax error: mismatched input ']' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | a[]
 | ..^`,
  ],
  [
    `a[] == 1`,
    `ERROR: <input>:1:3: Syntax error: mismatched input ']' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | a[] == 1
 | ..^`,
  ],
  [
    `[`,
    `ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', ']', '{', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | [
 | .^`,
  ],
  [
    `f(`,
    `ERROR: <input>:1:3: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', ')', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | f(
 | ..^`,
  ],
  [
    `{`,
    `ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '}', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | {
 | .^`,
  ],
  [
    `f(,)`,
    `ERROR: <input>:1:3: Syntax error: extraneous input ',' expecting {'[', '{', '(', ')', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | f(,)
 | ..^`,
  ],
  [
    `f(a, ]`,
    `ERROR: <input>:1:6: Syntax error: mismatched input ']' expecting ${EXPR}
 | f(a, ]
 | .....^`,
  ],
  [
    `[1, 2,`,
    `ERROR: <input>:1:7: Syntax error: missing ']' at '<EOF>'
 | [1, 2,
 | ......^`,
  ],
  [
    `a && ) == 1`,
    `ERROR: <input>:1:6: Syntax error: mismatched input ')' expecting ${EXPR}
 | a && ) == 1
 | .....^`,
  ],
  [
    `a..b`,
    `ERROR: <input>:1:3: Syntax error: no viable alternative at input '..'
 | a..b
 | ..^`,
  ],
  [
    `x == a. .b`,
    `ERROR: <input>:1:9: Syntax error: no viable alternative at input '. .'
 | x == a. .b
 | ........^`,
  ],
  [
    `a ? : b`,
    `ERROR: <input>:1:5: Syntax error: extraneous input ':' expecting ${EXPR}
 | a ? : b
 | ....^
ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting ':'
 | a ? : b
 | .......^`,
  ],
  [
    `a ? :`,
    `ERROR: <input>:1:5: Syntax error: mismatched input ':' expecting ${EXPR}
 | a ? :
 | ....^
ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${EXPR}
 | a ? :
 | .....^`,
  ],
  [
    `a ?? b`,
    `ERROR: <input>:1:4: Syntax error: extraneous input '?' expecting ${EXPR}
 | a ?? b
 | ...^
ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting ':'
 | a ?? b
 | ......^`,
  ],
  [
    `a.\`b\`()`,
    `ERROR: <input>:1:3: unsupported syntax: '\`'
 | a.\`b\`()
 | ..^
ERROR: <input>:1:6: Syntax error: mismatched input '(' expecting <EOF>
 | a.\`b\`()
 | .....^`,
  ],
  [
    `a.\`b\`(1) == 2`,
    `ERROR: <input>:1:3: unsupported syntax: '\`'
 | a.\`b\`(1) == 2
 | ..^
ERROR: <input>:1:6: Syntax error: mismatched input '(' expecting <EOF>
 | a.\`b\`(1) == 2
 | .....^`,
  ],
  [
    `[a b, c]`,
    `ERROR: <input>:1:4: Syntax error: extraneous input 'b' expecting {']', ','}
 | [a b, c]
 | ...^
ERROR: <input>:1:7: Syntax error: extraneous input 'c' expecting ']'
 | [a b, c]
 | ......^`,
  ],
  [
    `[a b, c, d] == 1`,
    `ERROR: <input>:1:4: Syntax error: extraneous input 'b' expecting {']', ','}
 | [a b, c, d] == 1
 | ...^
ERROR: <input>:1:7: Syntax error: mismatched input 'c' expecting ']'
 | [a b, c, d] == 1
 | ......^`,
  ],
  [
    `{a: b c, d}`,
    `ERROR: <input>:1:7: Syntax error: extraneous input 'c' expecting {'}', ','}
 | {a: b c, d}
 | ......^
ERROR: <input>:1:10: Syntax error: extraneous input 'd' expecting '}'
 | {a: b c, d}
 | .........^`,
  ],
  // Raw and bytes strings; one that does not end leaves its prefix a name.
  [
    `r"x`,
    `ERROR: <input>:1:2: Syntax error: token recognition error at: '"x'
 | r"x
 | .^`,
  ],
  [
    `b'\\q'`,
    `ERROR: <input>:1:2: Syntax error: token recognition error at: ''\\q'
 | b'\\q'
 | .^
ERROR: <input>:1:5: Syntax error: token recognition error at: '''
 | b'\\q'
 | ....^`,
  ],
  [
    `br'x`,
    `ERROR: <input>:1:3: Syntax error: token recognition error at: ''x'
 | br'x
 | ..^`,
  ],
  [
    `br'x' y`,
    `ERROR: <input>:1:7: Syntax error: extraneous input 'y' expecting <EOF>
 | br'x' y
 | ......^`,
  ],
  // A comma after an index.
  [
    `a[b, c] == 1`,
    `ERROR: <input>:1:4: Syntax error: mismatched input ',' expecting ']'
 | a[b, c] == 1
 | ...^`,
  ],
  [
    `a[1,]`,
    `ERROR: <input>:1:4: Syntax error: extraneous input ',' expecting ']'
 | a[1,]
 | ...^`,
  ],
  // Rarer slips: a trailing comma ANTLR takes where an item is expected, an index comma
  // inside other brackets, a second `?`, `!` or `-` before a closer, `.?` without a name,
  // a leading dot before a literal or a dot, a closer that closes nothing.
  [
    `[1,,2]`,
    `ERROR: <input>:1:4: Syntax error: mismatched input ',' expecting ']'
 | [1,,2]
 | ...^`,
  ],
  [
    `[,1]`,
    `ERROR: <input>:1:3: Syntax error: extraneous input '1' expecting ']'
 | [,1]
 | ..^`,
  ],
  [
    `[1,,2+3]`,
    `ERROR: <input>:1:4: Syntax error: mismatched input ',' expecting ']'
 | [1,,2+3]
 | ...^
ERROR: <input>:1:8: Syntax error: extraneous input ']' expecting <EOF>
 | [1,,2+3]
 | .......^`,
  ],
  [
    `f([1,,2])`,
    `ERROR: <input>:1:6: Syntax error: missing ']' at ','
 | f([1,,2])
 | .....^
ERROR: <input>:1:8: Syntax error: extraneous input ']' expecting ')'
 | f([1,,2])
 | .......^`,
  ],
  [
    `([1,,2])`,
    `ERROR: <input>:1:5: Syntax error: mismatched input ',' expecting ']'
 | ([1,,2])
 | ....^`,
  ],
  [
    `{1:2,,3:4}`,
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting '}'
 | {1:2,,3:4}
 | .....^`,
  ],
  [
    `f(a[1, 2])`,
    `ERROR: <input>:1:6: Syntax error: missing ']' at ','
 | f(a[1, 2])
 | .....^
ERROR: <input>:1:9: Syntax error: extraneous input ']' expecting ')'
 | f(a[1, 2])
 | ........^`,
  ],
  [
    `(a[1, 2])`,
    `ERROR: <input>:1:5: Syntax error: mismatched input ',' expecting ']'
 | (a[1, 2])
 | ....^`,
  ],
  [
    `a ? b ? : c`,
    `ERROR: <input>:1:7: Syntax error: extraneous input '?' expecting ':'
 | a ? b ? : c
 | ......^`,
  ],
  [
    `a ? b ? c : d`,
    `ERROR: <input>:1:7: Syntax error: mismatched input '?' expecting ':'
 | a ? b ? c : d
 | ......^`,
  ],
  [
    `!]`,
    `ERROR: <input>:1:2: Syntax error: extraneous input ']' expecting ${EXPR}
 | !]
 | .^`,
  ],
  [
    `!!]`,
    `ERROR: <input>:1:3: Syntax error: extraneous input ']' expecting ${EXPR}
 | !!]
 | ..^`,
  ],
  [
    `(!)`,
    `ERROR: <input>:1:3: Syntax error: extraneous input ')' expecting ${EXPR}
 | (!)
 | ..^`,
  ],
  [
    `-]`,
    `ERROR: <input>:1:2: Syntax error: no viable alternative at input '-]'
 | -]
 | .^
ERROR: <input>:1:2: Syntax error: mismatched input ']' expecting ${EXPR}
 | -]
 | .^`,
  ],
  [
    `f(-)`,
    `ERROR: <input>:1:4: Syntax error: no viable alternative at input '-)'
 | f(-)
 | ...^
ERROR: <input>:1:4: Syntax error: mismatched input ')' expecting ${EXPR}
 | f(-)
 | ...^`,
  ],
  [
    `a.?`,
    `ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' expecting {IDENTIFIER, ESC_IDENTIFIER}
 | a.?
 | ...^
ERROR: <input>:1:4: unsupported ident kind
 | a.?
 | ...^`,
  ],
  [
    `a.?1`,
    `ERROR: <input>:1:4: Syntax error: mismatched input '1' expecting {IDENTIFIER, ESC_IDENTIFIER}
 | a.?1
 | ...^
ERROR: <input>:1:4: unsupported ident kind
 | a.?1
 | ...^`,
  ],
  [
    `.true == 1`,
    `ERROR: <input>:1:2: Syntax error: mismatched input 'true' expecting IDENTIFIER
 | .true == 1
 | .^`,
  ],
  [
    `..a`,
    `ERROR: <input>:1:2: Syntax error: no viable alternative at input '..'
 | ..a
 | .^`,
  ],
  [
    `f(1])`,
    `ERROR: <input>:1:4: Syntax error: extraneous input ']' expecting ')'
 | f(1])
 | ...^`,
  ],
  [
    `{1: 2]}`,
    `ERROR: <input>:1:6: Syntax error: extraneous input ']' expecting {'}', ','}
 | {1: 2]}
 | .....^`,
  ],
  [
    `[a b, c.d]`,
    `ERROR: <input>:1:4: Syntax error: extraneous input 'b' expecting {']', ','}
 | [a b, c.d]
 | ...^
ERROR: <input>:1:7: Syntax error: mismatched input 'c' expecting ']'
 | [a b, c.d]
 | ......^
ERROR: <input>:1:10: Syntax error: extraneous input ']' expecting <EOF>
 | [a b, c.d]
 | .........^`,
  ],
  // A comma after an index inside another, a comma where an index starts, an `=`.
  [
    'a[b[1, 2]]',
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting ']'
 | a[b[1, 2]]
 | .....^
ERROR: <input>:1:10: Syntax error: extraneous input ']' expecting <EOF>
 | a[b[1, 2]]
 | .........^`,
  ],
  [
    'a[b[1, 2]] == 1',
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting ']'
 | a[b[1, 2]] == 1
 | .....^
ERROR: <input>:1:10: Syntax error: mismatched input ']' expecting <EOF>
 | a[b[1, 2]] == 1
 | .........^`,
  ],
  [
    'a[b[1, 2] + 1]',
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting ']'
 | a[b[1, 2] + 1]
 | .....^
ERROR: <input>:1:14: Syntax error: extraneous input ']' expecting <EOF>
 | a[b[1, 2] + 1]
 | .............^`,
  ],
  [
    'a[b[c[1, 2]]]',
    `ERROR: <input>:1:8: Syntax error: mismatched input ',' expecting ']'
 | a[b[c[1, 2]]]
 | .......^
ERROR: <input>:1:13: Syntax error: extraneous input ']' expecting <EOF>
 | a[b[c[1, 2]]]
 | ............^`,
  ],
  [
    'a[b[1, 2, 3]]',
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting ']'
 | a[b[1, 2, 3]]
 | .....^
ERROR: <input>:1:13: Syntax error: extraneous input ']' expecting <EOF>
 | a[b[1, 2, 3]]
 | ............^`,
  ],
  [
    'a[b[1, 2]].c',
    `ERROR: <input>:1:6: Syntax error: mismatched input ',' expecting ']'
 | a[b[1, 2]].c
 | .....^
ERROR: <input>:1:10: Syntax error: mismatched input ']' expecting <EOF>
 | a[b[1, 2]].c
 | .........^`,
  ],
  [
    'a[,]',
    `ERROR: <input>:1:3: Syntax error: mismatched input ',' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | a[,]
 | ..^`,
  ],
  [
    'a[,] == 1',
    `ERROR: <input>:1:3: Syntax error: mismatched input ',' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | a[,] == 1
 | ..^`,
  ],
  [
    'a[, 1]',
    `ERROR: <input>:1:3: Syntax error: extraneous input ',' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | a[, 1]
 | ..^`,
  ],
  [
    'b + a[,]',
    `ERROR: <input>:1:7: Syntax error: mismatched input ',' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
 | b + a[,]
 | ......^`,
  ],
  [
    '[a, b].size() = 2',
    `ERROR: <input>:1:15: Syntax error: token recognition error at: '= '
 | [a, b].size() = 2
 | ..............^
ERROR: <input>:1:17: Syntax error: extraneous input '2' expecting <EOF>
 | [a, b].size() = 2
 | ................^`,
  ],
  [
    'a.size() = 2',
    `ERROR: <input>:1:10: Syntax error: token recognition error at: '= '
 | a.size() = 2
 | .........^
ERROR: <input>:1:12: Syntax error: extraneous input '2' expecting <EOF>
 | a.size() = 2
 | ...........^`,
  ],
];

describe('celGoSyntaxErrors', () => {
  test('lexer and parser errors in cel-go words, places and order', () => {
    for (const [expression, errors] of CEL_GO) {
      expect(checkDeviceSelector(expression), expression).toEqual({
        invalid: `compilation failed: ${errors}`,
      });
    }
  });

  test('what is not modelled, or parses, is left to the caller', () => {
    for (const expression of ["r'''a", "'''a", 'a.`b`(1)', '']) {
      expect(
        celGoSyntaxErrors(expression, () => false),
        expression,
      ).toBeUndefined();
    }
    expect(celGoSyntaxErrors('a && b', () => true)).toBeUndefined();
  });
});
