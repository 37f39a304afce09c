const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface StopSignals {
  /** Resolves with the first SIGINT, SIGTERM or SIGHUP. */
  readonly received: Promise<NodeJS.Signals>;
  /** Called at each later one (an impatient second Ctrl-C). */
  onRepeat(handler: () => void): void;
  /** Stops listening; the signals get Node's default action again. */
  cancel(): void;
}

/**
 * The signals that stop a local mesh. Unlike a server's, a second signal does not end
 * ambitctl at once: that would leave its children running, as they are in their own
 * process group. It hurries the stop instead (the children are killed).
 */
export function stopSignals(): StopSignals {
  let repeat: () => void = () => undefined;
  let first: ((signal: NodeJS.Signals) => void) | undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    first = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first === undefined) {
      repeat();
      return;
    }
    first(signal);
    first = undefined;
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    received,
    onRepeat: (handler) => {
      repeat = handler;
    },
    cancel: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
