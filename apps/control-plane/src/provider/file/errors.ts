import { AmbitError } from '@ambit/errors';
import { envOf, flagOf, SETTING } from '../../config/names.js';

/** The config directory cannot serve as one: it is missing, not a directory, or unreadable. */
export class ConfigDirectoryError extends AmbitError {
  readonly path: string;

  constructor(path: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_CONFIG_DIR', `config directory ${path} ${reason}`, {
      hint: `create it, or point ${flagOf(SETTING.configDir)} (${envOf(SETTING.configDir)}) at the directory of mesh YAML`,
      cause,
    });
    this.path = path;
  }
}

/** The file provider was given an option it cannot work with (a mistake of the caller). */
export class FileProviderOptionError extends AmbitError {
  readonly option: string;

  constructor(option: string, value: unknown, expected: string) {
    super('AMBIT_ERR_CP_FILE_PROVIDER_OPTION', `file provider option ${option} = ${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.option = option;
  }
}

/** A file system error as a person reads it, in the words config-model uses. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return error instanceof Error ? error.message : String(error);
}
