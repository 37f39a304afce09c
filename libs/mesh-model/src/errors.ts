import { AmbitError } from '@ambit/errors';

/**
 * What the model stage refuses. Bad configuration is never an error here (it is
 * reported as status facts); these are mistakes of the caller: settings that cannot
 * name a mesh, and change batches that contradict themselves.
 */

export class MeshSettingError extends AmbitError {
  readonly setting: string;

  constructor(setting: string, value: unknown, reason: string) {
    super('AMBIT_ERR_CP_MESH_SETTING', `mesh setting ${setting} = ${JSON.stringify(value)} is invalid: ${reason}`, {
      hint: 'defaults: trustDomain cluster.local, rootNamespace istio-system, clusterDomain cluster.local, clusterId Kubernetes',
    });
    this.setting = setting;
  }
}

export class ConflictingChangeError extends AmbitError {
  readonly resource: string;

  constructor(resource: string, reason: string) {
    super('AMBIT_ERR_CP_CONFLICTING_CHANGE', `change batch ${reason}: ${resource}`, {
      hint: 'a provider must coalesce the events of one resource into one upsert or one removal per batch',
    });
    this.resource = resource;
  }
}
