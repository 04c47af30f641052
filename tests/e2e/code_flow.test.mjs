// The seed flow in a real browser, through the real programs: Debian's Chromium, driven by
// playwright-core, uses latchkey-example-webapp, which signs the user in with latchkey (hosted
// login and consent pages), redeems the code with its client secret, and shows what
// latchkey-example-api answered to a call with the access token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { latchkey, startServer } from '../interop/harness.mjs';

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const API = 'https://api.e2e.test/';
const EMAIL = 'eve@example.com';
const PASSWORD = 'eve-password-1';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const API_BINARY = process.env.EXAMPLE_API_BINARY;
const WEBAPP_BINARY = process.env.EXAMPLE_WEBAPP_BINARY;

let dir;
let server;
let api;
let webapp;
let appUrl;
let browser;
let lk;

/// The environment for child processes, without the variables that configure this test.
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('LATCHKEY_') && !k.startsWith('EXAMPLE_')) env[k] = v;
  }
  return env;
}

/// Starts an example program and resolves once its "listening" log line names the port:
/// { port, log(), stop() }. Fails after 15 s, or when the program exits first.
function startExample(bin, args) {
  const child = spawn(bin, args, { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${bin} did not start:\n${log}`)); }, 15000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${bin} exited ${code}:\n${log}`)); });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (started) return;
      const listening = log.split('\n').map((line) => { try { return JSON.parse(line); } catch { return null; } })
        .find((json) => json?.msg === 'listening');
      if (!listening) return;
      started = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        port: listening.port,
        log: () => log,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.on('exit', done);
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/// A free loopback port: the client's callback must be registered before the web app, which
/// needs the client's id, starts on it.
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(API_BINARY && WEBAPP_BINARY, 'EXAMPLE_API_BINARY and EXAMPLE_WEBAPP_BINARY are set by ctest');
  dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  const env = { LATCHKEY_KEK: KEK };
  server = await startServer(dir, [], env);
  lk = (args, input) => latchkey(['--data-dir', dir, ...args, '--json'], { env, input });
  lk(['apis', 'create', '--identifier', API, '--name', 'Messages',
    '--scope', 'read:messages=Read your messages', '--scope', 'write:messages=Write messages for you']);
  lk(['users', 'create', '--email', EMAIL, '--name', 'Eve Example', '--password-stdin'], `${PASSWORD}\n`);
  api = await startExample(API_BINARY,
    ['--listen', '127.0.0.1:0', '--issuer', server.issuer, '--audience', API]);

  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}/`;
  const clientFile = join(dir, 'client.json');
  writeFileSync(clientFile, lk(['clients', 'create', '--name', 'E2E Web App', '--type', 'regular_web',
    '--callback', `${appUrl}callback`, '--logout-url', appUrl]));
  webapp = await startExample(WEBAPP_BINARY, ['--listen', `127.0.0.1:${port}`, '--issuer', server.issuer,
    '--client-file', clientFile, '--api-url', `http://127.0.0.1:${api.port}/`, '--audience', API]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await webapp?.stop();
  await api?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/// A fresh browser profile, recording the path of every page it visits.
async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visited = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname); });
  return { context, page, visited };
}

async function submitLogin(page, password) {
  await page.waitForURL(/\/u\/login/);
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function expectProfile(page) {
  await page.waitForURL(`${appUrl}profile`);
  assert.equal(await page.locator('#name').textContent(), 'Eve Example');
  assert.equal(await page.locator('#email').textContent(), EMAIL);
  const messages = await page.locator('#messages li').allTextContents();
  assert.ok(messages.length > 0, `the API's messages are shown: ${await page.content()}`);
}

test('log in on the web app: a wrong password, then consent, then the profile with the API\'s messages', async () => {
  const { context, page } = await newPage();
  await page.goto(appUrl);
  await page.getByRole('link', { name: 'Log in' }).click();
  await submitLogin(page, 'not-the-password');
  await page.waitForURL(/\/u\/login/);
  assert.equal(await page.getByRole('alert').textContent(), 'Wrong email or password.');

  await submitLogin(page, PASSWORD);
  await page.waitForURL(/\/u\/consent/);
  const consent = await page.content();
  assert.match(consent, /E2E Web App/);
  assert.match(consent, /Read your messages/);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expectProfile(page);

  await page.goto(appUrl);
  assert.equal(await page.locator('h1').textContent(), 'Hello, Eve Example');
  await context.close();
});

test('log in again in a new browser: no consent page; log out: signed out here and at latchkey', async () => {
  const { context, page, visited } = await newPage();
  await page.goto(appUrl);
  await page.getByRole('link', { name: 'Log in' }).click();
  await submitLogin(page, PASSWORD);
  await expectProfile(page);
  assert.ok(!visited.includes('/u/consent'), `no consent page: ${visited.join(' ')}`);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(appUrl);
  assert.equal(await page.getByRole('link', { name: 'Log in' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
  await page.goto(`${appUrl}profile`);
  assert.equal(page.url(), appUrl, 'the profile needs a session again');

  // latchkey's SSO session ended too: logging in asks for the password again.
  await page.getByRole('link', { name: 'Log in' }).click();
  await submitLogin(page, PASSWORD);
  await expectProfile(page);
  await context.close();
});

test('a forged or failed callback shows an error page, escaped', async () => {
  const { context, page } = await newPage();
  const forged = await page.goto(`${appUrl}callback?code=stolen&state=guess`);
  assert.equal(forged.status(), 400);
  assert.equal(await page.locator('#error').textContent(), 'No sign-in in progress');

  const failed = await page.goto(`${appUrl}callback?error=access_denied&error_description=${encodeURIComponent('<b>nope</b>')}`);
  assert.equal(failed.status(), 400);
  assert.equal(await page.locator('#error').textContent(), 'access_denied');
  assert.equal(await page.locator('#error-description').textContent(), '<b>nope</b>');
  assert.equal(await page.locator('#error-description b').count(), 0);
  await context.close();
});

test('a rule denies the login: the web app shows the rule\'s message, and without the rule the login works', async () => {
  const rule = join(dir, 'deny-domain.js');
  writeFileSync(rule, `function denyByDomain(user, context, callback) {
  const domain = user.email.split('@')[1];
  if (domain === 'example.com') return callback(new UnauthorizedError('Access denied from ' + domain));
  callback(null, user, context);
}`);
  const created = JSON.parse(lk(['rules', 'create', '--name', 'deny-domain', '--file', rule]));
  const { context, page } = await newPage();
  await page.goto(appUrl);
  await page.getByRole('link', { name: 'Log in' }).click();
  await submitLogin(page, PASSWORD);
  await page.waitForURL(/\/callback\?/);
  assert.equal(await page.locator('#error').textContent(), 'access_denied');
  assert.equal(await page.locator('#error-description').textContent(), 'Access denied from example.com');

  lk(['rules', 'delete', created.id]);
  await page.goto(appUrl);
  await page.getByRole('link', { name: 'Log in' }).click();
  await expectProfile(page);  // the SSO session stands; now no rule stops the code
  await context.close();
});
