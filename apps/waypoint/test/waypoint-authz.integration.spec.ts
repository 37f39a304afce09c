import { createEngine } from '@ambit/l7-proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, clientPool, connectVia, exchange, reviewsZtunnel, setUp } from './support/fixture.js';
import { CLIENT_IDENTITY, OTHER_IDENTITY, pod, REVIEWS_HOST, REVIEWS_VIP } from './support/mesh.js';

afterEach(cleanUp);

/** Only the client pod, and only GET /api/*, may reach reviews (a Service targetRef: enforced by reviews' waypoint). */
const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: reviews-api
  namespace: demo
spec:
  targetRefs:
  - kind: Service
    group: ""
    name: reviews
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/demo/sa/client"]
    to:
    - operation:
        methods: ["GET"]
        paths: ["/api/*"]
`;

const FILES = { 'other-pod.yaml': pod('other', '127.79.0.11', 'node-b', 'other', { app: 'other' }), 'policy.yaml': POLICY };

describe('waypoint L7 authorization with the real control plane', () => {
  it('enforces an AuthorizationPolicy with a Service targetRef per request: principal, method and path', async () => {
    const { controlPlane, dir, waypoint } = await setUp(createEngine, FILES);
    const { seen } = await reviewsZtunnel(dir, controlPlane);
    const send = async (identity: string, method: string, path: string): Promise<string> => {
      const pool = await clientPool(dir, controlPlane, identity);
      const tunnel = await connectVia(pool, waypoint, identity, REVIEWS_VIP, 9080);
      return exchange(tunnel, `${method} ${path} HTTP/1.1\r\nhost: ${REVIEWS_HOST}\r\ncontent-length: 0\r\n\r\n`, (text) => /\r\n\r\n(reviews-1|RBAC: access denied)$/.test(text));
    };

    expect(await send(CLIENT_IDENTITY, 'GET', '/api/1')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*reviews-1$/);
    expect(seen).toHaveLength(1);

    const other = await send(OTHER_IDENTITY, 'GET', '/api/1');
    expect(other).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(other).toMatch(/\r\ncontent-type: text\/plain\r\n/);
    expect(other.endsWith('\r\n\r\nRBAC: access denied')).toBe(true);

    expect(await send(CLIENT_IDENTITY, 'POST', '/api/1')).toMatch(/^HTTP\/1\.1 403 Forbidden[\s\S]*RBAC: access denied$/);
    // Path normalised as the router sees it: /api/../admin is /admin, outside /api/*.
    expect(await send(CLIENT_IDENTITY, 'GET', '/api/../admin')).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    // Denied requests never went upstream.
    expect(seen).toHaveLength(1);

    const metrics = await (await fetch(`http://127.0.0.1:${waypoint.addresses.metrics.port}/metrics`)).text();
    const denied = (principal: string, count: number): RegExp => new RegExp(`istio_requests_total\\{reporter="waypoint",[^}]*source_principal="${principal}"[^}]*response_code="403",response_flags="RBAC"[^}]*\\} ${count}`);
    expect(metrics).toMatch(denied(OTHER_IDENTITY, 1));
    expect(metrics).toMatch(denied(CLIENT_IDENTITY, 2));
  });
});
