'use strict';
// Mocha's spec output plus a machine-readable tally: the runner script prints the project's
// closing line (`N passed, N failed`) from this file, since mocha's own summary is not read by CI.
const fs = require('node:fs');
const Mocha = require('mocha');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.RRR_TOTALS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
    });
  }
}

module.exports = TotalsReporter;
