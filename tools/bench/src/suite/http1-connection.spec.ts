import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTo } from '../l4-client.js';
import { Http1Connection } from './http1-connection.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function listen(server: Server): Promise<{ ip: string; port: number }> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { ip: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

describe('Http1Connection', () => {
  it('reads keep-alive responses to their end, one after another, over one connection', async () => {
    let connections = 0;
    const server = createHttpServer((_request, response) => response.end(Buffer.alloc(1024, 'a')));
    server.on('connection', () => connections++);
    const endpoint = await listen(server);
    const connection = new Http1Connection(await connectTo(endpoint), 'origin');
    for (let i = 0; i < 20; i++) await connection.get();
    connection.close();
    expect(connections).toBe(1);
  });

  it('fails a request answered with another status, naming it', async () => {
    const endpoint = await listen(createHttpServer((_request, response) => response.writeHead(503).end('no')));
    const connection = new Http1Connection(await connectTo(endpoint), 'origin');
    await expect(connection.get()).rejects.toThrow(/answered "HTTP\/1.1 503 Service Unavailable", expected 200/);
    connection.close();
  });

  it('fails on a response head that never ends, instead of buffering it', async () => {
    const endpoint = await listen(createServer((socket) => socket.write(`HTTP/1.1 200 OK\r\n${'x-filler: y\r\n'.repeat(2000)}`)));
    const connection = new Http1Connection(await connectTo(endpoint), 'origin');
    await expect(connection.get()).rejects.toThrow(/response head over 16384 bytes/);
  });

  it('fails a request when the server closes the connection, and every later one', async () => {
    const endpoint = await listen(createServer((socket) => socket.once('data', () => socket.destroy())));
    const connection = new Http1Connection(await connectTo(endpoint), 'origin');
    await expect(connection.get()).rejects.toThrow(/closed/);
    await expect(connection.get()).rejects.toThrow(/closed/);
  });
});
