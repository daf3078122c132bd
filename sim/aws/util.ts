/** Small helpers shared by the simulated services: handler typing, pagination, filters. */

/** Who signed a call: credentials the simulated STS issued (an assumed role's session). */
export interface SimCaller {
  accessKeyId: string;
  accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  arn: string;
  roleName: string;
  sessionName: string;
}

/**
 * A simulated operation: takes the command's input, the client's region and the caller (when STS issued its
 * credentials), returns the output (no `$metadata`).
 */
export type SimHandler = (input: unknown, region: string, caller?: SimCaller) => object;

/** Types a handler by the SDK's input shape; the interceptor passes the command's `input` as is. */
export function handler<I, O extends object>(fn: (input: I, region: string, caller?: SimCaller) => O): SimHandler {
  return (input, region, caller) => fn((input ?? {}) as I, region, caller);
}

/**
 * The page sizes an operation accepts, as its AWS service model (or, where the model says nothing, its API
 * reference) states them, and the error the service answers a size outside them with.
 */
export interface PageLimits {
  /** The member as the API names it (`maxResults`, `MaxRecords`, `MaxResults`). */
  member: string;
  min: number;
  max: number;
  refuse: (message: string) => Error;
}

/** AWS's wording for a value outside a member's range. */
export function rangeMessage(limits: PageLimits, value: number): string {
  const bound = value > limits.max ? `less than or equal to ${limits.max}` : `greater than or equal to ${limits.min}`;
  return `1 validation error detected: Value '${value}' at '${limits.member}' failed to satisfy constraint: Member must have value ${bound}`;
}

/**
 * One page of `items` from an opaque `nextToken` (AWS tokens are opaque; ours encode the offset). A page size
 * outside `limits` is refused with the service's error, as AWS refuses it, never served.
 */
export function paginate<T>(
  items: readonly T[],
  options: {
    nextToken?: string | undefined;
    maxResults?: number | undefined;
    defaultMax: number;
    invalidToken: () => Error;
    limits?: PageLimits;
  },
): { page: T[]; nextToken?: string } {
  const { limits, maxResults } = options;
  if (limits && maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    throw limits.refuse(rangeMessage(limits, maxResults));
  }
  let offset = 0;
  if (options.nextToken) {
    const decoded = Buffer.from(options.nextToken, 'base64url').toString('utf8');
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match?.[1]) throw options.invalidToken();
    offset = Number(match[1]);
  }
  const size = options.maxResults && options.maxResults > 0 ? options.maxResults : options.defaultMax;
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, nextToken: Buffer.from(`offset:${next}`).toString('base64url') } : { page };
}

/** EC2-style wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

/** Whether a resource passes every filter (`Name` → the resource's values for that name; any `Values` may match). */
export function matchesFilters(
  filters: ReadonlyArray<{ Name?: string | undefined; Values?: string[] | undefined }> | undefined,
  valuesOf: (name: string) => readonly string[] | undefined,
): boolean {
  for (const filter of filters ?? []) {
    if (!filter.Name) continue;
    const values = valuesOf(filter.Name);
    if (values === undefined) return false;
    const wanted = filter.Values ?? [];
    if (!wanted.some((w) => values.some((v) => wildcardMatch(w, v)))) return false;
  }
  return true;
}

/** Tag filters (`tag:<key>`, `tag-key`, `tag-value`) over a resource's tags; undefined for other names. */
export function tagFilterValues(name: string, tags: Readonly<Record<string, string>>): string[] | undefined {
  if (name.startsWith('tag:')) {
    const value = tags[name.slice(4)];
    return value === undefined ? [] : [value];
  }
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  return undefined;
}

/** `{ Key, Value }` pairs as the EC2 and Auto Scaling APIs list tags. */
export function tagList(tags: Readonly<Record<string, string>>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
