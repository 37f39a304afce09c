import { yamlResources } from '@ambit/config-model/testing';
import { idOf, MeshModel } from '@ambit/mesh-model';
import { describe, expect, it } from 'vitest';
import { filterStatus, statusFilter, statusReport, type StatusReport } from './status-report.js';

/** A mesh with one problem of each severity, and a resource without any. */
const RESOURCES = yamlResources(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews, namespace: shop, labels: {app: reviews}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: jobs}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.2}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v9}}]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reviews, namespace: shop}
`);

function report(): StatusReport {
  const model = new MeshModel();
  model.apply({ upserted: RESOURCES });
  return statusReport({
    provider: { directory: '/config', mode: 'watch', issues: [], files: [] },
    resources: RESOURCES,
    resourceStatus: (resource) => model.status(idOf(resource)),
    translationFailure: undefined,
  });
}

describe('statusReport', () => {
  it('lists every resource the mesh reads with what it applies to and its coded findings', () => {
    const { resources, summary } = report();
    expect(resources.map((r) => r.resource)).toEqual(['Namespace shop', 'Service shop/reviews', 'Pod shop/reviews', 'Pod jobs/batch', 'VirtualService shop/reviews']);
    expect(resources.find((r) => r.kind === 'VirtualService')).toMatchObject({
      namespace: 'shop',
      name: 'reviews',
      source: 'inline.yaml:23:1',
      appliedTo: [{ kind: 'service', key: 'shop/reviews.shop.svc.cluster.local' }],
      notes: [
        { code: 'AMB0201', severity: 'warning', reason: 'NoWaypoint', path: 'spec.hosts' },
        { code: 'AMB0103', severity: 'error', reason: 'NotFound', path: 'spec.http[0].route[0].destination.subset' },
      ],
    });
    expect(resources.find((r) => r.resource === 'Pod jobs/batch')?.notes).toEqual([
      { code: 'AMB0208', severity: 'info', reason: 'NotCaptured', message: 'namespace jobs is not known, so not enrolled in the ambient mesh' },
    ]);
    expect(summary).toEqual({ errors: 1, warnings: 1, info: 1 });
  });

  it('narrows to ?kind=&namespace=&name=, counting only what it keeps', () => {
    const full = report();
    const only = (query: string): string[] => filterStatus(full, statusFilter(new URLSearchParams(query))).resources.map((r) => r.resource);
    expect(only('kind=Pod')).toEqual(['Pod shop/reviews', 'Pod jobs/batch']);
    expect(only('namespace=shop&name=reviews')).toEqual(['Service shop/reviews', 'Pod shop/reviews', 'VirtualService shop/reviews']);
    expect(only('kind=VirtualService&namespace=jobs')).toEqual([]);
    expect(only('pretty')).toHaveLength(5);
    expect(filterStatus(full, { kind: 'Pod' }).summary).toEqual({ errors: 0, warnings: 0, info: 1 });
  });
});
