// The micro-benchmarks (jose_bench, rules_bench) and the signing floor read from jose_bench.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { floorUs } from './loadgen.mjs';
import { pinned, run } from './procs.mjs';

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

/// CPU µs of each BM_Sign_Latchkey/ALG and BM_Verify_Latchkey/ALG in a jose_bench JSON: the
/// median aggregate, or with `fastest` the fastest repetition.
function readCosts(joseJson, { fastest = false } = {}) {
  const doc = JSON.parse(readFileSync(joseJson, 'utf8'));
  const out = { sign: {}, verify: {} };
  const pattern = fastest ? /^BM_(Sign|Verify)_Latchkey\/(\w+)$/ : /^BM_(Sign|Verify)_Latchkey\/(\w+)_median$/;
  for (const b of doc.benchmarks ?? []) {
    const match = pattern.exec(b.name);
    if (!match || (fastest && b.run_type !== 'iteration')) continue;
    const us = Number((b.cpu_time * (kToUs[b.time_unit] ?? 1e-3)).toFixed(2));
    const kind = out[match[1].toLowerCase()];
    kind[match[2]] = fastest && kind[match[2]] !== undefined ? Math.min(kind[match[2]], us) : us;
  }
  return out;
}

/// The floors of a whole jose_bench run: RS256 and ES256 signing and RS256 verifying at least.
export function readFloors(joseJson) {
  const floors = { ...readCosts(joseJson), source: joseJson };
  if (!floors.sign.RS256 || !floors.sign.ES256 || !floors.verify.RS256) {
    throw new Error(`${joseJson} lacks the RS256/ES256 medians`);
  }
  return floors;
}

/// The signing floor of `scenario` in µs (floorUs), measured now: jose_bench runs just the
/// signatures and verifications the scenario needs, five short repetitions on the servers' core
/// (0), and the fastest counts. On a shared machine RSA's speed moves by a fifth between minutes;
/// a floor taken beside each scenario keeps "CPU ÷ floor" a ratio of like to like, and the
/// fastest repetition is the least disturbed (so the ratio errs high, not low). Null when the
/// scenario has no floor or jose_bench failed.
export async function probeFloorUs(joseBench, scenario, out) {
  const ops = [...Object.keys(scenario.signs ?? {}).map((alg) => `Sign_Latchkey/${alg}`),
    ...Object.keys(scenario.verifies ?? {}).map((alg) => `Verify_Latchkey/${alg}`)];
  if (ops.length === 0 || !existsSync(joseBench)) return null;
  const [cmd, args] = pinned(0, joseBench, [`--benchmark_filter=^BM_(${ops.join('|')})$`,
    '--benchmark_repetitions=5', '--benchmark_min_time=0.1', '--benchmark_out_format=json',
    `--benchmark_out=${out}`]);
  const result = await run(cmd, args, { timeoutMs: 120_000 });
  if (result.code !== 0) return null;
  try {
    const us = floorUs(scenario, readCosts(out, { fastest: true }));
    return Number.isFinite(us) && us > 0 ? Number(us.toFixed(2)) : null;
  } catch {
    return null;
  }
}
