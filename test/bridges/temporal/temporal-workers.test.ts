import { expect } from 'chai';
import { createContainer } from '../../../src/container/index.js';
import { TemporalConfigError, temporalWorkers } from '../../../src/bridges/temporal/index.js';

describe('temporalWorkers', () => {
  it('refuses a container with asyncContext off: each activity call finds its scope through currentScope()', () => {
    const container = createContainer({ asyncContext: false });
    expect(() => temporalWorkers({ container }))
      .to.throw(TemporalConfigError, 'needs asyncContext on')
      .with.property('path', 'createContainer({ asyncContext })');
  });

  it('takes a container with asyncContext on (the default) without doing anything yet', () => {
    const app = temporalWorkers({ container: createContainer({}) });
    expect(app.run).to.be.a('function');
  });
});
