// latchkey's hosted pages in a real browser (Debian's Chromium through playwright-core): they work
// with JavaScript turned off, the keyboard reaches their fields in reading order, their text meets
// WCAG 2.1 AA contrast, and response_mode=form_post carries the code back with a POST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { latchkey, startServer } from '../interop/harness.mjs';

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const API = 'https://api.pages.test/';
const EMAIL = 'pat@example.com';
const PASSWORD = 'pat-password-1';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir;
let server;
let app;
let appUrl;
let client;
let browser;
const arrivals = [];  // what the app's callback received: { method, params }

/// The application's callback: records each arrival at /callback (query or form body) and answers a page.
function startApp() {
  return new Promise((resolve) => {
    app = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const url = new URL(req.url, appUrl);
        const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
        if (url.pathname === '/callback') arrivals.push({ method: req.method, params: Object.fromEntries(params) });
        res.writeHead(200, { 'content-type': 'text/html' }).end('<title>app</title><p id="arrived">arrived</p>');
      });
    }).listen(0, '127.0.0.1', () => {
      appUrl = `http://127.0.0.1:${app.address().port}/`;
      resolve();
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-pages-'));
  const env = { LATCHKEY_KEK: KEK };
  server = await startServer(dir, [], env);
  await startApp();
  const lk = (args, input) => latchkey(['--data-dir', dir, ...args, '--json'], { env, input });
  lk(['apis', 'create', '--identifier', API, '--name', 'Pages API', '--scope', 'read:notes=Read your notes']);
  lk(['users', 'create', '--email', EMAIL, '--name', 'Pat Example', '--password-stdin'], `${PASSWORD}\n`);
  client = JSON.parse(lk(['clients', 'create', '--name', 'Pages App', '--type', 'regular_web',
    '--callback', `${appUrl}callback`]));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

/// Resolves when `promise` does or after `ms`, whichever is first: a clean-up step never hangs.
const bounded = (promise, ms = 10000) => Promise.race([promise, new Promise((done) => setTimeout(done, ms).unref())]);

after(async () => {
  await bounded(browser?.close());
  await bounded(server?.stop());
  app?.closeAllConnections();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

function authorizeUrl(extra = {}) {
  const url = new URL('authorize', server.issuer);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: client.client_id, redirect_uri: `${appUrl}callback`,
    scope: 'openid profile read:notes', audience: API, state: 'st-1', ...extra,
  }).toString();
  return url.toString();
}

/// The WCAG 2.1 contrast ratio of every element with its own text on the page, against the
/// first opaque background behind it: [{ text, ratio }].
function contrasts(page) {
  return page.evaluate(() => {
    const rgb = (css) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const channel = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const background = (element) => {
      for (let e = element; e; e = e.parentElement) {
        const color = rgb(getComputedStyle(e).backgroundColor);
        if (color.length === 3 || (color.length === 4 && color[3] === 1)) return color.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const ownText = (e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    return [...document.body.querySelectorAll('*')]
      .filter((e) => ownText(e) && e.getClientRects().length > 0)
      .map((e) => {
        const [light, dark] = [luminance(rgb(getComputedStyle(e).color)), luminance(background(e))].sort((a, b) => b - a);
        return { text: e.textContent.trim().slice(0, 40), ratio: (light + 0.05) / (dark + 0.05) };
      });
  });
}

function assertReadable(found, where) {
  assert.ok(found.length >= 3, `${where}: text was measured`);
  for (const { text, ratio } of found) assert.ok(ratio >= 4.5, `${where}: "${text}" has contrast ${ratio.toFixed(2)}`);
}

/// The accessible name (label, or text) of the focused element, then of the one focused after
/// each of `presses` Tabs.
async function focusOrder(page, presses) {
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e.labels?.[0]?.textContent.trim() || e.textContent.trim() || e.getAttribute('name');
  });
  const names = [await focused()];
  for (let i = 0; i < presses; i += 1) {
    await page.keyboard.press('Tab');
    names.push(await focused());
  }
  return names;
}

test('with JavaScript off, the login and consent pages still sign the user in and return a code', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(authorizeUrl());
  await page.waitForURL(/\/u\/login/);
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/u\/consent/);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL(/\/callback\?/);
  const arrived = arrivals.at(-1);
  assert.equal(arrived.method, 'GET');
  assert.equal(arrived.params.state, 'st-1');
  assert.equal(arrived.params.iss, server.issuer);
  assert.ok(arrived.params.code.length >= 43, 'a code came back');
  await context.close();
});

test('the keyboard reaches the login fields and buttons in reading order', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(authorizeUrl({ prompt: 'login' }));
  await page.waitForURL(/\/u\/login/);
  assert.deepEqual(await focusOrder(page, 2), ['Email address', 'Password', 'Continue'],
    'the email field has focus first, then Tab goes to the password and the button');
  await context.close();
});

test('the login, error and consent pages meet WCAG AA text contrast (4.5:1)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(authorizeUrl({ prompt: 'consent' }));
  await page.waitForURL(/\/u\/login/);
  assertReadable(await contrasts(page), 'login');
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('alert').waitFor();
  assertReadable(await contrasts(page), 'login with an error');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/u\/consent/);
  assertReadable(await contrasts(page), 'consent');
  const unknown = await page.goto(new URL('authorize?client_id=nobody', server.issuer).toString());
  assert.equal(unknown.status(), 400);
  assertReadable(await contrasts(page), 'error page');
  await context.close();
});

test('form_post: the browser carries code, state and iss to the app in a POST, with or without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(authorizeUrl({ response_mode: 'form_post', state: `fp-${javaScriptEnabled}` }));
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    if (!javaScriptEnabled) {
      await page.getByText('If you are not sent back to the application').waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.locator('#arrived').waitFor();
    const arrived = arrivals.at(-1);
    assert.equal(arrived.method, 'POST', `javaScriptEnabled=${javaScriptEnabled}`);
    assert.equal(arrived.params.state, `fp-${javaScriptEnabled}`);
    assert.equal(arrived.params.iss, server.issuer);
    assert.ok(arrived.params.code.length >= 43);
    await context.close();
  }
});
