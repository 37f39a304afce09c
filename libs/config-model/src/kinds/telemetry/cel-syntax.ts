/**
 * A syntax check for CEL (Common Expression Language) expressions, as Istio applies
 * to Telemetry access-log filters: it parses the expression (no type checking, so
 * any attribute and function name is accepted) and expands the standard macros,
 * whose argument rules (`has(a.b)`, `list.all(x, p)`) are syntax errors too.
 */

/** cel-go's default limits on expression size (code points) and nesting. */
export const MAX_CEL_LENGTH = 100_000;
export const MAX_CEL_DEPTH = 250;

type TokenType = 'ident' | 'number' | 'string' | 'literal' | 'op' | 'eof';
interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** 0-based code-unit offset. */
  readonly pos: number;
}

class CelSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** Words CEL reserves: not usable as identifiers (they may still follow a dot). */
const RESERVED = new Set([
  'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);
const LITERAL_WORDS = new Set(['true', 'false', 'null']);
const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];
const SIMPLE_ESCAPES = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '?', '"', "'", '`']);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isIdentStart = (c: string | undefined) => c !== undefined && /^[A-Za-z_]$/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, pos = i): never => {
    throw new CelSyntaxError(message, pos);
  };

  const readString = (start: number, raw: boolean): void => {
    const triple = text.startsWith(text[i]!.repeat(3), i) ? text[i]!.repeat(3) : undefined;
    const quote = triple ?? text[i]!;
    i += quote.length;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      if (text.startsWith(quote, i)) {
        i += quote.length;
        break;
      }
      const c = text[i]!;
      if (triple === undefined && (c === '\n' || c === '\r')) fail('newline in string', i);
      // In a raw string a backslash is an ordinary character.
      if (c === '\\' && !raw) {
        const e = text[i + 1];
        if (e !== undefined && SIMPLE_ESCAPES.has(e)) i += 2;
        else if (e === 'x' || e === 'X') {
          if (!isHex(text[i + 2]) || !isHex(text[i + 3])) fail('invalid \\x escape');
          i += 4;
        } else if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          for (let k = 2; k < 2 + n; k++) if (!isHex(text[i + k])) fail(`invalid \\${e} escape`);
          i += 2 + n;
        } else if (e !== undefined && e >= '0' && e <= '3') {
          if (!/^[0-7]$/.test(text[i + 2] ?? '') || !/^[0-7]$/.test(text[i + 3] ?? '')) fail('invalid octal escape');
          i += 4;
        } else fail('invalid escape sequence');
        continue;
      }
      i++;
    }
    tokens.push({ type: 'string', text: text.slice(start, i), pos: start });
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (isIdentPart(text[i])) i++;
      const word = text.slice(start, i);
      if ((text[i] === '"' || text[i] === "'") && /^(?:[rR]|[bB]|[rR][bB]|[bB][rR])$/.test(word)) {
        readString(start, /[rR]/.test(word));
        continue;
      }
      tokens.push({ type: word === 'in' ? 'op' : LITERAL_WORDS.has(word) ? 'literal' : 'ident', text: word, pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      readString(start, false);
      continue;
    }
    if (c === '`') {
      // Escaped identifier (only valid after a dot, checked by the parser).
      const end = text.indexOf('`', i + 1);
      if (end === -1 || end === i + 1) fail('unterminated escaped identifier');
      i = end + 1;
      tokens.push({ type: 'ident', text: text.slice(start, i), pos: start });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        i += 2;
        if (!isHex(text[i])) fail('invalid hex literal');
        while (isHex(text[i])) i++;
        if (text[i] === 'u' || text[i] === 'U') i++;
      } else {
        while (isDigit(text[i])) i++;
        let float = false;
        if (text[i] === '.' && isDigit(text[i + 1])) {
          float = true;
          i++;
          while (isDigit(text[i])) i++;
        }
        if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1]) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2])))) {
          float = true;
          i += 2;
          while (isDigit(text[i])) i++;
        }
        if (!float && (text[i] === 'u' || text[i] === 'U')) i++;
      }
      if (isIdentPart(text[i])) fail(`invalid number "${text.slice(start, i + 1)}"`, start);
      tokens.push({ type: 'number', text: text.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) throw new CelSyntaxError(`unexpected character "${c}"`, i);
    i += op.length;
    tokens.push({ type: 'op', text: op, pos: start });
  }
  tokens.push({ type: 'eof', text: '', pos: text.length });
  return tokens;
}

