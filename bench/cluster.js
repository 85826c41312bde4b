// Several Berth processes on one port (node:cluster; the primary hands each
// new connection to a worker in turn). Usage: BERTH_WORKERS=2 node bench/cluster.js
// with Berth's own environment (PORT, DATABASE_URL, ...). Prints the worker pids.
const cluster = require('node:cluster');
const path = require('node:path');

const workers = Number(process.env.BERTH_WORKERS || 2);
cluster.setupPrimary({ exec: path.resolve(__dirname, '../dist/main.js'), execArgv: [], silent: false });
let listening = 0;
const pids = [];
for (let i = 0; i < workers; i++) {
  const worker = cluster.fork();
  pids.push(worker.process.pid);
  worker.on('listening', () => {
    if (++listening === workers) process.stdout.write(`workers ${pids.join(' ')}\n`);
  });
}
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    console.error(`berth worker ${worker.process.pid} exited (${signal || code})`);
    process.exit(1);
  }
});
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
  cluster.disconnect(() => process.exit(0));
});
