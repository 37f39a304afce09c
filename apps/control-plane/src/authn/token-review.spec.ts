import { createServer, type Server, type Socket } from 'node:net';
import { KubeStandIn } from '@ambit/kube-stand-in';
import { KubeConfig } from '@kubernetes/client-node';
import { GrpcStatus } from '@ambit/xds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedCallerError } from './errors.js';
import { TokenReviewAuthenticator } from './token-review.js';
import { TokenReviewUnavailableError } from './token-review-errors.js';

let standIn: KubeStandIn;
// The first start makes the stand-in's key, which takes long on a busy machine.
beforeAll(async () => {
  standIn = await KubeStandIn.start();
}, 60_000);
afterAll(async () => {
  await standIn.close();
});

function kubeConfigOf(text: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(text);
  return config;
}

const authenticator = (options: { timeoutMs?: number; kubeConfig?: KubeConfig } = {}) =>
  new TokenReviewAuthenticator({ kubeConfig: options.kubeConfig ?? kubeConfigOf(standIn.kubeconfig()), trustDomain: 'cluster.local', rootNamespace: 'istio-system', ...options });

const signal = () => AbortSignal.timeout(10_000);

/** The rejection of `promise`, checked to never contain the token. */
async function rejection(promise: Promise<unknown>, token: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  expect(`${error!.message} ${(error!.cause as Error | undefined)?.message ?? ''}`).not.toContain(token);
  return error!;
}

describe('TokenReviewAuthenticator, against an API server over HTTPS', () => {
  it("makes a ztunnel's token a node caller for the node its token is bound to", async () => {
    const token = standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', node: 'node-a', pod: 'ztunnel-x1', audiences: ['istio-ca'] });
    await expect(authenticator().authenticate(token, signal())).resolves.toEqual({ kind: 'node', node: 'node-a', proof: 'service-account-token' });
    // It asked for the audience it trusts.
    expect(standIn.requests({ resource: 'tokenreviews.authentication.k8s.io' }).at(-1)).toMatchObject({ method: 'POST', status: 201 });
  });

  it("makes any other service account's token a workload caller with its SPIFFE identity", async () => {
    const token = standIn.registerToken({ namespace: 'demo', serviceAccount: 'waypoint', audiences: ['istio-ca'] });
    const caller = await authenticator().authenticate(token, signal());
    expect(caller.kind === 'workload' && caller.identity.toString()).toBe('spiffe://cluster.local/ns/demo/sa/waypoint');
  });

  it('refuses unknown, expired, wrong-audience and unbound node tokens as UNAUTHENTICATED, never echoing the token', async () => {
    const tokens = {
      unknown: 'not-a-token-the-server-knows',
      expired: standIn.registerToken({ namespace: 'demo', serviceAccount: 'web', audiences: ['istio-ca'], expiresAt: new Date(Date.now() - 1000) }),
      'for the API server only': standIn.registerToken({ namespace: 'demo', serviceAccount: 'web' }),
      'ztunnel without a node': standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', audiences: ['istio-ca'] }),
    };
    const messages: Record<string, string> = {};
    for (const [what, token] of Object.entries(tokens)) {
      const error = await rejection(authenticator().authenticate(token, signal()), token);
      expect(error).toBeInstanceOf(UnauthenticatedCallerError);
      expect(error).toMatchObject({ code: 'AMBIT_ERR_CP_UNAUTHENTICATED', grpcCode: GrpcStatus.UNAUTHENTICATED });
      messages[what] = error.message;
    }
    expect(messages['expired']).toMatch(/has expired/);
    expect(messages['for the API server only']).toMatch(/invalid for the target audiences/);
    expect(messages['ztunnel without a node']).toMatch(/is not bound to a node/);
  });

  it('takes the audiences it is given', async () => {
    const token = standIn.registerToken({ namespace: 'demo', serviceAccount: 'web', audiences: ['ambit'] });
    const custom = new TokenReviewAuthenticator({ kubeConfig: kubeConfigOf(standIn.kubeconfig()), trustDomain: 'cluster.local', rootNamespace: 'istio-system', audiences: ['ambit'] });
    await expect(custom.authenticate(token, signal())).resolves.toMatchObject({ kind: 'workload' });
    await rejection(authenticator().authenticate(token, signal()), token);
  });

  it('reports an API server it cannot use as UNAVAILABLE, not as a bad token', async () => {
    const token = standIn.registerToken({ namespace: 'demo', serviceAccount: 'web', audiences: ['istio-ca'] });
    // The control plane's own credentials are refused (401).
    const forbidden = await rejection(authenticator({ kubeConfig: kubeConfigOf(standIn.kubeconfig('wrong-client-token')) }).authenticate(token, signal()), token);
    expect(forbidden).toBeInstanceOf(TokenReviewUnavailableError);
    expect(forbidden).toMatchObject({ code: 'AMBIT_ERR_CP_TOKEN_REVIEW_UNAVAILABLE', grpcCode: GrpcStatus.UNAVAILABLE, message: expect.stringMatching(/answered 401/) });
  });
});

describe('TokenReviewAuthenticator, when the API server is down or silent', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: only the deadline ends the wait.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const pointedAt = (port: number) => kubeConfigOf(standIn.kubeconfig().replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));

  it('fails with UNAVAILABLE within its deadline when nothing answers', async () => {
    const port = (silent.address() as { port: number }).port;
    const error = await rejection(authenticator({ timeoutMs: 200, kubeConfig: pointedAt(port) }).authenticate('some-token', signal()), 'some-token');
    expect(error).toBeInstanceOf(TokenReviewUnavailableError);
    expect(error.message).toMatch(/aborted or timed out/);
  });

  it('fails with UNAVAILABLE when the API server is not listening', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(authenticator({ kubeConfig: pointedAt(port) }).authenticate('some-token', signal()), 'some-token');
    expect(error).toBeInstanceOf(TokenReviewUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("stops waiting when the caller's call ends", async () => {
    const port = (silent.address() as { port: number }).port;
    const call = new AbortController();
    const pending = authenticator({ kubeConfig: pointedAt(port) }).authenticate('some-token', call.signal);
    call.abort();
    const error = await rejection(pending, 'some-token');
    expect(error).toBeInstanceOf(UnauthenticatedCallerError);
    expect(error.message).toMatch(/the call ended/);
  });
});
