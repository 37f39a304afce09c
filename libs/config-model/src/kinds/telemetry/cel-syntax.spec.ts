import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CEL_DEPTH, checkCelSyntax } from './cel-syntax.js';

describe('checkCelSyntax', () => {
  it.each([
    'response.code >= 400',
    "connection.mtls && request.url_path.contains('v1beta3')",
    '!has(request.useragent) || !(request.useragent.startsWith("Amazon-Route53-Health-Check-Service"))',
    'response.code >= 500 ? true : false',
    "request.headers['x-debug'] == '1'",
    'request.headers["x-b3-sampled"] in ["1", "true"]',
    '[1, 2, 3].exists(x, x > 2)',
    '[1, 2, 3].map(x, x * 2)',
    '[1, 2, 3].map(x, x > 1, x * 2)',
    "{'a': 1, 'b': 2}.size() == 2",
    '{}.size() == 0',
    '[1, 2,].size() == 2',
    'google.protobuf.Duration{seconds: 5}',
    '.response.code == 200',
    'response.duration > duration("2s")',
    'size(request.path) < 1024u && 0x1F > 1 && 1.5e3 > .5',
    "r'raw \\d+' != b'bytes' && '''triple\n quoted''' != \"\\u00e9\\x41\\101\\n\"",
    '-1 < --2 && !!true',
    'a.as == null // a trailing comment',
    'filter.filter(x, x)',
    'f(a, b)',
    'a.`escaped-field` == 1',
    "r'ends with a backslash\\' == R\"x\"",
  ])('accepts %s', (expression) => {
    expect(checkCelSyntax(expression)).toBeUndefined();
  });

  it.each([
    ['', 'expected an expression'],
    ['response.code >=', 'expected an expression'],
    ['response.code = 500', 'unexpected character "="'],
    ['a & b', 'unexpected character "&"'],
    ['(a', 'expected ")"'],
    ['a)', 'unexpected input'],
    ['a ? b', 'expected ":"'],
    // CEL's grammar: the middle of a conditional is not itself a conditional.
    ['a ? b ? c : d : e', 'expected ":"'],
    ['has(a)', 'invalid argument to has()'],
    ['has(a[0])', 'invalid argument to has()'],
    ['l.all(x.y, true)', 'simple variable name'],
    ['l.exists(1, true)', 'simple variable name'],
    ["'abc", 'unterminated string'],
    ["'a\nb'", 'newline in string'],
    ["'\\q'", 'invalid escape'],
    ["'\\x4'", 'invalid \\x escape'],
    ['if == 1', 'reserved word'],
    ['a.true', 'expected a field name'],
    ['1abc', 'invalid number'],
    ['0x', 'invalid hex literal'],
    ['{1: }', 'expected an expression'],
    ['[1 2]', 'expected "]"'],
    ['a.b{c 1}', 'expected ":"'],
    ['`a` == 1', 'expected an identifier'],
    ['!-a', 'expected an expression'],
    ['a $ b', 'unexpected character "$"'],
  ])('rejects %j', (expression, message) => {
    expect(checkCelSyntax(expression)).toContain(message);
  });

  it('bounds nesting and reports, rather than overflowing the stack', () => {
    expect(checkCelSyntax(`${'('.repeat(MAX_CEL_DEPTH + 10)}1${')'.repeat(MAX_CEL_DEPTH + 10)}`)).toContain('nested');
    expect(checkCelSyntax(`${'('.repeat(50)}1${')'.repeat(50)}`)).toBeUndefined();
    expect(checkCelSyntax('['.repeat(100_000))).toBeDefined();
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => void checkCelSyntax(s)));
    const alphabet = fc.constantFrom(...'ab1.()[]{}!-+*/%<>=&|?:,"\' '.split(''), '&&', '||', '==', 'has', 'in', 'all');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 30 }), (parts) => void checkCelSyntax(parts.join(''))));
  });

  /** Random well-formed expressions: each must be accepted. */
  const expression = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('request.path', 'response.code', 'x', 'source.labels["app"]', '1', '2.5', 'true', 'null', "'s'", '"t"', '3u'),
      fc.tuple(tie('expr'), fc.constantFrom('&&', '||', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'in'), tie('expr')).map(
        ([a, op, b]) => `${a} ${op} ${b}`,
      ),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? (${b}) : ${c}`),
      tie('expr').map((a) => `(${a})`),
      tie('expr').map((a) => `!(${a})`),
      fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc.tuple(tie('expr'), tie('expr')).map(([k, v]) => `{${k}: ${v}}`),
      fc.tuple(tie('expr'), fc.constantFrom('size', 'startsWith', 'contains')).map(([a, f]) => `(${a}).${f}()`),
      tie('expr').map((a) => `[${a}].all(v, v == ${a})`),
      tie('expr').map((a) => `has(request.headers.${'x'}) && ${a}`),
    ),
  })).expr;

  it('accepts generated well-formed expressions', () => {
    fc.assert(
      fc.property(expression, (e) => {
        expect(checkCelSyntax(e)).toBeUndefined();
      }),
    );
  });

  it('rejects a well-formed expression with a dangling binary operator', () => {
    fc.assert(
      fc.property(expression, fc.constantFrom('&&', '||', '==', '+', '*', 'in'), (e, op) => {
        expect(checkCelSyntax(`${e} ${op}`)).toBeDefined();
      }),
    );
  });
});
