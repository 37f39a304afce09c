import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NotBuiltError } from './errors.js';

/** A program `local up` runs: its entry script and the compiled code that script loads. */
export interface Program {
  readonly component: string;
  readonly bin: string;
  readonly compiled: string;
  readonly build: string;
}

// This file is apps/ambitctl/{src,dist}/commands/local/binaries.*: the apps are four levels up.
const apps = (path: string): string => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

export const CONTROL_PLANE: Program = {
  component: 'the control plane',
  bin: apps('control-plane/bin/control-plane.mjs'),
  compiled: apps('control-plane/dist/main.js'),
  build: 'npx tsc -b apps/control-plane/tsconfig.lib.json',
};

export const ZTUNNEL: Program = {
  component: 'ztunnel',
  bin: apps('ztunnel/bin/ztunnel.mjs'),
  compiled: apps('ztunnel/dist/main.js'),
  build: 'npx tsc -b apps/ztunnel/tsconfig.lib.json',
};

export const WAYPOINT: Program = {
  component: 'the waypoint',
  bin: apps('waypoint/bin/waypoint.mjs'),
  compiled: apps('waypoint/dist/main.js'),
  build: 'npx tsc -b apps/waypoint/tsconfig.lib.json',
};

export const INGRESS_GATEWAY: Program = {
  component: 'the ingress gateway',
  bin: apps('ingress-gateway/bin/ingress-gateway.mjs'),
  compiled: apps('ingress-gateway/dist/main.js'),
  build: 'npx tsc -b apps/ingress-gateway/tsconfig.lib.json',
};

export const SAMPLE_ECHO: Program = {
  component: 'the sample echo app',
  bin: apps('sample-echo/bin/sample-echo.mjs'),
  compiled: apps('sample-echo/dist/main.js'),
  build: 'npx tsc -b apps/sample-echo/tsconfig.lib.json',
};

/** Throws NotBuiltError naming the first program whose compiled code is missing. */
export async function checkBuilt(programs: readonly Program[]): Promise<void> {
  for (const program of programs) {
    try {
      await access(program.compiled);
    } catch {
      throw new NotBuiltError(program.component, program.compiled, program.build);
    }
  }
}
