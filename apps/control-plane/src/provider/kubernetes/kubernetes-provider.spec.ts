import { afterEach, describe, expect, it } from 'vitest';
import { BatchRecorder, describeBatch } from '../__support__/recorder.js';
import { FAST, eventually, namespace, oneOfEach, peerAuthentication, pod, startCluster, type TestCluster } from './__support__/cluster.js';
import { KubeconfigError, KubernetesSyncError } from './errors.js';
import { KubernetesProvider, type KubernetesProviderOptions } from './kubernetes-provider.js';
import { WATCHED_KINDS, resourceOf } from './watched-kinds.js';

const open: { cluster: TestCluster; provider: KubernetesProvider }[] = [];
afterEach(async () => {
  for (const { cluster, provider } of open.splice(0)) {
    await provider.close();
    await cluster.close();
  }
});

async function running(cluster: TestCluster, options: KubernetesProviderOptions = {}): Promise<{ provider: KubernetesProvider; recorder: BatchRecorder }> {
  const provider = new KubernetesProvider({ ...FAST, ...options, kubeconfig: cluster.kubeconfig });
  open.push({ cluster, provider });
  const recorder = new BatchRecorder();
  provider.subscribe(recorder.listener);
  await provider.start();
  return { provider, recorder };
}

const names = (provider: KubernetesProvider): string[] => provider.snapshot().map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`);
const kindStatus = (provider: KubernetesProvider, resource: string) => provider.status().kinds.find((k) => k.resource === resource)!;
/** Full lists (first pages) of a resource the stand-in served. */
const fullLists = (cluster: TestCluster, resource: string) => cluster.standIn.requests({ verb: 'list', resource }).filter((r) => r.query['continue'] === undefined).length;

describe('KubernetesProvider', () => {
  it('lists every watched kind, in order, and publishes the whole cluster as its first batch', async () => {
    const cluster = await startCluster();
    for (const object of oneOfEach()) cluster.standIn.create(object);
    // A service-account token Secret is never fetched.
    cluster.standIn.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'demo' }, type: 'kubernetes.io/service-account-token' });
    const { provider, recorder } = await running(cluster);

    expect(provider.snapshot()).toHaveLength(WATCHED_KINDS.length);
    expect(recorder.batches).toHaveLength(1);
    expect(recorder.batches[0]!.upserted).toHaveLength(WATCHED_KINDS.length);
    expect(names(provider)).not.toContain('Secret demo/token');
    const pod = provider.snapshot().find((r) => r.kind === 'Pod')!;
    expect(pod).toMatchObject({ apiVersion: 'v1', metadata: { name: 'web-a', namespace: 'demo', labels: { app: 'web' } }, source: { file: '/api/v1/namespaces/demo/pods/web-a' } });
    const listed = cluster.standIn.requests({ verb: 'list' }).map((r) => r.resource);
    expect(listed).toEqual(WATCHED_KINDS.map(resourceOf));
    expect(provider.status()).toMatchObject({ provider: 'kubernetes', server: cluster.standIn.url, objects: [] });
    expect(provider.status().kinds.every((k) => k.state === 'synced' && k.lists === 1 && k.resourceVersion !== '')).toBe(true);
    // Watches ask for bookmarks and a server-side timeout; Secrets keep their field selector.
    const watches = await eventually(() => (cluster.standIn.requests({ verb: 'watch' }).length === WATCHED_KINDS.length ? cluster.standIn.requests({ verb: 'watch' }) : undefined), 'every kind to watch');
    expect(watches.every((w) => w.query['allowWatchBookmarks'] === 'true' && w.query['timeoutSeconds'] === '300')).toBe(true);
    expect(watches.find((w) => w.resource === 'secrets')!.query['fieldSelector']).toBe('type!=kubernetes.io/service-account-token');
  });

  it('publishes creations, updates and deletions as debounced batches of what changed', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(namespace('demo'));
    const { provider, recorder } = await running(cluster);
    await recorder.next('the initial batch');
    await eventually(() => (cluster.standIn.openWatches() === WATCHED_KINDS.length ? true : undefined), 'every watch to be open');

    cluster.standIn.create(pod('web-a', '10.0.0.1'));
    cluster.standIn.create(pod('web-b', '10.0.0.2'));
    expect(describeBatch(await recorder.next('the pods'))).toEqual({ upserted: ['Pod demo/web-a', 'Pod demo/web-b'], removed: [] });

    cluster.standIn.update(pod('web-a', '10.0.0.9'));
    cluster.standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'web-b' });
    expect(describeBatch(await recorder.next('the update and the deletion'))).toEqual({ upserted: ['Pod demo/web-a'], removed: ['Pod demo/web-b'] });
    expect(provider.snapshot().find((r) => r.metadata.name === 'web-a')).toMatchObject({ status: { podIP: '10.0.0.9' } });

    // A write that changes nothing the mesh reads (here: only the resourceVersion) publishes nothing.
    cluster.standIn.update(pod('web-a', '10.0.0.9'));

    cluster.standIn.create(namespace('marker'));
    expect(describeBatch(await recorder.next('the marker'))).toEqual({ upserted: ['Namespace /marker'], removed: [] });
  });

  it('resumes a dropped watch from its resourceVersion without listing again', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(pod('web-a', '10.0.0.1'));
    const { recorder } = await running(cluster);
    await recorder.next('the initial batch');
    await eventually(() => (cluster.standIn.openWatches('pods') === 1 ? true : undefined), 'the pod watch');
    for (const how of ['end', 'reset'] as const) {
      const before = cluster.standIn.revision;
      cluster.standIn.dropWatches(how);
      cluster.standIn.create(pod(`after-${how}`, how === 'end' ? '10.0.0.2' : '10.0.0.3'));
      expect(describeBatch(await recorder.next(`the pod created after the watch was dropped (${how})`))).toEqual({ upserted: [`Pod demo/after-${how}`], removed: [] });
      const rewatch = cluster.standIn.requests({ verb: 'watch', resource: 'pods' }).at(-1)!;
      expect(Number(rewatch.query['resourceVersion'])).toBeLessThanOrEqual(before);
    }
    expect(fullLists(cluster, 'pods')).toBe(1);
  });

  it('lists again after a 410 Gone, and notices what was deleted while it was away', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(pod('web-a', '10.0.0.1'));
    cluster.standIn.create(pod('web-b', '10.0.0.2'));
    const { provider, recorder } = await running(cluster);
    await recorder.next('the initial batch');

    cluster.standIn.setUnavailable(true);
    cluster.standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'web-b' });
    cluster.standIn.create(pod('web-c', '10.0.0.3'));
    cluster.standIn.compact();
    cluster.standIn.setUnavailable(false);

    expect(describeBatch(await recorder.next('the changes made during the gap'))).toEqual({ upserted: ['Pod demo/web-c'], removed: ['Pod demo/web-b'] });
    expect(names(provider)).toEqual(['Pod demo/web-a', 'Pod demo/web-c']);
    await eventually(() => (kindStatus(provider, 'pods').lists === 2 ? true : undefined), 'the relist to be counted');
    expect(kindStatus(provider, 'pods').state).toBe('synced');
  });

  it('moves the resourceVersion on with bookmarks, and resumes from there', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(pod('web-a', '10.0.0.1'));
    const { provider } = await running(cluster);
    await eventually(() => (cluster.standIn.openWatches('pods') === 1 ? true : undefined), 'the pod watch');
    const listedAt = kindStatus(provider, 'pods').resourceVersion;
    cluster.standIn.create(namespace('elsewhere')); // moves the cluster's revision, not the pods'
    cluster.standIn.bookmark();
    const bookmarked = String(cluster.standIn.revision);
    await eventually(() => (kindStatus(provider, 'pods').resourceVersion === bookmarked ? true : undefined), 'the bookmark to be taken');
    expect(bookmarked).not.toBe(listedAt);
    cluster.standIn.dropWatches();
    await eventually(() => cluster.standIn.requests({ verb: 'watch', resource: 'pods' }).at(1), 'the pod watch to resume');
    expect(cluster.standIn.requests({ verb: 'watch', resource: 'pods' })[1]!.query['resourceVersion']).toBe(bookmarked);
  });

  it('keeps the last good version of an invalid object in force, and reports it', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(peerAuthentication('strict', 'STRICT'));
    const { provider, recorder } = await running(cluster);
    await recorder.next('the initial batch');

    cluster.standIn.update(peerAuthentication('strict', 'SOMETIMES'));
    cluster.standIn.create(peerAuthentication('broken', 'NEVER'));
    const reported = await eventually(() => (provider.status().objects.length === 2 ? provider.status().objects : undefined), 'both objects to be reported');
    expect(reported.map((o) => ({ object: o.object, ok: o.ok, kept: o.inForceSince !== undefined, paths: o.issues.map((i) => i.path) }))).toEqual([
      { object: 'PeerAuthentication demo/broken', ok: false, kept: false, paths: ['spec.mtls.mode'] },
      { object: 'PeerAuthentication demo/strict', ok: false, kept: true, paths: ['spec.mtls.mode'] },
    ]);
    expect(reported[1]!.issues[0]!.position.file).toBe('/apis/security.istio.io/v1/namespaces/demo/peerauthentications/strict');
    expect(provider.snapshot()).toMatchObject([{ metadata: { name: 'strict' }, spec: { mtls: { mode: 'STRICT' } } }]);
    expect(recorder.pending).toBe(0);

    cluster.standIn.update(peerAuthentication('strict', 'PERMISSIVE'));
    cluster.standIn.delete({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', namespace: 'demo', name: 'broken' });
    expect(describeBatch(await recorder.next('the fixed policy'))).toEqual({ upserted: ['PeerAuthentication demo/strict'], removed: [] });
    expect(provider.status().objects).toEqual([]);
  });

  it('reports a CRD that is not installed, skips it, and picks it up once installed', async () => {
    const cluster = await startCluster({ omit: ['telemetries.telemetry.istio.io'] });
    cluster.standIn.create(namespace('demo'));
    const { provider, recorder } = await running(cluster);
    expect(kindStatus(provider, 'telemetries.telemetry.istio.io')).toMatchObject({ state: 'not-installed', lastError: expect.stringMatching(/404/) });
    expect(provider.status().kinds.filter((k) => k.state !== 'synced').map((k) => k.resource)).toEqual(['telemetries.telemetry.istio.io']);
    await recorder.next('the initial batch');

    cluster.standIn.install('telemetries.telemetry.istio.io');
    cluster.standIn.create({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh', namespace: 'demo' }, spec: {} });
    expect(describeBatch(await recorder.next('the Telemetry, once its CRD is there'))).toEqual({ upserted: ['Telemetry demo/mesh'], removed: [] });
    expect(kindStatus(provider, 'telemetries.telemetry.istio.io').state).toBe('synced');
  });

  it('lists page by page', async () => {
    const cluster = await startCluster();
    for (let i = 1; i <= 5; i++) cluster.standIn.create(pod(`web-${i}`, `10.0.0.${i}`));
    const { provider } = await running(cluster, { pageSize: 2 });
    expect(names(provider)).toEqual([1, 2, 3, 4, 5].map((i) => `Pod demo/web-${i}`));
    const pages = cluster.standIn.requests({ verb: 'list', resource: 'pods' });
    expect(pages.map((p) => [p.query['limit'], p.query['continue'] !== undefined])).toEqual([
      ['2', false],
      ['2', true],
      ['2', true],
    ]);
  });

  it('keeps the other kinds going while one fails, and reports the failing kind', async () => {
    const cluster = await startCluster();
    cluster.standIn.create(namespace('demo'));
    const { provider, recorder } = await running(cluster);
    await recorder.next('the initial batch');
    await eventually(() => (cluster.standIn.openWatches() === WATCHED_KINDS.length ? true : undefined), 'every watch to be open');
    // The API server goes away for a while: every kind fails and retries; none gives up.
    cluster.standIn.setUnavailable(true);
    await eventually(() => (provider.status().kinds.every((k) => k.state === 'failing') ? true : undefined), 'every kind to report failing');
    expect(kindStatus(provider, 'pods')).toMatchObject({ lastError: expect.any(String), lastErrorAt: expect.any(Date) });
    cluster.standIn.setUnavailable(false);
    cluster.standIn.create(pod('web-a', '10.0.0.1'));
    expect(describeBatch(await recorder.next('the pod, once the server is back'))).toEqual({ upserted: ['Pod demo/web-a'], removed: [] });
    await eventually(() => (provider.status().kinds.every((k) => k.state === 'synced') ? true : undefined), 'every kind to recover');
  });
});

describe('KubernetesProvider start failures', () => {
  it('refuses to start on a partial cluster: a built-in kind that cannot be listed is named', async () => {
    const cluster = await startCluster({ omit: ['pods'] });
    const provider = new KubernetesProvider({ ...FAST, syncTimeoutMs: 300, kubeconfig: cluster.kubeconfig });
    open.push({ cluster, provider });
    const error = await provider.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesSyncError);
    expect((error as KubernetesSyncError).pending).toEqual([expect.stringMatching(/^pods: GET \/api\/v1\/pods\?limit=500: the API server answered 404 NotFound/)]);
  });

  it('stops waiting for its lists when closed during start', async () => {
    const cluster = await startCluster({ omit: ['pods'] });
    const provider = new KubernetesProvider({ ...FAST, syncTimeoutMs: 60_000, kubeconfig: cluster.kubeconfig });
    open.push({ cluster, provider });
    const starting = provider.start().catch((e: unknown) => e);
    await eventually(() => (cluster.standIn.requests({ resource: 'pods' }).length > 0 ? true : undefined), 'the pods to be asked for');
    await provider.close();
    expect(await starting).toMatchObject({ code: 'AMBIT_ERR_CP_STAGE_CLOSED' });
  });

  it('says when there is no kubeconfig to use', async () => {
    const provider = new KubernetesProvider({ kubeconfig: '/nonexistent/kubeconfig' });
    await expect(provider.start()).rejects.toThrow(KubeconfigError);
    await expect(provider.start()).rejects.toMatchObject({ code: 'AMBIT_ERR_CP_KUBECONFIG', message: expect.stringContaining('/nonexistent/kubeconfig does not exist') });
    await provider.close();
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => new KubernetesProvider({ pageSize: 0 })).toThrow(/pageSize = 0 is invalid: expected an integer of at least 1/);
  });
});
