import type { Logger } from '@ambit/telemetry';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface ShutdownSignal {
  /** Resolves at the first SIGTERM or SIGINT. */
  readonly received: Promise<void>;
  /** Stops listening (start-up failed: nothing to drain). */
  cancel(): void;
}

/**
 * Waits for SIGTERM or SIGINT. The handlers come off at the first signal, so a second
 * one during the drain gets Node's default action (the process ends at once) and an
 * operator is never stuck behind a hung shutdown.
 */
export function shutdownSignal(log: Logger): ShutdownSignal {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const cancel = (): void => {
    for (const name of SHUTDOWN_SIGNALS) process.off(name, onSignal);
  };
  const received = new Promise<void>((resolve) => {
    onSignal = (name) => {
      log.info(`${name} received; draining`);
      cancel();
      resolve();
    };
  });
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal);
  return { received, cancel };
}
