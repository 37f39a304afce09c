import type { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, connection, exact, match, presence, rule, upsert, type ConnectionSpec } from '../__support__/policies.js';
import { PolicyStore } from '../policy/policy-store.js';
import { AuthorizationEngine } from './authorization-engine.js';

/**
 * AuthorizationPolicy and PeerAuthentication examples from Istio's documentation, each
 * as the translator compiles it (docs/control-plane.md#authorization) and with the
 * outcomes the page describes for connections at L4. HTTP-only parts are encoded as the
 * translator encodes them: ALLOW rules that need them are dropped, DENY rules keep an
 * empty match in their place.
 */
interface Example {
  readonly source: string;
  readonly what: string;
  readonly policies: securityV1.Authorization[];
  readonly connections: [ConnectionSpec, boolean][];
}

const REFERENCE = 'istio.io/latest/docs/reference/config/security/authorization-policy/';
const selected = (key: string) => ({ policies: [key] });

const EXAMPLES: Example[] = [
  {
    source: 'istio.io/latest/docs/ambient/getting-started/enforce-auth-policies/ (productpage-ztunnel)',
    what: 'ALLOW from the Bookinfo gateway service account only',
    policies: [authorization('default/productpage-ztunnel', { groups: [rule([match({ principals: [exact('cluster.local/ns/default/sa/bookinfo-gateway-istio')] })])] })],
    connections: [
      [{ from: 'default/bookinfo-gateway-istio', ...selected('default/productpage-ztunnel') }, true],
      [{ from: 'default/curl', ...selected('default/productpage-ztunnel') }, false],
      [{ ...selected('default/productpage-ztunnel') }, false],
      [{ from: 'default/curl' }, true],
    ],
  },
  {
    source: 'istio.io/latest/docs/ambient/usage/l4-policy/ (allow-curl-to-httpbin)',
    what: 'ALLOW from one principal of another namespace',
    policies: [authorization('ambient-demo/allow-curl-to-httpbin', { groups: [rule([match({ principals: [exact('cluster.local/ns/ambient-demo/sa/curl')] })])] })],
    connections: [
      [{ from: 'ambient-demo/curl', namespace: 'ambient-demo', ...selected('ambient-demo/allow-curl-to-httpbin') }, true],
      [{ from: 'other/curl', namespace: 'ambient-demo', ...selected('ambient-demo/allow-curl-to-httpbin') }, false],
    ],
  },
  {
    source: `${REFERENCE} (allow-nothing: ALLOW without rules)`,
    what: 'an ALLOW policy without rules denies everything in its namespace',
    policies: [authorization('foo/allow-nothing', { scope: 'NAMESPACE' })],
    connections: [
      [{ from: 'foo/a', namespace: 'foo' }, false],
      [{ from: 'foo/a', namespace: 'bar' }, true],
    ],
  },
  {
    source: `${REFERENCE} (deny-all: DENY with an empty rule)`,
    what: 'a DENY policy with one empty rule denies everything',
    policies: [authorization('foo/deny-all', { scope: 'NAMESPACE', action: 'DENY', groups: [rule()] })],
    connections: [[{ from: 'foo/a', namespace: 'foo' }, false]],
  },
  {
    source: `${REFERENCE} (allow-all: ALLOW with an empty rule)`,
    what: 'an ALLOW policy with one empty rule allows everything, even beside a non-matching ALLOW',
    policies: [authorization('foo/allow-all', { scope: 'NAMESPACE', groups: [rule()] }), authorization('foo/allow-nothing', { scope: 'NAMESPACE' })],
    connections: [
      [{ namespace: 'foo' }, true],
      [{ from: 'bar/b', namespace: 'foo' }, true],
    ],
  },
  {
    source: `${REFERENCE} (DENY from namespace dev to POST on port 8080)`,
    what: 'the HTTP method is dropped at L4: every connection from dev is denied ("more restrictive than requested")',
    policies: [authorization('foo/httpbin', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match()], [match({ namespaces: [exact('dev')] })])] })],
    connections: [
      [{ from: 'dev/a', namespace: 'foo', port: 9090 }, false],
      [{ from: 'prod/a', namespace: 'foo' }, true],
    ],
  },
  {
    source: `${REFERENCE} (allow-read: principals or namespace dev, GET, a JWT claim)`,
    what: 'an ALLOW rule with HTTP attributes is dropped at L4, leaving a policy that allows nothing',
    policies: [authorization('foo/allow-read', { scope: 'NAMESPACE' })],
    connections: [[{ from: 'default/curl', namespace: 'foo' }, false]],
  },
  {
    source: 'istio.io/latest/docs/tasks/security/authorization/authz-tcp/ (tcp-policy)',
    what: 'ALLOW to ports 9000 and 9001 of tcp-echo',
    policies: [authorization('foo/tcp-policy', { groups: [rule([match({ destinationPorts: [9000, 9001] })])] })],
    connections: [
      [{ from: 'foo/curl', port: 9000, ...selected('foo/tcp-policy') }, true],
      [{ from: 'foo/curl', port: 9001, ...selected('foo/tcp-policy') }, true],
      [{ from: 'foo/curl', port: 9002, ...selected('foo/tcp-policy') }, false],
    ],
  },
  {
    source: 'istio.io/latest/docs/tasks/security/authorization/authz-tcp/ (tcp-policy with methods: GET)',
    what: 'adding an HTTP method to the rule makes ztunnel drop it: port 9000 is denied too',
    policies: [authorization('foo/tcp-policy', {})],
    connections: [[{ from: 'foo/curl', port: 9000, ...selected('foo/tcp-policy') }, false]],
  },
  {
    source: 'istio.io/latest/docs/tasks/security/authorization/authz-deny/ (deny-method-get)',
    what: 'a DENY whose only attribute is HTTP denies every connection at L4 (ztunnel itself ignores it: see docs/authorization.md)',
    policies: [authorization('foo/deny-method-get', { action: 'DENY', groups: [rule([match()])] })],
    connections: [[{ from: 'foo/curl', ...selected('foo/deny-method-get') }, false]],
  },
  {
    source: 'istio.io/latest/docs/tasks/security/authorization/authz-ingress/ (ipBlocks allow list)',
    what: 'ALLOW from source addresses 1.2.3.4 and 5.6.7.0/24',
    policies: [authorization('foo/ingress-policy', { groups: [rule([match({ sourceIps: [cidr('1.2.3.4'), cidr('5.6.7.0/24')] })])] })],
    connections: [
      [{ sourceIp: '1.2.3.4', ...selected('foo/ingress-policy') }, true],
      [{ sourceIp: '::ffff:5.6.7.200', ...selected('foo/ingress-policy') }, true],
      [{ sourceIp: '1.2.3.5', ...selected('foo/ingress-policy') }, false],
    ],
  },
  {
    source: 'istio.io/latest/docs/tasks/security/authorization/authz-ingress/ (remoteIpBlocks allow list)',
    what: 'remoteIpBlocks is an HTTP attribute (X-Forwarded-For): an ALLOW rule using it is dropped at L4',
    policies: [authorization('foo/ingress-policy', {})],
    connections: [[{ sourceIp: '1.2.3.4', ...selected('foo/ingress-policy') }, false]],
  },
  {
    source: `${REFERENCE} (a policy in the root namespace applies to the whole mesh)`,
    what: 'mesh-wide DENY from the legacy namespace',
    policies: [authorization('istio-system/mesh-deny-legacy', { scope: 'GLOBAL', action: 'DENY', groups: [rule([match({ namespaces: [exact('legacy')] })])] })],
    connections: [
      [{ from: 'legacy/a', namespace: 'bank' }, false],
      [{ from: 'legacy/a', namespace: 'shop' }, false],
      [{ from: 'shop/a', namespace: 'bank' }, true],
    ],
  },
  {
    source: 'istio.io/latest/docs/concepts/security/#dependency-on-mutual-tls',
    what: 'principals ["*"] needs mutual TLS: plaintext is refused, any peer identity admitted',
    policies: [authorization('foo/require-mtls', { scope: 'NAMESPACE', groups: [rule([match({ principals: [presence] })])] })],
    connections: [
      [{ namespace: 'foo' }, false],
      [{ from: 'any/one', namespace: 'foo' }, true],
    ],
  },
  {
    source: 'istio.io/latest/docs/reference/config/security/peer_authentication/ (mesh-wide STRICT)',
    what: 'STRICT becomes the static DENY of connections without a peer identity',
    policies: [authorization('istio-system/istio_converted_static_strict', { action: 'DENY', groups: [rule([match({ notPrincipals: [presence] })])] })],
    connections: [
      [{ ...selected('istio-system/istio_converted_static_strict') }, false],
      [{ from: 'foo/a', ...selected('istio-system/istio_converted_static_strict') }, true],
    ],
  },
  {
    source: 'istio.io/latest/docs/reference/config/security/peer_authentication/ (STRICT with a PERMISSIVE port 8080)',
    what: 'the workload policy merges STRICT with the port exception',
    policies: [
      authorization('foo/converted_peer_authentication_finance', { action: 'DENY', groups: [rule([match({ notPrincipals: [presence] })], [match({ notDestinationPorts: [8080] })])] }),
    ],
    connections: [
      [{ port: 8080, ...selected('foo/converted_peer_authentication_finance') }, true],
      [{ port: 9090, ...selected('foo/converted_peer_authentication_finance') }, false],
      [{ from: 'foo/a', port: 9090, ...selected('foo/converted_peer_authentication_finance') }, true],
    ],
  },
];

describe('Istio documentation examples at L4', () => {
  describe.each(EXAMPLES)('$source', ({ what, policies, connections }) => {
    const store = new PolicyStore();
    store.apply({ upserted: policies.map((p) => upsert(p)), removed: [] });
    const engine = new AuthorizationEngine(store);
    it.each(connections.map(([spec, allowed]) => [JSON.stringify(spec), spec, allowed] as const))(`${what}: %s`, (_label, spec, allowed) => {
      expect(engine.decide(connection({ namespace: 'foo', ...spec })).allowed).toBe(allowed);
    });
  });
});
