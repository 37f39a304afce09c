import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type ConnectionOptions, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { testIntermediate, testRoot, writePluggedCa } from './__support__/pki.js';
import { CertificateAuthority } from './ca.js';
import { createCsr } from './csr.js';
import { UnexpectedPeerIdentityError } from './errors.js';
import { generateKeyPair, privateKeyToPem } from './keys.js';
import { SpiffeId } from './spiffe.js';
import { peerCertificateChain } from './tls-peer.js';
import { TrustBundle } from './trust-bundle.js';
import { verifyPeerChain, type VerifiedPeer } from './verify.js';

/**
 * Real sockets, real TLS 1.3: what the HBONE client and server will do after each
 * handshake. Both sides present certificates from the CA, verify the other's chain
 * against the trust bundle in the handshake, then extract and check the SPIFFE identity.
 */
const SERVER = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/reviews');
const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/productpage');

interface Workload {
  readonly key: string;
  /** Leaf and intermediates: what a TLS endpoint sends (the peer has the root). */
  readonly cert: string;
}

async function workload(ca: CertificateAuthority, identity: SpiffeId): Promise<Workload> {
  const { privateKey } = generateKeyPair();
  const { certChain } = ca.sign(createCsr(privateKey, identity), { identity });
  return { key: privateKeyToPem(privateKey), cert: certChain.slice(0, -1).join('') };
}

const TLS13 = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;
const servers: Server[] = [];
const sockets: TLSSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Outcome {
  /** What the server echoed: the client identity it verified. */
  readonly received?: string;
  readonly clientSawServer?: VerifiedPeer;
  readonly serverSawClient?: VerifiedPeer;
  readonly clientError?: Error;
  readonly serverError?: Error;
}

/**
 * One connection: the server verifies the client's identity and echoes it; the client
 * verifies the server's identity against `allowedServers`.
 */
async function handshake(options: {
  readonly server: Workload;
  readonly client?: Workload;
  readonly serverTrust: readonly string[];
  readonly clientTrust: readonly string[];
  readonly allowedServers?: readonly SpiffeId[];
}): Promise<Outcome> {
  const serverBundle = TrustBundle.fromPem(options.serverTrust);
  const clientBundle = TrustBundle.fromPem(options.clientTrust);
  let serverSawClient: VerifiedPeer | undefined;
  let serverError: Error | undefined;
  const server = createServer({ ...options.server, ca: [...options.serverTrust], requestCert: true, rejectUnauthorized: true, ...TLS13 }, (socket) => {
    sockets.push(socket);
    serverSawClient = verifyPeerChain(peerCertificateChain(socket), { trustBundle: serverBundle });
    socket.end(serverSawClient.identity.toString());
  });
  server.on('tlsClientError', (error) => {
    serverError = error;
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const connection: ConnectionOptions = {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    ...options.client,
    ca: [...options.clientTrust],
    rejectUnauthorized: true,
    // Mesh certificates name workloads, not hosts: the SPIFFE check below replaces the hostname check.
    checkServerIdentity: () => undefined,
    ...TLS13,
  };
  return new Promise<Outcome>((resolve) => {
    const socket = connect(connection);
    sockets.push(socket);
    let clientSawServer: VerifiedPeer | undefined;
    let received = '';
    socket.on('secureConnect', () => {
      expect(socket.getProtocol()).toBe('TLSv1.3');
      try {
        clientSawServer = verifyPeerChain(peerCertificateChain(socket), { trustBundle: clientBundle, allowedIdentities: options.allowedServers });
      } catch (error) {
        socket.destroy();
        resolve({ clientError: error as Error });
      }
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on('error', (clientError) => resolve({ clientError, serverError }));
    socket.on('close', () => resolve({ received, clientSawServer, serverSawClient, serverError }));
  });
}

describe('mutual TLS between workloads of one CA', () => {
  it('authenticates both sides and extracts their SPIFFE identities', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const outcome = await handshake({
      server: await workload(ca, SERVER),
      client: await workload(ca, CLIENT),
      serverTrust: ca.trustBundle(),
      clientTrust: ca.trustBundle(),
      allowedServers: [SERVER],
    });
    expect(outcome.clientError).toBeUndefined();
    expect(outcome.clientSawServer?.identity.equals(SERVER)).toBe(true);
    expect(outcome.serverSawClient?.identity.equals(CLIENT)).toBe(true);
    expect(outcome.received).toBe(CLIENT.toString());
  });

  it('works the same under a plugged-in intermediate: peers send leaf and intermediate', async () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] }));
    const server = await workload(ca, SERVER);
    expect(server.cert.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const outcome = await handshake({
      server,
      client: await workload(ca, CLIENT),
      serverTrust: ca.trustBundle(),
      clientTrust: ca.trustBundle(),
      allowedServers: [SERVER],
    });
    expect(outcome.serverSawClient?.identity.equals(CLIENT)).toBe(true);
    expect(outcome.clientSawServer?.identity.equals(SERVER)).toBe(true);
  });

  it('trusts two roots at once, as during a root rotation', async () => {
    const oldCa = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const newCa = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const trust = [...oldCa.trustBundle(), ...newCa.trustBundle()];
    const outcome = await handshake({
      server: await workload(oldCa, SERVER),
      client: await workload(newCa, CLIENT),
      serverTrust: trust,
      clientTrust: trust,
      allowedServers: [SERVER],
    });
    expect(outcome.serverSawClient?.identity.equals(CLIENT)).toBe(true);
    expect(outcome.clientSawServer?.identity.equals(SERVER)).toBe(true);
  });

  it('refuses in the handshake a client certificate from another CA', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const rogue = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const outcome = await handshake({
      server: await workload(ca, SERVER),
      client: await workload(rogue, CLIENT),
      serverTrust: ca.trustBundle(),
      clientTrust: ca.trustBundle(),
    });
    // In TLS 1.3 the client finishes its side of the handshake before the server has
    // checked the client certificate; the server then drops the connection without ever
    // handing it to the application.
    expect(outcome.serverSawClient).toBeUndefined();
    expect(outcome.received ?? '').toBe('');
  });

  it('refuses in the handshake a client without a certificate', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const outcome = await handshake({ server: await workload(ca, SERVER), serverTrust: ca.trustBundle(), clientTrust: ca.trustBundle() });
    expect(outcome.serverSawClient).toBeUndefined();
    expect(outcome.received ?? '').toBe('');
  });

  it('refuses in the handshake a server certificate from another CA', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const rogue = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const outcome = await handshake({
      server: await workload(rogue, SERVER),
      client: await workload(ca, CLIENT),
      serverTrust: ca.trustBundle(),
      clientTrust: ca.trustBundle(),
    });
    expect(outcome.clientSawServer).toBeUndefined();
    expect(outcome.clientError?.message).toMatch(/certificate|unable to/i);
  });

  it('detects a server with a valid certificate for another identity', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const impostor = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/ratings');
    const outcome = await handshake({
      server: await workload(ca, impostor),
      client: await workload(ca, CLIENT),
      serverTrust: ca.trustBundle(),
      clientTrust: ca.trustBundle(),
      allowedServers: [SERVER],
    });
    expect(outcome.clientError).toBeInstanceOf(UnexpectedPeerIdentityError);
    expect(outcome.clientError?.message).toMatch(/peer is spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/ratings; expected .*sa\/reviews/);
  });
});
