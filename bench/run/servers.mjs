// The two servers of `make bench`: latchkey on a fresh store provisioned with its CLI, and the
// node-oidc-provider peer installed into a scratch copy. Both listen on 127.0.0.1 only.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, chmodSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort, median, pinned, rssKib, run, sleep, startAndTime, stopChild } from './procs.mjs';

export const kRedirectUri = 'http://127.0.0.1:3001/callback';
export const kApiRs256 = 'https://api.bench.local/';
export const kApiEs256 = 'https://api-es256.bench.local/';
const kUserEmail = 'bench@example.com';

/// Runs the CLI on `dir`, expecting success; returns its JSON output. Never prints secrets:
/// on failure only the command's words (no stdin) and its error text are shown.
async function cli(binary, dir, env, args, input) {
  const result = await run(binary, ['--data-dir', dir, ...args, '--json'], { env, input });
  if (result.code !== 0) {
    throw new Error(`latchkey ${args.slice(0, 2).join(' ')} failed: ${result.stderr.trim()}`);
  }
  return result.stdout.trim() ? JSON.parse(result.stdout) : {};
}

/// A fresh data dir under `root`, provisioned like the issue asks: two APIs (RS256 and ES256
/// access tokens), a regular_web client with code, refresh and client_credentials (RS256 ID
/// tokens) and its client grants, a second one whose ID tokens are ES256 (for code_es256, so that
/// both of its tokens are ES256), and a user. Returns what the load generator needs.
export async function provisionLatchkey(binary, root, name) {
  const dir = path.join(root, name);
  mkdirSync(dir, { mode: 0o700 });
  const env = { LATCHKEY_KEK: randomBytes(32).toString('base64') };
  await cli(binary, dir, env, ['migrate']);
  for (const [identifier, alg] of [[kApiRs256, 'RS256'], [kApiEs256, 'ES256']]) {
    await cli(binary, dir, env, ['apis', 'create', '--identifier', identifier,
      '--name', `Bench API ${alg}`, '--scope', 'read:bench=Read bench data',
      '--signing-alg', alg, '--allow-offline-access', '--skip-consent-first-party']);
  }
  const client = await cli(binary, dir, env, ['clients', 'create', '--name', 'Bench Web',
    '--type', 'regular_web', '--first-party', '--callback', kRedirectUri,
    '--grant-types', 'authorization_code,refresh_token,client_credentials']);
  for (const audience of [kApiRs256, kApiEs256]) {
    await cli(binary, dir, env, ['client-grants', 'create', '--client-id', client.client_id,
      '--audience', audience, '--scope', 'read:bench']);
  }
  const es256 = await cli(binary, dir, env, ['clients', 'create', '--name', 'Bench Web ES256',
    '--type', 'regular_web', '--first-party', '--callback', kRedirectUri,
    '--grant-types', 'authorization_code,refresh_token', '--id-token-alg', 'ES256']);
  const password = randomBytes(18).toString('base64url');
  await cli(binary, dir, env, ['users', 'create', '--email', kUserEmail, '--name', 'Bench User',
    '--password-stdin'], `${password}\n`);
  return {
    binary, dir, env,
    clientId: client.client_id, clientSecret: client.client_secret,
    user: kUserEmail, password,
    es256: { clientId: es256.client_id, clientSecret: es256.client_secret },
  };
}

/// The signing keys the store holds (alg and state only).
export async function latchkeyKeys(store) {
  const keys = await cli(store.binary, store.dir, store.env, ['keys', 'list']);
  return keys.map((k) => ({ alg: k.alg, state: k.state }));
}

