import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { ConfigDirectoryError, describeFsError, FileProviderOptionError } from './errors.js';

describe('file provider errors', () => {
  it.each([
    {
      error: new ConfigDirectoryError('/srv/mesh', 'cannot be read: no such file or directory'),
      code: 'AMBIT_ERR_CP_CONFIG_DIR',
      message: 'config directory /srv/mesh cannot be read: no such file or directory',
      hint: 'create it, or point --config-dir (AMBIT_CONFIG_DIR) at the directory of mesh YAML',
    },
    {
      error: new FileProviderOptionError('debounceMs', -1, 'an integer of at least 0'),
      code: 'AMBIT_ERR_CP_FILE_PROVIDER_OPTION',
      message: 'file provider option debounceMs = -1 is invalid: expected an integer of at least 0',
      hint: undefined,
    },
  ])('$code', ({ error, code, message, hint }) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.name).toBe(error.constructor.name);
    expect({ code: error.code, message: error.message, hint: error.hint }).toEqual({ code, message, hint });
  });

  it('words file system errors as config-model does', () => {
    const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw`), { code });
    expect(describeFsError(errno('ENOENT'))).toBe('no such file or directory');
    expect(describeFsError(errno('EACCES'))).toBe('permission denied');
    expect(describeFsError(errno('ENOTDIR'))).toBe('a part of the path is not a directory');
    expect(describeFsError(errno('EIO'))).toBe('EIO: raw');
  });
});
