import diagnostics_channel from 'node:diagnostics_channel';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchRecorder, describeBatch, peerAuthentication as pa, tempDir } from '../__support__/recorder.js';
import { FILE_PROVIDER_CHANNELS, type PollingEvent } from './channels.js';
import { FileProvider } from './file-provider.js';

// What Linux answers once fs.inotify.max_user_watches is used up.
vi.mock('node:fs', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:fs')>()),
  watch: () => {
    throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
  },
}));

let dir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ path: dir, remove: removeDir } = await tempDir('file-provider-fallback'));
});
afterEach(() => removeDir());

describe('FileProvider when the directory cannot be watched', () => {
  it('falls back to periodic rescans, says so, and still applies changes', async () => {
    const polling: PollingEvent[] = [];
    const onPolling = (event: unknown): void => void polling.push(event as PollingEvent);
    diagnostics_channel.subscribe(FILE_PROVIDER_CHANNELS.polling, onPolling);
    const provider = new FileProvider({ directory: dir, debounceMs: 10, pollIntervalMs: 20 });
    try {
      const batches = new BatchRecorder();
      provider.subscribe(batches.listener);
      await provider.start();
      expect(provider.status().mode).toBe('poll');
      expect(polling).toEqual([expect.objectContaining({ directory: dir, reason: 'watching failed: ENOSPC: System limit for number of file watchers reached' })]);

      await writeFile(join(dir, 'a.yaml'), pa('shop', 'a'));
      expect(describeBatch(await batches.next('the polled change'))).toEqual({ upserted: ['PeerAuthentication shop/a'], removed: [] });
    } finally {
      diagnostics_channel.unsubscribe(FILE_PROVIDER_CHANNELS.polling, onPolling);
      await provider.close();
    }
  });
});