/// Starts latchkey on `store` (pinned to core 0) and times exec to the first 200 of /healthz.
export async function startLatchkey(store, logName) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/`;
  const logFd = openSync(path.join(store.dir, '..', `${logName}.log`), 'a');
  const [cmd, args] = pinned(0, store.binary, ['--data-dir', store.dir, 'serve',
    '--listen', `127.0.0.1:${port}`, '--issuer', issuer,
    ...(process.env.SERVER_LOG_LEVEL ? ['--log-level', process.env.SERVER_LOG_LEVEL] : [])]);
  const started = await startAndTime(cmd, args, `${issuer}healthz`, { env: store.env, logFd });
  if (started.readyMs === null) {
    await stopChild(started.child);
    throw new Error(`latchkey did not answer /healthz (log: ${logName}.log)`);
  }
  return { child: started.child, pid: started.child.pid, issuer, readyMs: started.readyMs };
}

/// Starts and stops a server `runs` times, then starts it once more to keep; returns the kept
/// one and the start-up times (ms) and idle RSS (KiB, 1 s after ready) of every start.
export async function timedStarts(start, runs) {
  const readyMs = [];
  for (let i = 0; i < runs; i++) {
    const server = await start();
    readyMs.push(server.readyMs);
    await stopChild(server.child);
    await sleep(200);
  }
  const kept = await start();
  readyMs.push(kept.readyMs);
  await sleep(1000);
  const idleRssKib = rssKib(kept.pid);
  const startup = {
    runs: readyMs.length,
    ready_ms: readyMs.map((ms) => Number(ms.toFixed(1))),
    median_ms: Number(median(readyMs).toFixed(1)),
    min_ms: Number(Math.min(...readyMs).toFixed(1)),
    max_ms: Number(Math.max(...readyMs).toFixed(1)),
  };
  return { server: kept, startup, idleRssKib };
}

/// Copies the peer to `root`, runs `npm ci` there. Returns its folder, or throws with the reason.
export async function installPeer(source, root) {
  if (!existsSync(path.join(source, 'server.mjs'))) throw new Error(`no peer at ${source}`);
  const dir = path.join(root, 'oidc-provider');
  cpSync(source, dir, {
    recursive: true,
    filter: (src) => !['node_modules', 'results', 'signing-key.json'].includes(path.basename(src)),
  });
  makeWritable(dir);
  const result = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 300_000 });
  if (result.code !== 0) {
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`npm ci failed (exit ${result.code}): ${tail}`);
  }
  return dir;
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/// Starts the peer (pinned to core 0) and times exec to the first 200 of its discovery (it has
/// no /healthz). Its signing key is created on the first start and reused after.
export async function startPeer(dir, logName) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const logFd = openSync(path.join(dir, '..', `${logName}.log`), 'a');
  const [cmd, args] = pinned(0, process.execPath, ['server.mjs']);
  const env = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), CLIENT_PORT: '3001' };
  const started = await startAndTime(cmd, args, `${issuer}/.well-known/openid-configuration`,
    { env, logFd, cwd: dir });
  if (started.readyMs === null) {
    await stopChild(started.child);
    throw new Error(`the peer did not answer discovery (log: ${logName}.log)`);
  }
  return { child: started.child, pid: started.child.pid, issuer, readyMs: started.readyMs };
}

/// The peer's fixed credentials (server.mjs defaults; its login form accepts anything).
export const kPeerCredentials = {
  clientId: 'bench-client',
  clientSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  user: 'bench',
  password: 'bench',
};

/// The JWS `alg` of an access token for `audience` (a client_credentials grant), to check that
/// the ES256 API really gets ES256 tokens. The token itself is neither kept nor printed.
export async function accessTokenAlg(issuer, store, audience) {
  const basic = Buffer.from(`${encodeURIComponent(store.clientId)}:${encodeURIComponent(store.clientSecret)}`)
    .toString('base64');
  try {
    const response = await fetch(`${issuer}oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.json();
    if (typeof body.access_token !== 'string') return `no access token (HTTP ${response.status})`;
    const header = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString());
    return header.alg;
  } catch (error) {
    return `check failed: ${error.message}`;
  }
}

/// A cookie-keeping fetch against `issuer` that never follows redirects by itself.
function browser(issuer) {
  const jar = new Map();
  return async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(url, issuer), { ...init, headers, redirect: 'manual',
      signal: AbortSignal.timeout(10_000) });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      jar.set(pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  };
}

/// The hidden fields of a page's form (HTML entities of & and " undone).
function hiddenFields(html) {
  const fields = {};
  for (const [, tag] of html.matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1];
    if (name && value !== undefined) fields[name] = value.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return fields;
}

/// The JWS `alg` of the ID token one code flow (the hosted login and consent pages, then the
/// code exchange with client_secret_basic) gives `client` for `audience`, to check that code_es256's ID tokens
/// really are ES256. The tokens and the code are neither kept nor printed.
export async function idTokenAlg(issuer, store, client, audience) {
  try {
    const send = browser(issuer);
    const verifier = randomBytes(32).toString('base64url');
    let url = `authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId,
      redirect_uri: kRedirectUri, scope: 'openid', audience, state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'), code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(verifier).digest('base64url') })}`;
    let response = await send(url);
    for (let hop = 0; hop < 8 && !response.headers.get('location')?.startsWith(kRedirectUri); hop++) {
      const location = response.headers.get('location');
      if (location) {
        url = new URL(location, new URL(url, issuer)).href;
        response = await send(url);
        continue;
      }
      // The login and consent pages post back to their own URL (/u/login?state=..., /u/consent?...).
      const html = await response.text();
      const answer = /\/u\/login/.test(url) ? { email: store.user, password: store.password }
        : /\/u\/consent/.test(url) ? { action: 'accept' } : null;
      if (!answer) return `no login or consent form (HTTP ${response.status})`;
      response = await send(url, { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...hiddenFields(html), ...answer }) });
    }
    const code = new URL(response.headers.get('location') ?? 'x:').searchParams.get('code');
    if (!code) return `no code (HTTP ${response.status})`;
    const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)
      .toString('base64');
    const body = await (await send('oauth/token', { method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: kRedirectUri,
        code_verifier: verifier }) })).json();
    if (typeof body.id_token !== 'string') return `no ID token (${body.error ?? 'no error'})`;
    return JSON.parse(Buffer.from(body.id_token.split('.')[0], 'base64url').toString()).alg;
  } catch (error) {
    return `check failed: ${error.message}`;
  }
}
