// Constant-arrival-rate GET load for bench/run.sh: autocannon with --overallRate semantics (the rate is fixed for the
// whole run, not bounded by how fast answers come back) over many connections, so a slow answer does not hold back the
// next requests (coordinated omission). A warm-up of WARMUP seconds at the same rate comes first, unrecorded (JIT,
// connection setup). Prints one JSON object: P50/P95/P99 of every response's latency, counts. autocannon keeps one
// request in flight per connection: when achievedRate falls below rate, the server did not keep up, fewer requests
// were sent than intended, and the percentiles are a lower bound.
//   node bench/read-load.js URL RATE SECONDS CONNECTIONS [WARMUP]
const autocannon = require('autocannon');

const [url, rate, seconds, connections, warmup = '3'] = process.argv.slice(2);
const latencies = [];
const options = (duration) => ({ url, overallRate: Number(rate), duration, connections: Number(connections), timeout: 10 });

autocannon(options(Number(warmup)), (warmupErr) => {
  if (warmupErr) {
    console.error(warmupErr);
    process.exit(1);
  }
  measure();
});

function measure() {
const instance = autocannon({
  url,
  overallRate: Number(rate),
  duration: Number(seconds),
  connections: Number(connections),
  timeout: 10,
}, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  latencies.sort((a, b) => a - b);
  const rank = (p) => latencies.length === 0 ? 0
    : Math.round(latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] * 10) / 10;
  console.log(JSON.stringify({
    rate: Number(rate),
    seconds: Number(seconds),
    connections: Number(connections),
    responses: latencies.length,
    achievedRate: Math.round(latencies.length / Number(seconds)),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: rank(0.50),
    p95Ms: rank(0.95),
    p99Ms: rank(0.99),
    maxMs: rank(1),
  }));
});
instance.on('response', (client, statusCode, resBytes, responseTime) => latencies.push(responseTime));
}
