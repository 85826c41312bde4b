// `npm run bench`: the benchmark suite (see docs/benchmarks.md for what it measures).
require('@swc-node/register');
// Like src/main.ts: the loader reaches @peculiar/x509 (through the services), whose tsyringe wants the polyfill first.
require('reflect-metadata');
require('./runner.ts')
  .main(process.argv.slice(2))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
