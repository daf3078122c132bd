// The console API client: every call carries the bearer token; state changes also carry the console's header and
// a JSON body, which a cross-site form cannot send.

import { setServerTime } from './ui.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export const csrfHeader = 'x-eks-upgrade-console';

/** `{ get(path, query), post(path, body) }`; `onUnauthorized` runs on a 401 (the token expired or was refused). */
export function createApi({ token, onUnauthorized }) {
  async function request(method, path, { query, body } = {}) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
    const headers = { accept: 'application/json', authorization: `Bearer ${token()}` };
    if (method !== 'GET') Object.assign(headers, { 'content-type': 'application/json', [csrfHeader]: '1' });
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        cache: 'no-store',
        credentials: 'omit',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, 'The console API cannot be reached: check your connection and try again.');
    }
    setServerTime(response.headers.get('x-eks-upgrade-now'));
    const text = await response.text();
    let data;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      data = { error: text };
    }
    if (response.status === 401) {
      onUnauthorized?.();
      throw new ApiError(401, 'Your sign-in has expired or was refused: sign in again.');
    }
    if (!response.ok) {
      throw new ApiError(response.status, data.error ?? data.message ?? `The console API answered ${response.status}.`);
    }
    return data;
  }
  return {
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body }),
  };
}
