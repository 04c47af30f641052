// A third-party OpenID Connect client (npm openid-client) against latchkey: discovery, PKCE,
// the code exchange with client_secret_basic, ID token validation, RFC 9207 iss, and userinfo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { latchkey, startServer } from './harness.mjs';

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const CALLBACK = 'http://127.0.0.1:3000/callback';
const API = 'https://api.interop.test/';
let dir;
let server;
let clientId;
let clientSecret;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-oidc-'));
  const env = { LATCHKEY_KEK: KEK };
  const lk = (args, input) => latchkey(['--data-dir', dir, ...args, '--json'], { env, input });
  lk(['apis', 'create', '--identifier', API, '--name', 'Interop API', '--scope', 'read:messages=Read your messages']);
  const created = JSON.parse(lk(['clients', 'create', '--name', 'Interop', '--type', 'regular_web', '--callback', CALLBACK]));
  clientId = created.client_id;
  clientSecret = created.client_secret;
  lk(['users', 'create', '--email', 'olive@example.com', '--name', 'Olive', '--password-stdin'], 'olive-password-1\n');
  server = await startServer(dir, [], env);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/// A browser: keeps cookies, never follows redirects by itself.
function browser() {
  const jar = new Map();
  const send = async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url, server.issuer), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) jar.delete(name); else jar.set(name, pair.slice(eq + 1));
    }
    return res;
  };
  return {
    get: (url) => send(url),
    post: (url, fields) => send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  };
}

function hiddenFields(html) {
  const fields = {};
  for (const [, tag] of html.matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1];
    if (name && value !== undefined) fields[name] = value.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return fields;
}

/// Drives the hosted pages from the authorization URL to the callback URL.
async function logIn(authorizationUrl) {
  const b = browser();
  let res = await b.get(authorizationUrl);
  let location = res.headers.get('location');
  assert.match(location, /\/u\/login\?state=/);
  res = await b.get(location);
  const login = { ...hiddenFields(await res.text()), email: 'olive@example.com', password: 'olive-password-1' };
  res = await b.post(location, login);
  assert.equal(res.status, 302);
  res = await b.get(res.headers.get('location'));
  location = res.headers.get('location');
  if (/\/u\/consent/.test(location)) {
    res = await b.get(location);
    const consent = { ...hiddenFields(await res.text()), action: 'accept' };
    res = await b.post(location, consent);
    res = await b.get(res.headers.get('location'));
    location = res.headers.get('location');
  }
  assert.ok(location.startsWith(CALLBACK), location);
  return new URL(location);
}

test('openid-client completes the code flow with PKCE and validates the ID token', async () => {
  const config = await client.discovery(new URL(server.issuer), clientId, {},
    client.ClientSecretBasic(clientSecret), { execute: [client.allowInsecureRequests] });
  assert.equal(config.serverMetadata().issuer, server.issuer);

  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile email read:messages',
    audience: API,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callback = await logIn(url);
  assert.equal(callback.searchParams.get('iss'), server.issuer);

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, server.issuer);
  assert.equal(claims.aud, clientId);
  assert.equal(claims.email, 'olive@example.com');
  assert.equal(claims.nonce, nonce);
  assert.ok(tokens.access_token);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.name, 'Olive');
  assert.equal(info.email, 'olive@example.com');
});

test('openid-client rejects a callback whose state does not match', async () => {
  const config = await client.discovery(new URL(server.issuer), clientId, {},
    client.ClientSecretBasic(clientSecret), { execute: [client.allowInsecureRequests] });
  const codeVerifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid', state: 'right-state',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  const callback = await logIn(url);
  await assert.rejects(client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier, expectedState: 'other-state',
  }));
});
