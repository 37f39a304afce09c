import type { securityV1 } from '@ambit/xds';
import { StringMatchers } from './string-matchers.js';

/** Reports a bad part of the i-th keyed match (`key`, `values[2]`, …) and does not return. */
export type KeyedFailure = (index: number, part: string, reason: string) => never;

/** How a keyed match reads its value: a header by name, a claim by path. */
export type ValueOf = (key: readonly string[]) => string | readonly string[] | undefined;

interface Compiled {
  readonly key: readonly string[];
  readonly values: Values | undefined;
  readonly notValues: Values | undefined;
}

/** A value list: its matchers, and whether it has `presence` (any present value, the empty one too). */
interface Values {
  readonly matchers: StringMatchers;
  readonly presence: boolean;
}

/**
 * A list of `KeyedMatch` conditions (request headers, JWT claims), all of which must
 * hold. One holds when its value is present and matches one of `values` (if any) and
 * none of `not_values`. `presence` matches any present value, the empty one too, as
 * Envoy's header present_match does. A list value (a claim such as `groups`) matches when any of its
 * elements does, as Envoy's metadata list matcher does; `not_values` then holds when no
 * element matches.
 */
export class KeyedMatchers {
  readonly #matches: readonly Compiled[];

  private constructor(matches: readonly Compiled[]) {
    this.#matches = matches;
  }

  static compile(matches: readonly securityV1.KeyedMatch[], fail: KeyedFailure): KeyedMatchers {
    return new KeyedMatchers(
      matches.map((m, i) => {
        if (m.key.length === 0 || m.key.some((k) => k === '')) fail(i, 'key', 'must name a value (no empty part)');
        if (m.values.length === 0 && m.notValues.length === 0) fail(i, 'values', 'values or notValues is required');
        const strings = (list: readonly securityV1.StringMatch[], part: string): Values | undefined =>
          list.length === 0
            ? undefined
            : { matchers: StringMatchers.compile(list, (j, reason) => fail(i, `${part}[${j}]`, reason)), presence: list.some((v) => v.matchType === 'presence') };
        return { key: m.key, values: strings(m.values, 'values'), notValues: strings(m.notValues, 'notValues') };
      }),
    );
  }

  matches(valueOf: ValueOf): boolean {
    const matches = this.#matches;
    for (let i = 0; i < matches.length; i++) {
      const m = matches[i]!;
      const value = valueOf(m.key);
      if (m.values !== undefined && !matchesValue(m.values, value)) return false;
      if (m.notValues !== undefined && matchesValue(m.notValues, value)) return false;
    }
    return true;
  }
}

function matchesValue(values: Values, value: string | readonly string[] | undefined): boolean {
  if (value !== undefined && values.presence) return true;
  return anyMatches(values.matchers, value);
}

/** Whether a value, or any element of a list value, is matched; false when absent. */
export function anyMatches(matchers: StringMatchers, value: string | readonly string[] | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return matchers.matches(value, 0);
  for (let i = 0; i < value.length; i++) if (matchers.matches(value[i]!, 0)) return true;
  return false;
}
