// Test support for code that consumes resources: YAML in, validated resources out, any config error fails the test.
export { loadResources, parseYaml, yamlResources } from './resources.js';
