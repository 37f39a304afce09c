import diagnostics_channel from 'node:diagnostics_channel';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIssue, type ServiceResource } from '@ambit/config-model';
import { assignLocalAddresses } from '@ambit/mesh-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageClosedError } from '../../runner.js';
import { BatchRecorder, describeBatch, peerAuthentication as pa, tempDir, WAIT_MS } from '../__support__/recorder.js';
import { FILE_PROVIDER_CHANNELS, type FileLoadedEvent } from './channels.js';
import { ConfigDirectoryError } from './errors.js';
import { FileProvider, type FileProviderOptions } from './file-provider.js';

let dir: string;
let removeDir: () => Promise<void>;
const providers: FileProvider[] = [];

beforeEach(async () => {
  ({ path: dir, remove: removeDir } = await tempDir('file-provider'));
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await removeDir();
});

async function started(options: Partial<FileProviderOptions> = {}): Promise<{ provider: FileProvider; batches: BatchRecorder }> {
  const provider = new FileProvider({ directory: dir, debounceMs: 20, ...options });
  providers.push(provider);
  const batches = new BatchRecorder();
  provider.subscribe(batches.listener);
  await provider.start();
  return { provider, batches };
}

const write = (name: string, text: string): Promise<void> => writeFile(join(dir, name), text);

/** Replaces a file in one step (write beside it, rename over it): a watcher never sees it empty, however busy the machine. */
async function replace(name: string, text: string): Promise<void> {
  await writeFile(join(dir, `.${name}.next`), text);
  await rename(join(dir, `.${name}.next`), join(dir, name));
}

/**
 * Absence of a batch cannot be waited for; a later, real change can. The provider
 * handles changes in order, so if the earlier step had published anything it would
 * come before (or together with) the barrier's batch.
 */
async function barrier(batches: BatchRecorder, name = 'zz-barrier.yaml'): Promise<void> {
  await write(name, pa('barrier', `b${batches.batches.length}`));
  expect(describeBatch(await batches.next('the barrier change'))).toEqual({ upserted: [`PeerAuthentication barrier/b${batches.batches.length - 1}`], removed: [] });
}

