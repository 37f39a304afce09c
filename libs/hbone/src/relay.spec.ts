import { once } from 'node:events';
import type { ServerHttp2Stream } from 'node:http2';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLIENT, eventually, readAll, SERVER, startPool, startServer, tcpEcho, testPki } from './__support__/mesh.js';
import type { HbonePool } from './client/hbone-pool.js';
import { relay, type RelayResult } from './relay.js';
import type { Http2Tuning } from './tuning.js';
import type { IpPort } from './wire/authority.js';

/** The tunnel as the TCP connection it carries: bytes, half-close, resets, backpressure. */
const pki = await testPki();
const runs = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 200) / 10;

/** ztunnel's outbound in miniature: each local TCP connection relayed through the pool. */
async function outbound(pool: HbonePool, destination: IpPort, hboneAddress: IpPort): Promise<{ address: IpPort; results: Promise<RelayResult>[] }> {
  const results: Promise<RelayResult>[] = [];
  const server = createTcpServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    const result = pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination, hboneAddress }).then(
      (stream) => relay(socket, stream),
      (error: unknown) => {
        socket.resetAndDestroy();
        throw error;
      },
    );
    result.catch(() => undefined);
    results.push(result);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { address: { ip: '127.0.0.1', port: (server.address() as AddressInfo).port }, results };
}

function tcpClient(address: IpPort): Socket {
  const socket = connectTcp({ host: address.ip, port: address.port, allowHalfOpen: true });
  onTestFinished(() => void socket.destroy());
  return socket;
}

describe('relay', () => {
  it('carries a TCP connection through both ends, FIN for FIN, and counts the bytes', async () => {
    const echo = await tcpEcho();
    const { address } = await startServer(pki);
    const local = await outbound(startPool(pki), echo, address);
    const client = tcpClient(local.address);
    client.end('through two relays');
    expect((await readAll(client)).toString()).toBe('through two relays');
    await expect(local.results[0]).resolves.toEqual({ sent: 18, received: 18, outcome: 'closed' });
  });

  it('turns a reset of the destination into a reset of the client socket', async () => {
    // A destination that resets once it has read something.
    const resetting = createTcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    resetting.listen(0, '127.0.0.1');
    await once(resetting, 'listening');
    onTestFinished(() => new Promise<void>((resolve) => resetting.close(() => resolve())));
    const destination = { ip: '127.0.0.1', port: (resetting.address() as AddressInfo).port };
    const { address } = await startServer(pki);
    const local = await outbound(startPool(pki), destination, address);
    const client = tcpClient(local.address);
    client.write('hello');
    const [error] = (await once(client, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
    await expect(local.results[0]).resolves.toMatchObject({ outcome: 'stream-reset' });
  });

  it('turns a reset of the client socket into a reset of the destination', async () => {
    const upstreamErrors: string[] = [];
    const upstreamSockets: Socket[] = [];
    const upstream = createTcpServer((socket) => {
      upstreamSockets.push(socket);
      socket.on('error', (error: NodeJS.ErrnoException) => upstreamErrors.push(error.code ?? ''));
      socket.resume();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    onTestFinished(() => {
      for (const socket of upstreamSockets) socket.destroy();
      return new Promise<void>((resolve) => upstream.close(() => resolve()));
    });
    const destination = { ip: '127.0.0.1', port: (upstream.address() as AddressInfo).port };
    const { address } = await startServer(pki);
    const local = await outbound(startPool(pki), destination, address);
    const client = tcpClient(local.address);
    client.write('hello');
    await eventually(() => upstreamSockets.length === 1);
    client.resetAndDestroy();
    await expect(local.results[0]).resolves.toMatchObject({ outcome: 'socket-reset' });
    await eventually(() => upstreamErrors.includes('ECONNRESET'));
  });

  it('preserves the bytes of any chunking, both ways (property)', async () => {
    const echo = await tcpEcho();
    const { address } = await startServer(pki);
    const pool = startPool(pki);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 70_000 }), { minLength: 1, maxLength: 12 }), async (chunks) => {
        const stream = await pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: echo, hboneAddress: address });
        const received = readAll(stream);
        for (const chunk of chunks) if (!stream.write(chunk)) await once(stream, 'drain');
        stream.end();
        expect((await received).equals(Buffer.concat(chunks))).toBe(true);
      }),
      { numRuns: Math.max(5, runs) },
    );
  });
});

describe('backpressure', () => {
  it('a reader that stops reading stops the writer at the flow-control window, not later', async () => {
    const tuning: Http2Tuning = { streamWindowBytes: 256 * 1024, connectionWindowBytes: 1024 * 1024, maxFrameBytes: 16384 };
    let tunnel: ServerHttp2Stream | undefined;
    const { address } = await startServer(pki, {
      tuning,
      handler: (request) => {
        // Accepted, and never read.
        tunnel = request.accept();
        tunnel.pause();
      },
    });
    const stream = await startPool(pki, { tuning }).connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.0.0.1', port: 80 }, hboneAddress: address });
    const chunk = Buffer.alloc(16 * 1024, 1);
    const limit = 64 * 1024 * 1024;
    let produced = 0;
    let blocked = false;
    // Writes as a well-behaved relay does: until write() says stop, then waits for 'drain'.
    const writer = (async () => {
      while (produced < limit) {
        produced += chunk.length;
        if (!stream.write(chunk)) {
          blocked = true;
          await once(stream, 'drain');
          blocked = false;
        }
      }
    })();
    writer.catch(() => undefined);
    // Wait until the writer is stuck and nothing moves any more.
    let last = -1;
    await eventually(() => {
      const settled = blocked && produced === last;
      last = produced;
      return settled;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(blocked).toBe(true);
    // What left the writer is bounded by the stream window plus the writable buffer.
    expect(produced).toBeLessThanOrEqual(tuning.streamWindowBytes + stream.writableHighWaterMark + 2 * chunk.length);
    expect(stream.writableLength).toBeLessThanOrEqual(stream.writableHighWaterMark + chunk.length);
    expect(tunnel!.readableLength).toBeLessThanOrEqual(tuning.streamWindowBytes);
    stream.destroy();
  });
});
