import { AmbitError } from '@ambit/errors';

/** A command that installs or removes a pod's redirect rules failed or timed out. */
export class CaptureCommandError extends AmbitError {
  constructor(netnsPath: string, command: string, detail: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CAPTURE', `capture in ${netnsPath}: \`${command}\` failed: ${detail}`, {
      hint: 'in-pod capture needs root (CAP_NET_ADMIN), nsenter, iptables and ip in PATH, and the pod network namespace to exist',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** A captured pod's transparent outbound listener (15001) could not be opened in its network namespace. */
export class CaptureListenError extends AmbitError {
  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CAPTURE_LISTEN', `cannot listen on ${address}`, {
      hint: 'is another ztunnel serving this pod, or something else of the pod listening on 15001?',
      cause,
    });
  }
}
