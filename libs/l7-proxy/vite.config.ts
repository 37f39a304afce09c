import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig('l7-proxy');
