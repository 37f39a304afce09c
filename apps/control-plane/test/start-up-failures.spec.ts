import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminListenError } from '../src/admin/index.js';
import { buildConfig } from '../src/config/index.js';
import { ControlPlane } from '../src/control-plane.js';
import { main } from '../src/main.js';
import { ConfigDirectoryError } from '../src/provider/index.js';
import { StageStartError } from '../src/runner.js';
import { createMeshDir, type MeshDir } from './support/mesh.js';
import { freePort, isFree, occupy } from './support/ports.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function meshDir(): Promise<MeshDir> {
  const dir = await createMeshDir();
  cleanups.push(() => dir.cleanup());
  return dir;
}

/** Starts a control plane that is expected to fail; returns the error and the ports it was given. */
async function failedStart(configDir: string, caDir: string, ports: { xds: number; admin: number }): Promise<StageStartError> {
  const config = buildConfig({
    argv: ['--config-dir', configDir, '--ca-dir', caDir, '--xds-address', `127.0.0.1:${ports.xds}`, '--admin-address', `127.0.0.1:${ports.admin}`],
    env: {},
  });
  const controlPlane = new ControlPlane(config);
  cleanups.push(() => controlPlane.close());
  const error = await controlPlane.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StageStartError);
  expect(controlPlane.ready).toBe(false);
  return error as StageStartError;
}

describe('start-up failures', () => {
  it('a missing config directory fails start with a typed error naming it, and binds no port', async () => {
    const dir = await meshDir();
    const ports = { xds: await freePort(), admin: await freePort() };
    const missing = join(dir.root, 'no-such-dir');
    const error = await failedStart(missing, dir.caDir, ports);
    expect(error.stage).toBe('file-provider');
    expect(error.cause).toBeInstanceOf(ConfigDirectoryError);
    expect((error.cause as ConfigDirectoryError).code).toBe('AMBIT_ERR_CP_CONFIG_DIR');
    expect(error.message).toContain(missing);
    expect(await isFree(ports.xds)).toBe(true);
    expect(await isFree(ports.admin)).toBe(true);
  });

  it('a taken xDS port fails start with the address, and leaves nothing bound', async () => {
    const dir = await meshDir();
    const taken = await occupy();
    cleanups.push(() => taken.close());
    const admin = await freePort();
    const error = await failedStart(dir.configDir, dir.caDir, { xds: taken.port, admin });
    expect(error.stage).toBe('xds');
    expect((error.cause as { code?: string }).code).toBe('AMBIT_ERR_XDS_LISTEN');
    expect(error.message).toContain(`127.0.0.1:${taken.port}`);
    expect(await isFree(admin)).toBe(true);
  });

  it('a taken admin port fails start with the address, and releases the xDS port already bound', async () => {
    const dir = await meshDir();
    const taken = await occupy();
    cleanups.push(() => taken.close());
    const xds = await freePort();
    const error = await failedStart(dir.configDir, dir.caDir, { xds, admin: taken.port });
    expect(error.stage).toBe('admin');
    expect(error.cause).toBeInstanceOf(AdminListenError);
    expect(error.message).toContain(`cannot serve the admin endpoints on 127.0.0.1:${taken.port}: the address is already in use`);
    expect(error.message).toContain('--admin-address');
    expect(await isFree(xds)).toBe(true);
  });

  it('main exits 2 on a bad flag and 1 when start fails, saying why', async () => {
    const lines: string[] = [];
    const write = (line: string): void => {
      lines.push(line);
    };
    expect(await main(['--xds-adress', '127.0.0.1:0'], { env: {}, write })).toBe(2);
    expect(lines.join('')).toContain('AMBIT_ERR_CP_CONFIG: --xds-adress is not a control-plane flag');

    lines.length = 0;
    const dir = await meshDir();
    const missing = join(dir.root, 'missing');
    const argv = ['--config-dir', missing, '--ca-dir', dir.caDir, '--xds-address', '127.0.0.1:0', '--admin-address', '127.0.0.1:0'];
    expect(await main(argv, { env: {}, write })).toBe(1);
    expect(lines.join('')).toMatch(new RegExp(`cannot start: AMBIT_ERR_CP_STAGE_START: control-plane stage file-provider failed to start: config directory ${missing} cannot be read`));
  });
});
