import { createHash } from 'node:crypto';
import { readAssetFiles, servedAsset } from './asset-files.js';

export interface StaticResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** How the console's browser side signs in and how often it refreshes, from the console function's environment. */
export interface ConsoleSettings {
  /** OIDC sign-in (authorization code with PKCE); absent means a local run, where the run's token is used. */
  oidc?: {
    issuer: string;
    clientId: string;
    /** The JWT authorizer's audience. When it is the client id, the ID token is sent; otherwise the access token. */
    audience: string;
    /** Origins the browser may call besides the issuer's (the IdP's token endpoint, when elsewhere). */
    connectOrigins: string[];
  };
  /** What is wrong with the OIDC settings, in words that say what to set. */
  problem?: string;
  pollSeconds: number;
}

const origin = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost'
      ? parsed.origin
      : undefined;
  } catch {
    return undefined;
  }
};

/** The console's settings from CONSOLE_* variables (serverless.yml sets them from the stage's parameters). */
export function consoleSettingsFromEnv(env: Record<string, string | undefined>): ConsoleSettings {
  const poll = Number(env.CONSOLE_POLL_SECONDS ?? '');
  const pollSeconds = Number.isFinite(poll) && poll >= 1 && poll <= 300 ? poll : 5;
  const issuer = env.CONSOLE_OIDC_ISSUER?.trim();
  if (!issuer) return { pollSeconds };
  const clientId = env.CONSOLE_OIDC_CLIENT_ID?.trim() ?? '';
  if (!origin(issuer))
    return {
      pollSeconds,
      problem: `CONSOLE_OIDC_ISSUER "${issuer}" is not an https URL: set the oidcIssuerUrl parameter`,
    };
  if (!clientId)
    return {
      pollSeconds,
      problem: 'CONSOLE_OIDC_CLIENT_ID is empty: set the consoleClientId parameter to the app client id of your IdP',
    };
  const extra = (env.CONSOLE_OIDC_CONNECT_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean);
  const bad = extra.find((o) => !origin(o));
  if (bad) return { pollSeconds, problem: `CONSOLE_OIDC_CONNECT_ORIGINS has "${bad}", which is not an https origin` };
  return {
    pollSeconds,
    oidc: {
      issuer,
      clientId,
      audience: env.CONSOLE_OIDC_AUDIENCE?.trim() || clientId,
      connectOrigins: extra.map((o) => origin(o) as string),
    },
  };
}

interface Asset {
  body: string;
  contentType: string;
  etag: string;
}

interface Shell {
  version: string;
  assets: Map<string, Asset>;
}

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

let shell: Shell | undefined;

/** The assets and their version (a hash of them all), read once per process. */
function consoleShell(): Shell {
  if (shell) return shell;
  const files = readAssetFiles();
  const version = digest(JSON.stringify(files)).slice(0, 16);
  const assets = new Map<string, Asset>();
  for (const [name, raw] of Object.entries(files)) {
    const body = name === 'index.html' ? raw.replaceAll('%ASSETS%', `/console/assets/${version}`) : raw;
    assets.set(name, {
      body,
      contentType: contentTypes[name.split('.').pop() ?? ''] ?? 'application/octet-stream',
      etag: `"${digest(body).slice(0, 27)}"`,
    });
  }
  shell = { version, assets };
  return shell;
}

/** The content security policy of every console response: our own scripts and styles only, no HTML sinks. */
export function contentSecurityPolicy(settings: ConsoleSettings): string {
  const connect = ["'self'", ...(settings.oidc ? [origin(settings.oidc.issuer), ...settings.oidc.connectOrigins] : [])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

function securityHeaders(settings: ConsoleSettings): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(settings),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

function serveAsset(
  asset: Asset,
  settings: ConsoleSettings,
  request: { headers: Record<string, string | undefined> },
  cacheControl: string,
): StaticResponse {
  const headers = { ...securityHeaders(settings), etag: asset.etag, 'cache-control': cacheControl };
  if (request.headers['if-none-match'] === asset.etag) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers: { ...headers, 'content-type': asset.contentType }, body: asset.body };
}

const notFound = (settings: ConsoleSettings, what: string): StaticResponse => ({
  statusCode: 404,
  headers: { ...securityHeaders(settings), 'content-type': 'text/plain; charset=utf-8' },
  body: what,
});

/**
 * The console's unauthenticated routes: the shell (`/console`), its assets (`/console/assets/<version>/<file>`),
 * its settings (`/console/config.json`), and `/`, which sends browsers to the shell. Undefined for any other path.
 * None of them holds data: everything else comes from `/api/*` with a bearer token.
 */
export function serveConsoleStatic(
  settings: ConsoleSettings,
  request: { method: string; path: string; headers: Record<string, string | undefined> },
): StaticResponse | undefined {
  const { path } = request;
  if (path !== '/' && path !== '/console' && !path.startsWith('/console/')) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return { statusCode: 405, headers: { allow: 'GET, HEAD' }, body: 'Method not allowed' };
  if (path === '/')
    return { statusCode: 302, headers: { location: '/console', 'cache-control': 'no-store' }, body: '' };
  const { version, assets } = consoleShell();
  if (path === '/console' || path === '/console/') {
    return serveAsset(assets.get('index.html') as Asset, settings, request, 'no-cache');
  }
  if (path === '/console/config.json') {
    const body = settings.problem
      ? { error: `Sign-in is not configured: ${settings.problem}.` }
      : settings.oidc
        ? {
            auth: 'oidc',
            issuer: settings.oidc.issuer,
            clientId: settings.oidc.clientId,
            scope: 'openid email profile',
            useToken: settings.oidc.audience === settings.oidc.clientId ? 'id_token' : 'access_token',
            ...(settings.oidc.audience !== settings.oidc.clientId ? { audience: settings.oidc.audience } : {}),
            pollSeconds: settings.pollSeconds,
          }
        : { auth: 'local', pollSeconds: settings.pollSeconds };
    return {
      statusCode: settings.problem ? 500 : 200,
      headers: { ...securityHeaders(settings), 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(body),
    };
  }
  const asset = /^\/console\/assets\/([^/]+)\/([^/]+)$/.exec(path);
  const name = asset?.[2] ?? '';
  if (!asset || !servedAsset.test(name) || name.endsWith('.html')) return notFound(settings, 'No such console file.');
  const file = assets.get(name);
  if (!file) return notFound(settings, 'No such console file.');
  if (asset[1] !== version)
    return notFound(settings, 'This file belongs to another version of the console: reload the page.');
  return serveAsset(file, settings, request, 'public, max-age=31536000, immutable');
}
