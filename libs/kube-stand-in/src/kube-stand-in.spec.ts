import { request } from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeStandIn } from './kube-stand-in.js';
import { EXTRA } from './token-review.js';

let standIn: KubeStandIn;
// The first start makes the stand-in's key, which takes long on a busy machine.
beforeEach(async () => {
  standIn = await KubeStandIn.start({ omit: ['telemetries.telemetry.istio.io'] });
}, 60_000);
afterEach(async () => {
  await standIn.close();
});

/** Parsed JSON whose shape each test asserts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Reply {
  readonly status: number;
  readonly body: Json;
}

/** One request over real HTTPS, verifying the stand-in's certificate by its CA. */
function call(path: string, options: { method?: string; body?: unknown; token?: string | null } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const token = options.token === undefined ? standIn.clientToken : options.token;
    const req = request(`${standIn.url}${path}`, { method: options.method ?? 'GET', ca: standIn.caCert, headers: token === null ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** An open watch: its events as they come, and whether the server ended it. */
function watch(path: string): Promise<{ events: { type: string; object: Json }[]; ended: Promise<void>; next(count: number): Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: { type: string; object: Json }[] = [];
    let wake: (() => void) | undefined;
    const req = request(`${standIn.url}${path}`, { ca: standIn.caCert, headers: { authorization: `Bearer ${standIn.clientToken}` } }, (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) !== -1) {
          events.push(JSON.parse(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
        }
        wake?.();
      });
      const ended = new Promise<void>((done) => res.on('end', done).on('close', done));
      resolve({
        events,
        ended,
        next: async (count) => {
          while (events.length < count) await new Promise<void>((r) => (wake = r));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const pod = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'demo', labels }, spec: { containers: [{ name: 'c', image: 'i' }] } });
const peerAuthentication = (name: string) => ({ apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name, namespace: 'demo' }, spec: { mtls: { mode: 'STRICT' } } });

describe('KubeStandIn lists', () => {
  it('serves built-in and custom resources at their real paths, with increasing resourceVersions', async () => {
    const ns = standIn.create(namespace('demo'));
    const a = standIn.create(pod('a'));
    standIn.create(peerAuthentication('strict'));
    expect(Number(a.metadata.resourceVersion)).toBeGreaterThan(Number(ns.metadata.resourceVersion));
    expect(a.metadata['managedFields']).toBeDefined();

    const pods = await call('/api/v1/namespaces/demo/pods');
    expect(pods.status).toBe(200);
    expect(pods.body).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(standIn.revision) } });
    // Built-in list items carry no apiVersion/kind, as the real API server sends them.
    expect(pods.body.items).toEqual([expect.not.objectContaining({ kind: 'Pod' })]);
    expect((await call('/api/v1/pods')).body.items).toHaveLength(1);
    expect((await call('/api/v1/namespaces/other/pods')).body.items).toHaveLength(0);
    expect((await call('/api/v1/namespaces')).body.items[0].metadata.name).toBe('demo');
    expect((await call('/api/v1/namespaces/demo')).body.metadata.name).toBe('demo');

    // Custom resources are served at every version, and their items keep apiVersion and kind.
    const policies = await call('/apis/security.istio.io/v1/peerauthentications');
    expect(policies.body.items[0]).toMatchObject({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict' } });
  });

  it('answers as the API server does to what it does not serve or who it does not know', async () => {
    expect((await call('/apis/telemetry.istio.io/v1/telemetries')).status).toBe(404);
    expect((await call('/apis/security.istio.io/v9/peerauthentications')).status).toBe(404);
    expect((await call('/api/v1/namespaces/demo/nodes')).status).toBe(404);
    const anonymous = await call('/api/v1/pods', { token: null });
    expect(anonymous).toMatchObject({ status: 401, body: { kind: 'Status', code: 401, reason: 'Unauthorized' } });
    expect((await call('/api/v1/pods', { token: 'forged' })).status).toBe(401);
    standIn.install('telemetries.telemetry.istio.io');
    expect((await call('/apis/telemetry.istio.io/v1/telemetries')).status).toBe(200);
    standIn.setUnavailable(true);
    expect((await call('/api/v1/pods')).body).toMatchObject({ code: 503 });
    expect(standIn.requests({ verb: 'list', resource: 'telemetries.telemetry.istio.io' })).toHaveLength(2);
  });

  it('pages with limit and continue, consistently at the first page\'s resourceVersion', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) standIn.create(pod(name));
    const first = await call('/api/v1/pods?limit=2');
    expect(first.body.items.map((p: Json) => p.metadata.name)).toEqual(['a', 'b']);
    expect(first.body.metadata.remainingItemCount).toBe(3);
    // A change between pages is not seen by the rest of this list.
    standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'd' });
    const second = await call(`/api/v1/pods?limit=2&continue=${first.body.metadata.continue}`);
    expect(second.body.items.map((p: Json) => p.metadata.name)).toEqual(['c', 'd']);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const third = await call(`/api/v1/pods?limit=2&continue=${second.body.metadata.continue}`);
    expect(third.body.items.map((p: Json) => p.metadata.name)).toEqual(['e']);
    expect(third.body.metadata.continue).toBeUndefined();

    standIn.compact();
    const expired = await call(`/api/v1/pods?limit=2&continue=${first.body.metadata.continue}`);
    expect(expired).toMatchObject({ status: 410, body: { code: 410, reason: 'Expired' } });
    expect((await call('/api/v1/pods?continue=garbage')).status).toBe(400);
  });

  it('lists an exact older resourceVersion until it is compacted', async () => {
    standIn.create(pod('a'));
    const before = standIn.revision;
    standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'a' });
    expect((await call(`/api/v1/pods?resourceVersion=${before}&resourceVersionMatch=Exact`)).body.items).toHaveLength(1);
    expect((await call(`/api/v1/pods?resourceVersion=${before}`)).body.items).toHaveLength(0);
    standIn.compact();
    expect((await call(`/api/v1/pods?resourceVersion=${before}&resourceVersionMatch=Exact`)).status).toBe(410);
  });

  it('filters by label and field selectors', async () => {
    standIn.create(pod('a', { app: 'web' }));
    standIn.create(pod('b', { app: 'db' }));
    standIn.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'demo' }, type: 'kubernetes.io/service-account-token' });
    standIn.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'demo' }, type: 'kubernetes.io/tls' });
    expect((await call('/api/v1/pods?labelSelector=app%3Dweb')).body.items.map((p: Json) => p.metadata.name)).toEqual(['a']);
    const secrets = await call(`/api/v1/secrets?fieldSelector=${encodeURIComponent('type!=kubernetes.io/service-account-token')}`);
    expect(secrets.body.items.map((s: Json) => s.metadata.name)).toEqual(['cert']);
    expect((await call('/api/v1/pods?labelSelector=app%20in%20web')).status).toBe(400);
  });
});

