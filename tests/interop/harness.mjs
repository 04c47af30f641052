// Shared helpers for the interop tests: run the latchkey binary, and start a server on an
// ephemeral 127.0.0.1 port, reading its port from the "listening" log line.
import { spawn, spawnSync } from 'node:child_process';

export const LATCHKEY = process.env.LATCHKEY_BINARY;

function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LATCHKEY_')) env[k] = v;
  return { ...env, ...extra };
}

/// Runs a command to completion; returns stdout. Throws on a non-zero exit unless allowed.
export function run(bin, args, { env = {}, input, allowFailure = false } = {}) {
  const r = spawnSync(bin, args, { env: childEnv(env), input, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0 && !allowFailure) {
    throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r.stdout;
}

export function latchkey(args, options = {}) {
  return run(LATCHKEY, args, options);
}

/// Starts `latchkey serve` and resolves once it listens: { port, issuer, log(), stop() }.
export function startServer(dataDir, args = [], env = {}) {
  const child = spawn(LATCHKEY, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...args],
    { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no start:\n${log}`)); }, 15000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${log}`)); });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      for (const line of log.split('\n')) {
        let json;
        try { json = JSON.parse(line); } catch { continue; }
        if (json.msg !== 'listening') continue;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          port: json.port,
          issuer: json.issuer,
          log: () => log,
          stop: () => new Promise((done) => {
            // A child that already ended (by exit or by a signal) never emits 'exit' again.
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode ?? child.signalCode);
            child.on('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
        });
        return;
      }
    });
  });
}
