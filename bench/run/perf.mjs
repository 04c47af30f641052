// PERF=1: the share of a latchkey server's CPU that goes to libcrypto during a run, sampled with
// `perf record` (Debian's linux-perf, which scripts/install-deps does not install: the knob is
// for a machine that has it). RSA's speed on a shared machine moves by a fifth within minutes,
// so the server's CPU ÷ a floor probed before the run mixes two speeds; the share is taken in
// the same seconds as the server's CPU, so 1 ÷ share bounds the server's CPU ÷ the signing it
// did in that run. libcrypto also hashes and draws random bytes, so the bound errs high.
import { existsSync, rmSync } from 'node:fs';
import { pinned, run, sleep } from './procs.mjs';

/// The perf binary, or null when the machine has none.
export function perfBinary() {
  return ['/usr/bin/perf', '/usr/local/bin/perf'].find((p) => existsSync(p)) ?? null;
}

/// The share of dso lines of `perf report --sort dso` output that belong to libcrypto, or null.
export function cryptoShare(report) {
  let total = 0;
  let crypto = 0;
  for (const line of report.split('\n')) {
    const match = line.match(/^\s*([\d.]+)%\s+(\S+)/);
    if (!match) continue;
    total += Number(match[1]);
    if (match[2].startsWith('libcrypto.so')) crypto += Number(match[1]);
  }
  return total > 0 ? crypto / total : null;
}

/// Samples `pid` at 499 Hz for `seconds`, starting after `delaySeconds` (the load's warm-up);
/// perf runs on the load generator's core. Resolves to the libcrypto share (0-1), or null.
export async function sampleCryptoShare(perf, pid, delaySeconds, seconds, out) {
  await sleep(delaySeconds * 1000);
  const [cmd, args] = pinned(1, perf, ['record', '-q', '-F', '499', '-p', String(pid), '-o', out,
    '--', 'sleep', String(seconds)]);
  const recorded = await run(cmd, args, { timeoutMs: (seconds + 60) * 1000 });
  if (recorded.code !== 0) {
    rmSync(out, { force: true });
    return null;
  }
  const report = await run(perf, ['report', '-i', out, '--no-children', '--sort', 'dso', '--stdio', '-q'],
    { timeoutMs: 120_000 });
  rmSync(out, { force: true });
  return report.code === 0 ? cryptoShare(report.stdout) : null;
}
