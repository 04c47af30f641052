// `make run`'s script (scripts/run-demo) as a newcomer meets it: it provisions the demo, starts
// latchkey, the example API and the example web app, prints the web app's address and the demo
// credentials, and a browser can sign in with them and see the API's answer. Ctrl-C stops all
// three, and a second run on the same data reuses the demo client. Ports are moved off
// 8080/3000/3001 so the test runs beside anything else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_DIR = process.env.DEMO_BUILD_DIR;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir;
let browser;
let firstClientId;
const clientIdIn = (output) => output.match(/client_id (\S+)/)?.[1];

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/// Starts scripts/run-demo and resolves once it says the demo is running:
/// { output, ports, stop() } where stop() sends Ctrl-C's SIGINT and resolves with the exit code.
async function startDemo() {
  const ports = { latchkey: await freePort(), api: await freePort(), webapp: await freePort() };
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('LATCHKEY_') || key.startsWith('DEMO_')) delete env[key];
  Object.assign(env, {
    BUILD_DIR, DEMO_DATA_DIR: dir, DEMO_LISTEN: `127.0.0.1:${ports.latchkey}`,
    DEMO_API_LISTEN: `127.0.0.1:${ports.api}`, DEMO_WEBAPP_LISTEN: `127.0.0.1:${ports.webapp}`,
  });
  const child = spawn(join(ROOT, 'scripts', 'run-demo'), [], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run-demo did not start:\n${output}`)), 30000);
    const collect = (chunk) => {
      output += chunk;
      if (output.includes('The demo is running')) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    exited.then((code) => { clearTimeout(timer); reject(new Error(`run-demo exited ${code}:\n${output}`)); });
  });
  return {
    output: () => output,
    ports,
    stop: () => { child.kill('SIGINT'); return exited; },
  };
}

async function refused(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

before(async () => {
  assert.ok(BUILD_DIR, 'DEMO_BUILD_DIR is set by ctest');
  dir = mkdtempSync(join(tmpdir(), 'latchkey-demo-'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('run-demo prints where to go and who to be; signing in there shows the API\'s messages; Ctrl-C stops all three', async () => {
  const demo = await startDemo();
  const webapp = `http://127.0.0.1:${demo.ports.webapp}/`;
  try {
    assert.match(demo.output(), new RegExp(`Open: +${webapp.replaceAll('.', '\\.')}`));
    assert.match(demo.output(), /Sign in as: demo@example\.com \/ demo-password/);
    firstClientId = clientIdIn(demo.output());

    const page = await (await browser.newContext()).newPage();
    await page.goto(webapp);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Email address').fill('demo@example.com');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/u\/consent/);
    assert.match(await page.content(), /Demo Web App/);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${webapp}profile`);
    assert.equal(await page.locator('#name').textContent(), 'Demo User');
    assert.ok((await page.locator('#messages li').count()) > 0, 'the API answered with messages');
  } finally {
    assert.equal(await demo.stop(), 130);
  }
  for (const port of Object.values(demo.ports)) assert.ok(await refused(port), `port ${port} is closed`);
});

test('a second run on the same data keeps the demo client', async () => {
  assert.ok(firstClientId, 'the first run printed its client_id');
  const demo = await startDemo();
  await demo.stop();
  assert.equal(clientIdIn(demo.output()), firstClientId);
});
