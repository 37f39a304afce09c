import { describe, expect, it } from 'vitest';
import { canonicalService } from './canonical.js';

describe('canonicalService', () => {
  it.each([
    [{}, { name: 'wl', revision: 'latest' }],
    [{ app: 'a', version: 'v1' }, { name: 'a', revision: 'v1' }],
    [{ app: 'a', 'app.kubernetes.io/name': 'k', version: 'v1', 'app.kubernetes.io/version': '2' }, { name: 'k', revision: '2' }],
    [{ app: 'a', 'service.istio.io/canonical-name': 'c', 'service.istio.io/canonical-revision': 'r', version: 'v1' }, { name: 'c', revision: 'r' }],
  ])('%j → %j', (labels, expected) => {
    expect(canonicalService(labels, 'wl')).toEqual(expected);
  });
});
