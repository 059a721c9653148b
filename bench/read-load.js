// Constant-arrival-rate GET load for bench/run.sh (an open model, no dependencies but Node.js itself). Request i is
// due at start + i / RATE whether or not earlier answers came back; up to CONNECTIONS keep-alive connections carry
// them, and a request finding every connection busy waits for one. Each latency runs from the moment the request was
// due to the end of its answer, so a slow answer, or the generator falling behind, counts against the server rather
// than delaying the next measurement (no coordinated omission). A warm-up of WARMUP seconds at the same rate comes
// first, unrecorded (JIT, connection setup). Prints one JSON object: P50/P95/P99/max, counts, the achieved rate.
//
// Not autocannon: its rate is a per-connection quota per second (each connection sends back to back until its share
// of the second is used, then waits for the next second), so every second starts with a burst of CONNECTIONS
// requests in flight at once, and its latencies were those of that burst, not of a constant rate.
//   node bench/read-load.js URL RATE SECONDS CONNECTIONS [WARMUP]
const http = require('http');
const { performance } = require('perf_hooks');

const [url, rate, seconds, connections, warmup = '3'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const TIMEOUT_MS = 10_000;

/** Runs RATE requests per second for `duration` s; resolves with every answer's latency (ms) and the counts. */
function load(duration) {
  return new Promise((resolve) => {
    const total = Math.round(Number(rate) * duration);
    const interval = 1000 / Number(rate);
    const latencies = [];
    let due = 0;
    let settled = 0;
    let non2xx = 0;
    let errors = 0;
    const start = performance.now();
    const settle = () => {
      settled++;
      if (settled === total) {
        resolve({ latencies, non2xx, errors, elapsedMs: performance.now() - start });
      }
    };
    const fire = (scheduled) => {
      const request = http.get(url, { agent, timeout: TIMEOUT_MS }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - scheduled);
          if (response.statusCode < 200 || response.statusCode > 299) {
            non2xx++;
          }
          settle();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        errors++;
        settle();
      });
    };
    const pump = () => {
      const now = performance.now();
      while (due < total && start + due * interval <= now) {
        fire(start + due * interval);
        due++;
      }
      if (due < total) {
        setTimeout(pump, Math.max(0, start + due * interval - performance.now()));
      }
    };
    pump();
  });
}

(async () => {
  await load(Number(warmup));
  const result = await load(Number(seconds));
  const latencies = result.latencies.sort((a, b) => a - b);
  const rank = (p) => latencies.length === 0 ? 0
    : Math.round(latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] * 10) / 10;
  console.log(JSON.stringify({
    rate: Number(rate),
    seconds: Number(seconds),
    connections: Number(connections),
    responses: latencies.length,
    achievedRate: Math.round(latencies.length / (result.elapsedMs / 1000)),
    non2xx: result.non2xx,
    errors: result.errors,
    p50Ms: rank(0.50),
    p95Ms: rank(0.95),
    p99Ms: rank(0.99),
    maxMs: rank(1),
  }));
  agent.destroy();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
