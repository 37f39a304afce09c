import { formatIssue } from '@ambit/config-model';
import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { planSamples } from './samples.js';

const NAMESPACES = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/use-waypoint: waypoint}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: shop, labels: {istio.io/waypoint-for: service}}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
---
`;

function pod(name: string, namespace: string, extra: { annotation?: string; labels?: string; ports?: string } = {}): string {
  const annotation = extra.annotation === undefined ? '' : `, annotations: {sample.ambit.dev/app: ${extra.annotation}}`;
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}${annotation}, labels: {${extra.labels ?? ''}}}
spec: {nodeName: n1, containers: [{name: c, image: i${extra.ports === undefined ? '' : `, ports: ${extra.ports}`}}]}
status: {podIP: 127.0.30.${name.length}}
---
`;
}

const service = (name: string, namespace: string, selector: string, ports: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {selector: {${selector}}, ports: ${ports}}\n---\n`;

describe('planSamples', () => {
  it('plans one sample per annotated pod on its container ports, reporting its canonical app and version', () => {
    const plan = planSamples(
      yamlResources(
        pod('web-v3', 'demo', { annotation: 'echo', labels: 'app: web, version: v3', ports: '[{containerPort: 8080}, {containerPort: 53, protocol: UDP}, {containerPort: 9090}]' }) +
          pod('plain', 'demo', { labels: 'app: web', ports: '[{containerPort: 8080}]' }) +
          service('web', 'demo', 'app: web', '[{port: 80, targetPort: 8080}]'),
      ),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.samples).toEqual([
      { namespace: 'demo', name: 'web-v3', sample: 'echo', app: 'web', version: 'v3', node: 'n1', listen: ['127.0.30.6:8080', '127.0.30.6:9090'], services: ['demo/web'] },
    ]);
  });

  it('without container ports, listens on the ports its Services target; defaults to the pod name and "latest"', () => {
    const plan = planSamples(yamlResources(pod('lone', 'demo', { annotation: 'echo', labels: 'role: x' }) + service('a', 'demo', 'role: x', '[{name: a, port: 80, targetPort: 8081}, {name: b, port: 9000}]')));
    expect(plan.samples).toEqual([{ namespace: 'demo', name: 'lone', sample: 'echo', app: 'lone', version: 'latest', node: 'n1', listen: ['127.0.30.4:8081', '127.0.30.4:9000'], services: ['demo/a'] }]);
  });

  it('knows which Services go through a waypoint', () => {
    const plan = planSamples(yamlResources(NAMESPACES + pod('cart', 'shop', { annotation: 'echo', labels: 'app: cart', ports: '[{containerPort: 80}]' }) + service('cart', 'shop', 'app: cart', '[{port: 80}]')));
    expect([...plan.waypoints]).toEqual([['shop/cart', 'shop/waypoint']]);
  });

  it('reports annotated pods it cannot play, naming the annotation', () => {
    const plan = planSamples(
      yamlResources(
        pod('what', 'demo', { annotation: 'httpbin', ports: '[{containerPort: 80}]' }) +
          pod('portless', 'demo', { annotation: 'echo' }) +
          pod('clash', 'demo', { annotation: 'echo', ports: '[{containerPort: 15008}]' }),
      ),
    );
    expect(plan.samples).toEqual([]);
    expect(plan.issues.map(formatIssue)).toEqual([
      'inline.yaml:1:1 Pod demo/what metadata.annotations["sample.ambit.dev/app"]: "httpbin" is not a sample of local mode (the samples are: echo)',
      'inline.yaml:7:1 Pod demo/portless metadata.annotations["sample.ambit.dev/app"]: asks for a sample, but the pod has no port (give its container a containerPort, or select it with a Service, so that the sample knows where to listen)',
      'inline.yaml:13:1 Pod demo/clash metadata.annotations["sample.ambit.dev/app"]: the sample cannot listen on port 15008 (ztunnel serves 15080, 15008, 15006 on every pod address in local mode)',
    ]);
  });
});
