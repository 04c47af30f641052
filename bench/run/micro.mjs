// The micro-benchmarks (jose_bench, rules_bench) and the signing floor read from jose_bench.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './procs.mjs';

const kMicroArgs = ['--benchmark_repetitions=5', '--benchmark_min_time=0.2',
  '--benchmark_enable_random_interleaving=true', '--benchmark_report_aggregates_only=true',
  '--benchmark_out_format=json'];

/// Runs one Google Benchmark binary, writing its JSON to `out`. Returns an error text or null.
export async function runMicro(binary, out) {
  if (!existsSync(binary)) return `${binary} is missing`;
  const result = await run(binary, [...kMicroArgs, `--benchmark_out=${out}`], { timeoutMs: 600_000 });
  if (result.code !== 0) return `${path.basename(binary)} exit ${result.code}: ${result.stderr.trim()}`;
  process.stdout.write(result.stdout);
  return null;
}

const kToUs = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 };

/// Median CPU µs of BM_Sign_Latchkey/ALG and BM_Verify_Latchkey/ALG from a jose_bench JSON.
export function readFloors(joseJson) {
  const doc = JSON.parse(readFileSync(joseJson, 'utf8'));
  const floors = { sign: {}, verify: {}, source: joseJson };
  for (const b of doc.benchmarks ?? []) {
    const match = /^BM_(Sign|Verify)_Latchkey\/(\w+)_median$/.exec(b.name);
    if (!match) continue;
    const us = b.cpu_time * (kToUs[b.time_unit] ?? 1e-3);
    floors[match[1].toLowerCase()][match[2]] = Number(us.toFixed(2));
  }
  if (!floors.sign.RS256 || !floors.sign.ES256 || !floors.verify.RS256) {
    throw new Error(`${joseJson} lacks the RS256/ES256 medians`);
  }
  return floors;
}
