// Child processes, ports, HTTP probes and /proc reads for bench.mjs (Node 20 builtins only).
// Every child started here is tracked and killed when the benchmark ends, however it ends.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';

const children = new Set();
/// Temporary folders removed when the process exits (bench.mjs takes one out to keep it).
export const tempDirs = new Set();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// Starts a long-running child (a server) whose output goes to `logFd`; tracked for cleanup.
export function startTracked(cmd, args, { env, logFd, cwd } = {}) {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'ignore'],
  });
  children.add(child);
  child.exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      child.exited = { code, signal };
      resolve(child.exited);
    });
  });
  return child;
}

/// SIGTERM, then SIGKILL after `graceMs` if it is still there.
export async function stopChild(child, graceMs = 3000) {
  if (!child || child.exited) return;
  child.kill('SIGTERM');
  child.kill('SIGCONT');  // a frozen server (freeze below) acts on SIGTERM only once thawed
  const timer = sleep(graceMs).then(() => 'late');
  if ((await Promise.race([child.exitPromise, timer])) === 'late') {
    child.kill('SIGKILL');
    await child.exitPromise;
  }
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopChild(child)));
}

/// Stops (SIGSTOP) a server that is not being measured, and lets it go on (SIGCONT): both servers
/// share core 0, and an idle one is not always idle (the peer's garbage collector went on
/// working after its own run, during latchkey's, and took its CPU per flow from 0.32 to 0.59 ms).
export function freeze(pid) {
  try { process.kill(pid, 'SIGSTOP'); } catch { /* gone already */ }
}
export function thaw(pid) {
  try { process.kill(pid, 'SIGCONT'); } catch { /* gone already */ }
}

/// Kills every tracked child on exit, Ctrl-C or SIGTERM.
export function installCleanup() {
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.error(`bench: ${signal}, stopping the servers`);
      stopAll().finally(() => process.exit(130));
    });
  }
}

/// Runs a command to its end (bounded by `timeoutMs`); `input` goes to its stdin.
export function run(cmd, args, { env, input, timeoutMs = 60_000, cwd } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => { stderr += String(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/// A port that was free on 127.0.0.1 a moment ago.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/// The status of GET url (0 when the connection fails or takes longer than timeoutMs).
export function httpStatus(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(timeoutMs, () => req.destroy());
  });
}

/// Starts a server and polls `url` tightly (1 ms apart, at most `limitMs`) until it answers 200.
/// Returns the child and the milliseconds from spawn to that first 200 (null if it never came).
export async function startAndTime(cmd, args, url, { env, logFd, cwd, limitMs = 20_000 }) {
  const t0 = performance.now();
  const child = startTracked(cmd, args, { env, logFd, cwd });
  while (performance.now() - t0 < limitMs && !child.exited) {
    if ((await httpStatus(url, 500)) === 200) return { child, readyMs: performance.now() - t0 };
    await sleep(1);
  }
  return { child, readyMs: null };
}

/// VmRSS of a process in KiB, or null.
export function rssKib(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/// `taskset -c CORE` when the machine has two cores or more, taskset exists and PIN is not 0.
export function pin(core) {
  const tasksetPath = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));
  if (os.cpus().length < 2 || !tasksetPath || process.env.PIN === '0') return [];
  return [tasksetPath, '-c', String(core)];
}

/// `[cmd, args]` with the pin prefix applied.
export function pinned(core, cmd, args) {
  const prefix = pin(core);
  return prefix.length ? [prefix[0], [...prefix.slice(1), cmd, ...args]] : [cmd, args];
}

export function loadAverage() {
  return os.loadavg().map((x) => Number(x.toFixed(2)));
}

export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
}
