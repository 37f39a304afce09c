import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { MeshModel } from './mesh-model.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: x}}\nspec:\n  containers: [{name: c, image: i}]\nstatus: {phase: Running, podIP: 10.0.0.1}\n';
const pa = (name: string, namespace: string, spec: string) => `---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n`;
const mesh = (mode: string) => pa('default', 'istio-system', `{mtls: {mode: ${mode}}}`);
const namespace = (mode: string) => pa('default', 'a', `{mtls: {mode: ${mode}}}`);
const workload = (spec: string) => pa('wl', 'a', `{selector: {matchLabels: {app: x}}, ${spec}}`);

function effective(yaml: string): { strict: boolean; portLevel: string | undefined } {
  const m = new MeshModel();
  m.apply({ upserted: yamlResources(POD + yaml) });
  const view = m.workload('Kubernetes//Pod/a/p')!.peerAuthentication;
  return { strict: view.strict, portLevel: view.portLevel?.key };
}

/** Istio's convertedSelectorPeerAuthentications, case by case. */
describe('effectivePeerAuthentication', () => {
  it.each([
    ['nothing', '', false, undefined],
    ['mesh STRICT', mesh('STRICT'), true, undefined],
    ['mesh STRICT, namespace PERMISSIVE', mesh('STRICT') + namespace('PERMISSIVE'), false, undefined],
    ['mesh STRICT, namespace UNSET', mesh('STRICT') + namespace('UNSET'), true, undefined],
    ['mesh PERMISSIVE, workload STRICT', mesh('PERMISSIVE') + workload('mtls: {mode: STRICT}'), true, undefined],
    ['mesh STRICT, workload DISABLE', mesh('STRICT') + workload('mtls: {mode: DISABLE}'), false, undefined],
    ['workload STRICT with a PERMISSIVE port', workload('mtls: {mode: STRICT}, portLevelMtls: {"80": {mode: PERMISSIVE}}'), false, 'a/wl'],
    ['workload STRICT with STRICT ports only', workload('mtls: {mode: STRICT}, portLevelMtls: {"80": {mode: STRICT}}'), true, undefined],
    ['workload PERMISSIVE with a STRICT port', workload('mtls: {mode: PERMISSIVE}, portLevelMtls: {"80": {mode: STRICT}}'), false, 'a/wl'],
    ['mesh STRICT, workload UNSET with a PERMISSIVE port', mesh('STRICT') + workload('portLevelMtls: {"80": {mode: PERMISSIVE}}'), false, 'a/wl'],
    ['mesh STRICT, workload UNSET with a DISABLE port: the port is an exception (istiod counts only PERMISSIVE ports)', mesh('STRICT') + workload('portLevelMtls: {"80": {mode: DISABLE}}'), false, 'a/wl'],
    ['mesh PERMISSIVE, workload UNSET with a STRICT port', mesh('PERMISSIVE') + workload('portLevelMtls: {"80": {mode: STRICT}}'), false, 'a/wl'],
  ])('%s', (_what, yaml, strict, portLevel) => {
    expect(effective(yaml)).toEqual({ strict, portLevel });
  });

  it('takes the first policy of a level by name', () => {
    expect(effective(namespace('STRICT') + pa('zz', 'a', '{mtls: {mode: PERMISSIVE}}'))).toEqual({ strict: true, portLevel: undefined });
  });
});
