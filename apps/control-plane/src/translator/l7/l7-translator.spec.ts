import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadResources } from '@ambit/config-model/testing';
import { Translator } from '../translator.js';

const BOOKINFO = join(fileURLToPath(new URL('./__golden__/', import.meta.url)), 'bookinfo-canary.in.yaml');

describe('L7 translator incrementality', () => {
  it('rebuilds only the route tables of the hosts a changed VirtualService names', () => {
    const resources = loadResources(BOOKINFO);
    const translator = new Translator();
    translator.apply({ upserted: resources });
    const vs = resources.find((r) => r.kind === 'VirtualService' && r.metadata.name === 'details') as Extract<(typeof resources)[number], { kind: 'VirtualService' }>;
    const changed = { ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'details' } }], timeout: 5000 }] } } as typeof vs;
    const delta = translator.apply({ upserted: [changed] });
    // One root: details' waypoint route tables; no cluster and no other service's routes.
    expect(delta.recomputed.l7).toBe(1);
    expect(delta.routeTables.upserted.map((t) => t.name)).toEqual(['waypoint/bookinfo/waypoint/details.bookinfo.svc.cluster.local:9080']);
    expect(delta.clusters).toEqual({ upserted: [], removed: [] });
  });

  it('follows a DestinationRule change into the subsets and into the routes that name them', () => {
    const resources = loadResources(BOOKINFO);
    const translator = new Translator();
    translator.apply({ upserted: resources });
    const dr = resources.find((r) => r.kind === 'DestinationRule')!;
    const delta = translator.apply({ removed: [{ group: dr.group, kind: dr.kind, namespace: dr.metadata.namespace, name: dr.metadata.name }] });
    expect([...delta.clusters.removed].sort()).toEqual(['outbound|9080|v1|reviews.bookinfo.svc.cluster.local', 'outbound|9080|v2|reviews.bookinfo.svc.cluster.local']);
    // The reviews routes now name subsets that do not exist: their destinations answer 503 (cluster not found).
    const [reviews] = delta.routeTables.upserted;
    expect(reviews?.name).toBe('waypoint/bookinfo/waypoint/reviews.bookinfo.svc.cluster.local:9080');
    expect(reviews?.resource.virtualHosts[0]?.routes.map((r) => (r.action === 'directResponse' ? r.directResponse.status : r.action))).toEqual([503, 503]);
  });
});
