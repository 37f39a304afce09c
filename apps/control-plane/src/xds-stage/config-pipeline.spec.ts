import { parseConfig, type Resource } from '@ambit/config-model';
import { ADDRESS_TYPE_URL } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '@ambit/telemetry';
import type { Translation, TranslationDelta } from '../translator/index.js';
import { ConfigPipeline } from './config-pipeline.js';
import { XdsCaches, type AppliedByType } from './xds-caches.js';

function pod(name: string, ip: string): Resource {
  const yaml = `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: demo }
spec: { nodeName: node-a, containers: [{ name: app, image: app }] }
status: { phase: Running, podIP: ${ip}, conditions: [{ type: Ready, status: "True" }] }
`;
  const [resource] = parseConfig([{ name: `${name}.yaml`, text: yaml }]).resources;
  return resource!;
}

/** Caches that refuse batches while told to, as they would a resource they cannot encode. */
class RefusingCaches extends XdsCaches {
  refuse = false;
  override applyDelta(delta: TranslationDelta): AppliedByType {
    if (this.refuse) throw new Error('refused');
    return super.applyDelta(delta);
  }
  override replaceAll(translation: Translation): AppliedByType {
    if (this.refuse) throw new Error('refused');
    return super.replaceAll(translation);
  }
}

function pipeline(input: Resource[]) {
  const caches = new RefusingCaches();
  const pushed: string[][] = [];
  const p = new ConfigPipeline({ settings: {}, caches, snapshot: () => input, onApplied: (applied) => pushed.push([...applied.keys()]), log: SILENT_LOGGER });
  const names = (): string[] => caches.list(ADDRESS_TYPE_URL).map((r) => r.name);
  return { pipeline: p, caches, pushed, names };
}

const removedPod = (name: string) => ({ group: '', kind: 'Pod', namespace: 'demo', name });

describe('ConfigPipeline', () => {
  it('translates the initial snapshot and then each batch into the caches', () => {
    const input = [pod('a', '10.0.0.1')];
    const { pipeline: p, names, pushed } = pipeline(input);
    p.loadInitial(input);
    expect(p.initialApplied).toBe(true);
    expect(names()).toEqual(['Kubernetes//Pod/demo/a']);
    input.push(pod('b', '10.0.0.2'));
    p.apply({ upserted: [input[1]!], removed: [] });
    expect(names()).toEqual(['Kubernetes//Pod/demo/a', 'Kubernetes//Pod/demo/b']);
    expect(pushed).toEqual([[ADDRESS_TYPE_URL], [ADDRESS_TYPE_URL]]);
  });

  it('keeps the last good resources while batches fail, and catches up from the snapshot once they apply', () => {
    const input = [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')];
    const { pipeline: p, caches, names } = pipeline(input);
    p.loadInitial(input);

    caches.refuse = true;
    input.splice(1, 1);
    p.apply({ upserted: [], removed: [removedPod('b')] });
    expect(names()).toEqual(['Kubernetes//Pod/demo/a', 'Kubernetes//Pod/demo/b']);
    expect(p.failure?.message).toBe('refused');

    // The next batch, whatever it is, rebuilds from the provider's whole state.
    caches.refuse = false;
    input.push(pod('c', '10.0.0.3'));
    p.apply({ upserted: [input[1]!], removed: [] });
    expect(p.failure).toBeUndefined();
    expect(names()).toEqual(['Kubernetes//Pod/demo/a', 'Kubernetes//Pod/demo/c']);
  });

  it('rebuilds at once when a batch is refused but the whole state applies', () => {
    const input = [pod('a', '10.0.0.1')];
    const { pipeline: p, names } = pipeline(input);
    p.loadInitial(input);
    // A batch naming one resource twice is refused by the translator before it changes anything.
    input.push(pod('b', '10.0.0.2'));
    p.apply({ upserted: [input[1]!, input[1]!], removed: [] });
    expect(p.failure).toBeUndefined();
    expect(names()).toEqual(['Kubernetes//Pod/demo/a', 'Kubernetes//Pod/demo/b']);
  });

  it('answers which service accounts run on which node, from the current model', () => {
    const input = [pod('a', '10.0.0.1')];
    const { pipeline: p } = pipeline(input);
    p.loadInitial(input);
    // A pod without serviceAccountName runs as "default".
    expect(p.nodeRuns('node-a', 'demo', 'default')).toBe(true);
    expect(p.nodeRuns('node-b', 'demo', 'default')).toBe(false);
    expect(p.nodeRuns('node-a', 'other', 'default')).toBe(false);
    expect(p.nodeRuns('node-a', 'demo', 'web')).toBe(false);
    expect(p.nodeRuns('', 'demo', 'default')).toBe(false);
    p.apply({ upserted: [], removed: [removedPod('a')] });
    expect(p.nodeRuns('node-a', 'demo', 'default')).toBe(false);
  });
});
