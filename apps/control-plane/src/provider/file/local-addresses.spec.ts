import type { ServiceResource } from '@ambit/config-model';
import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { track, type TrackedResource } from '../published-resources.js';
import { LocalAddresses } from './local-addresses.js';

const service = (name: string, clusterIP = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n${clusterIP === '' ? '' : `  clusterIP: ${clusterIP}\n`}---\n`;
const merged = (yaml: string): Map<string, TrackedResource> => new Map(yamlResources(yaml).map((r) => [r.metadata.name, { ...track(r), key: r.metadata.name }]));
const clusterIP = (entry: TrackedResource | undefined): string | undefined => (entry?.resource as ServiceResource | undefined)?.spec.clusterIP;

describe('LocalAddresses', () => {
  it('gives Services without a cluster IP their VIP, and leaves the rest as they are', () => {
    const input = merged(service('web') + service('fixed', '127.0.50.1'));
    const out = new LocalAddresses().apply(input);
    expect(clusterIP(out.get('web'))).toMatch(/^127\./);
    expect(out.get('web')!.fingerprint).not.toBe(input.get('web')!.fingerprint);
    expect(out.get('fixed')).toBe(input.get('fixed'));
  });

  it('fingerprints a Service again only when it or its VIP changed', () => {
    const addresses = new LocalAddresses();
    const input = merged(service('web') + service('api'));
    const first = addresses.apply(input);
    const again = addresses.apply(new Map(input));
    expect(again.get('web')).toBe(first.get('web'));
    // A file reloaded with the same content makes new entries: tracked again, same content.
    const reloaded = addresses.apply(merged(service('web') + service('api')));
    expect(reloaded.get('web')).not.toBe(first.get('web'));
    expect(reloaded.get('web')!.fingerprint).toBe(first.get('web')!.fingerprint);
  });

  it("publishes a Service again when its VIP moves (another resource took the address)", () => {
    const addresses = new LocalAddresses();
    const input = merged(service('web'));
    const vip = clusterIP(addresses.apply(input).get('web'))!;
    const withPod = merged(`apiVersion: v1\nkind: Pod\nmetadata: {name: squatter, namespace: shop}\nspec: {nodeName: n1, containers: [{name: c, image: i}]}\nstatus: {podIP: ${vip}}\n---\n`);
    const moved = addresses.apply(new Map([...input, ...withPod]));
    expect(clusterIP(moved.get('web'))).not.toBe(vip);
    expect(moved.get('web')!.fingerprint).not.toBe(input.get('web')!.fingerprint);
  });
});
