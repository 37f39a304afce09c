import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { unavailableListeners } from './ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function occupy(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return (server.address() as { port: number }).port;
}

describe('unavailableListeners', () => {
  it('names every address that is taken or not of this machine, and what it was for', async () => {
    const taken = await occupy('127.0.143.1');
    const free = await occupy('127.0.143.2');
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(
      await unavailableListeners([
        { host: '127.0.143.1', port: taken, purpose: 'ztunnel n1 admin' },
        { host: '127.0.143.2', port: free, purpose: 'ztunnel n2 admin' },
        // TEST-NET-1 is never an address of this machine.
        { host: '192.0.2.1', port: 15000, purpose: 'ztunnel far admin' },
      ]),
    ).toEqual([
      { address: `127.0.143.1:${taken}`, purpose: 'ztunnel n1 admin', reason: 'in use' },
      { address: '192.0.2.1:15000', purpose: 'ztunnel far admin', reason: 'not an address of this machine' },
    ]);
  });

  it('leaves nothing bound behind', async () => {
    const port = await occupy('127.0.143.3');
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await unavailableListeners([{ host: '127.0.143.3', port, purpose: 'x' }])).toEqual([]);
    expect(await unavailableListeners([{ host: '127.0.143.3', port, purpose: 'x' }])).toEqual([]);
  });
});
