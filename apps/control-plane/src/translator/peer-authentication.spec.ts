import type { PeerAuthenticationResource } from '@ambit/config-model';
import { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import type { PeerAuthenticationView } from '@ambit/mesh-model';
import { peerAuthenticationEntry } from '@ambit/mesh-model';
import { match } from './authorization-rules.js';
import { convertPeerAuthentication, staticStrictAuthorization } from './peer-authentication.js';

const pa = (name: string, namespace: string, spec: string) =>
  peerAuthenticationEntry(yamlResources(`apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n`)[0] as PeerAuthenticationResource);

const NOT_PRESENT = match({ notPrincipals: [{ matchType: 'presence', presence: true }] });
const strictPort = (port: number) => match({ notPrincipals: [{ matchType: 'presence', presence: true }], destinationPorts: [port] });
const except = (port: number) => match({ notDestinationPorts: [port] });

function convert(workload: string, namespace?: string, mesh?: string) {
  const view: PeerAuthenticationView = {
    policy: pa('workload', 'foo', workload),
    namespace: namespace === undefined ? undefined : pa('default', 'foo', namespace),
    mesh: mesh === undefined ? undefined : pa('default', 'istio-system', mesh),
  };
  return convertPeerAuthentication(view, 'istio-system')?.groups;
}

/**
 * The cases of istiod's own tests (pilot/pkg/serviceregistry/kube/controller/ambient/
 * testdata/peer-authn-*), with their expected groups.
 */
describe('convertPeerAuthentication', () => {
  it('strict-and-permissive-port-mtls', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: STRICT}, portLevelMtls: {"9090": {mode: PERMISSIVE}}}')).toEqual([{ rules: [{ matches: [NOT_PRESENT] }, { matches: [except(9090)] }] }]);
  });

  it('strict-and-disable-port-mtls', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: STRICT}, portLevelMtls: {"9090": {mode: DISABLE}}}')).toEqual([{ rules: [{ matches: [NOT_PRESENT] }, { matches: [except(9090)] }] }]);
  });

  it('unset-port-mtls-strict', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, portLevelMtls: {"8080": {mode: STRICT}}}')).toEqual([{ rules: [{ matches: [strictPort(8080)] }] }]);
  });

  it('permissive-root-permissive-namespace-strict-workload-ports', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, portLevelMtls: {"9090": {mode: STRICT}, "8080": {mode: STRICT}}}', '{mtls: {mode: PERMISSIVE}}', '{mtls: {mode: PERMISSIVE}}')).toEqual([
      { rules: [{ matches: [strictPort(8080)] }] },
      { rules: [{ matches: [strictPort(9090)] }] },
    ]);
  });

  it('permissive-root-unset-namespace-mixed-workload-ports', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, portLevelMtls: {"9090": {mode: STRICT}, "8080": {mode: PERMISSIVE}}}', '{}', '{mtls: {mode: PERMISSIVE}}')).toEqual([{ rules: [{ matches: [strictPort(9090)] }] }]);
  });

  it('merges an inherited STRICT default with the exceptions', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, portLevelMtls: {"8080": {mode: PERMISSIVE}}}', undefined, '{mtls: {mode: STRICT}}')).toEqual([{ rules: [{ matches: [NOT_PRESENT] }, { matches: [except(8080)] }] }]);
  });

  it('needs nothing beyond the static policy, or nothing at all, in the other cases', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: STRICT}, portLevelMtls: {"80": {mode: STRICT}}}')).toBeUndefined();
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: PERMISSIVE}, portLevelMtls: {"80": {mode: DISABLE}}}')).toBeUndefined();
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: STRICT}}')).toBeUndefined();
  });

  it('keeps a STRICT port STRICT under a PERMISSIVE workload whatever the mesh says (istiod skips it when the mesh is STRICT and the namespace has no policy)', () => {
    expect(convert('{selector: {matchLabels: {app: a}}, mtls: {mode: PERMISSIVE}, portLevelMtls: {"80": {mode: STRICT}}}', undefined, '{mtls: {mode: STRICT}}')).toEqual([
      { rules: [{ matches: [strictPort(80)] }] },
    ]);
  });

  it('names the result converted_peer_authentication_<name>, a selector-scoped DENY', () => {
    const view: PeerAuthenticationView = { policy: pa('ports', 'foo', '{selector: {matchLabels: {a: b}}, portLevelMtls: {"80": {mode: STRICT}}}'), namespace: undefined, mesh: undefined };
    expect(convertPeerAuthentication(view, 'istio-system')).toMatchObject({
      name: 'converted_peer_authentication_ports',
      namespace: 'foo',
      scope: securityV1.Scope.WORKLOAD_SELECTOR,
      action: securityV1.Action.DENY,
    });
  });
});

describe('staticStrictAuthorization', () => {
  it("is istiod's istio_converted_static_strict", () => {
    expect(staticStrictAuthorization('istio-system')).toEqual({
      name: 'istio_converted_static_strict',
      namespace: 'istio-system',
      scope: securityV1.Scope.WORKLOAD_SELECTOR,
      action: securityV1.Action.DENY,
      groups: [{ rules: [{ matches: [NOT_PRESENT] }] }],
      dryRun: false,
      services: [],
    });
  });
});
