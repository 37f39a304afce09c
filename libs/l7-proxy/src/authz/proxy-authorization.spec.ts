import type { IncomingMessage } from 'node:http';
import { SpiffeId } from '@ambit/crypto';
import { createLogger } from '@ambit/telemetry';
import { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import type { ProxyRequestContext } from '../engine/index.js';
import { AuthorizationRejectedError } from './errors.js';
import { ProxyAuthorization } from './proxy-authorization.js';

const REVIEWS = 'demo/reviews.demo.svc.cluster.local';
const SECRET = 'Bearer do-not-log-me';

/** A waypoint's Authorization as it arrives: through the codec, so that every repeated field is there. */
function policy(name: string, fields: Partial<securityV1.Authorization>): { name: string; version: string; resource: securityV1.Authorization } {
  const resource: securityV1.Authorization = { name, namespace: 'demo', scope: securityV1.Scope.SERVICE, action: securityV1.Action.ALLOW, groups: [], dryRun: false, services: [REVIEWS], ...fields };
  return { name: `waypoint/demo/waypoint/demo/${name}`, version: 'v1', resource: securityV1.Authorization.decode(securityV1.Authorization.encode(resource)) };
}

/** ALLOW only GET on reviews. */
const GET_ONLY = policy('get-only', { groups: [{ rules: [{ matches: [{ methods: [{ matchType: 'exact', exact: 'GET' }] } as unknown as securityV1.Match] }] }] });

function authorizationWithLog(): { authorization: ProxyAuthorization; lines: string[] } {
  const lines: string[] = [];
  return { authorization: new ProxyAuthorization(createLogger({ level: 'debug', component: 'test', write: (line) => lines.push(line) })), lines };
}

function ask(authorization: ProxyAuthorization, method: string, context: Partial<ProxyRequestContext> = {}) {
  const full: ProxyRequestContext = {
    routeTable: 't',
    scheme: 'http',
    protocol: 'http',
    source: { identity: 'spiffe://cluster.local/ns/demo/sa/client', ip: '127.0.0.1' },
    peer: SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/client'),
    destination: { ip: '10.96.9.9', port: 9080, service: REVIEWS },
    ...context,
  };
  const req = { headers: { authorization: SECRET } } as unknown as IncomingMessage;
  return authorization.authorize({ req, context: full, route: 'r', host: 'reviews', method, path: '/api/1' });
}

describe('ProxyAuthorization', () => {
  it('decides with the policies of the destination service and logs a denial with the policy, never header values', () => {
    const { authorization, lines } = authorizationWithLog();
    authorization.apply({ upserted: [GET_ONLY], removed: [] });
    expect(ask(authorization, 'GET').allowed).toBe(true);
    expect(ask(authorization, 'POST').allowed).toBe(false);
    expect(ask(authorization, 'POST', { destination: { ip: '10.96.9.10', port: 80, service: 'demo/other.demo.svc.cluster.local' } }).allowed).toBe(true);
    const denial = lines.find((line) => line.includes('denied by authorization policy'));
    expect(denial).toContain('no-allow-policy-matched');
    expect(lines.join('\n')).not.toContain('do-not-log-me');
  });

  it('refuses a request whose context has no destination', () => {
    const { authorization } = authorizationWithLog();
    expect(ask(authorization, 'GET', { destination: undefined }).allowed).toBe(false);
  });

  it('NACKs a resource it cannot compile, applies the rest and enforces the bad one fail-closed', () => {
    const { authorization } = authorizationWithLog();
    const bad = policy('no-services', { action: securityV1.Action.DENY, scope: securityV1.Scope.WAYPOINT, groups: [{ rules: [{ matches: [{ destinationPorts: [70000] } as unknown as securityV1.Match] }] }] });
    let thrown: unknown;
    try {
      authorization.apply({ upserted: [GET_ONLY, bad], removed: [] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthorizationRejectedError);
    expect(thrown).toMatchObject({ code: 'AMBIT_ERR_PROXY_AUTHORIZATION_REJECTED', message: expect.stringContaining('no-services') as string });
    expect(authorization.size).toBe(2);
    // The bad DENY policy denies everything at this waypoint until a valid version arrives.
    expect(ask(authorization, 'GET').allowed).toBe(false);
  });
});