/** What an expression is, as far as macros and message construction care. */
interface Shape {
  readonly kind: 'ident' | 'select' | 'other';
  /** An identifier or a chain of field selections on one (`a.b.c`): may name a message type. */
  readonly qualified: boolean;
}
const OTHER: Shape = { kind: 'other', qualified: false };

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private get token(): Token {
    return this.tokens[this.index]!;
  }
  private is(text: string): boolean {
    const t = this.token;
    return (t.type === 'op' || t.type === 'literal') && t.text === text;
  }
  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.index++;
    return true;
  }
  private expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected "${text}"`);
  }
  private fail(message: string): never {
    const t = this.token;
    throw new CelSyntaxError(`${message}, found ${t.type === 'eof' ? 'end of expression' : `"${t.text}"`}`, t.pos);
  }
  private nest<T>(parse: () => T): T {
    if (++this.depth > MAX_CEL_DEPTH) throw new CelSyntaxError(`expression is nested more than ${MAX_CEL_DEPTH} levels deep`, this.token.pos);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  parseAll(): void {
    this.expr();
    if (this.token.type !== 'eof') this.fail('unexpected input');
  }

  private expr(): Shape {
    return this.nest(() => {
      const cond = this.binary(0);
      if (!this.accept('?')) return cond;
      this.binary(0);
      this.expect(':');
      this.expr();
      return OTHER;
    });
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['==', '!=', '<', '<=', '>', '>=', 'in'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Shape {
    const ops = Parser.LEVELS[level];
    if (ops === undefined) return this.unary();
    let left = this.binary(level + 1);
    while (ops.some((op) => this.is(op))) {
      this.index++;
      this.nest(() => this.binary(level + 1));
      left = OTHER;
    }
    return left;
  }

  private unary(): Shape {
    if (this.is('!') || this.is('-')) {
      const op = this.token.text;
      while (this.accept(op));
      this.member();
      return OTHER;
    }
    return this.member();
  }

  private selector(): string {
    const t = this.token;
    if (t.type !== 'ident') this.fail('expected a field name');
    this.index++;
    return t.text;
  }

  private args(close: string): Shape[] {
    const out: Shape[] = [];
    if (this.accept(close)) return out;
    do out.push(this.expr());
    while (this.accept(','));
    this.expect(close);
    return out;
  }

  private member(): Shape {
    let shape = this.primary();
    for (;;) {
      if (this.accept('.')) {
        const pos = this.token.pos;
        const name = this.selector();
        if (this.accept('(')) {
          const args = this.args(')');
          checkReceiverMacro(name, args, pos);
          shape = OTHER;
        } else {
          shape = { kind: 'select', qualified: shape.qualified && !name.startsWith('`') };
        }
      } else if (this.accept('[')) {
        this.expr();
        this.expect(']');
        shape = OTHER;
      } else if (shape.qualified && this.accept('{')) {
        this.fieldInits();
        shape = OTHER;
      } else {
        return shape;
      }
    }
  }

  private fieldInits(): void {
    if (this.accept('}')) return;
    do {
      if (this.is('}')) break;
      this.selector();
      this.expect(':');
      this.expr();
    } while (this.accept(','));
    this.expect('}');
  }

  private primary(): Shape {
    const t = this.token;
    if (this.accept('.')) {
      const name = this.identifier();
      if (this.accept('(')) {
        this.args(')');
        return OTHER;
      }
      return { kind: 'ident', qualified: !name.startsWith('`') };
    }
    if (t.type === 'ident') {
      const name = this.identifier();
      if (this.accept('(')) {
        const args = this.args(')');
        if (name === 'has' && args.length === 1 && args[0]!.kind !== 'select') {
          throw new CelSyntaxError('invalid argument to has(): it takes a field selection such as has(a.b)', t.pos);
        }
        return OTHER;
      }
      return { kind: 'ident', qualified: true };
    }
    if (this.accept('(')) {
      this.expr();
      this.expect(')');
      return OTHER;
    }
    if (this.accept('[')) {
      if (!this.accept(',')) {
        if (!this.is(']')) {
          do {
            if (this.is(']')) break;
            this.expr();
          } while (this.accept(','));
        }
      }
      this.expect(']');
      return OTHER;
    }
    if (this.accept('{')) {
      if (!this.accept(',')) {
        if (!this.is('}')) {
          do {
            if (this.is('}')) break;
            this.expr();
            this.expect(':');
            this.expr();
          } while (this.accept(','));
        }
      }
      this.expect('}');
      return OTHER;
    }
    if (t.type === 'number' || t.type === 'string' || t.type === 'literal') {
      this.index++;
      return OTHER;
    }
    return this.fail('expected an expression');
  }

  private identifier(): string {
    const t = this.token;
    if (t.type !== 'ident' || t.text.startsWith('`')) this.fail('expected an identifier');
    if (RESERVED.has(t.text)) throw new CelSyntaxError(`"${t.text}" is a reserved word`, t.pos);
    this.index++;
    return t.text;
  }
}

/** Receiver-style macros whose first argument names the loop variable. */
const COMPREHENSIONS: Readonly<Record<string, readonly number[]>> = {
  all: [2],
  exists: [2],
  exists_one: [2],
  filter: [2],
  map: [2, 3],
};

function checkReceiverMacro(name: string, args: readonly Shape[], pos: number): void {
  if (COMPREHENSIONS[name]?.includes(args.length) === true && args[0]!.kind !== 'ident') {
    throw new CelSyntaxError(`the first argument of ${name}() must be a simple variable name`, pos);
  }
}

/** Returns undefined when `expression` is a syntactically valid CEL expression, or an error. */
export function checkCelSyntax(expression: string): string | undefined {
  if ([...expression].length > MAX_CEL_LENGTH) return `expression is longer than ${MAX_CEL_LENGTH} characters`;
  try {
    const tokens = tokenize(expression);
    new Parser(tokens).parseAll();
    return undefined;
  } catch (err) {
    if (err instanceof CelSyntaxError) {
      const col = err.pos + 1;
      return `${err.message} (at character ${col})`;
    }
    throw err;
  }
}
