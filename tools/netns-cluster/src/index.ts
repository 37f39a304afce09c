// The cluster description: read, validate, assign addresses.
export { loadClusterSpec } from './spec/load-spec.js';
export { parseClusterSpec } from './spec/parse-spec.js';
export type { ClusterSpec, NamespaceSpec, NodeSpec, PodSpec, ServicePortSpec, ServiceSpec } from './spec/cluster-spec.js';
// The cluster's life cycle and where its pods' namespaces are.
export { clusterDown, clusterNamespaces, clusterUp, targetNetns } from './cluster.js';
export type { ExecTarget } from './cluster.js';
export { clusterPrefix, netnsPath, nodeNetns, podNetns, underlayNetns } from './plan/names.js';
export { planUp } from './plan/plan-up.js';
export type { Command } from './plan/plan-up.js';
export { runCommand } from './run/command-runner.js';
export type { CommandRunner } from './run/command-runner.js';
export { requireRoot } from './preflight.js';
// The Kubernetes YAML the control plane reads.
export { clusterResources, emitYaml } from './emit/emit-yaml.js';
// The command line.
export { main, USAGE } from './cli/main.js';
export type { CliIo } from './cli/main.js';
export { ClusterCommandError, ClusterExistsError, ClusterNotRootError, ClusterSpecError, ClusterTargetError, ClusterUsageError } from './errors.js';
