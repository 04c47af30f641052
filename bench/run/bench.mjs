#!/usr/bin/env node
// `make bench` (issue 6): the JOSE and rules micro-benchmarks, then latchkey on a fresh store
// under latchkey-loadgen, and with PEER=1 the node-oidc-provider peer too, alternating the two,
// with each figure set against the signing floor. Writes bench/results/<date>.json and .md.
//
//   node bench/run/bench.mjs [BUILD_DIR]          (default build-release)
//
// Environment: DURATION (s, default 10), WARMUP (s, 2), CONC (16,64), ROUNDS (alternating runs
// of each scenario, the median kept; 1), PEER=1, SCALE=1,
// SCALE_USERS / SCALE_REFRESH_TOKENS (1000000), STARTS (timed start-ups, 5), SCENARIOS (a subset,
// e.g. code,cc), LOADGEN (another latchkey-loadgen binary), SKIP_MICRO=1 (reuse the newest bench/results/jose-*.json), PEER_DIR, KEEP=1
// (keep the temporary stores and server logs; they are kept anyway when the run fails), PIN=0
// (pin nothing to a core), PERF=1 (sample the libcrypto share of latchkey's CPU with perf,
// bench/run/perf.mjs),
// SERVER_LOG_LEVEL (latchkey's --log-level; by default it logs one line per request, the peer none).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorUs, kScenarios, runLoadgen } from './loadgen.mjs';
import { probeFloorUs, readFloors, runMicro } from './micro.mjs';
import { perfBinary, sampleCryptoShare } from './perf.mjs';
import { freeze, installCleanup, loadAverage, pin, rssKib, run, sleep, stopAll, stopChild, tempDirs, thaw } from './procs.mjs';
import { figures, markdown } from './report.mjs';
import { accessTokenAlg, idTokenAlg, installPeer, kApiEs256, kApiRs256, kPeerCredentials, latchkeyKeys, provisionLatchkey, startLatchkey,
  startPeer, timedStarts } from './servers.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function knobsFromEnv() {
  const number = (name, fallback, min, max) => {
    const value = process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be in [${min}, ${max}]`);
    return value;
  };
  const concurrency = (process.env.CONC || '16,64').split(',').map(Number);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 1024)) throw new Error('CONC: integers in [1, 1024]');
  const names = (process.env.SCENARIOS || kScenarios.map((s) => s.name).join(',')).split(',');
  for (const n of names) if (!kScenarios.some((s) => s.name === n)) throw new Error(`SCENARIOS: unknown ${n}`);
  return {
    duration: number('DURATION', 10, 1, 600), warmup: number('WARMUP', 2, 0, 600), concurrency,
    scenarios: names, starts: number('STARTS', 5, 1, 50), rounds: Math.floor(number('ROUNDS', 1, 1, 20)),
    peer: process.env.PEER === '1', scale: process.env.SCALE === '1',
    scaleUsers: number('SCALE_USERS', 1_000_000, 1, 10_000_000),
    scaleRefreshTokens: number('SCALE_REFRESH_TOKENS', 1_000_000, 1, 10_000_000),
    skipMicro: process.env.SKIP_MICRO === '1',
    perf: process.env.PERF === '1',
  };
}

function stamp() {
  return new Date().toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(':', '');
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memGiB: os.totalmem() / 2 ** 30,
    loadStart: loadAverage(), node: process.version };
}

function gitCommit() {
  try {
    return execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function newestJoseJson(resultsDir) {
  if (!existsSync(resultsDir)) return null;
  const files = readdirSync(resultsDir).filter((f) => /^jose-.*\.json$/.test(f)).sort();
  return files.length ? path.join(resultsDir, files[files.length - 1]) : null;
}

async function micro(buildDir, resultsDir, id, knobs, notes) {
  if (knobs.skipMicro) {
    const json = newestJoseJson(resultsDir);
    if (json) notes.push(`SKIP_MICRO=1: the floor comes from ${path.relative(repo, json)}.`);
    return json ? readFloors(json) : null;
  }
  const jose = path.join(resultsDir, `jose-${id}.json`);
  console.log('== jose_bench (the signing floor)');
  const joseError = await runMicro(path.join(buildDir, 'bench', 'jose_bench'), jose);
  console.log('== rules_bench');
  const rulesError = await runMicro(path.join(buildDir, 'bench', 'rules_bench'), path.join(resultsDir, `rules-${id}.json`));
  if (rulesError) notes.push(`rules_bench: ${rulesError}`);
  if (joseError) {
    notes.push(`jose_bench: ${joseError}; no signing floor.`);
    return null;
  }
  return readFloors(jose);
}

/// latchkey: the first start on the fresh store (it generates the signing keys), then timed
/// starts on the provisioned store; the last start stays up for the load runs.
async function setUpLatchkey(store, name, knobs) {
  const first = await startLatchkey(store, name);
  const firstIdleRss = rssKib(first.pid);
  await stopChild(first.child);
  const { server, startup, idleRssKib } = await timedStarts(() => startLatchkey(store, name), knobs.starts);
  return { info: { pid: server.pid, firstStartMs: first.readyMs, firstIdleRssKib: firstIdleRss, startup,
    idleRssKib, readyProbe: 'GET /healthz' }, server };
}

async function setUpPeer(root, knobs, notes) {
  const source = process.env.PEER_DIR || path.resolve(repo, '..', 'shared', 'peers', 'oidc-provider');
  let dir;
  try {
    console.log(`== installing the peer from ${source} (npm ci in a scratch copy)`);
    dir = await installPeer(source, root);
  } catch (error) {
    const note = `The peer could not be installed, so only latchkey was measured: ${error.message}`;
    console.error(`bench: ${note}`);
    notes.push(note);
    return null;
  }
  const first = await startPeer(dir, 'peer');
  await stopChild(first.child);
  const { server, startup, idleRssKib } = await timedStarts(() => startPeer(dir, 'peer'), knobs.starts);
  return { info: { pid: server.pid, firstStartMs: first.readyMs, startup, idleRssKib,
    readyProbe: 'GET /.well-known/openid-configuration (no /healthz)' }, server };
}

/// SCALE=1: a second latchkey store with the same provisioning, filled by latchkey-seed before
/// its server starts. Returns the server info, or a note saying why there is none.
async function setUpScaled(buildDir, root, knobs) {
  const seed = path.join(buildDir, 'bench', 'seed', 'latchkey-seed');
  if (!existsSync(seed)) return { note: `SCALE=1: ${seed} is not built yet (bench/seed); the 1M/1M runs were skipped.` };
  const store = await provisionLatchkey(path.join(buildDir, 'latchkey'), root, 'latchkey-1m');
  console.log(`== seeding ${knobs.scaleUsers} users and ${knobs.scaleRefreshTokens} refresh tokens`);
  const t0 = performance.now();
  const seeded = await run(seed, ['--data-dir', store.dir, '--users', String(knobs.scaleUsers),
    '--refresh-tokens', String(knobs.scaleRefreshTokens), '--client-id', store.clientId, '--audience', kApiRs256],
  { env: store.env, timeoutMs: 1_800_000 });
  if (seeded.code !== 0) return { note: `latchkey-seed failed (exit ${seeded.code}): ${seeded.stderr.trim().split('\n').pop()}` };
  const seedSeconds = (performance.now() - t0) / 1000;
  const set = await setUpLatchkey(store, 'latchkey-1m', knobs);
  return { store, seedSeconds, ...set };
}

function summary(target, scenario, concurrency, result, floors) {
  const f = figures(result);
  if (!f) return `${scenario.name} c=${concurrency} ${target.name}: FAILED ${result.error}`;
  const floor = result.floor_us ?? floorUs(scenario, floors);
  const cpu = f.cpuMsPerOp === null ? 'n/a' : f.cpuMsPerOp.toFixed(3);
  const vsFloor = floor && f.cpuMsPerOp !== null ? ` (${(f.cpuMsPerOp * 1000 / floor).toFixed(2)}× floor)` : '';
  const share = result.crypto_share ? `, libcrypto ${(result.crypto_share * 100).toFixed(1)}% of it` : '';
  return `${scenario.name} c=${concurrency} ${target.name}: ${f.opsPerS.toFixed(0)} ops/s, p99 ${f.p99?.toFixed(2)} ms, ` +
    `server CPU ${cpu} ms/op${vsFloor}${share}, errors ${f.errors}`;
}

/// The run of `runs` with the median server CPU per operation, carrying every run's figure; a
/// failed run counts only when all failed.
function medianRun(runs) {
  const cpu = (r) => r?.server?.cpu_ms_per_op;
  const good = runs.filter((r) => !r?.error && Number.isFinite(cpu(r))).sort((a, b) => cpu(a) - cpu(b));
  if (good.length === 0) return runs[runs.length - 1];
  const kept = good[Math.floor((good.length - 1) / 2)];
  return runs.length === 1 ? kept : { ...kept, rounds_cpu_ms_per_op: runs.map((r) => cpu(r) ?? null) };
}

/// Every scenario and concurrency, the targets in turn (latchkey, peer, latchkey, ...), ROUNDS
/// times over, keeping each target's median run; the targets not being measured are frozen
/// meanwhile. Rounds matter on a shared machine, where one 10-s run can cost a quarter more CPU
/// per operation than the next for the same binary. Before each round the scenario's signing
/// floor is measured again (probeFloorUs); each result carries the lowest as floor_us.
async function runScenarios(loadgen, joseBench, targets, knobs, floors, workDir, notes) {
  const results = Object.fromEntries(targets.map((t) => [t.name, {}]));
  const perf = knobs.perf ? perfBinary() : null;
  if (knobs.perf && !perf) notes.push('PERF=1, but this machine has no perf (Debian\'s linux-perf): no libcrypto share.');
  for (const scenario of kScenarios.filter((s) => knobs.scenarios.includes(s.name))) {
    for (const concurrency of scenario.firstConcurrencyOnly ? knobs.concurrency.slice(0, 1) : knobs.concurrency) {
      const measured = targets.filter((t) => !(scenario.latchkeyOnly && t.kind !== 'latchkey'));
      const runs = new Map(measured.map((t) => [t, []]));
      const probes = [];
      for (let round = 0; round < knobs.rounds; round++) {
        const probe = await probeFloorUs(joseBench, scenario, path.join(workDir, 'floor-probe.json'));
        if (probe !== null) probes.push(probe);
        for (const target of measured) {
          const others = targets.filter((t) => t !== target);
          for (const other of others) freeze(other.pid);
          let result;
          try {
            // PERF=1: latchkey's libcrypto share, sampled over the measured seconds of this run.
            const sampling = perf && target.kind === 'latchkey' && scenario.signs
              ? sampleCryptoShare(perf, target.pid, knobs.warmup + 0.5, Math.max(1, knobs.duration - 1),
                path.join(workDir, 'perf.data'))
              : null;
            result = await runLoadgen(loadgen, target, scenario, concurrency, knobs, workDir);
            const share = sampling ? await sampling : null;
            if (share !== null && !result?.error) result = { ...result, crypto_share: Number(share.toFixed(4)) };
          } finally {
            for (const other of others) thaw(other.pid);
          }
          runs.get(target).push(result);
          const shown = probe === null || result?.error ? result : { ...result, floor_us: probe };
          if (knobs.rounds > 1) console.log(`  round ${round + 1}: ${summary(target, scenario, concurrency, shown, floors)}`);
        }
      }
      const floorUsHere = probes.length ? Math.min(...probes) : null;
      for (const target of measured) {
        const kept = medianRun(runs.get(target));
        const result = floorUsHere === null || kept?.error ? kept
          : { ...kept, floor_us: floorUsHere, floor_us_rounds: probes };
        (results[target.name][scenario.name] ??= {})[concurrency] = result;
        console.log(summary(target, scenario, concurrency, result, floors));
      }
    }
  }
  return results;
}

function scaleRatios(results, knobs) {
  const out = [];
  for (const name of knobs.scenarios) {
    for (const c of knobs.concurrency) {
      const empty = figures(results.latchkey?.[name]?.[c]);
      const big = figures(results['latchkey-1m']?.[name]?.[c]);
      if (!empty || !big) continue;
      const r = (a, b) => (a === null || !b ? null : a / b);
      out.push({ scenario: name, concurrency: c, cpuPerOp: r(big.cpuMsPerOp, empty.cpuMsPerOp),
        throughput: r(big.opsPerS, empty.opsPerS), p99: r(big.p99, empty.p99) });
    }
  }
  return out;
}

/// The peak RSS of a server over the runs of `scenarios` (all when null).
function peakRss(results, name, keep = () => true) {
  const peaks = Object.entries(results[name] ?? {}).filter(([scenario]) => keep(scenario))
    .flatMap(([, byConc]) => Object.values(byConc))
    .map((r) => figures(r)?.peakRssKib).filter((x) => x !== null && x !== undefined);
  return peaks.length ? Math.max(...peaks) : null;
}

async function main() {
  installCleanup();
  const buildDir = path.resolve(repo, process.argv[2] || 'build-release');
  const knobs = knobsFromEnv();
  const resultsDir = path.join(repo, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const id = stamp();
  const notes = [];
  const latchkeyBin = path.join(buildDir, 'latchkey');
  const loadgenBin = process.env.LOADGEN ? path.resolve(process.env.LOADGEN)
    : path.join(buildDir, 'bench', 'loadgen', 'latchkey-loadgen');
  for (const bin of [latchkeyBin, loadgenBin]) if (!existsSync(bin)) throw new Error(`${bin} is missing; build it first`);
  const run_ = { startedAt: new Date().toISOString(), buildDir: path.relative(repo, buildDir) || '.', git: gitCommit(),
    loadgen: path.relative(repo, loadgenBin),
    machine: machine(), pinned: pin(0).length > 0, knobs, servers: {}, targets: [], results: {}, notes,
    latchkeyLogLevel: process.env.SERVER_LOG_LEVEL || 'default (info: one line per request)' };

  const floors = await micro(buildDir, resultsDir, id, knobs, notes);
  run_.floors = floors;
  const root = mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
  tempDirs.add(root);
  let keep = true;
  try {
    console.log(`== latchkey: provisioning a fresh store in ${root}`);
    const store = await provisionLatchkey(latchkeyBin, root, 'latchkey');
    const latchkey = await setUpLatchkey(store, 'latchkey', knobs);
    run_.servers.latchkey = latchkey.info;
    run_.servers.latchkey.keys = await latchkeyKeys(store);
    run_.servers.latchkey.accessTokenAlg = {
      [kApiRs256]: await accessTokenAlg(latchkey.server.issuer, store, kApiRs256),
      [kApiEs256]: await accessTokenAlg(latchkey.server.issuer, store, kApiEs256),
    };
    run_.servers.latchkey.idTokenAlg = {
      code: await idTokenAlg(latchkey.server.issuer, store, store, kApiRs256),
      code_es256: await idTokenAlg(latchkey.server.issuer, store, store.es256, kApiEs256),
    };
    notes.push(`Access-token alg checked by one cc grant per API: ${JSON.stringify(run_.servers.latchkey.accessTokenAlg)}; ` +
      `ID-token alg checked by one code flow per client: ${JSON.stringify(run_.servers.latchkey.idTokenAlg)}. ` +
      'code_es256 runs as a second client registered with --id-token-alg ES256, so it signs two ES256 tokens.');
    const targets = [{ name: 'latchkey', kind: 'latchkey', pid: latchkey.server.pid, issuer: latchkey.server.issuer,
      credentials: store }];
    if (knobs.scale) {
      const scaled = await setUpScaled(buildDir, root, knobs);
      run_.scale = { note: scaled.note, seedSeconds: scaled.seedSeconds };
      if (scaled.server) {
        run_.servers['latchkey-1m'] = scaled.info;
        targets.push({ name: 'latchkey-1m', kind: 'latchkey', pid: scaled.server.pid, issuer: scaled.server.issuer,
          credentials: scaled.store });
      }
    }
    if (knobs.peer) {
      const peer = await setUpPeer(root, knobs, notes);
      if (peer) {
        run_.servers.peer = peer.info;
        targets.push({ name: 'peer', kind: 'peer', pid: peer.server.pid, issuer: peer.server.issuer,
          credentials: kPeerCredentials });
        notes.push('The peer is not measured on userinfo (its access tokens are for its API resource, which its ' +
          '/userinfo refuses) nor with ES256 (it signs RS256 only); code_es256 is set against its RS256 code flow.');
      } else {
        run_.peerNote = notes[notes.length - 1];
      }
    }
    run_.targets = targets.map(({ name, kind }) => ({ name, kind }));
    console.log(`== load: ${knobs.scenarios.join(', ')} at ${knobs.concurrency.join(', ')} connections, ` +
      `${knobs.warmup} s + ${knobs.duration} s each, targets ${targets.map((t) => t.name).join(', ')}`);
    run_.results = await runScenarios(loadgenBin, path.join(buildDir, 'bench', 'jose_bench'), targets, knobs,
      floors, root, notes);
    for (const t of targets) {
      const logins = (s) => s === 'login' || s === 'cc_login_storm';
      run_.servers[t.name].peakRssKib = peakRss(run_.results, t.name, (s) => !logins(s));
      run_.servers[t.name].loginStormPeakRssKib = peakRss(run_.results, t.name, logins);
      await sleep(1000);
      run_.servers[t.name].afterLoadRssKib = rssKib(t.pid);
    }
    if (run_.scale && run_.results['latchkey-1m']) run_.scale.ratios = scaleRatios(run_.results, knobs);
    keep = process.env.KEEP === '1';
  } finally {
    await stopAll();
    if (keep) {
      tempDirs.delete(root);
      console.error(`bench: the stores and server logs are kept in ${root}`);
    }
  }
  run_.machine.loadEnd = loadAverage();
  run_.finishedAt = new Date().toISOString();
  const md = markdown(run_, floors);
  const jsonPath = path.join(resultsDir, `${id}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(run_, (key, value) => (key === 'credentials' ? undefined : value), 2)}\n`);
  writeFileSync(path.join(resultsDir, `${id}.md`), md);
  console.log(`\n${md}\nresults: ${path.relative(repo, jsonPath)} and ${id}.md`);
}

main().catch(async (error) => {
  console.error(`bench: ${error.message}`);
  await stopAll();
  process.exit(1);
});
