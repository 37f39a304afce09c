import { InvalidResourceError, UpdateRejectedError, type StateErrors } from '../errors.js';

// A proxy's error classes as tests of the shared state make them.

export class TestInvalidResourceError extends InvalidResourceError {
  constructor(type: string, resource: string, field: string, problem: string) {
    super('AMBIT_ERR_TEST_INVALID_RESOURCE', type, resource, field, problem);
  }
}

export class TestUpdateRejectedError extends UpdateRejectedError {
  constructor(problems: readonly Error[]) {
    super('AMBIT_ERR_TEST_UPDATE_REJECTED', problems, 'the test proxy keeps its last good state');
  }
}

export const TEST_ERRORS: StateErrors = {
  invalidResource: (type, resource, field, problem) => new TestInvalidResourceError(type, resource, field, problem),
  updateRejected: (problems) => new TestUpdateRejectedError(problems),
};
