import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLocality, findLocalityOverlap, localitiesOverlap } from './locality.js';

const part = fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/);
const locality = fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

describe('checkLocality', () => {
  it('accepts region, zone and subzone forms with a trailing wildcard', () => {
    for (const ok of ['us-west', 'us-west/zone1', 'us-west/zone1/sub', 'us-west/*', 'us-west/zone1/*', '*']) {
      expect(checkLocality(ok), ok).toBeUndefined();
    }
  });

  it('refuses empty parts, misplaced or repeated wildcards, and extra levels', () => {
    expect(checkLocality('')).toBeDefined();
    expect(checkLocality('us-west//sub')).toBeDefined();
    expect(checkLocality('us-west/*/sub')).toBeDefined();
    expect(checkLocality('us-*')).toBeDefined();
    expect(checkLocality('*/*')).toBeDefined();
    expect(checkLocality('a/b/c/d')).toBeDefined();
  });

  it('accepts every well-formed locality', () => {
    fc.assert(fc.property(locality, (l) => checkLocality(l) === undefined && checkLocality(`${l.split('/').length < 3 ? `${l}/*` : l}`) === undefined));
  });
});

describe('localitiesOverlap', () => {
  it('finds a locality covered by an earlier one, or covering it', () => {
    expect(localitiesOverlap('us-west', 'us-west/zone1')).toBe(true);
    expect(localitiesOverlap('us-west/zone1', 'us-west')).toBe(true);
    expect(localitiesOverlap('us-west/*', 'us-west/zone1/sub')).toBe(true);
    expect(localitiesOverlap('*', 'eu-west')).toBe(true);
    expect(localitiesOverlap('us-west/zone1', 'us-west/zone2')).toBe(false);
    expect(localitiesOverlap('us-west/zone1', 'us-west/*')).toBe(false);
  });

  it('makes a repeated locality overlap, and distinct regions never do', () => {
    fc.assert(fc.property(locality, (l) => localitiesOverlap(l, l)));
    fc.assert(
      fc.property(locality, locality, (a, b) => a.split('/')[0] === b.split('/')[0] || (!localitiesOverlap(a, b) && !localitiesOverlap(b, a))),
    );
  });

  it('reports the first overlapping entry of a list', () => {
    expect(findLocalityOverlap(['us-west/zone1', 'us-east', 'us-west'])).toEqual({ index: 2, earlier: 'us-west/zone1' });
    expect(findLocalityOverlap(['us-west/zone1', 'us-west/zone2'])).toBeUndefined();
  });
});