describe('KubeStandIn watches', () => {
  it('replays changes after a resourceVersion, then streams live ones, bookmarks included', async () => {
    standIn.create(pod('a'));
    const from = standIn.revision;
    standIn.update({ ...pod('a'), status: { phase: 'Running' } });
    const stream = await watch(`/api/v1/pods?watch=true&resourceVersion=${from}&allowWatchBookmarks=true`);
    await stream.next(1);
    expect(stream.events[0]).toMatchObject({ type: 'MODIFIED', object: { kind: 'Pod', apiVersion: 'v1', status: { phase: 'Running' } } });
    standIn.create(namespace('elsewhere')); // another resource: not on this watch, but it moves the revision
    standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'a' });
    standIn.bookmark();
    await stream.next(3);
    expect(stream.events.slice(1).map((e) => e.type)).toEqual(['DELETED', 'BOOKMARK']);
    expect(stream.events[2]!.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(standIn.revision) } });
    expect(standIn.openWatches('pods')).toBe(1);
    standIn.dropWatches();
    await stream.ended;
    expect(standIn.openWatches()).toBe(0);
  });

  it('starts a watch without a resourceVersion with synthetic ADDED events, and sends no bookmarks unasked', async () => {
    standIn.create(pod('a'));
    const stream = await watch('/api/v1/namespaces/demo/pods?watch=true');
    await stream.next(1);
    standIn.bookmark();
    standIn.create(pod('b'));
    await stream.next(2);
    expect(stream.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
    stream.close();
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    standIn.create(pod('a', { app: 'web' }));
    const stream = await watch(`/api/v1/pods?watch=1&resourceVersion=${standIn.revision}&labelSelector=app%3Dweb`);
    standIn.update(pod('a', { app: 'db' }));
    standIn.update(pod('a', { app: 'web' }));
    await stream.next(2);
    expect(stream.events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    stream.close();
  });

  it('ends a watch from a compacted resourceVersion with a 410 ERROR event', async () => {
    standIn.create(pod('a'));
    const old = standIn.revision;
    standIn.create(pod('b'));
    standIn.compact();
    const stream = await watch(`/api/v1/pods?watch=true&resourceVersion=${old}`);
    await stream.ended;
    expect(stream.events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
    // From the compaction point on, nothing was lost: that watch is served.
    const current = await watch(`/api/v1/pods?watch=true&resourceVersion=${standIn.revision}&timeoutSeconds=1`);
    await current.ended;
    expect(current.events).toEqual([]);
    expect(standIn.requests({ verb: 'watch' }).map((r) => r.query['resourceVersion'])).toEqual([String(old), String(standIn.revision)]);
  });

  it('cuts watches when told, as a network failure would', async () => {
    const stream = await watch('/api/v1/pods?watch=true');
    standIn.dropWatches('reset');
    await stream.ended;
    expect(standIn.openWatches()).toBe(0);
  });
});

describe('KubeStandIn TokenReview', () => {
  const review = (token: string, audiences?: string[]) =>
    call('/apis/authentication.k8s.io/v1/tokenreviews', { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } } });

  it('authenticates registered tokens with their service account, node and common audiences', async () => {
    const token = standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', node: 'node-a', audiences: ['istio-ca'] });
    const reply = await review(token, ['istio-ca', 'other']);
    expect(reply.status).toBe(201);
    expect(reply.body.status).toMatchObject({
      authenticated: true,
      user: { username: 'system:serviceaccount:istio-system:ztunnel', groups: expect.arrayContaining(['system:serviceaccounts']), extra: { [EXTRA.nodeName]: ['node-a'] } },
      audiences: ['istio-ca'],
    });
  });

  it('does not authenticate unknown, revoked, expired or wrong-audience tokens', async () => {
    const expired = standIn.registerToken({ namespace: 'demo', serviceAccount: 'web', expiresAt: new Date(Date.now() - 1000) });
    const revoked = standIn.registerToken({ namespace: 'demo', serviceAccount: 'web' });
    standIn.revokeToken(revoked);
    const apiOnly = standIn.registerToken({ namespace: 'demo', serviceAccount: 'web' });
    for (const [token, audiences] of [['unknown', undefined], [expired, undefined], [revoked, undefined], [apiOnly, ['istio-ca']]] as const) {
      const reply = await review(token, audiences === undefined ? undefined : [...audiences]);
      expect(reply.body.status.authenticated).toBeUndefined();
      expect(reply.body.status.error).toMatch(/invalid bearer token/);
    }
    // Without audiences, the API server's own apply.
    expect((await review(apiOnly)).body.status.authenticated).toBe(true);
  });

  it('needs the client token, and JSON', async () => {
    expect((await call('/apis/authentication.k8s.io/v1/tokenreviews', { method: 'POST', body: {}, token: null })).status).toBe(401);
    const req = await new Promise<number>((resolve, reject) => {
      const r = request(`${standIn.url}/apis/authentication.k8s.io/v1/tokenreviews`, { method: 'POST', ca: standIn.caCert, headers: { authorization: `Bearer ${standIn.clientToken}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on('error', reject);
      r.end('not json');
    });
    expect(req).toBe(400);
  });
});
