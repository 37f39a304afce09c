import { describe, expect, it } from 'vitest';
import { MeshSettingError } from './errors.js';
import { DEFAULT_MESH_SETTINGS, meshSettings } from './mesh-settings.js';

describe('meshSettings', () => {
  it("defaults to Istio's", () => {
    expect(meshSettings()).toEqual({ trustDomain: 'cluster.local', rootNamespace: 'istio-system', clusterDomain: 'cluster.local', clusterId: 'Kubernetes', network: '' });
    expect(Object.isFrozen(meshSettings())).toBe(true);
    expect(meshSettings({ trustDomain: 'example.org' })).toEqual({ ...DEFAULT_MESH_SETTINGS, trustDomain: 'example.org' });
  });

  it.each([
    ['trustDomain', 'Cluster.Local'],
    ['trustDomain', 'td/x'],
    ['rootNamespace', 'istio_system'],
    ['clusterDomain', ''],
    ['clusterId', ''],
    ['clusterId', 'a/b'],
    ['network', 'n/1'],
  ] as const)('refuses %s = %j, naming it', (setting, value) => {
    const attempt = () => meshSettings({ [setting]: value });
    expect(attempt).toThrow(MeshSettingError);
    expect(attempt).toThrow(new RegExp(`mesh setting ${setting} = `));
  });
});
