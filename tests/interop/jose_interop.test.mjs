// npm `jose` (a third-party JOSE library) and latchkey must understand each other's tokens:
// jose verifies, through the JWKS a running latchkey serves, tokens signed with latchkey's keys
// in all four algorithms; latchkey verifies tokens that jose signed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { latchkey, startServer, run } from './harness.mjs';

const JOSE_TOOL = process.env.JOSE_TOOL;
const ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
let dir;
let server;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-interop-'));
  const env = { LATCHKEY_KEK: KEK };
  // An API per algorithm, so the server keeps keys for each.
  for (const alg of ALGS.slice(1)) {
    latchkey(['--data-dir', dir, 'apis', 'create', '--identifier', `urn:${alg}`, '--name', alg,
      '--signing-alg', alg], { env });
  }
  server = await startServer(dir, [], env);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const alg of ALGS) {
  test(`jose verifies a ${alg} token latchkey signed, through the served JWKS`, async () => {
    const token = run(JOSE_TOOL, ['sign', '--data-dir', dir, '--alg', alg, '--claims',
      JSON.stringify({ sub: 'auth0|interop', iss: server.issuer, aud: 'urn:test' })],
    { env: { LATCHKEY_KEK: KEK } }).trim();
    const jwks = jose.createRemoteJWKSet(new URL('.well-known/jwks.json', server.issuer));
    const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, {
      algorithms: [alg], issuer: server.issuer, audience: 'urn:test',
    });
    assert.equal(payload.sub, 'auth0|interop');
    assert.equal(protectedHeader.alg, alg);
    assert.ok(protectedHeader.kid);
  });
}

const CURVES = { RS256: {}, PS256: {}, ES256: {}, EdDSA: { crv: 'Ed25519' } };

for (const alg of ALGS) {
  test(`latchkey verifies a ${alg} token jose signed, and rejects it altered`, async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { ...CURVES[alg], extractable: true });
    const jwk = await jose.exportJWK(publicKey);
    jwk.kid = await jose.calculateJwkThumbprint(jwk);
    jwk.alg = alg;
    jwk.use = 'sig';
    const jwksFile = join(dir, `third-party-${alg}.json`);
    writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
    const token = await new jose.SignJWT({ sub: 'someone', scope: 'read:messages' })
      .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
      .setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);

    const ok = JSON.parse(run(JOSE_TOOL, ['verify', '--jwks', jwksFile, '--token', token]));
    assert.equal(ok.status, 'ok');
    assert.equal(ok.alg, alg);
    assert.equal(ok.payload.sub, 'someone');

    const [h, p, s] = token.split('.');
    const forged = [h, jose.base64url.encode(JSON.stringify({ sub: 'admin' })), s].join('.');
    const bad = JSON.parse(run(JOSE_TOOL, ['verify', '--jwks', jwksFile, '--token', forged], { allowFailure: true }));
    assert.equal(bad.status, 'bad_signature');
  });
}
