import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthorizationEngine, PolicyStore, type Connection, type Decision } from '@ambit/authz';
import { loadResources } from '@ambit/config-model/testing';
import { SpiffeId } from '@ambit/crypto';
import type { workloadV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { translate } from '../src/translator/index.js';

/**
 * The translator's real output for the golden inputs, enforced by the L4 authorization
 * engine: what ztunnel decides for connections to each workload. This checks the two
 * halves agree on the encoding (scopes, workload references, `*` forms, service
 * accounts, HTTP attributes, PeerAuthentication) — each alone is tested elsewhere.
 */
const GOLDEN = fileURLToPath(new URL('../src/translator/__golden__/', import.meta.url));

interface Mesh {
  readonly engine: AuthorizationEngine;
  readonly store: PolicyStore;
  readonly workloads: ReadonlyMap<string, workloadV1.Workload>;
}

function meshOf(goldenCase: string): Mesh {
  const translation = translate(loadResources(join(GOLDEN, `${goldenCase}.in.yaml`)));
  const store = new PolicyStore();
  const result = store.apply({ upserted: translation.authorizations, removed: [] });
  expect(result.rejected).toEqual([]);
  const workloads = new Map<string, workloadV1.Workload>();
  for (const { resource } of translation.addresses) if (resource.type === 'workload') workloads.set(`${resource.workload.namespace}/${resource.workload.name}`, resource.workload);
  return { engine: new AuthorizationEngine(store), store, workloads };
}

interface Attempt {
  /** `namespace/serviceAccount` of an mTLS peer; omitted for plaintext. */
  readonly from?: string;
  readonly sourceIp?: string;
  readonly port: number;
}

function decide(mesh: Mesh, workload: string, attempt: Attempt): Decision {
  const destination = mesh.workloads.get(workload);
  if (destination === undefined) throw new Error(`no workload ${workload}`);
  const [namespace = '', serviceAccount = ''] = attempt.from?.split('/') ?? [];
  const connection: Connection = {
    identity: attempt.from === undefined ? undefined : SpiffeId.of({ trustDomain: 'cluster.local', namespace, serviceAccount }),
    sourceIp: attempt.sourceIp ?? '10.200.0.1',
    destinationIp: [...destination.addresses[0]!].join('.'),
    destinationPort: attempt.port,
    destination,
  };
  return mesh.engine.decide(connection);
}

type Expected = Pick<Decision, 'allowed' | 'reason'> & Partial<Pick<Decision, 'policy' | 'audits' | 'dryRun'>>;
const allowedBy = (policy: string): Expected => ({ allowed: true, reason: 'allow-policy-matched', policy });
const deniedBy = (policy: string): Expected => ({ allowed: false, reason: 'deny-policy-matched', policy });
const NOT_ALLOWED: Expected = { allowed: false, reason: 'no-allow-policy-matched' };
const OPEN: Expected = { allowed: true, reason: 'no-allow-policies' };

const CASES: Record<string, [workload: string, attempt: Attempt, expected: Expected][]> = {
  'authorization-scopes': [
    ['bank/ledger', { from: 'bank/teller', port: 8080 }, allowedBy('bank/ledger-from-teller')],
    ['bank/ledger', { from: 'bank/teller', port: 5432 }, { ...allowedBy('bank/ledger-from-teller'), audits: [{ policy: 'istio-system/backends-audit', action: 'AUDIT', rule: 0 }] }],
    ['bank/ledger', { from: 'legacy/teller', port: 8080 }, deniedBy('istio-system/mesh-deny-legacy')],
    ['bank/ledger', { from: 'bank/other', port: 8080 }, NOT_ALLOWED],
    ['bank/ledger', { port: 8080 }, NOT_ALLOWED],
    ['bank/teller', { from: 'bank/ledger', port: 8080 }, { ...NOT_ALLOWED, dryRun: [{ policy: 'bank/teller-deny-all-dry-run', action: 'DENY', rule: 0 }] }],
  ],
  'authorization-l4-attributes': [
    ['secure/vault', { from: 'secure/admin', port: 8202 }, allowedBy('secure/sources')],
    ['secure/vault', { from: 'secure/intruder', port: 8202, sourceIp: '192.0.2.1' }, NOT_ALLOWED],
    ['secure/vault', { from: 'secure/intruder', port: 8200, sourceIp: '192.0.2.1' }, allowedBy('secure/sources')],
    ['secure/vault', { port: 8202, sourceIp: '10.1.2.3' }, allowedBy('secure/sources')],
    ['secure/vault', { port: 8202, sourceIp: '10.66.1.1' }, NOT_ALLOWED],
    ['secure/vault', { port: 9000, sourceIp: '10.66.1.1' }, allowedBy('secure/sources')],
    ['secure/vault', { port: 8202, sourceIp: '2001:db8::7' }, allowedBy('secure/sources')],
    ['secure/vault', { from: 'ops/legacy', port: 8200, sourceIp: '172.16.1.1' }, deniedBy('secure/conditions')],
    ['secure/vault', { from: 'ops/legacy', port: 8200, sourceIp: '172.16.5.5' }, allowedBy('secure/sources')],
    ['secure/vault', { from: 'secure/legacy', port: 8200, sourceIp: '172.16.1.1' }, allowedBy('secure/sources')],
  ],
  // Ambit denies through the HTTP-only DENY rules (the translator's "more restrictive"
  // encoding); ztunnel skips their empty matches and would allow web's callers through
  // allow-mixed (docs/authorization.md#differences-from-istio).
  'authorization-l7-at-l4': [
    ['web/site', { from: 'shop/x', port: 8080 }, deniedBy('web/deny-admin-paths')],
    ['web/site', { from: 'web/x', port: 80 }, deniedBy('web/deny-unauthenticated-requests')],
    ['web/site', { port: 80 }, deniedBy('web/deny-unauthenticated-requests')],
  ],
  'peer-authentication': [
    ['strict-app/plain', { port: 80 }, deniedBy('istio-system/istio_converted_static_strict')],
    ['strict-app/plain', { from: 'a/b', port: 80 }, OPEN],
    ['strict-app/web', { port: 8080 }, OPEN],
    ['strict-app/web', { port: 9090 }, deniedBy('strict-app/converted_peer_authentication_web-metrics')],
    ['strict-app/db', { port: 9090 }, OPEN],
    ['strict-app/db', { port: 5432 }, deniedBy('strict-app/converted_peer_authentication_db')],
    ['strict-app/db', { from: 'a/b', port: 5432 }, OPEN],
    ['strict-app/api', { port: 8443 }, deniedBy('istio-system/istio_converted_static_strict')],
    ['strict-app/cache', { port: 6379 }, deniedBy('strict-app/converted_peer_authentication_cache-permissive')],
    ['strict-app/cache', { port: 80 }, OPEN],
    ['permissive-ns/open', { port: 80 }, OPEN],
    ['permissive-ns/payments', { port: 7443 }, deniedBy('permissive-ns/converted_peer_authentication_payments-card-port')],
    ['permissive-ns/payments', { port: 7000 }, OPEN],
    ['permissive-ns/payments', { from: 'a/b', port: 7443 }, OPEN],
    ['disabled-ns/legacy', { port: 80 }, OPEN],
    ['disabled-ns/admin', { port: 80 }, deniedBy('istio-system/istio_converted_static_strict')],
  ],
  bookinfo: [
    ['bookinfo/ratings-v1', { from: 'bookinfo/bookinfo-reviews', port: 9080 }, allowedBy('bookinfo/ratings-l4')],
    ['bookinfo/ratings-v1', { from: 'bookinfo/bookinfo-productpage', port: 9080 }, NOT_ALLOWED],
  ],
};

describe('translator output enforced by @ambit/authz', () => {
  describe.each(Object.entries(CASES))('%s', (goldenCase, cases) => {
    const mesh = meshOf(goldenCase);
    it.each(cases.map(([workload, attempt, expected]) => [`${attempt.from ?? 'plaintext'} → ${workload}:${attempt.port}`, workload, attempt, expected] as const))('%s', (_label, workload, attempt, expected) => {
      expect(decide(mesh, workload, attempt)).toMatchObject(expected);
    });
  });
});
