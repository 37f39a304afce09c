import { parseConfig, type Resource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { peerAuthentication as pa } from './__support__/recorder.js';
import { PublishedResources, track, type TrackedResource } from './published-resources.js';

function tracked(text: string, file = 'a.yaml'): TrackedResource[] {
  return parseConfig([{ name: file, text }]).resources.map(track);
}

function state(entries: readonly TrackedResource[]): Map<string, TrackedResource> {
  return new Map(entries.map((e) => [e.key, e]));
}

const names = (resources: readonly Resource[]): string[] => resources.map((r) => r.metadata.name);

describe('PublishedResources', () => {
  it('turns each desired state into the batch that leads there', () => {
    const published = new PublishedResources();
    const [a, b] = tracked(pa('shop', 'a') + '---\n' + pa('shop', 'b'));
    expect(published.update(state([a!, b!]))).toEqual({ upserted: [a!.resource, b!.resource], removed: [] });
    expect(published.update(state([a!, b!]))).toEqual({ upserted: [], removed: [] });

    const [changed] = tracked(pa('shop', 'b', 'DISABLE'));
    expect(published.update(state([changed!]))).toEqual({
      upserted: [changed!.resource],
      removed: [{ group: 'security.istio.io', kind: 'PeerAuthentication', namespace: 'shop', name: 'a' }],
    });
    expect(names(published.snapshot())).toEqual(['b']);
  });

  it('keeps the first published object of a resource that only moved', () => {
    const published = new PublishedResources();
    const [first] = tracked(pa('shop', 'a'), 'a.yaml');
    const [moved] = tracked(`\n\n${pa('shop', 'a')}`, 'b.yaml');
    published.update(state([first!]));
    expect(published.update(state([moved!]))).toEqual({ upserted: [], removed: [] });
    expect(published.snapshot()[0]).toBe(first!.resource);
  });
});
