import type { securityV1 } from '@ambit/xds';

const EXACT = 0;
const PREFIX = 1;
const SUFFIX = 2;
const PRESENCE = 3;
type Kind = typeof EXACT | typeof PREFIX | typeof SUFFIX | typeof PRESENCE;

/**
 * A list of string matches (principals, namespaces), OR-ed, as ztunnel's
 * `StringMatch::matches` (src/rbac.rs) evaluates them: exact, prefix, suffix, or
 * presence (any non-empty value). The pattern forms `*`, `x*`, `*x` were already turned
 * into these by the translator (Istio's `stringToMatch`).
 *
 * Matching takes the value and the offset where it starts, so that a principal can be
 * matched inside its SPIFFE URI without slicing off `spiffe://` (no allocation).
 */
export class StringMatchers {
  readonly size: number;
  readonly #kinds: Uint8Array;
  readonly #values: readonly string[];

  private constructor(kinds: Kind[], values: string[]) {
    this.#kinds = Uint8Array.from(kinds);
    this.#values = values;
    this.size = kinds.length;
  }

  /** Compiles wire matches; on the first one without a match type, `invalid` is called with its index. */
  static compile(matches: readonly securityV1.StringMatch[], invalid: (index: number, problem: string) => never): StringMatchers {
    const kinds: Kind[] = [];
    const values: string[] = [];
    matches.forEach((m, index) => {
      switch (m.matchType) {
        case 'exact':
          kinds.push(EXACT);
          values.push(m.exact);
          return;
        case 'prefix':
          kinds.push(PREFIX);
          values.push(m.prefix);
          return;
        case 'suffix':
          kinds.push(SUFFIX);
          values.push(m.suffix);
          return;
        case 'presence':
          // ztunnel reads the oneof member, not its value: `presence: false` is still presence.
          kinds.push(PRESENCE);
          values.push('');
          return;
        default:
          invalid(index, 'has no match type (exact, prefix, suffix or presence)');
      }
    });
    return new StringMatchers(kinds, values);
  }

  /** Whether any match accepts `value.slice(from)`; false when `from` is negative (no value at all). */
  matches(value: string, from: number): boolean {
    if (from < 0) return false;
    const kinds = this.#kinds;
    const values = this.#values;
    const length = value.length - from;
    for (let i = 0; i < kinds.length; i++) {
      const want = values[i]!;
      switch (kinds[i]) {
        case EXACT:
          if (length === want.length && value.startsWith(want, from)) return true;
          break;
        case PREFIX:
          if (value.startsWith(want, from)) return true;
          break;
        case SUFFIX:
          if (length >= want.length && value.endsWith(want)) return true;
          break;
        default:
          if (length > 0) return true;
      }
    }
    return false;
  }
}
