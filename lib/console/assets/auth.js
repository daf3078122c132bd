// Sign-in. Deployed: OIDC authorization code with PKCE against the configured issuer; the token is kept in
// sessionStorage (this tab only) and sent as a bearer token. Locally: the run prints /console#token=<token>; the
// fragment never reaches a server, and it is taken and cleared from the address bar at once.

const tokenKey = 'eks-upgrade.console.token';
const pendingKey = 'eks-upgrade.console.sign-in';

const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The claims of a JWT, or undefined when the token is not one (the local run's token is opaque). */
export function claimsOf(token) {
  const part = String(token ?? '').split('.')[1];
  if (!part) return undefined;
  try {
    return JSON.parse(atob(part.replaceAll('-', '+').replaceAll('_', '/')));
  } catch {
    return undefined;
  }
}

/** Takes `#token=...` from the address bar into sessionStorage; true when there was one. */
export function takeFragmentToken() {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match) return false;
  sessionStorage.setItem(tokenKey, decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/fleet`);
  return true;
}

/** The stored token, unless it has expired (JWTs) . */
export function storedToken() {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return undefined;
  const exp = claimsOf(token)?.exp;
  if (typeof exp === 'number' && exp * 1000 < Date.now() + 10_000) {
    sessionStorage.removeItem(tokenKey);
    return undefined;
  }
  return token;
}

export function clearToken() {
  sessionStorage.removeItem(tokenKey);
}

/** Who the token says the user is (email, else username, else subject); undefined for the local token. */
export function signedInAs(token) {
  const c = claimsOf(token);
  return c?.email ?? c?.preferred_username ?? c?.username ?? c?.['cognito:username'] ?? c?.sub;
}

async function discover(issuer) {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`The identity provider's discovery document (${url}) answered ${response.status}.`);
  const doc = await response.json();
  if (!doc.authorization_endpoint || !doc.token_endpoint)
    throw new Error(`${url} names no authorization_endpoint or token_endpoint.`);
  return doc;
}

const redirectUri = () => `${location.origin}${location.pathname}`;

/** Sends the browser to the identity provider; it comes back to /console with a code. */
export async function startSignIn(config) {
  const doc = await discover(config.issuer);
  const verifier = randomString();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomString();
  const nonce = randomString();
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, nonce, returnTo: location.hash || '#/fleet' }));
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope ?? 'openid email profile',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(config.audience ? { audience: config.audience } : {}),
  }).toString();
  location.assign(url.toString());
}

/**
 * Completes a sign-in when the identity provider sent the browser back with `?code=&state=`: checks the state,
 * exchanges the code (with the PKCE verifier) for tokens, checks the ID token's nonce and keeps the token the API
 * expects. Returns false when the address has no code.
 */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  const error = params.get('error');
  const code = params.get('code');
  if (!code && !error) return false;
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  sessionStorage.removeItem(pendingKey);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? '#/fleet'}`);
  if (error) throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') ?? error}.`);
  if (!pending || params.get('state') !== pending.state)
    throw new Error('This sign-in was not started from this tab (its state does not match): sign in again.');
  const doc = await discover(config.issuer);
  const response = await fetch(doc.token_endpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error(`The token exchange failed (${tokens.error_description ?? tokens.error ?? response.status}).`);
  if (tokens.id_token && claimsOf(tokens.id_token)?.nonce !== pending.nonce)
    throw new Error('The ID token does not carry this sign-in’s nonce: sign in again.');
  const token = config.useToken === 'access_token' ? tokens.access_token : tokens.id_token;
  if (!token) throw new Error(`The identity provider returned no ${config.useToken ?? 'id_token'}.`);
  sessionStorage.setItem(tokenKey, token);
  return true;
}
