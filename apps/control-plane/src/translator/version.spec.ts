import { workloadV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { TranslationError } from './errors.js';
import { contentVersion } from './version.js';

const serviceOf = (hostname: string): workloadV1.Service => ({ name: 's', namespace: 'a', hostname, addresses: [], ports: [], subjectAltNames: [], waypoint: null, loadBalancing: null });
const service = (hostname: string): workloadV1.Address => ({ type: 'service', service: serviceOf(hostname) });

describe('contentVersion', () => {
  it('depends on content only', () => {
    const v = contentVersion(workloadV1.Address, 'a/s', service('s.a.svc.cluster.local'));
    expect(v).toMatch(/^[\w-]{16}$/);
    expect(contentVersion(workloadV1.Address, 'other name', service('s.a.svc.cluster.local'))).toBe(v);
    expect(contentVersion(workloadV1.Address, 'a/s', service('t.a.svc.cluster.local'))).not.toBe(v);
  });

  it('wraps an encoding failure in a TranslationError naming the resource', () => {
    const broken = { type: 'service', service: { ...serviceOf('x'), ports: [{ servicePort: 'eighty', targetPort: 80 }] } } as unknown as workloadV1.Address;
    expect(() => contentVersion(workloadV1.Address, 'a/broken', broken)).toThrow(TranslationError);
  });
});
