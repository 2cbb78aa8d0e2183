// panva/oidc-provider (OpenID Certified) set up the way ID-porten logs people in, for the
// relying party's conformance test: code flow with PKCE required, acr_values idporten-loa-*, a
// `pid` claim in the id_token, no consent screen. Everything else is oidc-provider's default:
// RP-initiated logout (on by default) by GET only, SameSite=Lax cookies, client authentication
// as RFC 6749 says. Started by tests/accounts/test_accounts_oidc_provider.py.
//
// Environment: PORT, OIDC_CLIENTS (JSON list of client metadata), OIDC_ACCOUNT (JSON
// {sub, pid}), optional OIDC_ACR (always issue this acr, to test a provider that under-delivers).
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const account = JSON.parse(process.env.OIDC_ACCOUNT);
const RANK = { 'idporten-loa-low': 1, 'idporten-loa-substantial': 2, 'idporten-loa-high': 3 };

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'conformance-1', use: 'sig', alg: 'RS256' };

// Like ID-porten: a session at a lower level than acr_values asks for means logging in again.
const policy = interactionPolicy.base();
policy.get('login').checks.add(
  new interactionPolicy.Check('acr_step_up', 'a higher level of assurance is required', (ctx) => {
    const wanted = (ctx.oidc.params.acr_values || '').split(' ').filter(Boolean);
    if (!wanted.length || !ctx.oidc.session.accountId || process.env.OIDC_ACR) {
      return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }
    const have = RANK[ctx.oidc.session.acr] || 0;
    const need = Math.min(...wanted.map((value) => RANK[value] || 99));
    return need > have ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  }),
);

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  acrValues: Object.keys(RANK),
  claims: { acr: null, amr: null, sid: null, auth_time: null, iss: null, openid: ['sub', 'pid'], profile: [] },
  // ID-porten puts pid in the id_token itself, not only behind /userinfo.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub, pid: account.pid }; } };
  },
  // No consent screen: ID-porten asks none for openid/profile either.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['pid']);
    await grant.save();
    return grant;
  },
});

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, issuer);
  const match = pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html lang="en"><title>Sign in</title>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label for="login">Test user</label><input id="login" name="login" value="${escape(account.sub)}">
<button type="submit">Sign in</button></form></html>`);
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const asked = (details.params.acr_values || 'idporten-loa-substantial').split(' ')[0];
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: form.get('login'), acr: process.env.OIDC_ACR || asked, amr: ['TestID'] } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
