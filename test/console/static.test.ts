import { readdirSync, readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { consoleSettingsFromEnv, serveConsoleStatic } from '../../lib/console/index.js';

const assetsDir = new URL('../../lib/console/assets/', import.meta.url);
const local = consoleSettingsFromEnv({});
const serve = (
  path: string,
  options: { method?: string; headers?: Record<string, string>; env?: Record<string, string> } = {},
) =>
  serveConsoleStatic(options.env ? consoleSettingsFromEnv(options.env) : local, {
    method: options.method ?? 'GET',
    path,
    headers: options.headers ?? {},
  });

function shell() {
  const page = serve('/console');
  const base = /src="(\/console\/assets\/[^/]+)\/app\.js"/.exec(page?.body ?? '')?.[1];
  if (!page || !base) throw new Error('the shell names no app.js');
  return { page, base };
}

describe('the console shell and its assets', () => {
  it('serves the shell without data, under a strict content security policy', () => {
    // Act
    const { page } = shell();
    const csp = page.headers['content-security-policy'] ?? '';

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)|style=/);
    expect(page.body).toContain('<main id="main"');
    expect(page.body).toContain('aria-live="polite"');
    expect(page.body).toContain('class="skip-link"');
  });

  it('serves every module the shell loads, as JavaScript, byte for byte the files in lib/console/assets', () => {
    // Prepare: follow app.js's static and dynamic imports.
    const { base } = shell();
    const queue = ['app.js', 'app.css'];
    const seen = new Set<string>();

    // Act
    while (queue.length) {
      const name = queue.shift() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const response = serve(`${base}/${name}`);
      const source = readFileSync(new URL(name, assetsDir), 'utf8');

      // Assess
      expect(response?.statusCode, name).toBe(200);
      expect(response?.body, name).toBe(source);
      expect(response?.headers['content-type']).toBe(
        name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(response?.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response?.headers['x-content-type-options']).toBe('nosniff');
      for (const m of source.matchAll(/(?:from |import\()'\.\/([a-z-]+\.js)'/g)) queue.push(m[1] as string);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'api.js',
        'app.js',
        'approvals.js',
        'auth.js',
        'executions.js',
        'fleet.js',
        'router.js',
        'ui.js',
      ]),
    );
  });

  it('answers a known ETag with 304 Not Modified', () => {
    const { base } = shell();
    const first = serve(`${base}/ui.js`);
    const again = serve(`${base}/ui.js`, { headers: { 'if-none-match': first?.headers.etag ?? '' } });
    expect(first?.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(again?.statusCode).toBe(304);
    expect(again?.body).toBe('');
  });

  it('refuses unknown files, other versions, and paths outside the assets', () => {
    const { base } = shell();
    const version = base.split('/').at(-1);
    const paths = [
      `${base}/nothing.js`,
      `${base}/README.md`,
      `${base}/index.html`,
      `${base}/..%2F..%2Fapi.ts`,
      `${base}/../static.ts`,
      `/console/assets/${version}/../../lib/console/api.ts`,
      `/console/assets/${version}/%2e%2e/api.ts`,
      '/console/assets/app.js',
      '/console/elsewhere',
    ];
    for (const path of paths) expect(serve(path)?.statusCode, path).toBe(404);
    const stale = serve('/console/assets/0123456789abcdef/app.js');
    expect(stale?.statusCode).toBe(404);
    expect(stale?.body).toContain('reload the page');
    expect(serve('/console', { method: 'POST' })?.statusCode).toBe(405);
    expect(serve('/api/fleet')).toBeUndefined();
  });

  it('sends browsers from / to the console', () => {
    expect(serve('/')).toMatchObject({ statusCode: 302, headers: { location: '/console' } });
  });

  it('ships modules that parse as ES modules and never write HTML strings into the page', async () => {
    const modules = readdirSync(assetsDir).filter((f) => f.endsWith('.js'));
    for (const name of modules) {
      const source = readFileSync(new URL(name, assetsDir), 'utf8');
      await expect(transform(source, { loader: 'js', format: 'esm' }), name).resolves.toBeDefined();
      expect(source, name).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
    }
  });
});

describe('the console settings (config.json)', () => {
  it('tells the shell to take the run’s token when no issuer is configured (a local run)', () => {
    const config = serve('/console/config.json');
    expect(config?.statusCode).toBe(200);
    expect(config?.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(config?.body ?? '')).toEqual({ auth: 'local', pollSeconds: 5 });
  });

  it('gives the OIDC issuer and client id, sends the ID token when the audience is the client id, and allows the issuer in connect-src', () => {
    // Act
    const env = {
      CONSOLE_OIDC_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
      CONSOLE_OIDC_CLIENT_ID: '4p1client',
      CONSOLE_OIDC_AUDIENCE: '4p1client',
      CONSOLE_OIDC_CONNECT_ORIGINS: 'https://upgrades.auth.eu-west-1.amazoncognito.com',
      CONSOLE_POLL_SECONDS: '3',
    };
    const config = serve('/console/config.json', { env });
    const csp = serve('/console', { env })?.headers['content-security-policy'];

    // Assess
    expect(JSON.parse(config?.body ?? '')).toEqual({
      auth: 'oidc',
      issuer: env.CONSOLE_OIDC_ISSUER,
      clientId: '4p1client',
      scope: 'openid email profile',
      useToken: 'id_token',
      pollSeconds: 3,
    });
    expect(csp).toContain(
      "connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com https://upgrades.auth.eu-west-1.amazoncognito.com;",
    );
  });

  it('sends the access token, with the audience, when the authorizer’s audience is an API identifier', () => {
    const env = {
      CONSOLE_OIDC_ISSUER: 'https://example.auth0.com/',
      CONSOLE_OIDC_CLIENT_ID: 'spa-client',
      CONSOLE_OIDC_AUDIENCE: 'eks-upgrade-orchestrator-console',
    };
    expect(JSON.parse(serve('/console/config.json', { env })?.body ?? '')).toMatchObject({
      useToken: 'access_token',
      audience: 'eks-upgrade-orchestrator-console',
    });
  });

  it('says which parameter to set when the client id is missing or the issuer is not https', () => {
    const noClient = serve('/console/config.json', { env: { CONSOLE_OIDC_ISSUER: 'https://example.auth0.com/' } });
    const http = serve('/console/config.json', {
      env: { CONSOLE_OIDC_ISSUER: 'http://idp.example.com', CONSOLE_OIDC_CLIENT_ID: 'x' },
    });
    expect(noClient?.statusCode).toBe(500);
    expect(JSON.parse(noClient?.body ?? '').error).toContain('set the consoleClientId parameter');
    expect(JSON.parse(http?.body ?? '').error).toContain('oidcIssuerUrl');
  });
});
