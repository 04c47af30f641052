// A third-party OpenID Connect client (npm openid-client) against latchkey: discovery, PKCE,
// the code exchange with client_secret_basic, ID token validation, RFC 9207 iss, and userinfo;
// and a client registered with id_token_signed_response_alg ES256 (OIDC Dynamic Client
// Registration §2), whose ID tokens openid-client accepts only when they are ES256.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import * as client from 'openid-client';
import { latchkey, startServer } from './harness.mjs';

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const CALLBACK = 'http://127.0.0.1:3000/callback';
const API = 'https://api.interop.test/';
let dir;
let server;
let clientId;
let clientSecret;
let lk;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-oidc-'));
  const env = { LATCHKEY_KEK: KEK };
  lk = (args, input) => latchkey(['--data-dir', dir, ...args, '--json'], { env, input });
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

/// Discovery for `id` with `metadata` (client metadata such as id_token_signed_response_alg), a
/// code flow through the hosted pages, and the code exchange: openid-client's tokens.
async function codeFlow(id, secret, metadata = {}) {
  const config = await client.discovery(new URL(server.issuer), id, metadata,
    client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid email', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  const callback = await logIn(url);
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier, expectedNonce: nonce, idTokenExpected: true,
  });
}

/// Waits until the JWKS publishes a key for `alg`: a running server makes the keys of an alg a
/// new client uses at its next key refresh (every 2 s).
async function waitForJwksAlg(alg) {
  for (let i = 0; i < 50; ++i) {
    const jwks = await (await fetch(new URL('.well-known/jwks.json', server.issuer))).json();
    if (jwks.keys.some((key) => key.alg === alg)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`no ${alg} key was published`);
}

test('openid-client validates the ES256 ID token of a client registered with ES256 while the server runs', async () => {
  const config = await client.discovery(new URL(server.issuer), clientId, {},
    client.ClientSecretBasic(clientSecret), { execute: [client.allowInsecureRequests] });
  assert.deepEqual(config.serverMetadata().id_token_signing_alg_values_supported,
    ['RS256', 'PS256', 'ES256', 'EdDSA']);
  const created = JSON.parse(lk(['clients', 'create', '--name', 'Interop EC', '--type', 'regular_web',
    '--callback', CALLBACK, '--id-token-alg', 'ES256']));
  assert.equal(created.id_token_signed_response_alg, 'ES256');
  await waitForJwksAlg('ES256');

  const tokens = await codeFlow(created.client_id, created.client_secret,
    { id_token_signed_response_alg: 'ES256' });
  assert.equal(tokens.claims().aud, created.client_id);
  assert.equal(tokens.claims().email, 'olive@example.com');
  assert.equal(jose.decodeProtectedHeader(tokens.id_token).alg, 'ES256');
  // openid-client checks the alg and the claims; the signature is checked here, with jose.
  const jwks = jose.createRemoteJWKSet(new URL('.well-known/jwks.json', server.issuer));
  const { protectedHeader } = await jose.jwtVerify(tokens.id_token, jwks,
    { issuer: server.issuer, audience: created.client_id, algorithms: ['ES256'] });
  assert.equal(protectedHeader.alg, 'ES256');
  // The access token keeps the API's (default) alg.
  assert.equal(jose.decodeProtectedHeader(tokens.access_token).alg, 'RS256');
});

test('openid-client refuses an RS256 ID token when the client registered ES256', async () => {
  // openid-client wraps oauth4webapi's error, whose message names the check.
  await assert.rejects(codeFlow(clientId, clientSecret, { id_token_signed_response_alg: 'ES256' }),
    (error) => /unexpected JWT "alg" header parameter/.test(error.cause?.message ?? error.message));
});
