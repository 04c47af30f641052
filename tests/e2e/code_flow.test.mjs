// The seed flow in a real browser: Debian's Chromium, driven by playwright-core, logs in on the
// hosted page, consents, and lands on a web app's callback, which exchanges the code for tokens
// and greets the user by the name in the ID token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { latchkey, startServer } from '../interop/harness.mjs';

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const API = 'https://api.e2e.test/';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir;
let server;
let app;
let appUrl;
let browser;
let client;
const pending = new Map();  // state -> code verifier

const b64url = (buf) => buf.toString('base64url');

/// A tiny regular web app: /login starts the flow, /callback exchanges the code with its secret.
function startApp() {
  return new Promise((resolve) => {
    app = createServer(async (req, res) => {
      const url = new URL(req.url, appUrl);
      if (url.pathname === '/login') {
        const verifier = b64url(randomBytes(32));
        const state = b64url(randomBytes(16));
        pending.set(state, verifier);
        const authorize = new URL('authorize', server.issuer);
        authorize.search = new URLSearchParams({
          response_type: 'code', client_id: client.client_id, redirect_uri: `${appUrl}callback`,
          scope: 'openid profile email read:messages', audience: API, state, nonce: 'n1',
          code_challenge: b64url(createHash('sha256').update(verifier).digest()),
          code_challenge_method: 'S256',
        }).toString();
        res.writeHead(302, { location: authorize.toString() }).end();
        return;
      }
      if (url.pathname === '/callback') {
        const verifier = pending.get(url.searchParams.get('state'));
        const token = await fetch(new URL('oauth/token', server.issuer), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '',
            redirect_uri: `${appUrl}callback`, code_verifier: verifier ?? '',
          }).toString(),
        }).then((r) => r.json());
        const claims = token.id_token
          ? JSON.parse(Buffer.from(token.id_token.split('.')[1], 'base64url').toString()) : {};
        res.writeHead(200, { 'content-type': 'text/html' })
          .end(`<h1>${token.id_token ? `Hello ${claims.name}` : `Error ${token.error}`}</h1>`);
        return;
      }
      res.writeHead(404).end();
    }).listen(0, '127.0.0.1', () => {
      appUrl = `http://127.0.0.1:${app.address().port}/`;
      resolve();
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  const env = { LATCHKEY_KEK: KEK };
  server = await startServer(dir, [], env);
  await startApp();
  const lk = (args, input) => latchkey(['--data-dir', dir, ...args, '--json'], { env, input });
  lk(['apis', 'create', '--identifier', API, '--name', 'Messages', '--scope', 'read:messages=Read your messages']);
  client = JSON.parse(lk(['clients', 'create', '--name', 'E2E Web App', '--type', 'regular_web', '--callback', `${appUrl}callback`]));
  lk(['users', 'create', '--email', 'eve@example.com', '--name', 'Eve Example', '--password-stdin'], 'eve-password-1\n');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  app?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function logIn(page, password) {
  await page.goto(`${appUrl}login`);
  await page.getByLabel('Email address').fill('eve@example.com');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('log in, consent, and the web app greets the user; the second login skips consent', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, 'eve-password-1');
  await page.waitForURL(/\/u\/consent/);
  assert.match(await page.content(), /Read your messages/);
  assert.match(await page.content(), /E2E Web App/);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL(/\/callback/);
  assert.equal(await page.locator('h1').textContent(), 'Hello Eve Example');

  // Same browser, new flow: the session and the stored grant skip both pages.
  await page.goto(`${appUrl}login`);
  await page.waitForURL(/\/callback/);
  assert.equal(await page.locator('h1').textContent(), 'Hello Eve Example');
  await context.close();
});

test('a wrong password shows the generic error and no session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, 'not-the-password');
  await page.waitForURL(/\/u\/login/);
  assert.equal(await page.getByRole('alert').textContent(), 'Wrong email or password.');
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name === 'lk_session'));
  await context.close();
});
