// `npm run bench`: the benchmark suite (see docs/benchmarks.md for what it measures).
require('@swc-node/register');
require('./runner.ts')
  .main(process.argv.slice(2))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
