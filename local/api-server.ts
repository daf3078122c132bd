/**
 * The HTTP API of a local run on 127.0.0.1: the same routes serverless.yml gives API Gateway, each request turned
 * into the payload 2.0 event API Gateway sends and answered by the real handler. The console's API routes need
 * the run's bearer token, which stands in for the JWT authorizer and makes the local user the signed-in user.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalEnvironment } from './environment.js';

type Handler = (event: unknown) => Promise<unknown>;

export interface LocalApi {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The bearer token the console's API routes require. */
  token: string;
  /** `http://127.0.0.1:<port>/console#token=<token>`: the console, signed in (the fragment never reaches a server). */
  consoleUrl: string;
  close(): Promise<void>;
}

interface Route {
  method: RegExp;
  path: RegExp;
  function: string;
  /** Console routes: behind the (local stand-in for the) JWT authorizer. */
  authorized: boolean;
  pathParameters?: (match: RegExpExecArray) => Record<string, string>;
}

// As in serverless.yml: callback routes verify their own signatures; console API routes need a signed-in user.
const routes: Route[] = [
  {
    method: /^(GET|POST)$/,
    path: /^\/approvals\/([^/]+)$/,
    function: 'approvalCallback',
    authorized: false,
    // API Gateway hands the function the segment as sent; a malformed one is the function's to answer.
    pathParameters: (m) => ({ token: decodedOrRaw(m[1] ?? '') }),
  },
  { method: /^POST$/, path: /^\/slack\/interactivity$/, function: 'slackInteractivity', authorized: false },
  // The console's shell holds no data: it signs in and calls /api/* with the token.
  { method: /^GET$/, path: /^\/(console(\/.*)?)?$/, function: 'console', authorized: false },
  { method: /^(GET|POST)$/, path: /^\/api\/.+$/, function: 'console', authorized: true },
];

/** A segment decoded when it is valid percent-encoding, else as sent. */
function decodedOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const maxBodyBytes = 1024 * 1024;

/** A request body above the limit: answered 413, as API Gateway answers one above its payload limit. */
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLarge(`the request body is over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Starts the local HTTP API; approval links in emails sent from now on point at it. */
export async function startLocalApi(
  env: LocalEnvironment,
  options: { handlers: Record<string, Handler>; user: string; port?: number },
): Promise<LocalApi> {
  const token = randomBytes(24).toString('base64url');
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const route = routes.find((r) => r.method.test(method) && r.path.test(url.pathname));
    const handler = route && options.handlers[route.function];
    if (!route || !handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (route.authorized && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end("Unauthorized: pass the run's token as a bearer token");
      return;
    }
    const body = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const event = {
      version: '2.0',
      routeKey: `${method} ${url.pathname}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: Object.fromEntries(url.searchParams),
      ...(route.pathParameters
        ? { pathParameters: route.pathParameters(route.path.exec(url.pathname) as RegExpExecArray) }
        : {}),
      requestContext: {
        http: { method, path: url.pathname, sourceIp: '127.0.0.1' },
        ...(route.authorized
          ? { authorizer: { jwt: { claims: { sub: options.user, preferred_username: options.user } } } }
          : {}),
      },
      // API Gateway passes bodies base64-encoded unless they are text; always encoding keeps the raw bytes.
      body: body.toString('base64'),
      isBase64Encoded: true,
    };
    // While a handler answers, simulated time stands still, as it does for the state machine's tasks.
    const result = (await env.clock.track(() => handler(event))) as {
      statusCode?: number;
      headers?: Record<string, string>;
      body?: string;
    };
    res.writeHead(result.statusCode ?? 200, result.headers ?? {}).end(result.body ?? '');
  };
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) {
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`Internal error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env.deps.settings.approvalBaseUrl = url;
  return {
    url,
    token,
    consoleUrl: `${url}/console#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
