import { PROXY_SETTING } from '@ambit/l7-proxy';

/**
 * The name of every gateway setting, written once: the flag is `--<name>` and the
 * environment variable `AMBIT_<NAME>` (dashes become underscores). Most are every L7
 * proxy's (libs/l7-proxy); where Secrets are read and how low ports are served are the gateway's.
 */
export const SETTING = Object.freeze({
  ...PROXY_SETTING,
  configDir: 'config-dir',
  lowPortOffset: 'low-port-offset',
});

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export { envOf, flagOf } from '@ambit/process';
