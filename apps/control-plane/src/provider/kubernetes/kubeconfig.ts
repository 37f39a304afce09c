import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError } from './errors.js';

/** Where a pod's service-account token is mounted: its presence (with the service env) means in-cluster. */
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The Kubernetes client config: the file given; else, inside a pod, the pod's service
 * account; else `$KUBECONFIG` (its first file, merged with the others, as kubectl does),
 * else `~/.kube/config`. Never client-node's last resort (`http://localhost:8080`,
 * unauthenticated): without a config the control plane says so instead.
 */
export function loadKubeConfig(path: string | null | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const config = new KubeConfig();
  try {
    if (path !== null && path !== undefined) {
      if (!existsSync(path)) throw new KubeconfigError(`${path} does not exist`);
      config.loadFromFile(path);
    } else if (env['KUBERNETES_SERVICE_HOST'] !== undefined && existsSync(IN_CLUSTER_TOKEN)) {
      config.loadFromCluster();
    } else if ((env['KUBECONFIG'] ?? '').split(delimiter).some((file) => file !== '' && existsSync(file)) || existsSync(join(homedir(), '.kube', 'config'))) {
      config.loadFromDefault();
    } else {
      throw new KubeconfigError('not in a pod with a service account, $KUBECONFIG names no file, and ~/.kube/config does not exist');
    }
  } catch (error) {
    if (error instanceof KubeconfigError) throw error;
    throw new KubeconfigError(`${path ?? 'the default kubeconfig'} cannot be read: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new KubeconfigError(`${path ?? 'the kubeconfig'} has no current context with a cluster`);
  if (!/^https?:\/\//.test(cluster.server)) throw new KubeconfigError(`cluster ${cluster.name} has server ${JSON.stringify(cluster.server)}, not an http(s) URL`);
  return config;
}
