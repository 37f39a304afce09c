import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { roundTrip } from '../l4-client.js';
import { BenchInputError, Socks5ClientError } from './errors.js';
import { socks5Connect } from './socks5-client.js';

/** A scripted SOCKS5 proxy on 127.0.0.1: `script` answers the client's greeting and request as the test wants. */
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function proxy(script: (socket: Socket, greeting: Buffer, request: () => Promise<Buffer>) => void): Promise<{ ip: string; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let waiter: (() => void) | undefined;
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      waiter?.();
    };
    socket.on('data', onData);
    const read = async (bytes: number): Promise<Buffer> => {
      while (buffered.length < bytes) await new Promise<void>((resolve) => (waiter = resolve));
      const out = buffered.subarray(0, bytes);
      buffered = buffered.subarray(bytes);
      return out;
    };
    void read(3).then((greeting) =>
      script(socket, greeting, async () => {
        const head = await read(5);
        const rest = head[3] === 0x01 ? 3 + 2 : head[4]! + 2;
        const request = Buffer.concat([head, await read(rest)]);
        socket.off('data', onData);
        if (buffered.length > 0) socket.unshift(buffered);
        return request;
      }),
    );
  });
  const originalClose = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    sockets.forEach((socket) => socket.destroy());
    return originalClose(callback);
  }) as Server['close'];
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { ip: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

const SUCCESS = Buffer.of(5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90);

describe('socks5Connect', () => {
  it('asks for no authentication, CONNECTs to an IPv4 destination, then carries the bytes', async () => {
    let seen: { greeting: Buffer; request: Buffer } | undefined;
    const entry = await proxy(async (socket, greeting, request) => {
      socket.write(Buffer.of(5, 0));
      seen = { greeting, request: await request() };
      socket.write(SUCCESS);
      socket.pipe(socket);
    });
    const socket = await socks5Connect(entry, { host: '127.77.20.1', port: 9000 });
    await roundTrip(socket, Buffer.from('hello through the proxy'));
    socket.destroy();
    expect(seen!.greeting).toEqual(Buffer.of(5, 1, 0));
    expect(seen!.request).toEqual(Buffer.of(5, 1, 0, 1, 127, 77, 20, 1, 0x23, 0x28));
  });

  it('sends a name as a domain address (socks5h) and keeps bytes that came with the reply', async () => {
    let request: Buffer | undefined;
    const entry = await proxy(async (socket, _greeting, read) => {
      socket.write(Buffer.of(5, 0));
      request = await read();
      // A domain-typed bound address, then application bytes in the same write.
      socket.write(Buffer.concat([Buffer.of(5, 0, 0, 3, 4), Buffer.from('host'), Buffer.of(0, 80), Buffer.from('early')]));
    });
    const socket = await socks5Connect(entry, { host: 'echo.bench.svc.cluster.local', port: 80 });
    socket.resume();
    const [early] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(early.toString()).toBe('early');
    const name = 'echo.bench.svc.cluster.local';
    expect(request).toEqual(Buffer.concat([Buffer.of(5, 1, 0, 3, name.length), Buffer.from(name), Buffer.of(0, 80)]));
  });

  it('reports a refusal with the RFC 1928 reply code and its meaning', async () => {
    const entry = await proxy(async (socket, _greeting, read) => {
      socket.write(Buffer.of(5, 0));
      await read();
      socket.end(Buffer.of(5, 5, 0, 1, 0, 0, 0, 0, 0, 0));
    });
    const refused = socks5Connect(entry, { host: '127.0.0.2', port: 80 });
    await expect(refused).rejects.toThrow(Socks5ClientError);
    await expect(refused).rejects.toMatchObject({ code: 'AMBIT_ERR_BENCH_SOCKS5', reply: 5, message: expect.stringMatching(/refused CONNECT to 127\.0\.0\.2:80: connection refused/) });
  });

  it('refuses a proxy that wants authentication', async () => {
    const entry = await proxy((socket) => socket.end(Buffer.of(5, 0xff)));
    await expect(socks5Connect(entry, { host: '127.0.0.2', port: 80 })).rejects.toThrow(/accepts no method without authentication \(chose 0xff\)/);
  });

  it('refuses a proxy that does not speak SOCKS5', async () => {
    const entry = await proxy((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(socks5Connect(entry, { host: '127.0.0.2', port: 80 })).rejects.toThrow(/answered version 72, not SOCKS5/);
  });

  it('reports a proxy that closes during the handshake', async () => {
    const entry = await proxy((socket) => socket.end(Buffer.of(5)));
    await expect(socks5Connect(entry, { host: '127.0.0.2', port: 80 })).rejects.toThrow(/closed the connection during the handshake/);
  });

  it('gives up on a proxy that never answers', async () => {
    const entry = await proxy(() => undefined);
    await expect(socks5Connect(entry, { host: '127.0.0.2', port: 80 }, 50)).rejects.toThrow(/no answer within 50 ms/);
  });

  it.each([
    [{ host: '127.0.0.2', port: 0 }, /destination.port: 0 is not valid/],
    [{ host: '127.0.0.2', port: 70000 }, /destination.port: 70000/],
    [{ host: '', port: 80 }, /destination.host: "" is not valid/],
    [{ host: 'x'.repeat(256), port: 80 }, /destination.host/],
  ])('refuses the destination %o before sending anything', async (destination, message) => {
    const entry = await proxy((socket) => socket.write(Buffer.of(5, 0)));
    const attempt = socks5Connect(entry, destination);
    await expect(attempt).rejects.toThrow(BenchInputError);
    await expect(attempt).rejects.toThrow(message);
  });
});
