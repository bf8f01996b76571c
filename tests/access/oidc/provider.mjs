// A real OpenID Connect provider for the tests (node's oidc-provider from the npm registry), with
// the accounts, groups and authentication methods (amr) of provider.json. It listens on a free port
// of 127.0.0.1 and prints "issuer <url>" once it is ready; the tests drive its login form over HTTP.
//
//   node tests/access/oidc/provider.mjs [provider.json]
//
// Not a mock: authorization code flow with PKCE, state and nonce, signed ID tokens (RS256, a key
// made at start-up), the token and userinfo endpoints, discovery and JWKS, all oidc-provider's own.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const settings = JSON.parse(readFileSync(process.argv[2] || path.join(here, 'provider.json'), 'utf8'));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const form = (uid, message = '') => `<!doctype html><html lang="en"><head><title>Test provider</title></head><body>
<h1>Sign in to the test provider</h1>${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login"></label> <label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      ...settings.client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // amr with the openid scope, so every ID token carries the methods the login used.
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    // Entra ID puts groups in the ID token; the userinfo endpoint has them too here.
    conformIdTokenClaims: false,
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = settings.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id, email: account.email, email_verified: true, name: account.name,
            preferred_username: account.email, groups: account.groups,
          };
        },
      };
    },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') return send(res, 200, form(details.uid));
      const { login, password } = await readForm(req);
      const account = settings.accounts[login];
      if (!account || password !== settings.password) return send(res, 200, form(details.uid, 'Wrong login or password'));
      // Login and consent in one step: the council's provider consents for its own staff.
      const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, {
        login: { accountId: login, amr: account.amr },
        consent: { grantId },
      }, { mergeWithLastSubmission: false });
    } catch (error) {
      return send(res, 400, `<p>${escape(error.message)}</p>`);
    }
  });
  console.log(`issuer ${issuer}`);
});
