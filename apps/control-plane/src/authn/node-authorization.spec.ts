import { SpiffeId } from '@ambit/crypto';
import { describe, expect, it } from 'vitest';
import type { Caller } from './caller.js';
import { IdentityNotAllowedError } from './errors.js';
import { authorizeIdentity, type WorkloadPlacement } from './node-authorization.js';

// node-a runs bookinfo/reviews; node-b runs bookinfo/ratings.
const placement: WorkloadPlacement = {
  nodeRuns: (node, namespace, serviceAccount) => `${node} ${namespace}/${serviceAccount}` === 'node-a bookinfo/reviews' || `${node} ${namespace}/${serviceAccount}` === 'node-b bookinfo/ratings',
};
const id = (namespace: string, serviceAccount: string, trustDomain = 'cluster.local'): SpiffeId => SpiffeId.of({ trustDomain, namespace, serviceAccount });
const nodeA: Caller = { kind: 'node', node: 'node-a', proof: 'bootstrap-token' };
const waypoint: Caller = { kind: 'workload', identity: id('bookinfo', 'waypoint'), proof: 'certificate' };

function decide(caller: Caller, identity: SpiffeId): string {
  try {
    authorizeIdentity(caller, identity, 'cluster.local', placement);
    return 'allowed';
  } catch (error) {
    expect(error).toBeInstanceOf(IdentityNotAllowedError);
    return (error as Error).message;
  }
}

describe('authorizeIdentity', () => {
  it.each([
    ['a node, for a workload scheduled on it', nodeA, id('bookinfo', 'reviews'), 'allowed'],
    ['a node, for a workload of another node', nodeA, id('bookinfo', 'ratings'), 'node node-a (bootstrap-token) may not obtain spiffe://cluster.local/ns/bookinfo/sa/ratings: no workload with service account bookinfo/ratings is scheduled on node node-a'],
    ['a node, for the right account in another namespace', nodeA, id('default', 'reviews'), 'node node-a (bootstrap-token) may not obtain spiffe://cluster.local/ns/default/sa/reviews: no workload with service account default/reviews is scheduled on node node-a'],
    ['a node, for another trust domain', nodeA, id('bookinfo', 'reviews', 'example.org'), 'node node-a (bootstrap-token) may not obtain spiffe://example.org/ns/bookinfo/sa/reviews: it is not in trust domain cluster.local'],
    ['a waypoint, for its own identity', waypoint, id('bookinfo', 'waypoint'), 'allowed'],
    ['a waypoint, for a workload on a node', waypoint, id('bookinfo', 'reviews'), 'spiffe://cluster.local/ns/bookinfo/sa/waypoint (certificate) may not obtain spiffe://cluster.local/ns/bookinfo/sa/reviews: a proxy may only renew its own identity'],
  ])('%s', (_, caller, identity, decision) => {
    expect(decide(caller, identity)).toBe(decision);
  });
});
