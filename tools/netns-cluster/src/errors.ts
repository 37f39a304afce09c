import { AmbitError } from '@ambit/errors';

/**
 * How the cluster-in-a-box tool fails, one class per failure, codes stable
 * (docs/netns.md lists them).
 */

/** The cluster description is not valid: names the file, position and field. */
export class ClusterSpecError extends AmbitError {
  readonly field: string;

  constructor(where: string, field: string, message: string, hint?: string) {
    super('AMBIT_ERR_NETNS_CLUSTER_SPEC', `${where}${field === '' ? '' : ` ${field}`}: ${message}`, hint === undefined ? {} : { hint });
    this.field = field;
  }
}

/** Building, removing or entering namespaces needs root. */
export class ClusterNotRootError extends AmbitError {
  constructor(command: string) {
    super('AMBIT_ERR_NETNS_CLUSTER_NOT_ROOT', `netns-cluster ${command} needs root: it creates and enters Linux network namespaces`, {
      hint: 'run it as root (sudo), or use `ambitctl local up`, which needs no root',
    });
  }
}

/** An `ip` (or other) command failed or timed out; names the command and its stderr. */
export class ClusterCommandError extends AmbitError {
  readonly command: string;

  constructor(argv: readonly string[], detail: string, cause?: unknown) {
    const command = argv.join(' ');
    super('AMBIT_ERR_NETNS_CLUSTER_COMMAND', `\`${command}\` failed: ${detail}`, {
      hint: 'the cluster was rolled back; `netns-cluster down` removes anything left over',
      cause,
    });
    this.command = command;
  }
}

/** `up` found namespaces of a cluster with the same name. */
export class ClusterExistsError extends AmbitError {
  constructor(name: string, existing: readonly string[]) {
    super('AMBIT_ERR_NETNS_CLUSTER_EXISTS', `a cluster named ${name} is already up (network namespaces ${existing.join(', ')})`, {
      hint: `run \`netns-cluster down --name ${name}\` first`,
    });
  }
}

/** `exec` named a pod or node the description does not have, or the cluster is not up. */
export class ClusterTargetError extends AmbitError {
  constructor(message: string, hint: string) {
    super('AMBIT_ERR_NETNS_CLUSTER_TARGET', message, { hint });
  }
}

/** The command line itself is wrong. */
export class ClusterUsageError extends AmbitError {
  constructor(message: string) {
    super('AMBIT_ERR_NETNS_CLUSTER_USAGE', message, { hint: 'run `netns-cluster --help`' });
  }
}
