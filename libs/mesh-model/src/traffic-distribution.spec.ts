import { describe, expect, it } from 'vitest';
import { loadBalancingPreference } from './traffic-distribution.js';

const ANNOTATION = 'networking.istio.io/traffic-distribution';

describe('loadBalancingPreference', () => {
  it('reads the spec, then the annotation, then the namespace annotation', () => {
    expect(loadBalancingPreference(false, 'PreferClose', {}, {})).toBe('sameZone');
    expect(loadBalancingPreference(false, 'PreferSameNode', { [ANNOTATION]: 'PreferSameZone' }, {})).toBe('sameNode');
    expect(loadBalancingPreference(false, undefined, { [ANNOTATION]: 'prefersamezone' }, {})).toBe('sameZone');
    expect(loadBalancingPreference(false, undefined, {}, { [ANNOTATION]: 'PreferSameNode' })).toBe('sameNode');
    expect(loadBalancingPreference(false, undefined, { [ANNOTATION]: 'Any' }, {})).toBeUndefined();
  });

  it('lets internalTrafficPolicy Local override everything', () => {
    expect(loadBalancingPreference(true, 'PreferClose', { [ANNOTATION]: 'PreferSameNode' }, {})).toBe('nodeLocal');
  });
});
