// One latchkey-loadgen run (one scenario at one concurrency against one server), and the
// scenarios `make bench` runs, with the signatures each operation needs (its signing floor).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pinned, run } from './procs.mjs';
import { kApiEs256, kApiRs256, kRedirectUri } from './servers.mjs';

/// name: how the report calls it; scenario: loadgen's; signs/verifies: per operation, by alg.
/// code: the ID token (the client's id_token_signed_response_alg) + the access token (the API's
/// alg). code_es256 runs as latchkey's second client, whose ID tokens are ES256 (`es256: true`).
/// refresh: the scope has openid, so a new ID token and access token: 2 signatures.
/// userinfo: no signature; one verification of the access token (its floor is that verify).
export const kScenarios = [
  { name: 'code', scenario: 'code', audience: kApiRs256, signs: { RS256: 2 } },
  { name: 'code_es256', scenario: 'code', audience: kApiEs256, signs: { ES256: 2 },
    latchkeyOnly: true, es256: true },
  { name: 'cc', scenario: 'cc', audience: kApiRs256, signs: { RS256: 1 } },
  { name: 'refresh', scenario: 'refresh', audience: kApiRs256, signs: { RS256: 2 } },
  { name: 'userinfo', scenario: 'userinfo', audience: kApiRs256, verifies: { RS256: 1 },
    latchkeyOnly: true },
  { name: 'jwks', scenario: 'jwks' },
  { name: 'discovery', scenario: 'discovery' },
  // Whole password logins from a fresh cookie jar (latchkey hashes with argon2id; the peer's
  // dev login form checks nothing, so the ratio is not like for like). First concurrency only.
  { name: 'login', scenario: 'login', firstConcurrencyOnly: true },
  // The token endpoint (cc) while 16 more connections loop on whole password logins: its p99
  // against plain cc's shows whether hashing stays off the I/O threads, and the logins done
  // beside it whether logins still progress. Server CPU per op includes the logins', so it has
  // no floor. The 30 s request timeout lets slow logins finish instead of timing out.
  { name: 'cc_login_storm', scenario: 'cc', audience: kApiRs256, background: 'login:16',
    firstConcurrencyOnly: true, extraArgs: ['--timeout-ms', '30000'] },
];

/// Microseconds of signing (and verifying) one operation of `scenario` needs, or null.
export function floorUs(scenario, floors) {
  if (!floors) return null;
  let us = 0;
  for (const [alg, n] of Object.entries(scenario.signs ?? {})) us += n * floors.sign[alg];
  for (const [alg, n] of Object.entries(scenario.verifies ?? {})) us += n * floors.verify[alg];
  return us;
}

/// Runs loadgen (pinned to core 1) once; returns its one result object (format 1) or an error.
export async function runLoadgen(binary, target, scenario, concurrency, knobs, workDir) {
  const jsonPath = path.join(workDir, `loadgen-${target.name}-${scenario.name}-${concurrency}.json`);
  const client = scenario.es256 && target.credentials.es256 ? target.credentials.es256 : target.credentials;
  const args = ['--issuer', target.issuer, '--client-id', client.clientId,
    '--client-secret', client.clientSecret, '--redirect-uri', kRedirectUri,
    '--user', target.credentials.user, '--password', target.credentials.password,
    '--scenario', scenario.scenario, '--concurrency', String(concurrency),
    '--duration', String(knobs.duration), '--warmup', String(knobs.warmup),
    '--server-pid', String(target.pid), '--json', jsonPath];
  if (target.kind === 'latchkey' && scenario.audience) args.push('--audience', scenario.audience);
  if (scenario.background) args.push('--background', scenario.background);
  args.push(...(scenario.extraArgs ?? []));
  const [cmd, fullArgs] = pinned(1, binary, args);
  const timeoutMs = (knobs.duration + knobs.warmup) * 1000 + 90_000;
  const result = await run(cmd, fullArgs, { timeoutMs });
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n').slice(-2).join(' | ') || `signal ${result.signal}`;
    return { error: `loadgen exit ${result.code}: ${why}` };
  }
  try {
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    rmSync(jsonPath);
    return report.results[0] ?? { error: 'loadgen wrote no result' };
  } catch (error) {
    return { error: `loadgen JSON unreadable: ${error.message}` };
  }
}
