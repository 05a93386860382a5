// A local OpenID Connect provider standing in for the broker that connects a municipality to DigiD
// and eHerkenning (Signicat, a Keycloak set-up, ...): panva's certified `oidc-provider`. For the
// tests and the demo's "DigiD (demo)" login only, never for production.
//
//   node server.js CONFIG.json
//
// CONFIG.json: {"port": 9000, "clients": [...], "accounts": [...]}
// - a client: {"client_id", "client_secret", "redirect_uris": [...], and for tests
//   "id_token_ttl" (seconds; default 600) or "id_token_audience" (a broker that puts another
//   audience in the ID token: the token is signed again, with the provider's own key)};
//   a redirect URI on a loopback address (127.0.0.1, localhost, testserver) matches on any port.
// - an account: {"id" (the subject, a pseudonym), "label" (shown on the login page), "acr" (the
//   assurance level of this login), "claims": {"bsn", "birthdate" or "age", "postcode",
//   "huisnummer", "kvk"}}. Whoever logs in chooses the account on the page: there is no password.
// It prints "listening on ISSUER" once it accepts connections.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const port = Number(process.env.PORT || config.port);
if (!port) {
  console.error('no port: give "port" in the configuration or PORT in the environment');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const accounts = new Map(config.accounts.map((account) => [account.id, account]));
const clientOptions = new Map(config.clients.map((client) => [client.client_id, client]));
const clients = config.clients.map(({ id_token_ttl, id_token_audience, ...client }) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  ...client,
}));

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const claims = ['bsn', 'birthdate', 'age', 'postcode', 'huisnummer', 'kvk'];
const acrValues = [...new Set(config.accounts.map((account) => account.acr).filter(Boolean))];

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], digid: ['bsn', 'birthdate', 'age', 'postcode', 'huisnummer'], eherkenning: ['kvk'] },
  scopes: ['openid', 'digid', 'eherkenning'],
  // the claims of the scopes asked for go into the ID token, as brokers do
  conformIdTokenClaims: false,
  acrValues,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: {
    IdToken: (ctx, token, client) => clientOptions.get(client.clientId)?.id_token_ttl ?? 600,
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 600,
    Grant: 600,
  },
  async findAccount(ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...Object.fromEntries(claims.filter((name) => name in account.claims).map((name) => [name, account.claims[name]])) };
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fout bij inloggen', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});

// A redirect URI on a loopback address matches whatever its port (the test and demo servers
// take a free one), the rest exactly.
const loopback = new Set(['127.0.0.1', 'localhost', 'testserver']);
const portless = (value) => {
  const url = new URL(value);
  if (loopback.has(url.hostname)) url.port = '';
  return url.href;
};
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  try {
    return this.redirectUris.map(portless).includes(portless(value));
  } catch {
    return false;
  }
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – DigiD (demo)</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid, clientId, message = '') {
  const choices = config.accounts.map((account, index) => `<p><input type="radio" name="account" id="account-${index}" value="${escape(account.id)}"${index === 0 ? ' checked' : ''}>
<label for="account-${index}">${escape(account.label)}</label></p>`).join('\n');
  return page('Inloggen met DigiD (demo)', `${message ? `<p role="alert">${escape(message)}</p>` : ''}
<p>Dit is een proefomgeving: kies met wie je inlogt. Er is geen wachtwoord.</p>
<p>Je logt in bij ${escape(clientId)}.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<fieldset><legend>Inloggen als</legend>
${choices}
</fieldset>
<p><button type="submit" name="submit" value="login">Inloggen</button>
<button type="submit" name="submit" value="cancel">Annuleren</button></p>
</form>`);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) {
    await next();
    await rewriteToken(ctx);
    return;
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login' && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginPage(uid, params.client_id);
    return;
  }
  if (prompt.name === 'login' && ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx.req);
    let result;
    if (form.get('submit') === 'cancel') {
      result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    } else {
      const account = accounts.get(form.get('account') || '');
      if (!account) {
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = loginPage(uid, params.client_id, 'Kies een account.');
        return;
      }
      result = { login: { accountId: account.id, acr: account.acr, remember: false } };
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return;
  }
  if (prompt.name === 'consent') {
    // the municipality's broker asks no consent of its own: everything asked for is granted
    const { accountId } = details.session;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    const result = { consent: details.grantId ? {} : { grantId } };
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
    return;
  }
  ctx.status = 400;
  ctx.type = 'html';
  ctx.body = page('Fout bij inloggen', '<p>Deze stap kent de proefomgeving niet.</p>');
});

// A client set up with "id_token_audience": its ID tokens name that audience instead (signed
// again with the provider's key, so that only the audience is wrong).
async function rewriteToken(ctx) {
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body !== 'object' || !ctx.body.id_token) return;
  const payload = decodeJwt(ctx.body.id_token);
  const clientId = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
  const audience = clientOptions.get(clientId)?.id_token_audience;
  if (!audience) return;
  // the authorized party stays the client: a relying party that checks only `azp` accepts it
  ctx.body = {
    ...ctx.body,
    id_token: await new SignJWT({ ...payload, aud: audience, azp: clientId })
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .sign(privateKey),
  };
}

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
