import type { Resource } from '@ambit/config-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idOf } from '@ambit/mesh-model';
import { meshPool } from './__support__/mesh-pool.js';
import { translate, Translator, type Translated, type Translation } from './translator.js';

const POOL = meshPool();

/** One change: set a slot to one of its variants, or remove it (variant -1). */
const change = fc.record({ slot: fc.nat({ max: POOL.length - 1 }), variant: fc.integer({ min: -1, max: 4 }) });
/** A batch touches each slot at most once, as a provider's batches do. */
const batch = fc.uniqueArray(change, { minLength: 1, maxLength: 4, selector: (c) => c.slot });

function names<T>(list: readonly Translated<T>[]): Map<string, string> {
  return new Map(list.map((t) => [t.name, t.version]));
}

/** What a consumer of full translations would see change between two of them. */
function diff(before: Translation, after: Translation, kind: keyof Translation): { upserted: string[]; removed: string[] } {
  const old = names<unknown>(before[kind]);
  const now = names<unknown>(after[kind]);
  return {
    upserted: [...now].filter(([name, version]) => old.get(name) !== version).map(([name]) => name).sort(),
    removed: [...old.keys()].filter((name) => !now.has(name)).sort(),
  };
}

describe('incremental translation', () => {
  it('equals a full translation of the final input after any sequence of changes, and reports exactly what changed', () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 12 }), (batches) => {
        const translator = new Translator();
        const current = new Map<string, Resource>();
        let previous = translate([]);
        for (const changes of batches) {
          const upserted: Resource[] = [];
          const removed = [];
          for (const { slot, variant } of changes) {
            const { name, variants } = POOL[slot]!;
            const resource = variants[variant % variants.length];
            if (variant < 0 || resource === undefined) {
              const old = current.get(name);
              if (old !== undefined) removed.push(idOf(old));
              current.delete(name);
            } else {
              upserted.push(resource);
              current.set(name, resource);
            }
          }
          const delta = translator.apply({ upserted, removed });
          const full = translate([...current.values()]);
          expect(translator.snapshot()).toEqual(full);
          for (const kind of ['addresses', 'authorizations'] as const) {
            expect({ upserted: delta[kind].upserted.map((t) => t.name).sort(), removed: [...delta[kind].removed].sort() }).toEqual(diff(previous, full, kind));
          }
          previous = full;
        }
      }),
      { numRuns: 300 },
    );
  });
});