describe('FileProvider', () => {
  it('loads every file at start and publishes it as one batch', async () => {
    await write('a.yaml', pa('shop', 'a') + '---\n' + pa('shop', 'b'));
    await mkdir(join(dir, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'nested', 'deeper', 'c.yml'), pa('shop', 'c'));
    await writeFile(join(dir, 'nested', 'd.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }));
    await writeFile(join(dir, 'README.md'), 'not config');

    const { provider, batches } = await started();

    expect(describeBatch(await batches.next('the initial load'))).toEqual({
      // readSources' order: nested/d.json before nested/deeper/ ("." sorts before "e").
      upserted: ['PeerAuthentication shop/a', 'PeerAuthentication shop/b', 'Namespace /shop', 'PeerAuthentication shop/c'],
      removed: [],
    });
    expect(provider.snapshot().map((r) => r.metadata.name)).toEqual(['a', 'b', 'shop', 'c']);
    const status = provider.status();
    expect(status.directory).toBe(dir);
    expect(status.mode).toBe('watch');
    expect(status.files.map((f) => [f.path, f.ok, f.resources])).toEqual([
      [join(dir, 'a.yaml'), true, 2],
      [join(dir, 'nested', 'd.json'), true, 1],
      [join(dir, 'nested', 'deeper', 'c.yml'), true, 1],
    ]);
  });

  it('publishes an added, a modified and a deleted file as the matching batches', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const { provider, batches } = await started();
    await batches.next('the initial load');

    await write('b.yaml', pa('shop', 'b'));
    expect(describeBatch(await batches.next('the added file'))).toEqual({ upserted: ['PeerAuthentication shop/b'], removed: [] });

    await write('a.yaml', pa('shop', 'a', 'PERMISSIVE'));
    const modified = await batches.next('the modified file');
    expect(describeBatch(modified)).toEqual({ upserted: ['PeerAuthentication shop/a'], removed: [] });
    expect(modified.upserted[0]).toMatchObject({ spec: { mtls: { mode: 'PERMISSIVE' } } });

    await rm(join(dir, 'b.yaml'));
    expect(describeBatch(await batches.next('the deleted file'))).toEqual({ upserted: [], removed: ['PeerAuthentication shop/b'] });
    expect(provider.snapshot().map((r) => r.metadata.name)).toEqual(['a']);
    expect(provider.status().files.map((f) => f.path)).toEqual([join(dir, 'a.yaml')]);
  });

  it('follows renames: away from a config name removes, back adds, between config names changes nothing', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const { provider, batches } = await started();
    await batches.next('the initial load');

    await rename(join(dir, 'a.yaml'), join(dir, 'a.yaml.disabled'));
    expect(describeBatch(await batches.next('the file renamed away'))).toEqual({ upserted: [], removed: ['PeerAuthentication shop/a'] });

    await rename(join(dir, 'a.yaml.disabled'), join(dir, 'a.yaml'));
    expect(describeBatch(await batches.next('the file renamed back'))).toEqual({ upserted: ['PeerAuthentication shop/a'], removed: [] });

    await rename(join(dir, 'a.yaml'), join(dir, 'm.yaml'));
    await barrier(batches);
    expect(provider.status().files.map((f) => f.path)).toEqual([join(dir, 'm.yaml'), join(dir, 'zz-barrier.yaml')]);
    expect(provider.snapshot().map((r) => r.metadata.name)).toContain('a');
  });

  it('follows a directory that appears, is renamed and disappears', async () => {
    const { batches } = await started();

    await mkdir(join(dir, 'team', 'prod'), { recursive: true });
    await writeFile(join(dir, 'team', 'prod', 'pa.yaml'), pa('team', 'prod'));
    expect(describeBatch(await batches.next('the new directory'))).toEqual({ upserted: ['PeerAuthentication team/prod'], removed: [] });

    await rename(join(dir, 'team'), join(dir, 'squad'));
    await writeFile(join(dir, 'squad', 'prod', 'pa.yaml'), pa('team', 'prod', 'DISABLE'));
    const renamed = await batches.next('the write in the renamed directory');
    expect(describeBatch(renamed)).toEqual({ upserted: ['PeerAuthentication team/prod'], removed: [] });
    expect(renamed.upserted[0]).toMatchObject({ spec: { mtls: { mode: 'DISABLE' } } });

    await rm(join(dir, 'squad'), { recursive: true });
    expect(describeBatch(await batches.next('the deleted directory'))).toEqual({ upserted: [], removed: ['PeerAuthentication team/prod'] });
  });

  it('still sees in-place writes after an editor saved by renaming over the file', async () => {
    // Node 20's `recursive: true` on Linux loses exactly this: it watches the replaced inode.
    await write('a.yaml', pa('shop', 'a'));
    const { batches } = await started();
    await batches.next('the initial load');

    await write('.a.yaml.swp', pa('shop', 'a', 'PERMISSIVE'));
    await rename(join(dir, '.a.yaml.swp'), join(dir, 'a.yaml'));
    expect((await batches.next('the atomic save')).upserted[0]).toMatchObject({ spec: { mtls: { mode: 'PERMISSIVE' } } });

    await write('a.yaml', pa('shop', 'a', 'DISABLE'));
    expect((await batches.next('the in-place write')).upserted[0]).toMatchObject({ spec: { mtls: { mode: 'DISABLE' } } });
  });

  it('keeps the last good resources of a file that stops validating, reports why, and applies the fix', async () => {
    await write('a.yaml', pa('shop', 'a') + '---\n' + pa('shop', 'b'));
    const loaded: FileLoadedEvent[] = [];
    const onLoaded = (event: unknown): void => void loaded.push(event as FileLoadedEvent);
    diagnostics_channel.subscribe(FILE_PROVIDER_CHANNELS.fileLoaded, onLoaded);
    try {
      const { provider, batches } = await started();
      await batches.next('the initial load');

      // One valid change and one invalid document: nothing of the file applies.
      await write('a.yaml', pa('shop', 'a', 'PERMISSIVE') + '---\n' + pa('shop', 'b').replace('STRICT', 'SOMETIMES'));
      await barrier(batches);
      const bad = provider.status().files.find((f) => f.path === join(dir, 'a.yaml'))!;
      expect(bad.ok).toBe(false);
      expect(bad.resources).toBe(2);
      expect(bad.inForceSince).toBeDefined();
      expect(bad.issues.map(formatIssue)).toEqual([expect.stringMatching(/a\.yaml:\d+:\d+ PeerAuthentication shop\/b spec\.mtls\.mode: .*SOMETIMES/)]);
      expect(provider.snapshot().find((r) => r.metadata.name === 'a')).toMatchObject({ spec: { mtls: { mode: 'STRICT' } } });
      expect(loaded.find((e) => !e.applied)).toMatchObject({ path: join(dir, 'a.yaml'), applied: false, keptPrevious: true });

      await write('a.yaml', pa('shop', 'a', 'PERMISSIVE'));
      expect(describeBatch(await batches.next('the fixed file'))).toEqual({ upserted: ['PeerAuthentication shop/a'], removed: ['PeerAuthentication shop/b'] });
      const fixed = provider.status().files.find((f) => f.path === join(dir, 'a.yaml'))!;
      expect(fixed).toMatchObject({ ok: true, issues: [], resources: 1 });
    } finally {
      diagnostics_channel.unsubscribe(FILE_PROVIDER_CHANNELS.fileLoaded, onLoaded);
    }
  });

  it('contributes nothing from a file that never validated, and reports it', async () => {
    await write('broken.yaml', 'kind: [');
    const { provider } = await started();
    expect(provider.snapshot()).toEqual([]);
    expect(provider.status().files).toEqual([
      expect.objectContaining({ path: join(dir, 'broken.yaml'), ok: false, resources: 0, inForceSince: undefined, issues: [expect.objectContaining({ code: 'AMBIT_ERR_CONFIG_SYNTAX' })] }),
    ]);
  });

  it('lets the first file in path order win a duplicate, reports the other, and hands over when the first drops it', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'x.yaml'), pa('shop', 'dup'));
    await write('a-b.yaml', pa('shop', 'dup', 'PERMISSIVE') + '---\n' + pa('shop', 'other'));
    const { provider, batches } = await started();

    // readSources' order: a/x.yaml before a-b.yaml, though "-" sorts before "/".
    const initial = await batches.next('the initial load');
    expect(describeBatch(initial)).toEqual({ upserted: ['PeerAuthentication shop/dup', 'PeerAuthentication shop/other'], removed: [] });
    expect(initial.upserted[0]).toMatchObject({ spec: { mtls: { mode: 'STRICT' } } });
    const loser = provider.status().files.find((f) => f.path === join(dir, 'a-b.yaml'))!;
    expect(loser).toMatchObject({ ok: false, resources: 1 });
    expect(loser.issues.map(formatIssue)).toEqual([
      `${join(dir, 'a-b.yaml')}:1:1 PeerAuthentication shop/dup metadata.name: is defined twice; the first definition is at ${join(dir, 'a', 'x.yaml')}:1:1 (rename one or remove the copy)`,
    ]);

    await rm(join(dir, 'a', 'x.yaml'));
    const handover = await batches.next('the second definition taking over');
    expect(describeBatch(handover)).toEqual({ upserted: ['PeerAuthentication shop/dup'], removed: [] });
    expect(handover.upserted[0]).toMatchObject({ spec: { mtls: { mode: 'PERMISSIVE' } } });
    expect(provider.status().files.find((f) => f.path === join(dir, 'a-b.yaml'))).toMatchObject({ ok: true, issues: [], resources: 2 });
  });

  it('publishes nothing for a write that changes no content', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const { batches } = await started();
    await batches.next('the initial load');

    // Replaced whole: a truncate-then-write could be read half-way on a loaded machine, which is a real change.
    await replace('a.yaml', pa('shop', 'a')); // the same bytes
    await replace('a.yaml', `# moved down and re-ordered\n\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nspec: {mtls: {mode: STRICT}}\nmetadata: {namespace: shop, name: a}\n`);
    await barrier(batches);
    expect(batches.pending).toBe(0);
  });

  it('coalesces a burst of writes into one batch', async () => {
    const { batches } = await started({ debounceMs: 250, maxDelayMs: WAIT_MS });
    for (let i = 0; i < 20; i++) await write(`f${i % 4}.yaml`, pa('shop', `f${i % 4}`, i < 16 ? 'PERMISSIVE' : 'DISABLE'));

    const burst = await batches.next('the burst');
    expect(describeBatch(burst).upserted.sort()).toEqual(['PeerAuthentication shop/f0', 'PeerAuthentication shop/f1', 'PeerAuthentication shop/f2', 'PeerAuthentication shop/f3']);
    for (const resource of burst.upserted) expect(resource).toMatchObject({ spec: { mtls: { mode: 'DISABLE' } } });
    await barrier(batches);
    expect(batches.pending).toBe(0);
  });

  it('keeps the config of a directory that disappears, reports it, and reloads it when it is back', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const { provider, batches } = await started({ pollIntervalMs: 20 });
    await batches.next('the initial load');

    await removeDir();
    await expect.poll(() => provider.status().issues.map(formatIssue), { timeout: WAIT_MS }).toEqual([
      `${dir}: cannot be read: no such file or directory; the configuration read before stays in force until it is back`,
    ]);
    expect(provider.status().mode).toBe('poll');
    expect(provider.snapshot().map((r) => r.metadata.name)).toEqual(['a']);

    await mkdir(dir);
    await write('b.yaml', pa('shop', 'b'));
    expect(describeBatch(await batches.next('the directory back'))).toEqual({ upserted: ['PeerAuthentication shop/b'], removed: ['PeerAuthentication shop/a'] });
    expect(provider.status()).toMatchObject({ mode: 'watch', issues: [] });
    await write('b.yaml', pa('shop', 'b', 'DISABLE'));
    expect((await batches.next('a write watched again')).upserted[0]).toMatchObject({ spec: { mtls: { mode: 'DISABLE' } } });
  });

  it('reads and watches afresh a config directory swapped for another', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const next = `${dir}-next`;
    await mkdir(next);
    await writeFile(join(next, 'b.yaml'), pa('shop', 'b'));
    try {
      const { batches } = await started();
      await batches.next('the initial load');

      await rename(dir, `${dir}-old`);
      await rename(next, dir);
      expect(describeBatch(await batches.next('the swapped directory'))).toEqual({ upserted: ['PeerAuthentication shop/b'], removed: ['PeerAuthentication shop/a'] });
      await write('b.yaml', pa('shop', 'b', 'DISABLE'));
      expect((await batches.next('a write in the new directory')).upserted[0]).toMatchObject({ spec: { mtls: { mode: 'DISABLE' } } });
    } finally {
      await rm(`${dir}-old`, { recursive: true, force: true });
      await rm(next, { recursive: true, force: true });
    }
  });

  // Permissions do not bind root, so these report skipped when the tests run as root.
  const asRoot = process.getuid?.() === 0;

  it.skipIf(asRoot)('keeps the files of a sub-directory that becomes unreadable, and reports it', async () => {
    await mkdir(join(dir, 'team'));
    await writeFile(join(dir, 'team', 'a.yaml'), pa('team', 'a'));
    const { provider, batches } = await started();
    await batches.next('the initial load');

    // The mode change is itself an event on team/, which makes the provider look at it again.
    await chmod(join(dir, 'team'), 0o000);
    try {
      await barrier(batches);
      expect(provider.snapshot().map((r) => r.metadata.name)).toContain('a');
      expect(provider.status().issues.map(formatIssue)).toEqual([`${join(dir, 'team')}: cannot be read: permission denied; its files stay as they were last read`]);
    } finally {
      await chmod(join(dir, 'team'), 0o755);
    }
  });

  it.skipIf(asRoot)('fails to start on a sub-directory that cannot be read, naming it', async () => {
    await mkdir(join(dir, 'locked'));
    await chmod(join(dir, 'locked'), 0o000);
    try {
      await expect(new FileProvider({ directory: dir }).start()).rejects.toMatchObject({
        code: 'AMBIT_ERR_CP_CONFIG_DIR',
        path: join(dir, 'locked'),
        message: `config directory ${join(dir, 'locked')} cannot be read: permission denied`,
      });
    } finally {
      await chmod(join(dir, 'locked'), 0o755);
    }
  });

  it('polls when watching is turned off', async () => {
    await write('a.yaml', pa('shop', 'a'));
    const { provider, batches } = await started({ watch: false, pollIntervalMs: 20 });
    await batches.next('the initial load');
    expect(provider.status().mode).toBe('poll');

    await write('a.yaml', pa('shop', 'a', 'PERMISSIVE'));
    expect((await batches.next('the polled change')).upserted[0]).toMatchObject({ spec: { mtls: { mode: 'PERMISSIVE' } } });
    await rm(join(dir, 'a.yaml'));
    expect(describeBatch(await batches.next('the polled deletion'))).toEqual({ upserted: [], removed: ['PeerAuthentication shop/a'] });
  });

  it('fails to start on a directory that does not exist, or is a file, naming the path', async () => {
    const missing = join(dir, 'nope');
    const error = await new FileProvider({ directory: missing }).start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigDirectoryError);
    expect(error).toMatchObject({ code: 'AMBIT_ERR_CP_CONFIG_DIR', path: missing, message: `config directory ${missing} cannot be read: no such file or directory` });
    expect((error as ConfigDirectoryError).hint).toContain('--config-dir');

    await write('file.yaml', '');
    await expect(new FileProvider({ directory: join(dir, 'file.yaml') }).start()).rejects.toMatchObject({
      code: 'AMBIT_ERR_CP_CONFIG_DIR',
      message: `config directory ${join(dir, 'file.yaml')} is not a directory`,
    });
  });

  it('keeps delivering to the other subscribers when one throws', async () => {
    const provider = new FileProvider({ directory: dir, debounceMs: 20 });
    providers.push(provider);
    const failures: unknown[] = [];
    const onFailure = (event: unknown): void => void failures.push(event);
    diagnostics_channel.subscribe(FILE_PROVIDER_CHANNELS.listenerFailed, onFailure);
    try {
      provider.subscribe(() => {
        throw new Error('consumer bug');
      });
      const batches = new BatchRecorder();
      provider.subscribe(batches.listener);
      await provider.start();
      await write('a.yaml', pa('shop', 'a'));
      expect(describeBatch(await batches.next('the change'))).toEqual({ upserted: ['PeerAuthentication shop/a'], removed: [] });
      expect(failures).toEqual([{ directory: dir, error: new Error('consumer bug') }]);
    } finally {
      diagnostics_channel.unsubscribe(FILE_PROVIDER_CHANNELS.listenerFailed, onFailure);
    }
  });

  it("publishes local mode's addresses: a Service without a cluster IP gets its VIP, the same after a reload", async () => {
    const service = (name: string, clusterIP = '') =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n${clusterIP === '' ? '' : `  clusterIP: ${clusterIP}\n`}`;
    await write('a.yaml', service('web'));
    const { provider, batches } = await started();
    await batches.next('the initial load');
    const vip = (): unknown => provider.snapshot().find((r): r is ServiceResource => r.kind === 'Service' && r.metadata.name === 'web')?.spec;
    // Assigning again finds nothing to assign: the published Service carries its VIP.
    expect(assignLocalAddresses(provider.snapshot()).vips.size).toBe(0);
    expect(vip()).toMatchObject({ clusterIP: expect.stringMatching(/^127\./) });
    const before = JSON.stringify(vip());
    await write('b.yaml', service('api', '127.0.50.1'));
    expect(describeBatch(await batches.next('the added Service'))).toEqual({ upserted: ['Service shop/api'], removed: [] });
    expect(JSON.stringify(vip())).toBe(before);
  });

  it('stops watching and publishing on close, and cannot start again', async () => {
    const watchHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const before = watchHandles();
    await mkdir(join(dir, 'sub'));
    const { provider, batches } = await started();
    const other = await started();
    expect(watchHandles()).toBe(before + 4);

    await provider.close();
    await provider.close();
    // Handles go once libuv has closed them, a tick or so after close().
    await expect.poll(watchHandles, { timeout: WAIT_MS }).toBe(before + 2);
    await write('a.yaml', pa('shop', 'a'));
    await other.batches.next('the change seen by a provider still open');
    expect(batches.batches).toEqual([]);
    await expect(provider.start()).rejects.toBeInstanceOf(StageClosedError);
  });

  it('refuses options it cannot work with', () => {
    expect(() => new FileProvider({ directory: '' })).toThrow(expect.objectContaining({ code: 'AMBIT_ERR_CP_FILE_PROVIDER_OPTION', option: 'directory' }));
    expect(() => new FileProvider({ directory: dir, pollIntervalMs: 0 })).toThrow(/pollIntervalMs = 0 is invalid: expected an integer of at least 1/);
  });
});
