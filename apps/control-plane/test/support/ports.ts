import { createServer, type Server } from 'node:net';

/** A port nothing listens on right now (for tests that must name ports before start). */
export async function freePort(): Promise<number> {
  const server = await listen(0);
  const port = (server.address() as { port: number }).port;
  await close(server);
  return port;
}

/** Holds a port taken, as another process would. */
export async function occupy(port = 0): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server = await listen(port);
  return { port: (server.address() as { port: number }).port, close: () => close(server) };
}

/** Whether the port can be bound now, i.e. nobody (the control plane included) still holds it. */
export async function isFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));
    return true;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
